package io.governed.jdbc.audit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sink that syncs concurrently (the jsonl sink under {@code fsync=window}) has a busy writer's rounds (a quarter
 * of the queue's capacity or more) synced on a thread of its own: the writer writes the next round while the
 * previous one is being made durable, and one sync covers every round handed over while the last one ran (group
 * commit). Small rounds are synced by the writer itself. Events still count as written only once synced, a
 * failing sync is retried without losing or repeating events, and closing waits for the last sync.
 *
 * <p>The queues here hold 8 events with a one-hour window: the writer wakes when 4 are queued (half the capacity),
 * and a round of 2 or more (a quarter) is handed to the sync thread.
 */
class GroupCommitTest extends DispatcherTestBase {

    private static final AuditSettings BUSY = AuditSettings.defaults().withQueueCapacity(8).withFlushInterval(Duration.ofHours(1));

    private static void submit(AuditDispatcher d, long from, long to) throws AuditUnavailableException {
        for (long i = from; i < to; i++) {
            d.submit(TestEvents.event(i));
        }
    }

    @Test
    void theWriterWritesTheNextRoundWhileThePreviousOneIsBeingSynced() throws Exception {
        ControllableSink sink = new ControllableSink(true);
        sink.holdSyncs();
        AuditDispatcher d = start(BUSY, sink);

        submit(d, 0, 4);
        assertThat(eventually(() -> sink.syncsEntered() == 1)).as("the first round's sync began").isTrue();
        assertThat(sink.lastSyncThread()).startsWith("governed-audit-sync-");
        submit(d, 4, 8);

        assertThat(eventually(() -> sink.stored().size() == 8)).as("written while the first sync is still held").isTrue();
        assertThat(idsOf(sink.stored())).containsExactlyElementsOf(ids(0, 8));
        assertThat(d.flush(Duration.ofMillis(100))).as("written but not yet synced is not written").isFalse();
        assertThat(d.queueDepth()).as("events awaiting their sync count as queued").isEqualTo(8);

        sink.releaseSyncs();

        assertThat(d.flush(PATIENCE)).isTrue();
        assertThat(d.queueDepth()).isZero();
        assertThat(sink.syncs()).as("the second round was synced once, after the first").isEqualTo(2);
        assertThat(sink.storedAtLastSync()).as("the second sync began after all eight were written").isEqualTo(8);
    }

    @Test
    void aSmallRoundIsSyncedByTheWriterItself() throws Exception {
        ControllableSink sink = new ControllableSink(true);
        AuditDispatcher d = start(AuditSettings.defaults(), sink);

        d.submit(TestEvents.event(0));

        assertThat(d.flush(PATIENCE)).isTrue();
        assertThat(sink.syncs()).isEqualTo(1);
        assertThat(sink.lastSyncThread()).as("no second thread woken for one event")
                .isEqualTo(d.writerThreads().get(0).getName());
    }

    @Test
    void aSyncThreadWokenWithoutARoundHandedToItLeavesTheWritersSmallRoundToTheWriter() throws Exception {
        ControllableSink sink = new ControllableSink(true);
        sink.holdSyncs();
        AuditDispatcher d = start(AuditSettings.defaults(), sink);
        Thread syncer = d.syncThreads().get(0);

        d.submit(TestEvents.event(0));
        assertThat(eventually(() -> sink.syncsEntered() == 1)).as("the writer syncs the event itself").isTrue();
        assertThat(sink.lastSyncThread()).isEqualTo(d.writerThreads().get(0).getName());
        // the event is handed to the sink and not yet synced; park may return for no reason, as a late start returns
        LockSupport.unpark(syncer);
        Thread.sleep(300); // a sync thread that syncs what it was not handed begins a sync meanwhile
        assertThat(sink.syncsEntered()).as("no second sync for one event").isEqualTo(1);

        sink.releaseSyncs();
        assertThat(d.flush(PATIENCE)).isTrue();
        assertThat(sink.syncs()).isEqualTo(1);
    }

    @Test
    void aFailingSyncIsRetriedWhileTheWriterGoesOnAndNothingCountsAsWrittenMeanwhile() throws Exception {
        ControllableSink sink = new ControllableSink(true);
        sink.failSyncWith(new IOException("fsync failed"));
        AuditDispatcher d = start(BUSY.withMode(DeliveryMode.REQUIRED), sink);

        submit(d, 0, 4);
        assertThat(eventually(() -> sink.syncsEntered() >= 2)).as("the sync is retried").isTrue();
        assertThat(eventually(() -> refuses(d, "fsync failed"))).as("required mode refuses statements while the sink cannot sync").isTrue();
        submit(d, 4, 8); // queued before the refusal took effect, as statements already running would
        assertThat(eventually(() -> sink.stored().size() == 8)).as("the writer goes on writing").isTrue();
        assertThat(d.flush(Duration.ofMillis(100))).isFalse();
        assertThat(d.queueDepth()).isEqualTo(8);
        assertThat(d.sinkStates().get(0).healthy()).isFalse();

        sink.heal();

        assertThat(d.flush(PATIENCE)).isTrue();
        assertThat(idsOf(sink.stored())).as("each event written once").containsExactlyElementsOf(ids(0, 8));
        assertThat(d.queueDepth()).isZero();
        assertThat(d.sinkStates().get(0).healthy()).isTrue();
        d.checkAvailable();
    }

    @Test
    void anIdleSyncThreadIsParkedWithoutATimeout() throws Exception {
        ControllableSink sink = new ControllableSink(true);
        AuditDispatcher d = start(BUSY, sink);
        submit(d, 0, 4);
        assertThat(d.flush(PATIENCE)).isTrue();

        assertThat(d.syncThreads()).hasSize(1);
        Thread syncer = d.syncThreads().get(0);
        assertThat(eventually(() -> syncer.getState() == Thread.State.WAITING))
                .as("parked until the writer hands it a round: no timed wake-ups").isTrue();
        assertThat(syncer.getStackTrace()).anySatisfy(frame -> assertThat(frame.getMethodName()).isEqualTo("syncLoop"));

        submit(d, 4, 8);
        assertThat(d.flush(PATIENCE)).as("the next round wakes it").isTrue();
        assertThat(sink.syncs()).isEqualTo(2);
        assertThat(sink.lastSyncThread()).isEqualTo(syncer.getName());
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
        AuditDispatcher d = start(BUSY, sink);
        submit(d, 0, 4);
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
        assertThat(sink.storedAtLastSync()).as("the last sync covered every event").isEqualTo(4);
        assertThat(sink.closed()).isTrue();
    }
}
