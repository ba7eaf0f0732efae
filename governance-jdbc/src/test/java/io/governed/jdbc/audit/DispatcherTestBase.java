package io.governed.jdbc.audit;

import org.junit.jupiter.api.AfterEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

/**
 * What the tests of the dispatcher's writer threads share: dispatchers started with a short retry backoff and
 * closed after each test, event ids by number, and a generous wait for what the writer brings about.
 */
abstract class DispatcherTestBase {

    static final Duration PATIENCE = Duration.ofSeconds(10);

    private final List<AuditDispatcher> started = new ArrayList<>();

    AuditDispatcher start(AuditSettings settings, AuditSink... sinks) {
        return closedAfterTheTest(AuditDispatcher.start(List.of(sinks), settings.withRetryBackoff(Duration.ofMillis(20))));
    }

    /** Closes {@code d} after the test. */
    AuditDispatcher closedAfterTheTest(AuditDispatcher d) {
        started.add(d);
        return d;
    }

    @AfterEach
    void closeAll() {
        started.forEach(AuditDispatcher::close);
    }

    /** The ids of {@link TestEvents#event(long)} from {@code from} (included) to {@code to} (excluded). */
    static List<String> ids(long from, long to) {
        return LongStream.range(from, to).mapToObj(i -> "evt-" + i).toList();
    }

    static List<String> idsOf(List<AuditEvent> events) {
        return events.stream().map(AuditEvent::eventId).toList();
    }

    /** Whether {@code required}-mode dispatcher {@code d} refuses statements now, saying {@code why}. */
    static boolean refuses(AuditDispatcher d, String why) {
        try {
            d.checkAvailable();
            return false;
        } catch (AuditUnavailableException refused) {
            return refused.getMessage().contains(why);
        }
    }

    /** Waits (up to a generous bound, not a timing assertion) for a condition the writer brings about. */
    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(5);
        }
        return condition.getAsBoolean();
    }
}
