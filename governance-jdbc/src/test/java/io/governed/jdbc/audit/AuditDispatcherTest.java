package io.governed.jdbc.audit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditDispatcherTest {

    private static final Duration FLUSH = Duration.ofSeconds(10);

    private final List<AuditDispatcher> started = new ArrayList<>();

    private AuditDispatcher start(AuditSettings settings, AuditSink... sinks) {
        AuditDispatcher d = AuditDispatcher.start(List.of(sinks), settings.withRetryBackoff(Duration.ofMillis(20)));
        started.add(d);
        return d;
    }

    @AfterEach
    void closeAll() {
        started.forEach(AuditDispatcher::close);
    }

    private static void submitAll(AuditDispatcher d, long from, long to) throws AuditUnavailableException {
        for (long i = from; i < to; i++) {
            d.submit(TestEvents.event(i));
        }
    }

    private static List<String> ids(long from, long to) {
        return LongStream.range(from, to).mapToObj(i -> "evt-" + i).toList();
    }

    private static List<String> idsOf(List<AuditEvent> events) {
        return events.stream().map(AuditEvent::eventId).toList();
    }

    @Test
    void deliversEveryEventInOrderToEverySink() throws Exception {
        ControllableSink a = new ControllableSink();
        ControllableSink b = new ControllableSink();
        AuditDispatcher d = start(AuditSettings.defaults().withBatchSize(7), a, b);

        submitAll(d, 0, 500);

        assertThat(d.flush(FLUSH)).isTrue();
        assertThat(idsOf(a.stored())).containsExactlyElementsOf(ids(0, 500));
        assertThat(idsOf(b.stored())).containsExactlyElementsOf(ids(0, 500));
        assertThat(d.queueDepth()).isZero();
    }

    @Test
    void blockModeHoldsEventsWhileTheSinkFailsAndLosesNoneWhenItRecovers() throws Exception {
        ControllableSink sink = new ControllableSink();
        sink.failWith(new IOException("disk full"));
        AuditDispatcher d = start(AuditSettings.defaults().withBatchSize(10), sink);

        submitAll(d, 0, 100);
        assertThat(sink.awaitFirstWrite()).isTrue();
        assertThat(d.flush(Duration.ofMillis(100))).isFalse();
        assertThat(d.queueDepth()).isEqualTo(100);
        assertThatCode(d::checkAvailable).as("block mode never refuses statements").doesNotThrowAnyException();

        sink.heal();

        assertThat(d.flush(FLUSH)).isTrue();
        assertThat(idsOf(sink.stored())).containsExactlyElementsOf(ids(0, 100));
        assertThat(sink.attempts()).isGreaterThan(10);
        assertThat(d.droppedEvents()).isZero();
    }

    @Test
    void aSinkThatThrowsUncheckedExceptionsIsRetriedToo() throws Exception {
        ControllableSink sink = new ControllableSink();
        sink.failWith(new IllegalStateException("bug in a custom sink"));
        AuditDispatcher d = start(AuditSettings.defaults(), sink);

        submitAll(d, 0, 3);
        assertThat(sink.awaitFirstWrite()).isTrue();
        sink.heal();

        assertThat(d.flush(FLUSH)).isTrue();
        assertThat(idsOf(sink.stored())).containsExactlyElementsOf(ids(0, 3));
    }

    @Test
    void blockModeSubmitWaitsForRoomWhenTheQueueIsFull() throws Exception {
        ControllableSink sink = new ControllableSink();
        sink.hold();
        AuditDispatcher d = start(AuditSettings.defaults().withQueueCapacity(2).withBatchSize(1), sink);
        d.submit(TestEvents.event(0));
        assertThat(sink.awaitFirstWrite()).isTrue(); // event 0 is in the writer's hands
        d.submit(TestEvents.event(1));
        d.submit(TestEvents.event(2)); // the queue is full now

        CompletableFuture<Void> third = new CompletableFuture<>();
        Thread submitter = new Thread(() -> {
            try {
                d.submit(TestEvents.event(3));
                third.complete(null);
            } catch (AuditUnavailableException e) {
                third.completeExceptionally(e);
            }
        });
        submitter.start();
        Thread.sleep(200); // long enough to have queued the event, were there room
        assertThat(submitter.getState()).as("submit waits while the queue is full")
                .isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
        assertThat(third).isNotDone();

        sink.open();
        third.get(10, TimeUnit.SECONDS);
        assertThat(d.flush(FLUSH)).isTrue();
        assertThat(idsOf(sink.stored())).containsExactlyElementsOf(ids(0, 4));
    }

    @Test
    void requiredModeRefusesStatementsWhileASinkFailsAndAcceptsThemAgainWhenItRecovers() throws Exception {
        ControllableSink sink = new ControllableSink();
        AuditDispatcher d = start(AuditSettings.defaults().withMode(DeliveryMode.REQUIRED), sink);
        d.checkAvailable();

        sink.failWith(new IOException("connection refused"));
        d.submit(TestEvents.event(0));
        assertThat(sink.awaitFirstWrite()).isTrue();
        assertThat(d.flush(Duration.ofMillis(100))).isFalse();

        assertThatThrownBy(d::checkAvailable)
                .isInstanceOf(AuditUnavailableException.class)
                .hasMessageContaining("Statement refused: audit sink controllable cannot store events (connection refused)")
                .hasMessageContaining("governed.audit.mode=required")
                .satisfies(e -> assertThat(((AuditUnavailableException) e).getSQLState()).isEqualTo("55000"));

        sink.heal();
        assertThat(d.flush(FLUSH)).isTrue();
        assertThatCode(d::checkAvailable).doesNotThrowAnyException();
        assertThat(idsOf(sink.stored())).containsExactly("evt-0");
    }

    @Test
    void requiredModeRefusesWhenTheQueueIsFull() throws Exception {
        ControllableSink sink = new ControllableSink();
        sink.hold();
        AuditDispatcher d = start(AuditSettings.defaults().withMode(DeliveryMode.REQUIRED).withQueueCapacity(1)
                .withBatchSize(1).withSubmitTimeout(Duration.ZERO), sink);
        d.submit(TestEvents.event(0));
        assertThat(sink.awaitFirstWrite()).isTrue();
        d.submit(TestEvents.event(1));

        assertThatThrownBy(d::checkAvailable).isInstanceOf(AuditUnavailableException.class)
                .hasMessageContaining("queue of audit sink controllable is full (1 events)")
                .hasMessageContaining("raise governed.audit.queue-capacity");
        assertThatThrownBy(() -> d.submit(TestEvents.event(2))).isInstanceOf(AuditUnavailableException.class)
                .hasMessageContaining("could not be queued for sink controllable");

        sink.open();
        assertThat(d.flush(FLUSH)).isTrue();
        assertThat(idsOf(sink.stored())).containsExactly("evt-0", "evt-1");
    }

    @Test
    void dropModeNeverWaitsAndCountsWhatItDrops() throws Exception {
        ControllableSink sink = new ControllableSink();
        sink.hold();
        AuditDispatcher d = start(AuditSettings.defaults().withMode(DeliveryMode.DROP).withQueueCapacity(2).withBatchSize(1), sink);
        d.submit(TestEvents.event(0));
        assertThat(sink.awaitFirstWrite()).isTrue();

        submitAll(d, 1, 11);

        assertThat(d.droppedEvents()).isEqualTo(8);
        assertThat(d.queueDepth()).isEqualTo(3);
        sink.open();
        assertThat(d.flush(FLUSH)).isTrue();
        assertThat(idsOf(sink.stored())).containsExactly("evt-0", "evt-1", "evt-2");
    }

    @Test
    void closeWritesEverythingQueuedAndClosesTheSinks() throws Exception {
        ControllableSink sink = new ControllableSink();
        AuditDispatcher d = AuditDispatcher.start(List.of(sink), AuditSettings.defaults().withBatchSize(3));

        submitAll(d, 0, 1000);
        d.close();

        assertThat(idsOf(sink.stored())).containsExactlyElementsOf(ids(0, 1000));
        assertThat(sink.closed()).isTrue();
        assertThat(d.lostAtClose()).isZero();
    }

    @Test
    void closeGivesUpOnAFailingSinkAtTheTimeoutAndSaysHowManyEventsWereLost() throws Exception {
        ControllableSink sink = new ControllableSink();
        sink.failWith(new IOException("gone"));
        AuditDispatcher d = AuditDispatcher.start(List.of(sink),
                AuditSettings.defaults().withCloseTimeout(Duration.ofMillis(200)).withRetryBackoff(Duration.ofMillis(20)));
        submitAll(d, 0, 5);
        assertThat(sink.awaitFirstWrite()).isTrue();

        d.close();

        assertThat(d.lostAtClose()).isEqualTo(5);
        assertThat(sink.closed()).isTrue();
    }

    @Test
    void afterCloseRequiredModeRefusesAndOtherModesCountTheEventAsDropped() throws Exception {
        AuditDispatcher required = AuditDispatcher.start(List.of(new ControllableSink()), AuditSettings.defaults().withMode(DeliveryMode.REQUIRED));
        AuditDispatcher block = AuditDispatcher.start(List.of(new ControllableSink()), AuditSettings.defaults());
        required.close();
        block.close();

        assertThatThrownBy(required::checkAvailable).isInstanceOf(AuditUnavailableException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> required.submit(TestEvents.event(0))).isInstanceOf(AuditUnavailableException.class);
        block.submit(TestEvents.event(0));
        assertThat(block.droppedEvents()).isEqualTo(1);
    }

    @Test
    void startsFromAGovernedAuditValue() throws Exception {
        MemorySink memory = MemorySink.named("dispatcher-test");
        memory.clear();
        try (AuditDispatcher d = AuditDispatcher.start("memory:dispatcher-test", AuditSettings.defaults())) {
            d.submit(TestEvents.event(1));
            assertThat(d.flush(FLUSH)).isTrue();
            assertThat(d.sinks()).extracting(AuditSink::describe).containsExactly("memory:dispatcher-test");
        }
        assertThat(idsOf(memory.events())).containsExactly("evt-1");
    }
}
