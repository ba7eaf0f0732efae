package io.governed.jdbc.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One sink's queue and the thread that empties it into the sink once per flush window
 * ({@link AuditSettings#flushInterval()}): everything queued, in batches of at most
 * {@link AuditSettings#batchSize()}, then one {@link AuditSink#sync()}. A failing write or sync is
 * held and retried (with doubling pauses up to {@link AuditSettings#retryBackoff()}) until it
 * succeeds. See {@link EventQueue} for when the writer wakes.
 *
 * <p>For a sink that {@linkplain AuditSink#syncsConcurrently() syncs concurrently} (the jsonl sink), a round of
 * at least a quarter of the queue's capacity (a busy writer, or a flush window that gathered that many) is synced by
 * a second thread, while the writer goes on writing the next round; one sync there covers every round written before
 * it began (group commit). Smaller rounds are synced by the writer itself, as for any sink: at low rates a second
 * thread's wake-up per window would cost more than the overlap saves. The sync thread sleeps while there is nothing to
 * sync. Either way a sync covers every event handed to the sink before it began, and events count as written only once
 * such a sync succeeded.
 */
final class SinkWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkWriter.class);
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final AuditSink sink;
    private final AuditSettings settings;
    private final EventQueue queue;
    private final Thread thread;
    private final Object progress = new Object();
    private final java.util.function.BooleanSupplier stop = () -> this.stopping;
    private final SinkCall sync;
    /** The sink as a preparing sink, or {@code null} when it takes events as they are. */
    private final PreparingAuditSink preparing;
    /** The queue depth from which submitting threads prepare events for a {@link PreparingAuditSink}, while it writes. */
    private final int prepareFrom;
    /** The batch being written (and retried while the sink fails): events, or their prepared forms. */
    private final List<Object> batch;
    private final SinkCall writeBatch;
    /** Counted per submitting thread's cell: one shared counter would be one more cache line the threads pass around. */
    private final LongAdder accepted = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    /** Whether the sink's {@code prepare} has failed and been warned about. */
    private final AtomicBoolean prepareFailureReported = new AtomicBoolean();

    /** The thread that syncs a sink that {@linkplain AuditSink#syncsConcurrently() syncs concurrently}; else null. */
    private final Thread syncThread;
    private volatile boolean writerDone;

    /** Events handed to the sink (written by it) so far. */
    private volatile long handed;
    /**
     * Events handed to the sink up to the last round the writer handed over to the sync thread: the sync thread syncs
     * only while these are not all written (or once the writer has ended), never a small round the writer syncs itself.
     */
    private volatile long handedOver;
    /** Events handed to the sink and synced after that, so far: the events written. */
    private volatile long written;
    private volatile int held;
    /**
     * Whether the writer is writing a round: only then does a deep queue say that it is behind. While it sleeps out a
     * flush window the queue fills on purpose (a 100 ms window at 30,000 events a second gathers 3,000).
     */
    private volatile boolean writing;
    /** Why the sink's last write failed, while it keeps failing; {@code null} once a write succeeds. */
    private volatile Exception writeFailure;
    /** Why the sink's last sync failed, while it keeps failing; {@code null} once a sync succeeds. */
    private volatile Exception syncFailure;
    private volatile boolean stopping;
    private volatile long lost;

    SinkWriter(AuditSink sink, AuditSettings settings) {
        this.sink = sink;
        this.settings = settings;
        this.queue = new EventQueue(settings.queueCapacity());
        this.thread = new Thread(this, "governed-audit-" + sink.describe());
        this.thread.setDaemon(true);
        this.queue.consumer(thread);
        this.sync = sink::sync;
        this.batch = new ArrayList<>(Math.min(settings.batchSize(), 4096));
        this.preparing = sink instanceof PreparingAuditSink p ? p : null;
        this.prepareFrom = Math.max(1, queue.threshold() / 2);
        this.writeBatch = preparing != null ? () -> preparing.writeItems(batch) : () -> sink.write(events(batch));
        if (sink.syncsConcurrently()) {
            this.syncThread = new Thread(this::syncLoop, "governed-audit-sync-" + sink.describe());
            this.syncThread.setDaemon(true);
        } else {
            this.syncThread = null;
        }
    }

    /** The batch of a sink that takes events as they are: it holds nothing else. */
    @SuppressWarnings("unchecked")
    private static List<AuditEvent> events(List<?> batch) {
        return (List<AuditEvent>) batch;
    }

    /**
     * What is queued for the event: the event itself, or, when the sink prepares events and the writer has fallen
     * behind (it is writing a round while {@code depth}, the queue's size with the event, is at least a quarter of the
     * queue's capacity), its prepared form, made here on the submitting thread. Events that gather while the writer
     * sleeps out its window are queued as they are, however many: the writer encodes them in its next round. A sink
     * whose {@link PreparingAuditSink#prepare} throws (against its contract) has the event queued as it is: the writer
     * hands it to the sink as it hands every event while it keeps up, and a sink that cannot write it there either
     * fails where failed writes are held and retried. The statement that submitted it is not failed for it (it may
     * have run already).
     */
    private Object item(AuditEvent event, int depth) {
        if (preparing == null || depth < prepareFrom || !writing) {
            return event;
        }
        try {
            return preparing.prepare(event);
        } catch (RuntimeException e) {
            prepareFailed(e);
            return event;
        }
    }

    /** Warns once per sink that its {@code prepare} failed (naming the exception's class: its message may quote the event). */
    private void prepareFailed(RuntimeException e) {
        if (prepareFailureReported.compareAndSet(false, true)) {
            LOG.warn("Audit sink {}: prepare failed ({}), against PreparingAuditSink's contract; events it cannot prepare"
                    + " are queued as they are and written by its writer thread", sink.describe(), e.getClass().getName());
        } else {
            LOG.debug("Audit sink {}: prepare failed again ({})", sink.describe(), e.getClass().getName());
        }
    }

    void start() {
        thread.start();
        if (syncThread != null) {
            syncThread.start();
        }
    }

    AuditSink sink() {
        return sink;
    }

    /**
     * Queues the event (or its prepared form) if there is room now: the place is taken first, and its size tells
     * whether to prepare the event; the place is given back when preparing it ends in an error (out of memory, say).
     */
    private boolean queuedNow(AuditEvent event) {
        int now = queue.reserve();
        if (now == 0) {
            return false;
        }
        Object item;
        try {
            item = item(event, now);
        } catch (RuntimeException | Error e) {
            queue.release(); // nothing is queued in the place taken: given back
            throw e;
        }
        queue.publish(item, now);
        return true;
    }

    /** Queues the event, waiting as long as it takes for room. */
    void put(AuditEvent event) throws InterruptedException {
        if (!queuedNow(event)) {
            queue.put(item(event, Integer.MAX_VALUE)); // full: the writer is behind
        }
        accepted.increment();
    }

    /** Queues the event if there is room within the timeout. */
    boolean offer(AuditEvent event, Duration timeout) throws InterruptedException {
        if (!queuedNow(event)
                && (timeout.isZero() || !queue.offer(item(event, Integer.MAX_VALUE), timeout.toNanos()))) {
            return false;
        }
        accepted.increment();
        return true;
    }

    /** Queues the event if there is room now; counts it as dropped otherwise. */
    boolean offerOrDrop(AuditEvent event) {
        if (!queuedNow(event)) {
            dropped.increment(); // a full queue drops the event without preparing it
            return false;
        }
        accepted.increment();
        return true;
    }

    /** The exception of the sink's last write while it keeps failing, or {@code null} when it works. */
    Exception failure() {
        Exception w = writeFailure;
        return w != null ? w : syncFailure;
    }

    boolean full() {
        return queue.remainingCapacity() == 0;
    }

    /** Events queued or held for a retry, not yet written. */
    int depth() {
        return queue.size() + held + (int) (handed - written);
    }

    long accepted() {
        return accepted.sum();
    }

    long dropped() {
        return dropped.sum();
    }

    /** Events that could not be written (or synced) before the writer had to stop; meaningful once it stopped. */
    long lost() {
        return lost + (handed - written);
    }

    /** Waits until {@code count} events in all have been written, or the deadline passes. */
    boolean awaitWritten(long count, long deadlineNanos) throws InterruptedException {
        if (written >= count) {
            return true;
        }
        queue.waiterArrives();
        try {
            synchronized (progress) {
                while (written < count) {
                    long wait = deadlineNanos - System.nanoTime();
                    if (wait <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(progress, wait);
                }
                return true;
            }
        } finally {
            queue.waiterLeaves();
        }
    }

    /** Asks the writer to write what is queued and stop; it keeps retrying a failing sink until interrupted. */
    void stop() {
        stopping = true;
        queue.wakeNow();
    }

    /** Waits for the writer (and the sync thread) to stop; interrupts them (giving up on what is left) at the deadline. */
    void awaitStop(long deadlineNanos) throws InterruptedException {
        awaitStop(thread, deadlineNanos);
        if (syncThread != null) {
            awaitStop(syncThread, deadlineNanos);
        }
    }

    private static void awaitStop(Thread t, long deadlineNanos) throws InterruptedException {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
        if (t.isAlive()) {
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(1));
        }
    }

    /** The writer's thread: parked while there is nothing to write. */
    Thread thread() {
        return thread;
    }

    /** The sync thread, or {@code null} when the writer syncs the sink itself. */
    Thread syncThread() {
        return syncThread;
    }

    /**
     * One round per flush window: sleep until an event comes, sleep out the window while more come
     * (or until the queue is half full, or someone waits), then hand everything queued to the sink in
     * batches and make it durable once ({@link AuditSink#sync()}). A failing write or sync is retried,
     * with backoff, until it succeeds; events are counted as written only once synced.
     */
    @Override
    public void run() {
        long windowNanos = settings.flushInterval().toNanos();
        long lastRound = System.nanoTime();
        boolean idle = true;
        try {
            while (true) {
                queue.awaitEvent(stop);
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                if (queue.size() == 0) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                if (windowNanos > 0) {
                    // after a quiet spell the window opens with the first event; under load, windows follow each other
                    long deadline = (idle ? System.nanoTime() : lastRound) + windowNanos;
                    queue.awaitWindow(deadline, stop);
                }
                lastRound = System.nanoTime();
                writeRound();
                idle = queue.size() == 0;
            }
        } catch (InterruptedException e) {
            lost = batch.size() + queue.size();
            long left = lost + handed - written;
            if (left > 0) {
                LOG.error("Audit sink {}: {} audit events could not be written before shutdown ({})",
                        sink.describe(), left, failure() == null ? "the sink was too slow" : "the sink kept failing: " + failure());
            }
        } catch (RuntimeException | Error e) {
            LOG.error("Audit sink {}: the writer stopped unexpectedly; {} events are not written", sink.describe(),
                    batch.size() + queue.size() + handed - written, e);
            writeFailure = e instanceof Exception ex ? ex : new IllegalStateException(e);
            throw e;
        } finally {
            writerDone = true;
            if (syncThread != null) {
                LockSupport.unpark(syncThread);
            }
        }
    }

    /**
     * The sync thread: sleeps until the writer hands over a round, syncs once for every event handed to the sink
     * before the sync began, and counts them as written; ends when the writer has ended and nothing is left to sync.
     * A round the writer syncs itself is not synced here again, however the threads are scheduled: when this thread
     * starts, or wakes from a sync or from {@code park} for no reason, while the writer is syncing one.
     */
    private void syncLoop() {
        try {
            while (true) {
                boolean done = writerDone; // read before handed: a writer that is done hands over nothing more
                if (written >= (done ? handed : handedOver)) { // woken early, or by chance (park may return for no reason)
                    if (done) {
                        return;
                    }
                    LockSupport.park(this);
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    continue;
                }
                syncHanded();
            }
        } catch (InterruptedException e) {
            long left = handed - written;
            if (left > 0) {
                LOG.error("Audit sink {}: {} written audit events could not be made durable before shutdown ({})",
                        sink.describe(), left, syncFailure == null ? "the sink was too slow" : "the sink kept failing: " + syncFailure);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("Audit sink {}: the sync thread stopped unexpectedly; {} written events are not made durable",
                    sink.describe(), handed - written, e);
            syncFailure = e instanceof Exception ex ? ex : new IllegalStateException(e);
            throw e;
        }
    }

    /** Syncs the sink (retrying until it succeeds) and counts every event handed to it before as written. */
    private void syncHanded() throws InterruptedException {
        long covered = handed;
        retry(sync, (int) Math.min(Integer.MAX_VALUE, covered - written), true);
        onWritten(covered);
    }

    /**
     * Writes what is queued now (not what comes meanwhile, beyond one queue's worth) and syncs once (or hands the sync
     * to the sync thread); {@link #writing} while it runs, retries of a failing sink included.
     */
    private void writeRound() throws InterruptedException {
        writing = true;
        try {
            int round = queue.size();
            int budget = Math.max(round, 1);
            while (budget > 0) {
                if (queue.drainTo(batch, Math.min(settings.batchSize(), budget)) == 0) {
                    break;
                }
                budget -= batch.size();
                held = batch.size();
                retry(writeBatch, batch.size(), false);
                handed += batch.size(); // this thread alone adds to it
                held = 0;
                batch.clear();
            }
            if (handed > written) {
                if (syncThread != null && round >= prepareFrom) {
                    handedOver = handed;
                    LockSupport.unpark(syncThread);
                } else {
                    syncHanded();
                }
            }
        } finally {
            writing = false;
        }
    }

    private interface SinkCall {
        void run() throws Exception;
    }

    /** Runs a write ({@code isSync} false) or a sync until it succeeds, pausing with backoff after each failure. */
    private void retry(SinkCall call, int events, boolean isSync) throws InterruptedException {
        long backoff = FIRST_BACKOFF_NANOS;
        while (true) {
            try {
                call.run();
                if ((isSync ? syncFailure : writeFailure) != null) {
                    recovered(isSync);
                }
                return;
            } catch (Exception e) {
                onFailure(e, events, isSync);
                TimeUnit.NANOSECONDS.sleep(backoff);
                backoff = Math.min(backoff * 2, settings.retryBackoff().toNanos());
            }
        }
    }

    private void onFailure(Exception e, int batchSize, boolean isSync) {
        if (failure() == null) {
            LOG.error("Audit sink {} failed to {} {} events; holding them and retrying: {}", sink.describe(),
                    isSync ? "make durable" : "write", batchSize, e.toString());
        } else {
            LOG.debug("Audit sink {} still failing: {}", sink.describe(), e.toString());
        }
        if (isSync) {
            syncFailure = e;
        } else {
            writeFailure = e;
        }
    }

    private void recovered(boolean isSync) {
        if (isSync) {
            syncFailure = null;
        } else {
            writeFailure = null;
        }
        if (failure() == null) {
            LOG.warn("Audit sink {} works again; the events held while it failed are {}", sink.describe(),
                    isSync ? "written" : "being written");
        }
    }

    /** Counts the events up to {@code covered} (in the order handed to the sink) as written, once synced. */
    private void onWritten(long covered) {
        synchronized (progress) {
            if (covered > written) {
                written = covered;
                progress.notifyAll();
            }
        }
    }
}
