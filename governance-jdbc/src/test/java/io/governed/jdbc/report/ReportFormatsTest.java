package io.governed.jdbc.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.approval.ApprovalStores;
import io.governed.jdbc.approval.AuditingApprovalStore;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.SharedAuditDispatchers;
import io.governed.jdbc.audit.TestEvents;
import io.governed.jdbc.audit.jsonl.HashChain;
import io.governed.jdbc.support.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One run of the governed driver written at once in the native format, OCSF and CloudEvents: the
 * report of each trail has the same figures (only the format and the file names differ), every chain
 * verifies, and a directory that holds all three is read line by line in each line's format.
 */
class ReportFormatsTest {

    private static final String POLICY = """
            version: 1
            default: deny
            classification:
              tags:
                pii.email: ["*.email"]
            rules:
              - id: dba-all
                effect: permit
                principals: { groups: [dba] }
                actions: ["*"]
                resources: ["*"]
              - id: analysts-work
                effect: permit
                principals: { groups: [analysts] }
                actions: [select, insert, delete]
                resources: ["*"]
              - id: agents-read-for-a-human
                effect: permit
                principals: { kinds: [agent], on-behalf-of: required }
                actions: [select]
                resources: ["*"]
              - id: no-payroll
                effect: forbid
                actions: ["*"]
                resources: ["*.formats_payroll"]
                unless: { groups: [dba] }
            masks:
              - id: mask-email
                columns: { tags: [pii.email] }
                function: email
                unless: { groups: [pii-readers] }
            approvals:
              - { id: deletes, actions: [delete], approvers: { names: [dana] }, ttl: 1h }
            """;

    @TempDir
    static Path dir;
    static Path policy;
    static String audit;
    static Path nativeLog;
    static Path ocsfLog;
    static Path cloudEventsLog;
    static String approvedId;
    static String deniedId;

    @BeforeAll
    static void runStatementsThroughTheDriverInThreeFormats() throws Exception {
        policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Path trails = Files.createDirectories(dir.resolve("trails"));
        nativeLog = trails.resolve("native.jsonl");
        ocsfLog = trails.resolve("ocsf.jsonl");
        cloudEventsLog = trails.resolve("cloudevents.jsonl");
        audit = "jsonl:" + nativeLog + "?format=native,jsonl:" + ocsfLog + "?format=ocsf,jsonl:" + cloudEventsLog
                + "?format=cloudevents";
        AuditingApprovalStore approvers = new AuditingApprovalStore(ApprovalStores.open("memory", null, null),
                SharedAuditDispatchers.get(audit, AuditSettings.defaults()));
        String url = "jdbc:governed:h2:mem:report_formats;DB_CLOSE_DELAY=-1";
        try (Connection dba = connect(url, "dana", "dba", null, null, "setup"); Statement s = dba.createStatement()) {
            s.execute("CREATE TABLE formats_customers (id INT PRIMARY KEY, email VARCHAR(100))");
            s.execute("CREATE TABLE formats_payroll (id INT PRIMARY KEY, salary INT)");
            s.executeUpdate("INSERT INTO formats_customers VALUES (1, 'ann@example.com'), (2, 'bob@example.com'), (3, 'cy@example.com')");
        }
        try (Connection alice = connect(url, "alice", "analysts", null, null, "billing"); Statement s = alice.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, email FROM formats_customers")) {
                while (rs.next()) {
                    assertThat(rs.getString(2)).as("masked for an analyst").doesNotContain("ann@");
                }
            }
            assertThatThrownBy(() -> s.executeQuery("SELECT salary FROM formats_payroll")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO formats_customers VALUES (1, 'dup@example.com')"))
                    .as("a duplicate key fails in the database").isInstanceOf(SQLException.class);
            approvedId = requestOf(() -> s.executeUpdate("DELETE FROM formats_customers WHERE id = 3"));
            approvers.approve(approvedId, Identity.human("dana"));
            assertThat(s.executeUpdate("DELETE FROM formats_customers WHERE id = 3")).as("the approved delete runs").isOne();
            deniedId = requestOf(() -> s.executeUpdate("DELETE FROM formats_customers WHERE id = 2"));
            approvers.decide(deniedId, Identity.human("dana"), true, false, "not during the audit");
        }
        try (Connection bot = connect(url, "report-bot", null, "agent", "alice", "monthly summary");
             Statement s = bot.createStatement(); ResultSet rs = s.executeQuery("SELECT id, email FROM formats_customers")) {
            assertThat(rs.next()).isTrue();
        }
        assertThat(SharedAuditDispatchers.get(audit, AuditSettings.defaults()).flush(Duration.ofSeconds(10))).isTrue();
    }

    private interface Run {
        void run() throws SQLException;
    }

    private static String requestOf(Run statement) {
        try {
            statement.run();
        } catch (ApprovalPendingException pending) {
            return pending.approvalRequestId();
        } catch (SQLException other) {
            throw new AssertionError("expected the statement to wait for approval", other);
        }
        throw new AssertionError("expected the statement to wait for approval");
    }

    private static Connection connect(String url, String principal, String groups, String kind, String onBehalfOf,
                                      String purpose) throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.audit", audit);
        p.setProperty("governed.approvals", "memory");
        p.setProperty("governed.principal", principal);
        p.setProperty("governed.purpose", purpose);
        if (groups != null) {
            p.setProperty("governed.groups", groups);
        }
        if (kind != null) {
            p.setProperty("governed.kind", kind);
        }
        if (onBehalfOf != null) {
            p.setProperty("governed.on-behalf-of", onBehalfOf);
        }
        return DriverManager.getConnection(url, p);
    }

    private static ObjectNode report(Path... inputs) throws IOException {
        return ComplianceReport.build(new ComplianceReport.Options(List.of(inputs), null, null, List.of(policy))).json();
    }

    /** The figures without what names the trail (its path and format) or the time the report was made. */
    private static ObjectNode figures(ObjectNode report) {
        ObjectNode f = report.deepCopy();
        f.remove("generated");
        for (JsonNode log : f.at("/verification/logs")) {
            ((ObjectNode) log).remove(List.of("log", "format"));
            for (JsonNode file : log.path("files")) {
                ((ObjectNode) file).remove("file");
            }
        }
        return f;
    }

    @Test
    void theSameRunInEachFormatGivesTheSameFigures() throws IOException {
        ObjectNode fromNative = report(nativeLog);
        ObjectNode fromOcsf = report(ocsfLog);
        ObjectNode fromCloudEvents = report(cloudEventsLog);

        assertThat(fromNative.at("/verification/logs/0/format").asText()).isEqualTo("native");
        assertThat(fromOcsf.at("/verification/logs/0/format").asText()).isEqualTo("ocsf");
        assertThat(fromCloudEvents.at("/verification/logs/0/format").asText()).isEqualTo("cloudevents");
        assertThat(figures(fromOcsf)).isEqualTo(figures(fromNative));
        assertThat(figures(fromCloudEvents)).isEqualTo(figures(fromNative));

        // the figures compared are the run's, every kind of them
        assertThat(fromOcsf.at("/totals/unreadable_lines").asLong()).isZero();
        assertThat(fromOcsf.at("/totals/deny").asLong()).isEqualTo(1);
        assertThat(fromOcsf.at("/totals/error").asLong()).isEqualTo(1);
        assertThat(fromOcsf.at("/totals/pending_approval").asLong()).isEqualTo(2);
        assertThat(fromOcsf.at("/denials_by_rule/0/rule").asText()).isEqualTo("no-payroll");
        assertThat(fromOcsf.at("/policy_versions/0/digest").asText()).isEqualTo(fromOcsf.at("/policy_digest_given").asText());
        assertThat(fromOcsf.at("/policy_versions/0/files/0/digest").asText()).isNotEmpty();
        assertThat(fromOcsf.at("/ddl/total").asLong()).isEqualTo(2);
        JsonNode approved = request(fromOcsf, approvedId);
        assertThat(approved.path("requester").asText()).isEqualTo("alice");
        assertThat(approved.path("purpose").asText()).isEqualTo("billing");
        assertThat(approved.path("status").asText()).isEqualTo("consumed");
        assertThat(approved.at("/decisions/0/approver").asText()).isEqualTo("dana");
        assertThat(approved.at("/decisions/0/identity_source").asText()).isEqualTo("asserted");
        JsonNode denied = request(fromOcsf, deniedId);
        assertThat(denied.path("status").asText()).isEqualTo("denied");
        assertThat(denied.at("/decisions/0/reason").asText()).isEqualTo("not during the audit");
        assertThat(fromOcsf.at("/agents").toString()).contains("report-bot", "alice");
        assertThat(fromOcsf.at("/sensitive_access").toString()).contains("monthly summary", "billing", "EMAIL");
        assertThat(fromOcsf.at("/period/from").asText()).as("to the event's precision, not OCSF's milliseconds")
                .isEqualTo(fromNative.at("/period/from").asText());
    }

    @Test
    void theChainOfEachFormatVerifiesAndAnEditedLineBreaksIt() throws IOException {
        for (Path log : List.of(nativeLog, ocsfLog, cloudEventsLog)) {
            ObjectNode r = report(log);
            assertThat(r.at("/verification/ok").asBoolean()).as(log.toString()).isTrue();
            assertThat(r.at("/verification/logs/0/verified_events").asLong()).isEqualTo(r.at("/totals/events").asLong())
                    .isGreaterThanOrEqualTo(15);
            CliRun verify = CliRun.of("audit", "verify", log.toString());
            assertThat(verify.code()).as(verify.out() + verify.err()).isZero();

            Path edited = dir.resolve("edited-" + log.getFileName());
            List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
            int billing = lines.indexOf(lines.stream().filter(l -> l.contains("billing")).findFirst().orElseThrow());
            lines.set(billing, lines.get(billing).replace("billing", "payroll"));
            Files.write(edited, lines, StandardCharsets.UTF_8);
            ObjectNode broken = report(edited);
            assertThat(broken.at("/verification/ok").asBoolean()).as(log.toString()).isFalse();
            assertThat(broken.at("/verification/logs/0/problem/line").asLong()).isEqualTo(billing + 1);
            assertThat(CliRun.of("audit", "verify", edited.toString()).code()).isOne();
        }
    }

    @Test
    void aDirectoryOfTrailsInDifferentFormatsIsReadLogByLogInEachOnesFormat() throws IOException {
        ObjectNode single = report(nativeLog);
        ObjectNode all = report(nativeLog.getParent());

        assertThat(all.at("/verification/ok").asBoolean()).isTrue();
        List<String> formats = new ArrayList<>();
        all.at("/verification/logs").forEach(log -> formats.add(log.path("format").asText()));
        assertThat(formats).containsExactlyInAnyOrder("native", "ocsf", "cloudevents");
        assertThat(all.at("/totals/events").asLong()).isEqualTo(3 * single.at("/totals/events").asLong());
        assertThat(all.at("/totals/deny").asLong()).isEqualTo(3);
        assertThat(all.at("/approvals/counts/requests").asLong()).as("each request once, whatever the format")
                .isEqualTo(single.at("/approvals/counts/requests").asLong());
        assertThat(all.at("/totals/unreadable_lines").asLong()).isZero();
    }

    @Test
    void aTrailWhoseLinesWriteAbsentValuesAsNullVerifiesAndGivesTheSameFigures() throws IOException {
        List<String> lines = Files.readAllLines(nativeLog, StandardCharsets.UTF_8);
        Path written = Files.createDirectories(dir.resolve("nulls")).resolve("native.jsonl");
        Path mixed = Files.createDirectories(dir.resolve("mixed")).resolve("native.jsonl");
        Files.write(written, rechained(lines, lines.size()), StandardCharsets.UTF_8);
        Files.write(mixed, rechained(lines, lines.size() / 2), StandardCharsets.UTF_8);
        assertThat(Files.readString(written)).as("absent values written as null").contains("\"on_behalf_of\":null");
        assertThat(Files.readString(nativeLog)).doesNotContain(":null");

        for (Path log : List.of(written, mixed)) {
            ObjectNode r = report(log);
            assertThat(r.at("/verification/ok").asBoolean()).as(log.toString()).isTrue();
            assertThat(figures(r)).as(log.toString()).isEqualTo(figures(report(nativeLog)));
            CliRun verify = CliRun.of("audit", "verify", log.toString());
            assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
        }
    }

    /**
     * The lines again with the hash chain made anew, the first {@code withNulls} of them writing every field of the
     * layout, {@code null} where the event has no value, as the trail's lines did until 2026-12-05.
     */
    private static List<String> rechained(List<String> lines, int withNulls) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        MessageDigest sha256 = HashChain.newDigest();
        List<String> out = new ArrayList<>();
        String previous = "0".repeat(64);
        for (int i = 0; i < lines.size(); i++) {
            ObjectNode line = (ObjectNode) mapper.readTree(lines.get(i));
            line.remove(List.of("prev_hash", "hash"));
            ObjectNode event = line;
            if (i < withNulls) {
                event = mapper.createObjectNode();
                for (String field : TestEvents.LAYOUT) {
                    if (field.equals("policy") && line.has("trace_id")) {
                        event.set("trace_id", line.get("trace_id"));
                        event.set("span_id", line.get("span_id"));
                    }
                    event.set(field, line.has(field) ? line.get(field) : mapper.nullNode());
                }
                if (event.get("error").isObject() && !event.get("error").has("sql_state")) {
                    ObjectNode error = mapper.createObjectNode().putNull("sql_state");
                    error.setAll((ObjectNode) event.get("error"));
                    event.set("error", error);
                }
            }
            event.put("prev_hash", previous);
            String content = mapper.writeValueAsString(event);
            previous = HexFormat.of().formatHex(sha256.digest(content.getBytes(StandardCharsets.UTF_8)));
            out.add(content.substring(0, content.length() - 1) + ",\"hash\":\"" + previous + "\"}");
        }
        return out;
    }

    private static JsonNode request(JsonNode report, String id) {
        for (JsonNode r : report.at("/approvals/requests")) {
            if (r.path("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no request " + id + " in the report");
    }
}
