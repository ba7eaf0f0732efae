package io.governed.jdbc.audit;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded queue between the threads that run statements and one sink's writer. Handing an
 * event over is a counter increment and a lock-free enqueue: no lock, and no wake-up of the writer
 * per event, which on a small machine would cost a context switch per statement. The writer polls
 * instead, parking a little longer each time it finds nothing (up to {@value #LONGEST_IDLE_PARK_MILLIS}
 * ms), and is woken early only when the queue is half full.
 */
final class EventQueue {
    private static final long SHORTEST_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    static final long LONGEST_IDLE_PARK_MILLIS = 10;
    private static final long LONGEST_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(LONGEST_IDLE_PARK_MILLIS);

    private final ConcurrentLinkedQueue<AuditEvent> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;
    private volatile Thread consumer;

    EventQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** The thread that takes events: woken early when the queue fills up. */
    void consumer(Thread thread) {
        this.consumer = thread;
    }

    /** Queues the event when there is room now. */
    boolean offer(AuditEvent event) {
        int now = size.incrementAndGet();
        if (now > capacity) {
            size.decrementAndGet();
            return false;
        }
        events.offer(event);
        if (now == capacity / 2 + 1) {
            Thread c = consumer;
            if (c != null) {
                LockSupport.unpark(c);
            }
        }
        return true;
    }

    /** Queues the event when there is room within {@code timeoutNanos}. */
    boolean offer(AuditEvent event, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        long pause = SHORTEST_PARK_NANOS;
        while (!offer(event)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            pause = park(Math.min(pause, left), pause);
        }
        return true;
    }

    /** Queues the event, waiting as long as it takes for room. */
    void put(AuditEvent event) throws InterruptedException {
        long pause = SHORTEST_PARK_NANOS;
        while (!offer(event)) {
            pause = park(pause, pause);
        }
    }

    /** The oldest event, waiting up to {@code timeoutNanos} for one; {@code null} when none came. */
    AuditEvent poll(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        long pause = SHORTEST_PARK_NANOS;
        while (true) {
            AuditEvent event = poll();
            if (event != null) {
                return event;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            pause = park(Math.min(pause, left), pause);
        }
    }

    /** Moves up to {@code max} queued events into {@code into}; returns how many. */
    int drainTo(List<AuditEvent> into, int max) {
        int moved = 0;
        while (moved < max) {
            AuditEvent event = poll();
            if (event == null) {
                break;
            }
            into.add(event);
            moved++;
        }
        return moved;
    }

    int size() {
        return size.get();
    }

    int remainingCapacity() {
        return Math.max(0, capacity - size.get());
    }

    private AuditEvent poll() {
        AuditEvent event = events.poll();
        if (event != null) {
            size.decrementAndGet();
        }
        return event;
    }

    /** Parks for {@code nanos}; returns the next, longer pause. */
    private static long park(long nanos, long pause) throws InterruptedException {
        LockSupport.parkNanos(nanos);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return Math.min(pause * 2, LONGEST_PARK_NANOS);
    }
}
