package io.governed.jdbc.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.policy.Decision;
import io.governed.policy.PolicyProvenance;
import io.governed.sql.Action;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditEventJsonTest {

    @Test
    void writesEveryContractFieldInTheFixedOrderWithoutWhitespace() throws Exception {
        AuditEvent e = TestEvents.event(1);
        AuditEvent full = AuditEvent.builder().time(e.time()).eventId(e.eventId()).connectionId(e.connectionId())
                .principal(e.principal()).kind(e.kind()).groups(e.groups()).onBehalfOf("bob").purpose(e.purpose())
                .action(e.action()).statement(e.statement()).fingerprint(e.fingerprint()).tables(e.tables())
                .columns(e.columns()).decision(AuditDecision.ERROR).rules(e.rules()).reason(e.reason())
                .maskedColumns(e.maskedColumns()).rows(e.rows()).durationUs(e.durationUs())
                .error(new AuditError("40001", "could not serialize access")).provenance("verified", "https://idp.example", "k1", "jti-1")
                .approvalId("apr-1").statementEventId("evt-0")
                .policy(AuditPolicy.of(PolicyProvenance.of(List.of(PolicyProvenance.File.of("p.yaml", "version: 1"))))).build();

        String json = AuditEventJson.toJson(full);

        List<String> names = new ArrayList<>();
        new ObjectMapper().readTree(json).fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyElementsOf(TestEvents.LAYOUT);
        assertThat(json).startsWith("{\"time\":\"2026-01-15T09:30:00.124456Z\",\"event_id\":\"evt-1\",\"connection_id\":\"conn-1\"")
                .doesNotContain("\n");
        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.writeValueAsString(mapper.readTree(json))).as("compact form").isEqualTo(json);
    }

    @Test
    void absentValuesAreLeftOutAndTheListsAlwaysWritten() throws Exception {
        AuditEvent minimal = AuditEvent.builder().time(Instant.EPOCH).eventId("e").action("select")
                .decision(AuditDecision.DENY).build();

        String json = AuditEventJson.toJson(minimal);

        assertThat(json).isEqualTo("{\"time\":\"1970-01-01T00:00:00Z\",\"event_id\":\"e\",\"groups\":[],\"action\":\"select\","
                + "\"tables\":[],\"columns\":[],\"decision\":\"deny\",\"rules\":[],\"masked_columns\":[]}");
        assertThat(AuditEventJson.read(json)).isEqualTo(minimal);
    }

    @Test
    void readsLinesThatWriteAbsentValuesAsNull() {
        String written = "{\"time\":\"1970-01-01T00:00:00Z\",\"event_id\":\"e\",\"connection_id\":null,\"principal\":null,"
                + "\"kind\":null,\"groups\":[],\"on_behalf_of\":null,\"purpose\":null,\"action\":\"select\",\"statement\":null,"
                + "\"fingerprint\":null,\"tables\":[],\"columns\":[],\"decision\":\"deny\",\"rules\":[],\"reason\":null,"
                + "\"masked_columns\":[],\"rows\":null,\"duration_us\":null,\"error\":null,\"identity_source\":null,"
                + "\"identity_issuer\":null,\"identity_key_id\":null,\"token_id\":null,\"approval_id\":null,"
                + "\"statement_event_id\":null,\"policy\":null}";

        assertThat(AuditEventJson.read(written)).isEqualTo(AuditEvent.builder().time(Instant.EPOCH).eventId("e")
                .action("select").decision(AuditDecision.DENY).build());
    }

    @Test
    void namesThePolicyVersionThatDecidedAndReadsItBack() throws Exception {
        PolicyProvenance provenance = PolicyProvenance.of(List.of(
                PolicyProvenance.File.of("policies/base.yaml", "version: 1"),
                PolicyProvenance.File.of("policies/\"app\".yaml", "version: 1\ndefault: deny")));
        AuditEvent event = AuditEvent.builder().time(Instant.EPOCH).eventId("e").action("select")
                .decision(AuditDecision.ALLOW).policy(AuditPolicy.of(provenance)).build();

        String json = AuditEventJson.toJson(event);

        var policy = new ObjectMapper().readTree(json).get("policy");
        assertThat(policy.get("digest").textValue()).isEqualTo(provenance.digest()).hasSize(64);
        assertThat(policy.get("files").get(1).get("name").textValue()).isEqualTo("policies/\"app\".yaml");
        assertThat(policy.get("files").get(0).get("digest").textValue()).isEqualTo(provenance.files().get(0).digest());
        assertThat(AuditEventJson.read(json)).isEqualTo(event);
    }

    @Test
    void theSameEventAlwaysHasTheSameBytes() {
        assertThat(AuditEventJson.toBytes(TestEvents.event(7))).isEqualTo(AuditEventJson.toBytes(TestEvents.event(7)));
        assertThat(AuditEventJson.toBytes(TestEvents.event(7))).isNotEqualTo(AuditEventJson.toBytes(TestEvents.event(8)));
    }

    @Test
    void readsBackWhatItWrote() {
        AuditEvent event = AuditEvent.builder().time(Instant.parse("2026-03-01T00:00:00Z")).eventId("e-1")
                .action("update").statement("UPDATE t SET a = ? WHERE note = ?\n-- \"quoted\" \\ \u00e9\u4e2d")
                .decision(AuditDecision.ERROR).error(new AuditError("23505", "duplicate key")).rows(0L).build();

        assertThat(AuditEventJson.read(AuditEventJson.toJson(event))).isEqualTo(event);
    }

    @Test
    void anErrorWithoutSqlStateIsWrittenWithoutItAndReadBack() {
        AuditEvent event = AuditEvent.builder().time(Instant.parse("2026-03-01T00:00:00Z")).eventId("e-2")
                .action("select").statement("SELECT a FROM t").decision(AuditDecision.ERROR)
                .error(new AuditError(null, IllegalStateException.class.getName())).build();

        String json = AuditEventJson.toJson(event);
        assertThat(json).contains("\"error\":{\"message\":\"java.lang.IllegalStateException\"}");
        assertThat(AuditEventJson.read(json)).isEqualTo(event);
        assertThat(new String(AuditEventJson.toBytes(event), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(json);
    }

    @Test
    void escapesControlCharactersAndQuotesSoALineStaysOneLine() {
        AuditEvent event = AuditEvent.builder().eventId("e").action("select").statement("SELECT 1\n,\r\"x\"\t")
                .decision(AuditDecision.ALLOW).build();

        String json = AuditEventJson.toJson(event);

        assertThat(json).doesNotContain("\n").doesNotContain("\r").contains("SELECT 1\\n,\\r\\\"x\\\"\\t");
    }

    @Test
    void rejectsTextThatIsNotAnEventNamingTheField() {
        assertThatThrownBy(() -> AuditEventJson.read("{\"time\":\"yesterday\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'time'");
        assertThatThrownBy(() -> AuditEventJson.read("{\"time\":\"2026-01-01T00:00:00Z\",\"event_id\":\"e\"}"))
                .hasMessageContaining("'action' is missing");
        assertThatThrownBy(() -> AuditEventJson.read("[1,2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JSON object");
    }

    @Test
    void builderTakesIdentityAndDecision() {
        Identity alice = Identity.builder("alice").groups("analysts").build();
        Identity agent = Identity.builder("agent-7").kind(IdentityKind.AGENT).onBehalfOf(alice).purpose("answer a question").build();

        AuditEvent event = AuditEvent.builder().identity(agent).action(Action.SELECT)
                .decision(Decision.deny(List.of("no-unbounded-writes"), "UPDATE and DELETE need a WHERE clause")).build();

        assertThat(event.principal()).isEqualTo("agent-7");
        assertThat(event.kind()).isEqualTo("agent");
        assertThat(event.onBehalfOf()).isEqualTo("alice");
        assertThat(event.purpose()).isEqualTo("answer a question");
        assertThat(event.action()).isEqualTo("select");
        assertThat(event.decision()).isEqualTo(AuditDecision.DENY);
        assertThat(event.rules()).containsExactly("no-unbounded-writes");
        assertThat(event.reason()).isEqualTo("UPDATE and DELETE need a WHERE clause");
        assertThat(event.eventId()).isNotBlank();
        assertThat(AuditDecision.of(Decision.Effect.PENDING_APPROVAL).externalName()).isEqualTo("pending_approval");
    }

    @Test
    void generatedEventIdsAreDistinctVersion4Uuids() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = AuditEvent.builder().action("select").decision(AuditDecision.ALLOW).build().eventId();
            java.util.UUID uuid = java.util.UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void anEventNeedsAnActionAndADecision() {
        assertThatThrownBy(() -> AuditEvent.builder().decision(AuditDecision.ALLOW).build()).hasMessageContaining("action");
        assertThatThrownBy(() -> AuditEvent.builder().action("select").build()).hasMessageContaining("decision");
    }

    @Test
    void databaseErrorsLoseTheValuesTheyQuote() {
        SQLException duplicate = new SQLException("ERROR: duplicate key value violates unique constraint \"users_email_key\"\n"
                + "  Detail: Key (email)=(bob@example.com) already exists.", "23505");
        SQLException badInput = new SQLException("invalid input syntax for type integer: 'abc''d'", "22P02");
        SQLException inline = new SQLException("Key (email)=(bob@example.com) already exists", "23505");

        SQLException h2Duplicate = new SQLException("Unique index or primary key violation: "
                + "\"PUBLIC.CONSTRAINT_4 PRIMARY KEY ON PUBLIC.ITEMS(ID) ( /* key:777001 */ 777001, 'x')\"; SQL statement:", "23505");
        SQLException outOfRange = new SQLException("Numeric value out of range: 99999999999 for column amount", "22003");

        // Only the opening words before the first quote, colon, parenthesis or digit: names go too.
        assertThat(AuditError.from(duplicate)).isEqualTo(new AuditError("23505",
                "SQLException: duplicate key value violates unique constraint"));
        assertThat(AuditError.from(badInput).message()).isEqualTo("SQLException: invalid input syntax for type integer");
        assertThat(AuditError.from(inline).message()).isEqualTo("SQLException: Key").doesNotContain("bob");
        assertThat(AuditError.from(h2Duplicate).message()).isEqualTo("SQLException: Unique index or primary key violation");
        assertThat(AuditError.from(outOfRange).message()).isEqualTo("SQLException: Numeric value out of range");
    }
}
