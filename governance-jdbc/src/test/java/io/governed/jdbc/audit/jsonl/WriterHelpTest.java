package io.governed.jdbc.audit.jsonl;

import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.DeliveryMode;
import io.governed.jdbc.audit.PreparingAuditSink;
import io.governed.jdbc.audit.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * The jsonl writer encodes events itself while it keeps up; when a quarter of its queue is waiting while it writes,
 * the threads that submit events encode them (up to their place in the chain) for it. Events that gather while it
 * sleeps out its flush window are its own to encode, however many. Either way, every event lands once, in order, and
 * the chain verifies: a batch of mixed items is one log.
 */
class WriterHelpTest {

    @TempDir
    Path dir;

    @Test
    void eventsThatComeSlowlyAreEncodedByTheWriter() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        Counting sink = new Counting(JsonlSink.open(JsonlOptions.parse(log.toString())));
        sink.release.countDown(); // nothing holds this writer
        AuditDispatcher dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults().withQueueCapacity(64));
        try {
            for (int i = 0; i < 40; i++) {
                dispatcher.submit(TestEvents.event(i));
                assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();
            }
        } finally {
            dispatcher.close();
        }
        assertThat(sink.prepared.get()).isZero();
        assertThat(sink.written.get()).isEqualTo(40);
        assertLog(log, 40);
    }

    @Test
    void eventsThatGatherInAWindowAreEncodedByTheWriterHoweverMany() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        Counting sink = new Counting(JsonlSink.open(JsonlOptions.parse(log.toString())));
        sink.release.countDown(); // nothing holds this writer
        AuditDispatcher dispatcher = AuditDispatcher.start(List.of(sink),
                AuditSettings.defaults().withQueueCapacity(64).withFlushInterval(Duration.ofHours(1)));
        try {
            for (int i = 0; i < 30; i++) { // more than a quarter of the queue waits, less than the half that wakes it
                dispatcher.submit(TestEvents.event(i));
            }
            assertThat(sink.written.get()).as("the writer is still sleeping out its window").isZero();
            assertThat(sink.prepared.get()).as("no submitting thread encoded an event for a writer that is not behind")
                    .isZero();
            assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();
        } finally {
            dispatcher.close();
        }
        assertThat(sink.written.get()).isEqualTo(30);
        assertThat(sink.eventsWrittenAsTheyAre).hasSize(30);
        assertLog(log, 30);
    }

    @Test
    void aWriterThatFallsBehindIsHelpedByTheSubmittingThreads() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        Counting sink = new Counting(JsonlSink.open(JsonlOptions.parse(log.toString())));
        AuditDispatcher dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults().withQueueCapacity(64));
        try {
            dispatcher.submit(TestEvents.event(0));
            assertThat(sink.entered.await(10, TimeUnit.SECONDS)).as("the writer took the first event").isTrue();
            for (int i = 1; i <= 60; i++) { // the writer is held in its first write: the queue fills
                dispatcher.submit(TestEvents.event(i));
            }
            // 64 in the queue at most, a quarter of it (16) waiting, while the writer writes, before submitters prepare
            assertThat(sink.prepared.get()).isGreaterThanOrEqualTo(60 - 16);
            sink.release.countDown();
            assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();
        } finally {
            sink.release.countDown();
            dispatcher.close();
        }
        assertThat(sink.written.get()).isEqualTo(61);
        assertThat(sink.mixedBatches.get()).as("a batch held events and prepared lines").isPositive();
        assertLog(log, 61);
    }

    @Test
    void anEventItsSinkCannotPrepareIsQueuedAsItIsAndWrittenInItsPlace() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        Counting sink = new Counting(JsonlSink.open(JsonlOptions.parse(log.toString())));
        sink.failPrepareOf = "evt-3";
        AuditDispatcher dispatcher = AuditDispatcher.start(List.of(sink),
                AuditSettings.defaults().withMode(DeliveryMode.DROP).withQueueCapacity(8));
        try {
            dispatcher.submit(TestEvents.event(0));
            assertThat(sink.entered.await(10, TimeUnit.SECONDS)).as("the writer took the first event").isTrue();
            for (int i = 1; i <= 8; i++) { // the writer is held: from the third on the submitters prepare; evt-3 fails
                dispatcher.submit(TestEvents.event(i));
            }
            assertThat(dispatcher.droppedEvents()).as("the unprepared event took one of the eight places").isZero();
            dispatcher.submit(TestEvents.event(9));
            assertThat(dispatcher.droppedEvents()).as("a ninth waiting event finds the queue full").isEqualTo(1);
            sink.release.countDown();
            assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();
        } finally {
            sink.release.countDown();
            dispatcher.close();
        }
        assertThat(sink.written.get()).isEqualTo(9);
        assertThat(sink.eventsWrittenAsTheyAre).as("evt-3 reached the sink as the event itself, its neighbours prepared")
                .contains("evt-3").doesNotContain("evt-4", "evt-8");
        assertLog(log, 9);
    }

    private static void assertLog(Path log, int events) throws IOException {
        ChainVerifier.Result result = JsonlFixtures.verify(log);
        assertThat(result.ok()).as("%s", result.problem()).isTrue();
        assertThat(result.events()).isEqualTo(events);
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (int i = 0; i < events; i++) {
            assertThat(lines.get(i)).contains("\"event_id\":\"evt-" + i + "\"");
        }
    }

    /** The jsonl sink, counting how events reach it; its first write waits until released. */
    private static final class Counting implements PreparingAuditSink {
        private final JsonlSink sink;
        final AtomicInteger prepared = new AtomicInteger();
        final AtomicInteger written = new AtomicInteger();
        final AtomicInteger mixedBatches = new AtomicInteger();
        /** The ids of the events handed to {@link #writeItems} as events, not prepared. */
        final List<String> eventsWrittenAsTheyAre = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        /** The id of an event whose {@link #prepare} throws, against the interface's contract; null for none. */
        volatile String failPrepareOf;
        private boolean first = true;

        Counting(JsonlSink sink) {
            this.sink = sink;
        }

        @Override
        public Object prepare(AuditEvent event) {
            if (event.eventId().equals(failPrepareOf)) {
                throw new IllegalStateException("this test's sink cannot prepare " + event.eventId());
            }
            prepared.incrementAndGet();
            return sink.prepare(event);
        }

        @Override
        public void writeItems(List<?> items) throws IOException {
            if (first) {
                first = false;
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            items.stream().filter(AuditEvent.class::isInstance).map(e -> ((AuditEvent) e).eventId())
                    .forEach(eventsWrittenAsTheyAre::add);
            long events = items.stream().filter(AuditEvent.class::isInstance).count();
            if (events > 0 && events < items.size()) {
                mixedBatches.incrementAndGet();
            }
            sink.writeItems(items);
            written.addAndGet(items.size());
        }

        @Override
        public void write(List<AuditEvent> events) throws IOException {
            writeItems(events);
        }

        @Override
        public void sync() throws IOException {
            sink.sync();
        }

        @Override
        public String describe() {
            return sink.describe();
        }

        @Override
        public void close() throws IOException {
            sink.close();
        }
    }
}
