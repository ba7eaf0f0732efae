package io.governed.jdbc.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * The jsonl writer takes the encoded form of repeated strings from a cache. The trail's bytes (and so
 * its hash chain) must be exactly those of the event encoded without it, for any text an event can
 * carry: quotes, backslashes, control characters, non-ASCII, surrogate pairs, long statements, and
 * strings that share a slot in the cache. Ids and times, written through the plain-literal scratch
 * when they need no escaping, must come out the same too.
 */
class EncodedStringsTest {
    private static final JsonFactory FACTORY = new JsonFactory();

    @Test
    void eventsEncodeToTheSameBytesWithAndWithoutTheCache() throws IOException {
        Random random = new Random(0x5EED_0001L);
        EncodedStrings strings = new EncodedStrings();
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            events.add(TestEvents.random(random, i));
        }
        for (int round = 0; round < 2; round++) { // the second round finds its strings in the cache
            for (AuditEvent event : events) {
                assertThat(encode(event, strings)).as("event %s", event.eventId()).isEqualTo(encode(event, null));
            }
        }
    }

    @Test
    void aStringReplacedInItsSlotIsEncodedAfresh() throws IOException {
        EncodedStrings strings = new EncodedStrings();
        AuditEvent first = TestEvents.event(1);
        byte[] expected = encode(first, null);
        for (int i = 0; i < 20_000; i++) { // far more distinct strings than slots
            AuditEvent other = AuditEvent.builder().time(first.time()).eventId("e" + i).principal("p" + i)
                    .action("select").statement("SELECT " + i).decision(AuditDecision.ALLOW).build();
            assertThat(new String(encode(other, strings), java.nio.charset.StandardCharsets.UTF_8)).contains("\"p" + i + "\"");
            if (i % 1000 == 0) {
                assertThat(encode(first, strings)).isEqualTo(expected);
            }
        }
    }

    @Test
    void runsOfConnectionsTakingTurnsWithManyStatementsAreFoundAgainAndEncodeToTheSameBytes() throws IOException {
        Random random = new Random(0x5EED_0003L);
        // 12 connections x 40 statements: more runs than slots, so slots are taken over, by longer and shorter runs
        List<AuditEvent> templates = new ArrayList<>();
        for (int i = 0; i < 12 * 40; i++) {
            templates.add(TestEvents.random(random, i));
        }
        EncodedStrings strings = new EncodedStrings();
        for (int n = 0; n < 20_000; n++) {
            // a few connections at a time run their statements in turn, as a pool's do; now and then any other
            int connection = random.nextInt(10) == 0 ? random.nextInt(12) : random.nextInt(3);
            AuditEvent event = again(templates.get(connection * 40 + random.nextInt(40)), n);
            assertThat(encode(event, strings)).as("event %s", n).isEqualTo(encode(event, null));
        }
        assertThat(strings.runsFound(AuditEventJson.REPEATED_RUN)).as("runs of the same statement and connection found again")
                .isGreaterThan(10_000);
    }

    @Test
    void runsOfAPoolsBorrowingsEachWithAConnectionIdOfItsOwnAreFoundAgainAndEncodeToTheSameBytes() throws IOException {
        Random random = new Random(0x5EED_0004L);
        // 30 statements of one application, each borrowing of a pooled connection a new connection id, as the
        // governed data source gives: the statements' runs are found again across borrowings, with equal lists of
        // rules and fingerprints that are not the same objects
        List<AuditEvent> templates = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            templates.add(TestEvents.random(random, i));
        }
        EncodedStrings strings = new EncodedStrings();
        int events = 0;
        for (int borrowing = 0; borrowing < 1_000; borrowing++) {
            String connectionId = "gc-" + borrowing;
            for (int statement = 0; statement < 15; statement++) {
                AuditEvent t = templates.get(random.nextInt(templates.size()));
                // each decision makes its list of rules anew, a fingerprint may be another string of the same text,
                // and now and then another rule decides: another run, never the kept one
                List<String> rules = random.nextInt(10) == 0 ? List.of("rule-" + random.nextInt(3)) : new ArrayList<>(t.rules());
                AuditEvent event = again(t, events++, connectionId,
                        random.nextBoolean() ? t.fingerprint() : new String(t.fingerprint().toCharArray()), rules);
                byte[] encoded = encode(event, strings);
                assertThat(encoded).as("event %s", events).isEqualTo(encode(event, null));
                assertThat(new String(encoded, java.nio.charset.StandardCharsets.UTF_8))
                        .contains("\"connection_id\":\"" + connectionId + "\",");
            }
        }
        assertThat(strings.runsFound(AuditEventJson.REPEATED_RUN)).as("runs found again across borrowings")
                .isGreaterThan(events * 6L / 10);
    }

    @Test
    void aRunWhoseListsDifferInLengthOrOrderOrOneElementIsNotTakenForTheKeptOne() throws IOException {
        EncodedStrings strings = new EncodedStrings();
        AuditEvent t = TestEvents.event(1);
        List<List<String>> rules = List.of(List.of("a", "b"), new ArrayList<>(List.of("a", "b")), List.of("b", "a"),
                List.of("a"), List.of("a", "b", "c"), new java.util.LinkedList<>(List.of("a", "c")), List.of("a", "c"),
                List.of("a", "b"));
        int n = 0;
        for (int round = 0; round < 3; round++) {
            for (List<String> r : rules) {
                AuditEvent event = again(t, n++, t.connectionId(), t.fingerprint(), r);
                byte[] encoded = encode(event, strings);
                assertThat(encoded).as("rules %s", r).isEqualTo(encode(event, null));
                assertThat(new String(encoded, java.nio.charset.StandardCharsets.UTF_8))
                        .contains("\"rules\":[" + String.join(",", r.stream().map(x -> "\"" + x + "\"").toList()) + "]");
            }
        }
        assertThat(strings.runsFound(AuditEventJson.REPEATED_RUN)).as("equal lists found again").isPositive();
    }

    /** An event of the same statement, identity and connection as {@code template} (the very same objects), later. */
    private static AuditEvent again(AuditEvent t, int n) {
        return again(t, n, t.connectionId(), t.fingerprint(), t.rules());
    }

    /**
     * An event of the same statement and identity as {@code template} (the very same objects but the fingerprint and
     * the rules given), later, on {@code connectionId}.
     */
    private static AuditEvent again(AuditEvent t, int n, String connectionId, String fingerprint, List<String> rules) {
        return AuditEvent.builder().time(t.time().plusMillis(n)).eventId("again-" + n).connectionId(connectionId)
                .principal(t.principal()).kind(t.kind()).groups(t.groups()).onBehalfOf(t.onBehalfOf()).purpose(t.purpose())
                .action(t.action()).statement(t.statement()).fingerprint(fingerprint).tables(t.tables())
                .columns(t.columns()).decision(t.decision()).rules(rules).reason(t.reason())
                .maskedColumns(t.maskedColumns()).rows(t.rows()).durationUs(t.durationUs()).build();
    }

    @Test
    void aPlainLiteralIsMadeExactlyForPrintableAsciiWithoutQuoteOrBackslashAndIsWhatTheGeneratorWrites() throws IOException {
        Random random = new Random(0x5EED_0002L);
        EncodedStrings strings = new EncodedStrings();
        char[] special = {'"', '\\', 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff, 0x2028, 0xd83d, 0xde00, 0xffff, 0};
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(70);
            for (int k = 0; k < length; k++) {
                text.append(random.nextInt(40) == 0 ? special[random.nextInt(special.length)] : (char) (0x20 + random.nextInt(0x5f)));
            }
            String value = text.toString();
            boolean plain = value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e && c != '"' && c != '\\');
            com.fasterxml.jackson.core.SerializableString literal = strings.plain(value);
            assertThat(literal != null).as("plain literal for %s", value.chars().mapToObj(Integer::toHexString).toList()).isEqualTo(plain);
            if (literal != null) {
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                ByteArrayOutputStream written = new ByteArrayOutputStream();
                try (JsonGenerator g = FACTORY.createGenerator(raw); JsonGenerator w = FACTORY.createGenerator(written)) {
                    g.writeRawValue(literal);
                    w.writeString(value);
                }
                assertThat(raw.toByteArray()).isEqualTo(written.toByteArray());
            }
        }
    }

    /** The event encoded into an output that lets the writer read back what it wrote, as the jsonl sink's does. */
    private static byte[] encode(AuditEvent event, EncodedStrings strings) throws IOException {
        EncodedStrings.Buffer out = new EncodedStrings.Buffer(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            AuditEventJson.writeFields(g, event, new char[32], strings);
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
