package io.governed.jdbc.audit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sink that syncs concurrently (the jsonl sink under {@code fsync=window}) is synced on a thread of its own: the
 * writer writes the next window's events while the previous window's are being made durable, and one sync covers
 * every window handed over while the last one ran (group commit). Events still count as written only once synced,
 * a failing sync is retried without losing or repeating events, and closing waits for the last sync.
 */
class GroupCommitTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final List<AuditDispatcher> started = new ArrayList<>();

    private AuditDispatcher start(AuditSettings settings, AuditSink sink) {
        AuditDispatcher d = AuditDispatcher.start(List.of(sink), settings.withRetryBackoff(Duration.ofMillis(20)));
        started.add(d);
        return d;
    }

    @AfterEach
    void closeAll() {
        started.forEach(AuditDispatcher::close);
    }

    private static List<String> ids(long from, long to) {
        return LongStream.range(from, to).mapToObj(i -> "evt-" + i).toList();
    }

    private static List<String> idsOf(List<AuditEvent> events) {
        return events.stream().map(AuditEvent::eventId).toList();
    }

    /** Waits (up to a generous bound, not a timing assertion) for a condition the writer brings about. */
    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(5);
        }
        return condition.getAsBoolean();
    }

    @Test
    void theWriterWritesTheNextWindowWhileThePreviousOneIsBeingSynced() throws Exception {
        ControllableSink sink = new ControllableSink(true);
        sink.holdSyncs();
        AuditDispatcher d = start(AuditSettings.defaults().withFlushInterval(Duration.ofMillis(5)), sink);

        d.submit(TestEvents.event(0));
        assertThat(eventually(() -> sink.syncsEntered() == 1)).as("the first window's sync began").isTrue();
        for (long i = 1; i < 10; i++) {
            d.submit(TestEvents.event(i));
        }

        assertThat(eventually(() -> sink.stored().size() == 10)).as("written while the first sync is still held").isTrue();
        assertThat(idsOf(sink.stored())).containsExactlyElementsOf(ids(0, 10));
        assertThat(d.flush(Duration.ofMillis(100))).as("written but not yet synced is not written").isFalse();
        assertThat(d.queueDepth()).as("events awaiting their sync count as queued").isEqualTo(10);

        sink.releaseSyncs();

        assertThat(d.flush(PATIENCE)).isTrue();
        assertThat(d.queueDepth()).isZero();
        assertThat(sink.syncs()).as("the nine later events were synced together, once").isEqualTo(2);
        assertThat(sink.storedAtLastSync()).as("the second sync began after all ten were written").isEqualTo(10);
    }

    @Test
    void aFailingSyncIsRetriedWhileTheWriterGoesOnAndNothingCountsAsWrittenMeanwhile() throws Exception {
        ControllableSink sink = new ControllableSink(true);
        sink.failSyncWith(new IOException("fsync failed"));
        AuditDispatcher d = start(AuditSettings.defaults().withMode(DeliveryMode.REQUIRED)
                .withFlushInterval(Duration.ofMillis(5)), sink);

        d.submit(TestEvents.event(0));
        assertThat(eventually(() -> sink.syncsEntered() >= 2)).as("the sync is retried").isTrue();
        assertThat(eventually(() -> {
            try {
                d.checkAvailable();
                return false;
            } catch (AuditUnavailableException refused) {
                return refused.getMessage().contains("fsync failed");
            }
        })).as("required mode refuses statements while the sink cannot sync").isTrue();
        d.submit(TestEvents.event(1)); // queued before the refusal took effect, as a statement already running would
        assertThat(eventually(() -> sink.stored().size() == 2)).as("the writer goes on writing").isTrue();
        assertThat(d.flush(Duration.ofMillis(100))).isFalse();
        assertThat(d.queueDepth()).isEqualTo(2);
        assertThat(d.sinkStates().get(0).healthy()).isFalse();

        sink.heal();

        assertThat(d.flush(PATIENCE)).isTrue();
        assertThat(idsOf(sink.stored())).as("each event written once").containsExactly("evt-0", "evt-1");
        assertThat(d.queueDepth()).isZero();
        assertThat(d.sinkStates().get(0).healthy()).isTrue();
        d.checkAvailable();
    }

    @Test
    void anIdleSyncThreadIsParkedWithoutATimeout() throws Exception {
        ControllableSink sink = new ControllableSink(true);
        AuditDispatcher d = start(AuditSettings.defaults(), sink);
        d.submit(TestEvents.event(0));
        assertThat(d.flush(PATIENCE)).isTrue();

        assertThat(d.syncThreads()).hasSize(1);
        Thread syncer = d.syncThreads().get(0);
        assertThat(eventually(() -> syncer.getState() == Thread.State.WAITING))
                .as("parked until the writer hands it events: no timed wake-ups").isTrue();
        assertThat(syncer.getStackTrace()).anySatisfy(frame -> assertThat(frame.getMethodName()).isEqualTo("syncLoop"));

        d.submit(TestEvents.event(1));
        assertThat(d.flush(PATIENCE)).as("the next window wakes it").isTrue();
        assertThat(sink.syncs()).isEqualTo(2);
    }

    @Test
    void aSinkThatSyncsOnTheWritersThreadGetsNoSyncThread() {
        AuditDispatcher d = start(AuditSettings.defaults(), new ControllableSink());
        assertThat(d.syncThreads()).isEmpty();
    }

    @Test
    void closingWaitsForTheLastSyncAndLosesNothing() throws Exception {
        ControllableSink sink = new ControllableSink(true);
        sink.holdSyncs();
        AuditDispatcher d = start(AuditSettings.defaults().withFlushInterval(Duration.ofMillis(5)), sink);
        for (long i = 0; i < 5; i++) {
            d.submit(TestEvents.event(i));
        }
        assertThat(eventually(() -> sink.syncsEntered() == 1)).isTrue();

        Thread closing = new Thread(d::close);
        closing.start();
        closing.join(200);
        assertThat(closing.isAlive()).as("close waits while the sync is held").isTrue();
        assertThat(sink.closed()).as("the sink is not closed under a running sync").isFalse();

        sink.releaseSyncs();
        closing.join(PATIENCE.toMillis());

        assertThat(closing.isAlive()).isFalse();
        assertThat(d.lostAtClose()).isZero();
        assertThat(sink.syncs()).isPositive();
        assertThat(sink.storedAtLastSync()).as("the last sync covered every event").isEqualTo(5);
        assertThat(sink.closed()).isTrue();
    }
}
