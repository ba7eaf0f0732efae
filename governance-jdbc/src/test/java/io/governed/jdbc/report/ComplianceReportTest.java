package io.governed.jdbc.report;

import io.governed.jdbc.support.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.SharedAuditDispatchers;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A report built from a trail the governed driver wrote while real statements ran on H2: allowed,
 * denied, masked, read in clear, an agent acting for a person, DDL, an unparseable statement.
 */
class ComplianceReportTest {

    private static final String HOSTILE = "<script>alert('x')</script>";
    private static final String POLICY = """
            version: 1
            default: deny
            on-unparseable: deny
            classification:
              tags:
                pii.email: ["*.email"]
                pii.ssn: ["*.ssn"]
            rules:
              - id: dba-all
                effect: permit
                principals: { groups: [dba] }
                actions: ["*"]
                resources: ["*"]
              - id: analysts-read
                effect: permit
                principals: { groups: [analysts] }
                actions: [select]
                resources: ["*"]
              - id: agents-read-for-a-human
                effect: permit
                principals: { kinds: [agent], on-behalf-of: required }
                actions: [select]
                resources: ["*"]
              - id: no-drop
                effect: forbid
                actions: [drop]
                resources: ["*"]
                unless: { groups: [dba] }
                message: Dropping tables is not allowed here
            masks:
              - id: mask-email
                columns: { tags: [pii.email] }
                function: email
                unless: { groups: [pii-readers] }
            """;

    @TempDir
    static Path dir;
    static Path policy;
    static Path trail;
    static JsonNode report;
    static String html;
    /** Statements run, by what governance should decide. */
    static int allowed;
    static int denied;

    @BeforeAll
    static void runStatementsThroughTheDriverAndReport() throws Exception {
        policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        trail = dir.resolve("audit.jsonl");
        String url = "jdbc:governed:h2:mem:report_test;DB_CLOSE_DELAY=-1";
        try (Connection dba = connect(url, "dana", "dba", null, null, null); Statement s = dba.createStatement()) {
            s.execute("CREATE TABLE report_customers (id INT PRIMARY KEY, email VARCHAR(100), ssn VARCHAR(20))");
            s.executeUpdate("INSERT INTO report_customers VALUES (1, 'ann@example.com', '111-22-3333'),"
                    + " (2, 'bob@example.com', '222-33-4444'), (3, 'cy@example.com', '333-44-5555')");
            allowed += 2;
        }
        try (Connection alice = connect(url, "alice", "analysts", null, null, "billing"); Statement s = alice.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, email FROM report_customers ORDER BY id")) {
                rs.next();
                assertThat(rs.getString(2)).as("masked for an analyst").isNotEqualTo("ann@example.com");
                while (rs.next()) {
                    // read every row, so the event counts them
                }
            }
            allowed++;
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM report_customers WHERE id = 1")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("DROP TABLE report_customers")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("SELEC id FRM report_customers ((")).isInstanceOf(SQLException.class);
            denied += 3;
        }
        try (Connection pete = connect(url, "pete", "analysts,pii-readers", null, null, "support");
             Statement s = pete.createStatement(); ResultSet rs = s.executeQuery("SELECT email FROM report_customers WHERE id = 2")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("bob@example.com");
            allowed++;
        }
        try (Connection bot = connect(url, "report-bot", null, "agent", "alice", "summary");
             Statement s = bot.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM report_customers")) {
            while (rs.next()) {
                // all three rows
            }
            allowed++;
        }
        try (Connection evil = connect(url, HOSTILE, "analysts", null, null, null);
             Statement s = evil.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM report_customers WHERE id = 3")) {
            rs.next();
            allowed++;
        }
        assertThat(SharedAuditDispatchers.get("jsonl:" + trail, AuditSettings.defaults()).flush(Duration.ofSeconds(10))).isTrue();

        Path json = dir.resolve("report.json");
        Path out = dir.resolve("report.html");
        CliRun run = cli("report", trail.toString(), "--out", out.toString(), "--json", json.toString(), "--policy", policy.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("OK " + (allowed + denied) + " events reported in " + out);
        report = new ObjectMapper().readTree(json.toFile());
        html = Files.readString(out, StandardCharsets.UTF_8);
    }

    private static Connection connect(String url, String principal, String groups, String kind, String onBehalfOf,
                                      String purpose) throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.audit", "jsonl:" + trail);
        p.setProperty("governed.principal", principal);
        if (groups != null) {
            p.setProperty("governed.groups", groups);
        }
        if (kind != null) {
            p.setProperty("governed.kind", kind);
        }
        if (onBehalfOf != null) {
            p.setProperty("governed.on-behalf-of", onBehalfOf);
        }
        if (purpose != null) {
            p.setProperty("governed.purpose", purpose);
        }
        return DriverManager.getConnection(url, p);
    }

    static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    @Test
    void theChainIsVerifiedAndTheTotalsAreTheStatementsThatRan() {
        assertThat(report.at("/verification/ok").asBoolean()).isTrue();
        assertThat(report.at("/verification/logs/0/verified_events").asLong()).isEqualTo(allowed + denied);
        assertThat(report.at("/verification/logs/0/files/0/status").asText()).isEqualTo("ok");
        assertThat(report.at("/totals/events").asLong()).isEqualTo(allowed + denied);
        assertThat(report.at("/totals/allow").asLong()).isEqualTo(allowed);
        assertThat(report.at("/totals/deny").asLong()).isEqualTo(denied);
        long inTimeline = 0;
        for (JsonNode point : report.at("/timeline/points")) {
            inTimeline += point.path("allow").asLong() + point.path("deny").asLong();
        }
        assertThat(inTimeline).isEqualTo(allowed + denied);
        assertThat(html).contains("Every chain is intact", "id=\"chart-timeline\"", "id=\"chart-denials\"");
    }

    @Test
    void denialsAreCountedByTheRuleThatMadeThem() {
        assertThat(rows(report.at("/denials_by_rule"))).anySatisfy(r -> {
            assertThat(r.path("rule").asText()).isEqualTo("no-drop");
            assertThat(r.path("denied").asLong()).isEqualTo(1);
        });
        assertThat(html).contains("<td>no-drop</td><td class=\"n\">1</td>");
    }

    @Test
    void schemaChangesAndRefusedUnparseableStatementsAreListedWithWhoRanThem() {
        assertThat(report.at("/ddl/total").asLong()).isEqualTo(2);
        assertThat(report.at("/ddl/allow").asLong()).isEqualTo(1);
        assertThat(report.at("/ddl/deny").asLong()).isEqualTo(1);
        assertThat(rows(report.at("/ddl/events"))).extracting(e -> e.path("principal").asText() + " " + e.path("action").asText()
                + " " + e.path("decision").asText()).containsExactly("dana create allow", "alice drop deny");
        assertThat(report.at("/unparseable/total").asLong()).isEqualTo(1);
        assertThat(report.at("/unparseable/events/0/principal").asText()).isEqualTo("alice");
        assertThat(report.at("/unparseable/events/0/decision").asText()).isEqualTo("deny");
        assertThat(report.at("/privilege_changes/total").asLong()).isZero();
    }

    @Test
    void sensitiveReadsSayWhatWasMaskedAndWhatWasReadInClearPerIdentityAndPurpose() {
        JsonNode alice = find(report.at("/sensitive_access"), "alice", "billing");
        assertThat(texts(alice.path("masked"))).singleElement().asString().endsWithIgnoringCase("report_customers.email");
        assertThat(texts(alice.path("clear"))).isEmpty();
        assertThat(alice.path("rows").asLong()).isEqualTo(3);
        JsonNode pete = find(report.at("/sensitive_access"), "pete", "support");
        assertThat(texts(pete.path("masked"))).isEmpty();
        assertThat(texts(pete.path("clear"))).singleElement().asString().endsWithIgnoringCase("report_customers.email");
        assertThat(pete.path("rows").asLong()).isEqualTo(1);
        assertThat(html).contains("<td>pete</td><td>support</td>");
        assertThat(rows(report.at("/sensitive_access"))).as("writing tagged columns is not reading them")
                .noneMatch(r -> r.path("principal").asText().equals("dana"));
    }

    @Test
    void agentsAreListedWithWhomTheyActedFor() {
        assertThat(rows(report.at("/agents"))).singleElement().satisfies(a -> {
            assertThat(a.path("principal").asText()).isEqualTo("report-bot");
            assertThat(a.path("on_behalf_of").asText()).contains("alice");
            assertThat(a.path("allow").asLong()).isEqualTo(1);
            assertThat(a.path("rows").asLong()).isEqualTo(3);
        });
        assertThat(html).contains("<td>report-bot</td><td>agent</td>");
    }

    @Test
    void everyEventNamesThePolicyVersionOfTheGivenFiles() throws Exception {
        String digest = PolicyLoader.load(policy).provenance().digest();
        assertThat(rows(report.at("/policy_versions"))).singleElement().satisfies(p -> {
            assertThat(p.path("digest").asText()).isEqualTo(digest);
            assertThat(p.path("events").asLong()).isEqualTo(allowed + denied);
            assertThat(p.path("matches_given_files").asBoolean()).isTrue();
            assertThat(p.at("/files/0/name").asText()).isEqualTo(policy.toString());
        });
        assertThat(Files.readAllLines(trail)).allSatisfy(line -> assertThat(line).contains("\"policy\":{\"digest\":\"" + digest + "\""));
        assertThat(html).contains(digest);
    }

    @Test
    void theControlsTableMapsEachControlToItsEvidenceAndPeriod() {
        List<String> controls = rows(report.at("/controls")).stream().map(c -> c.path("control").asText()).toList();
        assertThat(controls).containsExactly("CC6.1", "CC6.3", "CC7.2", "CC8.1", "A.5.15", "A.8.2", "A.8.15", "A.8.16");
        JsonNode logging = rows(report.at("/controls")).stream().filter(c -> c.path("control").asText().equals("A.8.15")).findFirst().orElseThrow();
        assertThat(logging.path("evidence").asLong()).isEqualTo(allowed + denied);
        assertThat(logging.path("period").asText()).startsWith(report.at("/period/from").asText());
        JsonNode change = rows(report.at("/controls")).stream().filter(c -> c.path("control").asText().equals("CC8.1")).findFirst().orElseThrow();
        assertThat(change.path("evidence").asLong()).isEqualTo(2);
        assertThat(html).contains("<td>A.8.15</td>", "<td>CC8.1</td>");
    }

    @Test
    void thePageIsSelfContainedAndEscapesWhatEventsSay() {
        assertThat(Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//").matcher(html).find()).isFalse();
        assertThat(html).doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://")
                .contains("Content-Security-Policy", "default-src 'none'");
        assertThat(html).doesNotContain(HOSTILE).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        assertThat(html.split("<script>", -1)).as("the one script is the page's own filter").hasSize(2);
        assertThat(html).contains("id=\"f-identity\"", "id=\"f-table\"", "id=\"f-decision\"", "data-identity=\"alice\"");
    }

    @Test
    void theTimeWindowLeavesOutEventsOutsideIt() {
        CliRun run = cli("report", trail.toString(), "--out", dir.resolve("later.html").toString(), "--json",
                dir.resolve("later.json").toString(), "--from", "2999-01-01");
        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith("OK 0 events");
    }

    @Test
    void aTamperedTrailIsReportedFirstWithTheBrokenLine() throws Exception {
        Path tampered = dir.resolve("tampered").resolve("audit.jsonl");
        Files.createDirectories(tampered.getParent());
        List<String> lines = new ArrayList<>(Files.readAllLines(trail, StandardCharsets.UTF_8));
        lines.set(3, lines.get(3).replace("\"decision\":\"deny\"", "\"decision\":\"allow\""));
        assertThat(lines.get(3)).as("line 4 is a denial").isNotEqualTo(Files.readAllLines(trail).get(3));
        Files.write(tampered, lines, StandardCharsets.UTF_8);
        Path out = dir.resolve("tampered.html");
        Path json = dir.resolve("tampered.json");

        CliRun run = cli("report", tampered.getParent().toString(), "--out", out.toString(), "--json", json.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).startsWith("CHAIN BROKEN");
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertThat(r.at("/verification/ok").asBoolean()).isFalse();
        assertThat(r.at("/verification/logs/0/problem/line").asLong()).isEqualTo(4);
        assertThat(r.at("/verification/logs/0/files/0/first_broken_line").asLong()).isEqualTo(4);
        String page = Files.readString(out);
        assertThat(page.indexOf("BROKEN at " + tampered + " line 4")).isPositive()
                .isLessThan(page.indexOf("id=\"timeline\""));
        assertThat(r.at("/totals/events").asLong()).as("only the lines that verify count").isEqualTo(3);
        assertThat(r.at("/totals/not_verified_lines").asLong()).isEqualTo(allowed + denied - 3);
        assertThat(r.at("/totals/allow").asLong()).isLessThan(allowed);
    }

    @Test
    void aLineAppendedWithoutItsNewlineIsNeverCountedAsAnEvent() throws Exception {
        Path forged = dir.resolve("forged-tail").resolve("audit.jsonl");
        Files.createDirectories(forged.getParent());
        List<String> lines = Files.readAllLines(trail, StandardCharsets.UTF_8);
        String denial = lines.get(3);
        assertThat(denial).contains("\"decision\":\"deny\"");
        String madeAllowed = denial.replace("\"decision\":\"deny\"", "\"decision\":\"allow\"");
        Files.writeString(forged, String.join("\n", lines) + "\n" + madeAllowed + "\r" + madeAllowed, StandardCharsets.UTF_8);
        Path json = dir.resolve("forged-tail.json");

        CliRun run = cli("report", forged.toString(), "--out", dir.resolve("forged-tail.html").toString(), "--json", json.toString());

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertThat(r.at("/verification/ok").asBoolean()).isTrue();
        assertThat(r.at("/verification/logs/0/torn_bytes").asLong()).isPositive();
        assertThat(r.at("/totals/events").asLong()).isEqualTo(lines.size());
        assertThat(r.at("/totals/allow").asLong()).isEqualTo(report.at("/totals/allow").asLong());
        assertThat(r.at("/totals/not_verified_lines").asLong()).isEqualTo(1);
    }

    private static List<JsonNode> rows(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static List<String> texts(JsonNode array) {
        return rows(array).stream().map(JsonNode::asText).toList();
    }

    private static JsonNode find(JsonNode sensitive, String principal, String purpose) {
        return rows(sensitive).stream().filter(r -> r.path("principal").asText().equals(principal)
                && r.path("purpose").asText().equals(purpose)).findFirst().orElseThrow(() -> new AssertionError(
                principal + "/" + purpose + " not in " + sensitive));
    }
}
