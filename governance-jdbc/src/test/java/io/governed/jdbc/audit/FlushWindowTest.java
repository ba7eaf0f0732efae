package io.governed.jdbc.audit;

import io.governed.jdbc.audit.jsonl.ChainVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer's flush window: events gather for one window and are written, then synced, once; the
 * writer is woken early only by a full-enough queue or by someone waiting, and parks while idle.
 */
class FlushWindowTest extends DispatcherTestBase {

    private static final Duration LONG_WINDOW = Duration.ofHours(1);

    @Test
    void theEventsOfOneWindowAreWrittenInBatchesAndSyncedOnce() throws Exception {
        ControllableSink sink = new ControllableSink();
        AuditDispatcher d = start(AuditSettings.defaults().withFlushInterval(LONG_WINDOW).withQueueCapacity(1000).withBatchSize(7), sink);

        for (long i = 0; i < 100; i++) {
            d.submit(TestEvents.event(i));
        }
        assertThat(d.flush(PATIENCE)).as("a caller waiting for the events ends the window").isTrue();

        assertThat(idsOf(sink.stored())).containsExactlyElementsOf(ids(0, 100));
        assertThat(sink.attempts()).as("batches of at most 7").isEqualTo(15);
        assertThat(sink.syncs()).as("one sync for the whole window (group commit)").isEqualTo(1);
    }

    @Test
    void aWindowEndsByItselfWithoutAnyoneAsking() throws Exception {
        ControllableSink sink = new ControllableSink();
        AuditDispatcher d = start(AuditSettings.defaults().withFlushInterval(Duration.ofMillis(20)), sink);

        d.submit(TestEvents.event(0));

        assertThat(eventually(() -> sink.syncs() == 1)).as("written and synced after the window").isTrue();
        assertThat(idsOf(sink.stored())).containsExactly("evt-0");
        assertThat(d.queueDepth()).isZero();
    }

    @Test
    void aHalfFullQueueEndsTheWindowEarly() throws Exception {
        ControllableSink sink = new ControllableSink();
        AuditDispatcher d = start(AuditSettings.defaults().withFlushInterval(LONG_WINDOW).withQueueCapacity(8), sink);

        for (long i = 0; i < 4; i++) {
            d.submit(TestEvents.event(i));
        }

        assertThat(eventually(() -> sink.stored().size() == 4))
                .as("4 of 8 events queued wake the writer long before its one-hour window ends").isTrue();
        assertThat(idsOf(sink.stored())).containsExactlyElementsOf(ids(0, 4));
    }

    @Test
    void eventsCountAsWrittenOnlyOnceTheSinkSyncedThem() throws Exception {
        ControllableSink sink = new ControllableSink();
        sink.failSyncWith(new IOException("fsync failed"));
        AuditDispatcher d = start(AuditSettings.defaults().withMode(DeliveryMode.REQUIRED), sink);

        d.submit(TestEvents.event(0));
        assertThat(d.flush(Duration.ofMillis(200))).as("written but not synced is not written").isFalse();
        assertThat(d.queueDepth()).isEqualTo(1);
        assertThat(eventually(() -> refuses(d, "fsync failed"))).as("required mode refuses statements while the sink cannot sync").isTrue();

        sink.heal();

        assertThat(d.flush(PATIENCE)).isTrue();
        assertThat(sink.syncs()).isEqualTo(1);
        assertThat(idsOf(sink.stored())).containsExactly("evt-0");
        assertThat(d.queueDepth()).isZero();
    }

    @Test
    void dropModeCountsEveryEventItCannotQueueAndWritesAllOthersInOrder() throws Exception {
        ControllableSink sink = new ControllableSink();
        sink.hold();
        AuditDispatcher d = start(AuditSettings.defaults().withMode(DeliveryMode.DROP).withFlushInterval(LONG_WINDOW)
                .withQueueCapacity(4).withBatchSize(1), sink);

        for (long i = 0; i < 50; i++) {
            d.submit(TestEvents.event(i));
        }
        sink.open();
        assertThat(d.flush(PATIENCE)).isTrue();

        List<String> stored = idsOf(sink.stored());
        assertThat(stored).isSubsetOf(ids(0, 50)).isSortedAccordingTo((a, b) ->
                Long.compare(Long.parseLong(a.substring(4)), Long.parseLong(b.substring(4))));
        assertThat(d.droppedEvents()).as("dropped events are counted, none lost silently")
                .isPositive().isEqualTo(50 - stored.size());
    }

    @Test
    void anIdleWritersThreadIsParkedWithoutATimeout() throws Exception {
        ControllableSink sink = new ControllableSink();
        AuditDispatcher d = start(AuditSettings.defaults(), sink);
        d.submit(TestEvents.event(0));
        assertThat(d.flush(PATIENCE)).isTrue();

        Thread writer = d.writerThreads().get(0);

        assertThat(eventually(() -> writer.getState() == Thread.State.WAITING))
                .as("parked until an event comes: no timed wake-ups, no polling").isTrue();
        assertThat(writer.getStackTrace()).anySatisfy(frame ->
                assertThat(frame.getMethodName()).isEqualTo("awaitEvent"));

        d.submit(TestEvents.event(1));
        assertThat(d.flush(PATIENCE)).as("the next event wakes it").isTrue();
        assertThat(idsOf(sink.stored())).containsExactly("evt-0", "evt-1");
    }

    @Test
    void aSinkThatDiscardsEverythingGetsNoEventsAndStatementsBuildNone() throws Exception {
        ControllableSink sink = new ControllableSink();
        sink.discardEverything();
        AuditDispatcher d = start(AuditSettings.defaults(), sink);
        StatementAudit audit = new StatementAudit(d, null);

        assertThat(d.recording()).isFalse();
        audit.completed(null, "conn-1", io.governed.identity.Identity.human("alice"), null, null, 1L, 1_000, List.of());
        d.submit(TestEvents.event(0));

        assertThat(d.flush(PATIENCE)).isTrue();
        assertThat(sink.attempts()).isZero();
        assertThat(d.queueDepth()).isZero();
    }

    @Test
    void aJsonlTrailHoldsEveryEventOnceFlushReturnsAndTheChainVerifies(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("audit.jsonl");
        AuditDispatcher d = closedAfterTheTest(AuditDispatcher.start("jsonl:" + log, AuditSettings.defaults().withMode(DeliveryMode.REQUIRED)));
        for (long i = 0; i < 300; i++) {
            d.submit(TestEvents.event(i));
        }

        assertThat(d.flush(PATIENCE)).isTrue();

        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(300);
        assertThat(lines.get(299)).contains("\"event_id\":\"evt-299\"");
        ChainVerifier.Result verified = ChainVerifier.verify(List.of(log));
        assertThat(verified.ok()).as(String.valueOf(verified.problem())).isTrue();
        assertThat(verified.events()).isEqualTo(300);
    }
}
