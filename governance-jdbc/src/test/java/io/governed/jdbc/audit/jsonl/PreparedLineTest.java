package io.governed.jdbc.audit.jsonl;

import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditFormat;
import io.governed.jdbc.audit.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * The jsonl sink encodes and hashes each event up to its prev_hash on the thread that submits it, and the writer
 * finishes the line. The log must be byte for byte the log the writer makes when it encodes everything itself,
 * for any event, in every format, prepared on any thread, and when a batch is written twice after a failure.
 */
class PreparedLineTest {

    @ParameterizedTest
    @EnumSource(AuditFormat.class)
    void preparedLinesAreTheLinesTheChainWritesForTheEvents(AuditFormat format) {
        Random random = new Random(0x5EED_0002L + format.ordinal());
        HashChain direct = new HashChain(HashChain.GENESIS, format);
        HashChain prepared = new HashChain(HashChain.GENESIS, format);
        for (int i = 0; i < 2000; i++) {
            AuditEvent event = TestEvents.random(random, i);
            assertThat(line(prepared, HashChain.prepare(event, format))).as("event %d", i).isEqualTo(line(direct, event));
            assertThat(prepared.lastHash()).isEqualTo(direct.lastHash());
        }
    }

    /*
     * Events of one statement share their statement, identity and rule objects, and the writer copies the encoded run
     * of those fields instead of encoding it again. Any change of one of those objects (another statement, another
     * identity, a list with other content or the same content in another list) must be encoded afresh.
     */
    @ParameterizedTest
    @EnumSource(AuditFormat.class)
    void eventsThatRepeatAStatementsFieldsAreTheLinesOfThoseEventsEncodedAfresh(AuditFormat format) {
        Random random = new Random(0x5EED_0005L + format.ordinal());
        List<AuditEvent> shapes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            shapes.add(TestEvents.random(random, i));
        }
        HashChain cached = new HashChain(HashChain.GENESIS, format);
        for (int i = 0; i < 3000; i++) {
            AuditEvent shape = shapes.get(random.nextInt(random.nextInt(10) == 0 ? shapes.size() : 2));
            AuditEvent.Builder next = AuditEvent.builder().time(shape.time().plusMillis(i)).eventId(AuditEvent.newEventId())
                    .connectionId(shape.connectionId()).principal(shape.principal()).kind(shape.kind())
                    .onBehalfOf(shape.onBehalfOf()).purpose(shape.purpose()).action(shape.action())
                    .statement(shape.statement()).fingerprint(shape.fingerprint()).decision(shape.decision())
                    .reason(shape.reason()).rows((long) random.nextInt(50)).durationUs((long) random.nextInt(900));
            AuditEvent event = shareLists(next.build(), shape, random);
            // a fresh chain has nothing kept: it encodes every field of the event
            byte[] expected = line(new HashChain(cached.lastHash(), format), event);
            assertThat(line(cached, random.nextBoolean() ? HashChain.prepare(event, format) : PreparedLine.unprepared(event)))
                    .as("event %d", i).isEqualTo(expected);
        }
    }

    /**
     * The event with the shape's own list objects, or sometimes copies of them, or another list; and closing fields
     * that sometimes stay and sometimes change (another provenance, another policy, an error, an approval, a
     * statement event, a trace).
     */
    private static AuditEvent shareLists(AuditEvent event, AuditEvent shape, Random random) {
        int change = random.nextInt(8);
        int closing = random.nextInt(12);
        return new AuditEvent(event.time(), event.eventId(), event.connectionId(), event.principal(), event.kind(),
                change == 0 ? new ArrayList<>(shape.groups()) : shape.groups(),
                event.onBehalfOf(), event.purpose(), event.action(), event.statement(), event.fingerprint(),
                change == 1 ? List.of("other.table") : shape.tables(),
                change == 2 ? new ArrayList<>(shape.columns()) : shape.columns(),
                event.decision(), shape.rules(), event.reason(),
                change == 3 ? List.of() : shape.maskedColumns(),
                event.rows(), event.durationUs(),
                closing == 0 ? new io.governed.jdbc.audit.AuditError("23505", "duplicate key \"x\"") : null,
                closing == 1 ? "token" : SOURCE, closing == 2 ? "https://issuer.example/" + random.nextInt(3) : null,
                closing == 3 ? "kid-" + random.nextInt(2) : null, null,
                closing == 4 ? "apr-" + random.nextInt(100) : null, closing == 5 ? AuditEvent.newEventId() : null,
                closing == 6 ? "0af7651916cd43dd8448eb211c80319c" : null, closing == 6 ? "b7ad6b7169203331" : null,
                closing == 7 ? OTHER_POLICY : closing == 8 ? null : POLICY);
    }

    private static final String SOURCE = "connection";
    private static final io.governed.jdbc.audit.AuditPolicy POLICY = io.governed.jdbc.audit.AuditPolicy.of(
            io.governed.policy.PolicyProvenance.of(List.of(io.governed.policy.PolicyProvenance.File.of("a.yaml", "version: 1"))));
    private static final io.governed.jdbc.audit.AuditPolicy OTHER_POLICY = io.governed.jdbc.audit.AuditPolicy.of(
            io.governed.policy.PolicyProvenance.of(List.of(io.governed.policy.PolicyProvenance.File.of("b.yaml", "version: 1\n"))));

    @Test
    void linesPreparedOnManyThreadsChainInTheOrderTheyAreLinked() throws Exception {
        Random random = new Random(0x5EED_0003L);
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            events.add(TestEvents.random(random, i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<PreparedLine>> lines = new ArrayList<>();
        try {
            for (AuditEvent event : events) {
                lines.add(pool.submit(() -> HashChain.prepare(event, AuditFormat.NATIVE)));
            }
            HashChain direct = new HashChain(HashChain.GENESIS);
            HashChain chain = new HashChain(HashChain.GENESIS);
            ByteSink log = new ByteSink(1 << 20);
            ByteSink expected = new ByteSink(1 << 20);
            for (int i = 0; i < events.size(); i++) {
                chain.link(lines.get(i).get(), log);
                direct.link(events.get(i), expected);
            }
            assertThat(log.toByteArray()).isEqualTo(expected.toByteArray());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLineWrittenAgainAfterAFailedWriteIsTheSameLine() {
        Random random = new Random(0x5EED_0004L);
        AuditEvent event = TestEvents.random(random, 1);
        PreparedLine line = HashChain.prepare(event, AuditFormat.NATIVE);
        byte[] first = line(new HashChain(HashChain.GENESIS), line);
        byte[] again = line(new HashChain(HashChain.GENESIS), line); // its digest was used up by the first write
        assertThat(again).isEqualTo(first).isEqualTo(line(new HashChain(HashChain.GENESIS), event));
    }

    /*
     * A prepared line's digest goes back to be used for the next prepared line once its hash is made; a line written
     * again is hashed with the chain's own digest, which must never be handed to another line. Lines written again,
     * prepared in bursts and linked one by one, all chain as the lines written directly.
     */
    @Test
    void linesWrittenAgainAmongPreparedOnesLeaveTheChainAsWrittenDirectly() {
        Random random = new Random(0x5EED_0006L);
        HashChain direct = new HashChain(HashChain.GENESIS);
        HashChain chain = new HashChain(HashChain.GENESIS);
        for (int burst = 0; burst < 200; burst++) {
            List<AuditEvent> events = new ArrayList<>();
            List<PreparedLine> lines = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(8); i++) {
                AuditEvent event = TestEvents.random(random, burst * 10 + i);
                events.add(event);
                lines.add(HashChain.prepare(event, AuditFormat.NATIVE));
            }
            for (int i = 0; i < lines.size(); i++) {
                String before = chain.lastHash();
                byte[] written = line(chain, lines.get(i));
                if (random.nextInt(3) == 0) { // the write failed: the same line written again from the same hash
                    chain.continueFrom(before);
                    assertThat(line(chain, lines.get(i))).isEqualTo(written);
                }
                assertThat(written).as("burst %d, line %d", burst, i).isEqualTo(line(direct, events.get(i)));
                assertThat(chain.lastHash()).isEqualTo(direct.lastHash());
            }
        }
    }

    @Test
    void aLinePreparedInAnotherFormatIsEncodedByTheChainInItsOwn() {
        AuditEvent event = TestEvents.event(7);
        PreparedLine nativeLine = HashChain.prepare(event, AuditFormat.NATIVE);
        assertThat(line(new HashChain(HashChain.GENESIS, AuditFormat.CLOUDEVENTS), nativeLine))
                .isEqualTo(line(new HashChain(HashChain.GENESIS, AuditFormat.CLOUDEVENTS), event));
    }

    @Test
    void aChainContinuedFromAHashThatIsNotLowerCaseHexWritesItAsTheChainAlwaysHas() {
        String damaged = "ABCDEF" + "0".repeat(58);
        AuditEvent event = TestEvents.event(8);
        HashChain expected = new HashChain(damaged);
        HashChain chain = new HashChain(damaged);
        assertThat(line(chain, HashChain.prepare(event, AuditFormat.NATIVE))).isEqualTo(line(expected, event));
        // the next line follows a hash the chain made itself, and is finished from its prepared prefix again
        AuditEvent next = TestEvents.event(9);
        assertThat(line(chain, HashChain.prepare(next, AuditFormat.NATIVE))).isEqualTo(line(expected, next));
    }

    @Test
    void preparedLinesVerify() {
        HashChain chain = new HashChain(HashChain.GENESIS);
        java.security.MessageDigest sha256 = HashChain.newDigest();
        String previous = HashChain.GENESIS;
        for (int i = 0; i < 50; i++) {
            byte[] line = line(chain, HashChain.prepare(TestEvents.event(i), AuditFormat.NATIVE));
            ChainedLine parsed = ChainedLine.parse(line, line.length - 1, sha256);
            assertThat(parsed).isNotNull();
            assertThat(parsed.intact()).isTrue();
            assertThat(parsed.prevHash()).isEqualTo(previous);
            previous = parsed.statedHash();
        }
    }

    private static byte[] line(HashChain chain, PreparedLine line) {
        ByteSink out = new ByteSink(1024);
        chain.link(line, out);
        return out.toByteArray();
    }

    private static byte[] line(HashChain chain, AuditEvent event) {
        ByteSink out = new ByteSink(1024);
        chain.link(event, out);
        return out.toByteArray();
    }
}
