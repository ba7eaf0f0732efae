package io.governed.jdbc.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.governed.jdbc.ApprovalPendingException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The events {@code governed.audit.format=ocsf} and {@code cloudevents} write, checked against JSON
 * schemas of those formats (test resources {@code schemas/}: the CloudEvents 1.0 schema as
 * published, the CloudEvents format rules it leaves out, and OCSF 1.3.0 Datastore Activity written
 * from the specification). The events come from the governed driver running real statements on H2:
 * allowed and denied reads, a write, a statement that fails in the database, one sent for approval
 * (and the approval request's own event), an agent's read. A broken event of each format fails.
 */
class SiemFormatSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
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
              - id: no-secrets
                effect: forbid
                actions: ["*"]
                resources: ["*.siem_secrets"]
                unless: { groups: [dba] }
                message: Secrets are for the DBA team only
            masks:
              - id: mask-email
                columns: { tags: [pii.email] }
                function: email
                unless: { groups: [pii-readers] }
            approvals:
              - { id: deletes, actions: [delete], approvers: { groups: [dba] }, ttl: 1h }
            """;

    @TempDir
    static Path dir;
    static Path policy;
    static String audit;
    static List<JsonNode> ocsf;
    static List<JsonNode> cloudEvents;
    static JsonSchema ocsfSchema;
    static JsonSchema cloudEventsSchema;
    static JsonSchema cloudEventsFormatRules;

    @BeforeAll
    static void runStatementsThroughTheDriverInBothFormats() throws Exception {
        ocsfSchema = schema("ocsf-1.3.0-datastore_activity.json");
        cloudEventsSchema = schema("cloudevents-1.0.json");
        cloudEventsFormatRules = schema("cloudevents-1.0-json-format.json");

        policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Path ocsfLog = dir.resolve("ocsf.jsonl");
        Path cloudEventsLog = dir.resolve("cloudevents.jsonl");
        audit = "jsonl:" + ocsfLog + "?format=ocsf,jsonl:" + cloudEventsLog + "?format=cloudevents";
        String url = "jdbc:governed:h2:mem:siem_schema;DB_CLOSE_DELAY=-1";
        try (Connection dba = connect(url, "dana", "dba", null, null); Statement s = dba.createStatement()) {
            s.execute("CREATE TABLE siem_customers (id INT PRIMARY KEY, email VARCHAR(100))");
            s.execute("CREATE TABLE siem_secrets (id INT PRIMARY KEY, secret VARCHAR(100))");
            s.executeUpdate("INSERT INTO siem_customers VALUES (1, 'ann@example.com'), (2, 'bob@example.com')");
        }
        try (Connection alice = connect(url, "alice", "analysts", null, null); Statement s = alice.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, email FROM siem_customers ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).as("masked for an analyst").isNotEqualTo("ann@example.com");
            }
            assertThatThrownBy(() -> s.executeQuery("SELECT secret FROM siem_secrets")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("no-secrets");
            assertThat(s.executeUpdate("INSERT INTO siem_customers VALUES (3, 'cy@example.com')")).isOne();
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO siem_customers VALUES (1, 'dup@example.com')"))
                    .as("a duplicate key fails in the database").isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM siem_customers WHERE id = 3"))
                    .isInstanceOf(ApprovalPendingException.class);
        }
        try (Connection bot = connect(url, "siem-bot", null, "agent", "alice"); Statement s = bot.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM siem_customers")) {
            assertThat(rs.next()).isTrue();
        }
        assertThat(SharedAuditDispatchers.get(audit, AuditSettings.defaults()).flush(Duration.ofSeconds(10))).isTrue();
        ocsf = lines(ocsfLog);
        cloudEvents = lines(cloudEventsLog);
    }

    private static Connection connect(String url, String principal, String groups, String kind, String onBehalfOf)
            throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.audit", audit);
        p.setProperty("governed.approvals", "memory");
        p.setProperty("governed.principal", principal);
        p.setProperty("governed.purpose", "reporting");
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

    private static JsonSchema schema(String name) throws IOException {
        try (InputStream in = SiemFormatSchemaTest.class.getResourceAsStream("/schemas/" + name)) {
            assertThat(in).as(name).isNotNull();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                    .getSchema(in, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        }
    }

    private static List<JsonNode> lines(Path log) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            events.add(MAPPER.readTree(line));
        }
        return events;
    }

    /**
     * An OCSF line without the hash chain a jsonl sink adds to every line ({@code prev_hash},
     * {@code hash}): attributes OCSF does not define, so they are checked apart.
     */
    private static ObjectNode withoutChain(JsonNode line) {
        ObjectNode event = line.deepCopy();
        assertThat(event.has("prev_hash") && event.has("hash")).as("a chained line").isTrue();
        return event.remove(List.of("prev_hash", "hash"));
    }

    private static List<String> problems(JsonSchema schema, JsonNode event) {
        return schema.validate(event).stream().map(ValidationMessage::getMessage).toList();
    }

    @Test
    void everyOcsfEventIsAValidDatastoreActivity() {
        assertThat(ocsf).hasSize(cloudEvents.size()).hasSizeGreaterThanOrEqualTo(9);
        for (JsonNode line : ocsf) {
            assertThat(problems(ocsfSchema, withoutChain(line))).as(line.toString()).isEmpty();
            assertThat(problems(ocsfSchema, line)).as("the jsonl chain's two attributes are all OCSF does not define")
                    .hasSize(2).allSatisfy(p -> assertThat(p).containsAnyOf("'prev_hash'", "'hash'"));
        }
        Set<String> decisions = new TreeSet<>();
        Set<String> activities = new TreeSet<>();
        ocsf.forEach(e -> {
            decisions.add(e.at("/authorizations/0/decision").asText() + " " + e.path("disposition").asText() + " "
                    + e.path("action").asText());
            activities.add(e.path("activity_id").asInt() + " " + e.path("activity_name").asText());
        });
        assertThat(decisions).as("allowed, denied, failed and held back for approval (OCSF pairs Delayed with Allowed)")
                .contains("allow Allowed Allowed", "deny Blocked Denied", "pending_approval Delayed Allowed", "error Allowed Allowed");
        assertThat(ocsf).allSatisfy(e -> assertThat(e.at("/metadata/profiles")).extracting(JsonNode::asText)
                .containsExactly("datetime", "security_control"));
        assertThat(activities).contains("4 Query", "5 Write", "6 Create", "7 Delete", "99 approval_requested");
        assertThat(ocsf).anySatisfy(e -> assertThat(e.at("/actor/invoked_by").asText()).isEqualTo("alice"));
        assertThat(ocsf).anySatisfy(e -> {
            assertThat(e.path("status").asText()).isEqualTo("Failure");
            assertThat(e.path("status_code").asText()).isEqualTo("23505");
        });
    }

    @Test
    void aFailureWithoutSqlStateIsAValidEventInBothFormatsAndReadsBack() throws IOException {
        AuditEvent failed = AuditEvent.builder().time(java.time.Instant.parse("2026-03-01T12:00:00Z"))
                .eventId(AuditEvent.newEventId()).connectionId("gc-1").principal("alice").kind("human")
                .action("select").statement("SELECT id FROM siem_customers").tables(List.of("SIEM_CUSTOMERS"))
                .decision(AuditDecision.ERROR).error(new AuditError(null, IllegalStateException.class.getName())).build();
        for (AuditFormat format : List.of(AuditFormat.OCSF, AuditFormat.CLOUDEVENTS)) {
            java.io.StringWriter out = new java.io.StringWriter();
            try (com.fasterxml.jackson.core.JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
                g.writeStartObject();
                format.writeFields(g, failed, new char[256], null);
                g.writeEndObject();
            }
            JsonNode event = MAPPER.readTree(out.toString());
            if (format == AuditFormat.OCSF) {
                assertThat(problems(ocsfSchema, event)).as(event.toString()).isEmpty();
                assertThat(event.has("status_code")).as("no SQLState, no status_code").isFalse();
                assertThat(event.path("status_detail").asText()).isEqualTo(IllegalStateException.class.getName());
            } else {
                assertThat(problems(cloudEventsSchema, event)).as(event.toString()).isEmpty();
                assertThat(problems(cloudEventsFormatRules, event)).as(event.toString()).isEmpty();
            }
            assertThat(format.read(event).error()).as(format.name()).isEqualTo(failed.error());
        }
    }

    @Test
    void everyCloudEventIsValidAgainstThePublishedSchemaAndTheFormatsRules() {
        for (JsonNode event : cloudEvents) {
            assertThat(problems(cloudEventsSchema, event)).as(event.toString()).isEmpty();
            assertThat(problems(cloudEventsFormatRules, event)).as(event.toString()).isEmpty();
        }
        Set<String> decisions = new TreeSet<>();
        cloudEvents.forEach(e -> decisions.add(e.at("/data/decision").asText()));
        assertThat(decisions).contains("allow", "deny", "pending_approval", "error");
        assertThat(cloudEvents).allSatisfy(e -> assertThat(e.path("specversion").asText()).isEqualTo("1.0"));
    }

    static Stream<Arguments> brokenOcsfEvents() {
        return Stream.of(
                broken("no class_uid", e -> e.remove("class_uid"), "class_uid"),
                broken("another class", e -> e.put("class_uid", 3002), "6005"),
                broken("type_uid of another activity", e -> e.put("type_uid", e.path("type_uid").asInt() + 1), "type_uid"),
                broken("an unknown activity id", e -> e.put("activity_id", 42), "activity_id"),
                broken("time as text", e -> e.put("time", "2026-03-01T12:00:00Z"), "time"),
                broken("an unknown disposition", e -> e.put("disposition_id", 1000), "disposition_id"),
                broken("a field OCSF does not define", e -> e.put("principal", "alice"), "principal"),
                broken("no metadata version", e -> ((ObjectNode) e.path("metadata")).remove("version"), "version"),
                broken("no actor", e -> e.remove("actor"), "actor"),
                broken("a user type that is not a number", e -> ((ObjectNode) e.at("/actor/user")).put("type_id", "human"), "type_id"),
                broken("policy outside authorizations", e -> e.set("policy", e.at("/authorizations/0/policy")), "policy"),
                broken("security_control attributes without the profile",
                        e -> ((ObjectNode) e.path("metadata")).putArray("profiles").add("datetime"), "profiles"),
                broken("time_dt without the datetime profile",
                        e -> ((ObjectNode) e.path("metadata")).putArray("profiles").add("security_control"), "profiles"),
                broken("a profile OCSF 1.3 does not define", e -> ((com.fasterxml.jackson.databind.node.ArrayNode) e.at("/metadata/profiles")).add("trace"), "profiles"),
                broken("the security_control profile without action_id", e -> e.remove("action_id"), "action_id"),
                broken("time_dt that is not RFC 3339", e -> e.put("time_dt", "1 March 2026"), "time_dt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenOcsfEvents")
    void aBrokenOcsfEventFails(String what, Consumer<ObjectNode> breakIt, String named) {
        ObjectNode event = withoutChain(ocsf.get(0));
        assertThat(problems(ocsfSchema, event)).isEmpty();
        breakIt.accept(event);
        assertThat(problems(ocsfSchema, event)).as(what).isNotEmpty().anySatisfy(p -> assertThat(p).contains(named));
    }

    static Stream<Arguments> brokenCloudEvents() {
        return Stream.of(
                broken("no specversion", e -> e.remove("specversion"), "specversion"),
                broken("no id", e -> e.remove("id"), "id"),
                broken("an empty source", e -> e.put("source", ""), "source"),
                broken("a time that is not a timestamp", e -> e.put("time", "yesterday"), "time"),
                broken("an id that is a number", e -> e.put("id", 7), "id"),
                broken("specversion 0.3", e -> e.put("specversion", "0.3"), "specversion"),
                broken("an attribute name with an underscore", e -> e.put("prev_hash", "00"), "prev_hash"),
                broken("an attribute whose value is an object", e -> e.putObject("traceinfo").put("a", 1), "traceinfo"),
                broken("data and data_base64 both", e -> e.put("data_base64", "e30="), "data_base64"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenCloudEvents")
    void aBrokenCloudEventFails(String what, Consumer<ObjectNode> breakIt, String named) {
        ObjectNode event = cloudEvents.get(0).deepCopy();
        breakIt.accept(event);
        List<String> problems = new ArrayList<>(problems(cloudEventsSchema, event));
        problems.addAll(problems(cloudEventsFormatRules, event));
        assertThat(problems).as(what).isNotEmpty().anySatisfy(p -> assertThat(p).contains(named));
    }

    private static Arguments broken(String what, Consumer<ObjectNode> breakIt, String named) {
        return Arguments.of(what, breakIt, named);
    }
}
