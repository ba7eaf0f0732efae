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
    private static final String ALPHABET = "aZ09 _-.,;:'\"\\/\t\n\r\b\f\u0000\u0001\u001f\u007f\u00e9\u00df\u20ac\u4e2d\u2028\u2029<>&=";

    @Test
    void eventsEncodeToTheSameBytesWithAndWithoutTheCache() throws IOException {
        Random random = new Random(0x5EED_0001L);
        EncodedStrings strings = new EncodedStrings();
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            events.add(randomEvent(random, i));
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

    private static byte[] encode(AuditEvent event, EncodedStrings strings) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            AuditEventJson.writeFields(g, event, new char[32], strings);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static AuditEvent randomEvent(Random random, int n) {
        return AuditEvent.builder()
                .time(java.time.Instant.ofEpochSecond(1_700_000_000L + n, random.nextInt(1_000_000_000)))
                .eventId(random.nextBoolean() ? AuditEvent.newEventId() : text(random, 40)) // plain, or anything
                .trace(random.nextInt(3) == 0 ? null : plainOrNot(random, 32), plainOrNot(random, 16))
                .connectionId(text(random, 12))
                .principal(text(random, 20))
                .kind(random.nextBoolean() ? "human" : "agent")
                .groups(List.of(text(random, 8), text(random, 8)))
                .onBehalfOf(random.nextBoolean() ? null : text(random, 10))
                .purpose(random.nextBoolean() ? null : text(random, 30))
                .action("select")
                .statement(text(random, random.nextInt(10) == 0 ? 5000 : 200))
                .fingerprint(text(random, 16))
                .tables(List.of(text(random, 20)))
                .columns(List.of(text(random, 20), text(random, 20)))
                .decision(AuditDecision.ALLOW)
                .rules(List.of(text(random, 12)))
                .reason(text(random, 40))
                .maskedColumns(List.of(text(random, 10)))
                .rows((long) random.nextInt(100))
                .durationUs((long) random.nextInt(10_000))
                .build();
    }

    /** Printable ASCII (written as a plain literal), or sometimes text that needs escaping or encoding. */
    private static String plainOrNot(Random random, int length) {
        if (random.nextInt(4) == 0) {
            return text(random, length);
        }
        StringBuilder b = new StringBuilder(length);
        while (b.length() < length) {
            b.append((char) (0x20 + random.nextInt(0x5f)));
        }
        return b.toString();
    }

    private static String text(Random random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder b = new StringBuilder(length);
        while (b.length() < length) {
            int pick = random.nextInt(ALPHABET.length() + 2);
            if (pick == ALPHABET.length()) {
                b.appendCodePoint(0x1F600 + random.nextInt(64)); // a surrogate pair
            } else if (pick > ALPHABET.length()) {
                b.append((char) (0x20 + random.nextInt(0x2FFF)));
            } else {
                b.append(ALPHABET.charAt(pick));
            }
        }
        return b.toString();
    }
}
