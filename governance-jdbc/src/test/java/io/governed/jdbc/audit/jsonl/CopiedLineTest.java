package io.governed.jdbc.audit.jsonl;

import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditError;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditEventJson;
import io.governed.jdbc.audit.TestEvents;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chain copies the fields of an event whose runs of fields it has kept instead of encoding them with its generator:
 * every line must still be, byte for byte, the canonical JSON of the event (encoded without any cache) followed by
 * {@code prev_hash} and the SHA-256 of the whole, whatever the event carries: ids and connection ids that need
 * escaping, numbers of every sign and size, absent fields, traced events, errors and approvals among the others.
 */
class CopiedLineTest {

    private static final Long[] NUMBERS = {null, 0L, 1L, 9L, 10L, 99L, 100L, 425L, 15_362L, -1L, -10L, -987_654_321L,
            1_000_000_000_000L, Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE, Long.MIN_VALUE + 1};
    private static final String[] CONNECTIONS = {"gc-1", "gc-2", null, "c\"1\\", "conn-\u00e9", "x".repeat(5000)};

    @Test
    void everyLineIsTheCanonicalEventWithItsChainFieldsWhetherCopiedOrEncoded() throws Exception {
        Random random = new Random(20261207L);
        List<AuditEvent> shapes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            shapes.add(TestEvents.random(random, i));
        }
        shapes.add(TestEvents.event(1));
        HashChain chain = new HashChain(HashChain.GENESIS);
        String previous = HashChain.GENESIS;
        int lines = 0;
        for (int n = 0; n < 4000; n++) {
            AuditEvent shape = shapes.get(random.nextInt(random.nextInt(5) == 0 ? shapes.size() : 3));
            AuditEvent event = variant(shape, random, n);
            String line = new String(chain.link(event), StandardCharsets.UTF_8);
            String expected = expectedLine(event, previous);
            assertThat(line).as("line %d", n).isEqualTo(expected);
            previous = chain.lastHash();
            lines++;
        }
        assertThat(lines).isEqualTo(4000);
        // how many lines are copied depends on the kept runs' slots, found by identity hash codes, which differ with what
        // the JVM ran before: 1,049 of the 4,000 without a collision, 962 to 1,049 seen; the bound only shows both
        // paths carry many lines
        assertThat(chain.copiedLines()).as("lines made of kept runs").isGreaterThan(lines / 8).isLessThan(lines);
    }

    @Test
    void linesPreparedOnTheSubmittingThreadAreTheCanonicalEventWithItsChainFieldsToo() throws Exception {
        Random random = new Random(20261208L);
        List<AuditEvent> shapes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            shapes.add(TestEvents.random(random, i));
        }
        HashChain chain = new HashChain(HashChain.GENESIS);
        String previous = HashChain.GENESIS;
        for (int n = 0; n < 3000; n++) {
            AuditEvent event = variant(shapes.get(random.nextInt(random.nextInt(5) == 0 ? shapes.size() : 3)), random, n);
            PreparedLine prepared = HashChain.prepare(event, io.governed.jdbc.audit.AuditFormat.NATIVE);
            ByteSink out = new ByteSink(1024);
            chain.link(prepared, out);
            String line = new String(out.toByteArray(), StandardCharsets.UTF_8);
            assertThat(line).as("prepared line %d", n).isEqualTo(expectedLine(event, previous));
            previous = chain.lastHash();
        }
    }

    @Test
    void aLineFollowingAHashReadFromADamagedTrailIsEncodedAsBefore() throws Exception {
        String damaged = "Z".repeat(64);
        HashChain chain = new HashChain(damaged);
        AuditEvent first = TestEvents.event(1);
        chain.link(first);
        chain.link(TestEvents.event(2)); // runs kept, the previous hash now the chain's own
        long copied = chain.copiedLines();
        HashChain other = new HashChain(damaged);
        String line = new String(other.link(TestEvents.event(1)), StandardCharsets.UTF_8);
        assertThat(line).isEqualTo(expectedLine(first, damaged));
        assertThat(copied).as("the second line, after a hash the chain made").isEqualTo(1);
    }

    /** The event with the shape's objects (so that its runs are found kept) and fields of its own. */
    private static AuditEvent variant(AuditEvent s, Random random, int n) {
        String id = switch (random.nextInt(6)) {
            case 0 -> "id-\"" + n + "\\";
            case 1 -> "\u00e9v\u00e9nement-" + n;
            default -> AuditEvent.newEventId();
        };
        Instant time = switch (random.nextInt(4)) {
            case 0 -> Instant.ofEpochSecond(1_765_000_000L + n);
            case 1 -> Instant.ofEpochSecond(1_765_000_000L + n / 7, random.nextInt(1000) * 1_000_000L);
            case 2 -> Instant.ofEpochSecond(1_765_000_000L + n / 7, random.nextInt(1_000_000) * 1000L);
            default -> Instant.ofEpochSecond(1_765_000_000L + n / 7, random.nextInt(1_000_000_000));
        };
        int extra = random.nextInt(12);
        AuditError error = extra == 0 ? new AuditError("42P01", "relation does not exist") : null;
        String approval = extra == 1 ? "apr-" + n : null;
        String statementEvent = extra == 2 ? "evt-" + n : null;
        String trace = extra == 3 ? "0af7651916cd43dd8448eb211c80319c" : null;
        return new AuditEvent(time, id, CONNECTIONS[random.nextInt(CONNECTIONS.length)], s.principal(), s.kind(),
                s.groups(), s.onBehalfOf(), s.purpose(), s.action(), s.statement(), s.fingerprint(), s.tables(),
                s.columns(), extra == 4 ? AuditDecision.ERROR : s.decision(), s.rules(), s.reason(), s.maskedColumns(),
                NUMBERS[random.nextInt(NUMBERS.length)], NUMBERS[random.nextInt(NUMBERS.length)], error,
                s.identitySource(), s.identityIssuer(), s.identityKeyId(), s.tokenId(), approval, statementEvent, trace,
                trace == null ? null : "b7ad6b7169203331", s.policy());
    }

    /** The event's canonical JSON encoded without a cache, then {@code prev_hash}, then its hash. */
    private static String expectedLine(AuditEvent event, String previous) throws Exception {
        String json = AuditEventJson.toJson(event);
        String withoutHash = json.substring(0, json.length() - 1) + ",\"prev_hash\":\"" + previous + "\"}";
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(withoutHash.getBytes(StandardCharsets.UTF_8)));
        return withoutHash.substring(0, withoutHash.length() - 1) + ",\"hash\":\"" + hash + "\"}\n";
    }
}
