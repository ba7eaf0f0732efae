package io.governed.jdbc.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.policy.PolicyProvenance;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * The trail's layout with any of an event's values absent: a field is written exactly when the event has a value for
 * it (the lists always, empty when empty), in the layout's order, never as null; what is read back is the event that
 * was written; and the writers that keep encoded runs of fields between events (the jsonl chain's, the SLF4J and
 * JDBC sinks' encoder) write the same bytes as the event encoded on its own, whichever values the events before it
 * lacked.
 */
class AuditEventLayoutPropertyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AuditPolicy POLICY = AuditPolicy.of(PolicyProvenance.of(List.of(
            PolicyProvenance.File.of("policies/base.yaml", "version: 1"))));

    @Property(tries = 200)
    void aFieldIsWrittenExactlyWhenTheEventHasAValueForIt(@ForAll long seed,
                                                           @ForAll @IntRange(min = 1, max = 40) int events) throws Exception {
        Random random = new Random(seed);
        EventJsonEncoder kept = new EventJsonEncoder(AuditFormat.NATIVE);
        for (int n = 0; n < events; n++) {
            AuditEvent event = event(random, n);

            String json = AuditEventJson.toJson(event);

            JsonNode node = MAPPER.readTree(json);
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            assertThat(names).as("event %s: %s", n, json).containsExactlyElementsOf(expectedNames(event));
            node.fields().forEachRemaining(f -> assertThat(f.getValue().isNull()).as("%s of %s", f.getKey(), json).isFalse());
            if (event.error() != null) {
                assertThat(node.get("error").has("sql_state")).isEqualTo(event.error().sqlState() != null);
            }
            assertThat(AuditEventJson.read(json)).as(json).isEqualTo(event);
            assertThat(kept.json(event)).as("the kept encoder, event %s", n).isEqualTo(json);
        }
    }

    /** The layout's fields the event has values for, in the layout's order. */
    private static List<String> expectedNames(AuditEvent e) {
        List<String> names = new ArrayList<>();
        Object[] values = {e.time(), e.eventId(), e.connectionId(), e.principal(), e.kind(), e.groups(), e.onBehalfOf(),
            e.purpose(), e.action(), e.statement(), e.fingerprint(), e.tables(), e.columns(), e.decision(), e.rules(),
            e.reason(), e.maskedColumns(), e.rows(), e.durationUs(), e.error(), e.identitySource(), e.identityIssuer(),
            e.identityKeyId(), e.tokenId(), e.approvalId(), e.statementEventId(), e.policy()};
        List<String> layout = TestEvents.LAYOUT;
        assertThat(values).hasSameSizeAs(layout);
        for (int i = 0; i < values.length; i++) {
            if (layout.get(i).equals("policy") && e.traceId() != null) {
                names.add("trace_id");
                names.add("span_id");
            }
            if (values[i] != null) {
                names.add(layout.get(i));
            }
        }
        return names;
    }

    /** An event with each value present or absent at random, the same texts again more often than not. */
    private static AuditEvent event(Random random, int n) {
        AuditEvent.Builder b = AuditEvent.builder()
                .time(Instant.ofEpochSecond(1_767_225_600L + n, random.nextBoolean() ? 0 : random.nextInt(1_000_000_000)))
                .eventId("evt-" + n)
                .action(random.nextBoolean() ? "select" : "update")
                .decision(AuditDecision.values()[random.nextInt(AuditDecision.values().length)]);
        if (random.nextBoolean()) {
            b.connectionId("gc-" + random.nextInt(3));
        }
        if (random.nextBoolean()) {
            b.principal(random.nextBoolean() ? "alice" : "support-bot");
        }
        if (random.nextBoolean()) {
            b.kind(random.nextBoolean() ? "human" : "agent");
        }
        b.groups(random.nextBoolean() ? List.of() : List.of("analysts"));
        if (random.nextBoolean()) {
            b.onBehalfOf("bob");
        }
        if (random.nextBoolean()) {
            b.purpose("ticket \"4711\"");
        }
        if (random.nextBoolean()) {
            b.statement("SELECT id, email FROM users WHERE id = ?");
        }
        if (random.nextBoolean()) {
            b.fingerprint("46123280039c39fa");
        }
        b.tables(random.nextBoolean() ? List.of() : List.of("public.users"));
        b.columns(random.nextBoolean() ? List.of() : List.of("public.users.id", "public.users.email"));
        b.rules(random.nextBoolean() ? List.of() : List.of("analysts-read"));
        if (random.nextBoolean()) {
            b.reason("Allowed by rule analysts-read");
        }
        b.maskedColumns(random.nextBoolean() ? List.of() : List.of("public.users.email"));
        if (random.nextBoolean()) {
            b.rows((long) random.nextInt(3));
        }
        if (random.nextBoolean()) {
            b.durationUs((long) random.nextInt(1_000));
        }
        switch (random.nextInt(3)) {
            case 0 -> b.error(new AuditError("23505", "duplicate key value violates unique constraint"));
            case 1 -> b.error(new AuditError(null, IllegalStateException.class.getName()));
            default -> {
                // no error
            }
        }
        if (random.nextBoolean()) {
            boolean verified = random.nextBoolean();
            b.provenance(verified ? "verified" : "asserted", verified && random.nextBoolean() ? "https://idp.example" : null,
                    verified && random.nextBoolean() ? "key-1" : null, verified && random.nextBoolean() ? "jti-" + n : null);
        }
        if (random.nextBoolean()) {
            b.approvalId("apr-" + n);
        }
        if (random.nextBoolean()) {
            b.statementEventId("stmt-" + n);
        }
        if (random.nextInt(4) == 0) {
            b.trace("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
        }
        if (random.nextBoolean()) {
            b.policy(POLICY);
        }
        return b.build();
    }
}
