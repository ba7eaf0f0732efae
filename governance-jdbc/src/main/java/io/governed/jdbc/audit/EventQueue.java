package io.governed.jdbc.audit;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded queue between the threads that run statements and one sink's writer. It holds events, or
 * what a {@link PreparingAuditSink} made of them on the submitting thread.
 *
 * <p>Handing an event over is a counter increment and a lock-free enqueue: into a ring of slots, one per place in
 * the queue, when the capacity is at most {@value #RING_MAX} (the default's 8192 slots take 32 to 64 KB), so that
 * queueing allocates nothing and the writer takes each event with a read and a store (a linked queue allocated a
 * node per event on the submitting thread, and the writer swapped each out with a compare-and-set); a larger capacity
 * is a linked queue, which takes memory only for what it holds. The writer is not woken
 * per event: it sleeps without a timeout while the queue is empty, is woken by the event that makes
 * the queue non-empty, and then sleeps for the rest of its flush window while events gather. Within
 * a window only three things wake it early: the queue reaching its {@linkplain #threshold()
 * threshold} (half full), a producer waiting for room ({@code block} and {@code required} modes
 * when the queue is full), and a caller waiting for the events to be written ({@link
 * SinkWriter#awaitWritten}). So a steady stream of events costs one wake-up per window, whatever the
 * rate, and an idle queue costs nothing: the writer is parked, not polling.
 */
final class EventQueue {
    /** The writer is writing or about to: producers need not wake it. */
    private static final int RUNNING = 0;
    /** The writer sleeps until an event comes. */
    private static final int IDLE = 1;
    /** The writer sleeps until its window ends, the queue reaches its threshold, or someone waits. */
    private static final int WINDOW = 2;
    private static final AtomicIntegerFieldUpdater<EventQueue> STATE =
            AtomicIntegerFieldUpdater.newUpdater(EventQueue.class, "state");

    /** The largest capacity queued in a ring of slots; above it, in a linked queue. */
    static final int RING_MAX = 1 << 16;

    /**
     * The ring: slot {@code i & mask} holds the item of the {@code i}-th publication until the writer takes it, and is
     * {@code null} otherwise; {@code null} when the capacity is above {@link #RING_MAX}. The ring has at least as many
     * slots as the queue has places, and a producer takes an index only with a place reserved ({@link #reserve}),
     * given back ({@link #size} lowered) only once the writer has emptied the item's slot: so the slot of index
     * {@code i} is empty again before index {@code i + slots} is taken.
     */
    private final AtomicReferenceArray<Object> ring;
    private final int mask;
    /** The next index a producer takes (wrapping around: only its low bits are used). */
    private final AtomicInteger tail = new AtomicInteger();
    /** The next index the writer takes from the ring; the writer's alone. */
    private int head;
    /** The queue when the capacity is above {@link #RING_MAX}; else {@code null}. */
    private final ConcurrentLinkedQueue<Object> linked;
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger waiters = new AtomicInteger();
    private final Object room = new Object();
    private final int capacity;
    private final int threshold;
    private volatile int state = RUNNING;
    private volatile Thread consumer;

    EventQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        this.threshold = Math.max(1, capacity / 2);
        if (capacity <= RING_MAX) {
            int slots = Integer.highestOneBit(capacity) == capacity ? capacity : Integer.highestOneBit(capacity) << 1;
            this.ring = new AtomicReferenceArray<>(slots);
            this.mask = slots - 1;
            this.linked = null;
        } else {
            this.ring = null;
            this.mask = 0;
            this.linked = new ConcurrentLinkedQueue<>();
        }
    }

    /** The thread that takes events. */
    void consumer(Thread thread) {
        this.consumer = thread;
    }

    /** Events in the queue that end the writer's window early: half the capacity. */
    int threshold() {
        return threshold;
    }

    /** Queues the event when there is room now. */
    boolean offer(Object event) {
        int now = reserve();
        if (now == 0) {
            return false;
        }
        publish(event, now);
        return true;
    }

    /**
     * Takes a place in the queue when there is room now, for an item the caller then {@linkplain #publish publishes}
     * (it must, exactly once): returns the queue's size with that place, which tells the caller how far the writer is
     * behind without another look at the size; 0 when the queue is full (nothing taken).
     */
    int reserve() {
        int now = size.incrementAndGet();
        if (now > capacity) {
            size.decrementAndGet();
            return 0;
        }
        return now;
    }

    /** Gives back a place {@link #reserve} took, for an item that could not be made. */
    void release() {
        size.decrementAndGet();
    }

    /** Queues {@code item} in the place {@link #reserve} took, {@code now} being what it returned. */
    void publish(Object item, int now) {
        if (ring != null) {
            int slot = tail.getAndIncrement() & mask;
            while (ring.getAcquire(slot) != null) {
                Thread.onSpinWait(); // not seen: the place reserved means the writer emptied the slot (see ring)
            }
            ring.setRelease(slot, item);
        } else {
            linked.offer(item);
        }
        int s = state;
        if (s == IDLE || (s == WINDOW && now >= threshold)) {
            wake(s);
        }
    }

    /** Queues the event when there is room within {@code timeoutNanos}. */
    boolean offer(Object event, long timeoutNanos) throws InterruptedException {
        if (offer(event)) {
            return true;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        waiters.incrementAndGet();
        try {
            wakeNow();
            synchronized (room) {
                while (!offer(event)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(room, left);
                }
                return true;
            }
        } finally {
            waiters.decrementAndGet();
        }
    }

    /** Queues the event, waiting as long as it takes for room. */
    void put(Object event) throws InterruptedException {
        if (offer(event)) {
            return;
        }
        waiters.incrementAndGet();
        try {
            wakeNow();
            synchronized (room) {
                while (!offer(event)) {
                    room.wait();
                }
            }
        } finally {
            waiters.decrementAndGet();
        }
    }

    /** Registers a caller that waits for the queued events to be written: the writer stops waiting for its window. */
    void waiterArrives() {
        waiters.incrementAndGet();
        wakeNow();
    }

    void waiterLeaves() {
        waiters.decrementAndGet();
    }

    /** True when someone waits for room or for the events to be written. */
    boolean awaited() {
        return waiters.get() > 0;
    }

    /**
     * Writer side: sleeps until there is an event (or {@code stop} says to look again). Returns at
     * once when the queue is not empty.
     */
    void awaitEvent(java.util.function.BooleanSupplier stop) {
        while (size.get() == 0 && !stop.getAsBoolean()) {
            state = IDLE;
            if (size.get() == 0 && !stop.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
                LockSupport.park(this);
            }
            state = RUNNING;
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    /**
     * Writer side: sleeps until {@code deadlineNanos}, or until the queue reaches its threshold,
     * someone waits, or {@code stop} says to go on.
     */
    void awaitWindow(long deadlineNanos, java.util.function.BooleanSupplier stop) {
        while (true) {
            if (size.get() >= threshold || awaited() || stop.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                return;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return;
            }
            state = WINDOW;
            if (size.get() < threshold && !awaited() && !stop.getAsBoolean()) {
                LockSupport.parkNanos(this, left);
            }
            state = RUNNING;
        }
    }

    /** Wakes the writer wherever it sleeps (used when closing and by waiters). */
    void wakeNow() {
        state = RUNNING;
        Thread c = consumer;
        if (c != null) {
            LockSupport.unpark(c);
        }
    }

    private void wake(int seen) {
        if (STATE.compareAndSet(this, seen, RUNNING)) {
            Thread c = consumer;
            if (c != null) {
                LockSupport.unpark(c);
            }
        }
    }

    /**
     * Writer side, and the writer's alone (one thread takes from the ring): moves up to {@code max} queued events into
     * {@code into}; returns how many. Tells producers waiting for room.
     */
    int drainTo(List<Object> into, int max) {
        int moved = 0;
        while (moved < max) {
            Object event;
            if (ring != null) {
                int slot = head & mask;
                event = ring.getAcquire(slot);
                if (event == null) {
                    break; // not published yet (its place is reserved): the items after it wait for it, in order
                }
                ring.setRelease(slot, null); // emptied before the place is given back below
                head++;
            } else {
                event = linked.poll();
                if (event == null) {
                    break;
                }
            }
            into.add(event);
            moved++;
        }
        if (moved > 0) {
            size.addAndGet(-moved); // once per batch; until then producers see the queue as fuller than it is
        }
        if (moved > 0 && waiters.get() > 0) {
            synchronized (room) {
                room.notifyAll();
            }
        }
        return moved;
    }

    int size() {
        return size.get();
    }

    int remainingCapacity() {
        return Math.max(0, capacity - size.get());
    }
}
