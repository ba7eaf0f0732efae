package io.governed.jdbc.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One sink's queue and the thread that empties it into the sink once per flush window
 * ({@link AuditSettings#flushInterval()}): everything queued, in batches of at most
 * {@link AuditSettings#batchSize()}, then one {@link AuditSink#sync()}. A failing write or sync is
 * held and retried (with doubling pauses up to {@link AuditSettings#retryBackoff()}) until it
 * succeeds. See {@link EventQueue} for when the writer wakes.
 *
 * <p>For a sink that {@linkplain AuditSink#syncsConcurrently() syncs concurrently} (the jsonl sink), a second
 * thread makes the written events durable while the writer goes on writing: the writer hands it the count of each
 * round's events, and it syncs once for all rounds handed over since its last sync (group commit). It sleeps
 * while there is nothing to sync and is woken once per round. Events count as written only once synced, on
 * either path.
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
    /** The queue depth from which submitting threads prepare events for a {@link PreparingAuditSink}. */
    private final int prepareFrom;
    /** The batch being written (and retried while the sink fails): events, or their prepared forms. */
    private final List<Object> batch;
    private final SinkCall writeBatch;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /** The thread that syncs a sink that {@linkplain AuditSink#syncsConcurrently() syncs concurrently}; else null. */
    private final Thread syncThread;
    /** Events handed to the sink by the writer and not yet synced by {@link #syncThread}. */
    private final AtomicInteger toSync = new AtomicInteger();
    private volatile boolean writerDone;

    private volatile long written;
    private volatile int held;
    /** Why the sink's last write failed, while it keeps failing; {@code null} once a write succeeds. */
    private volatile Exception writeFailure;
    /** Why the sink's last sync failed, while it keeps failing; {@code null} once a sync succeeds. */
    private volatile Exception syncFailure;
    private volatile boolean stopping;
    private volatile long lost;
    private volatile long syncLost;
    /** Events handed to the sink in this round and not yet synced. */
    private volatile int unsynced;

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
     * behind (a quarter of the queue's capacity waiting), its prepared form, made here on the submitting thread.
     */
    private Object item(AuditEvent event) {
        return preparing != null && queue.size() >= prepareFrom ? preparing.prepare(event) : event;
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

    /** Queues the event, waiting as long as it takes for room. */
    void put(AuditEvent event) throws InterruptedException {
        queue.put(item(event));
        accepted.incrementAndGet();
    }

    /** Queues the event if there is room within the timeout. */
    boolean offer(AuditEvent event, Duration timeout) throws InterruptedException {
        Object item = item(event);
        boolean queued = timeout.isZero() ? queue.offer(item) : queue.offer(item, timeout.toNanos());
        if (queued) {
            accepted.incrementAndGet();
        }
        return queued;
    }

    /** Queues the event if there is room now; counts it as dropped otherwise. */
    boolean offerOrDrop(AuditEvent event) {
        // a full queue drops the event without preparing it
        if (queue.remainingCapacity() > 0 && queue.offer(item(event))) {
            accepted.incrementAndGet();
            return true;
        }
        dropped.incrementAndGet();
        return false;
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
        return queue.size() + held + unsynced + toSync.get();
    }

    long accepted() {
        return accepted.get();
    }

    long dropped() {
        return dropped.get();
    }

    /** Events that could not be written before the writer had to stop. */
    long lost() {
        return lost + syncLost;
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
            long left = batch.size() + queue.size() + unsynced;
            lost = left;
            if (left > 0) {
                LOG.error("Audit sink {}: {} audit events could not be written before shutdown ({})",
                        sink.describe(), left, failure() == null ? "the sink was too slow" : "the sink kept failing: " + failure());
            }
        } catch (RuntimeException | Error e) {
            LOG.error("Audit sink {}: the writer stopped unexpectedly; {} events are not written", sink.describe(), batch.size() + queue.size() + unsynced, e);
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
     * The sync thread: sleeps until the writer hands over written events, syncs once for all handed over so far,
     * and counts them as written; ends when the writer has ended and nothing is left to sync.
     */
    private void syncLoop() {
        try {
            while (true) {
                int count = toSync.get();
                if (count == 0) {
                    if (writerDone) {
                        if (toSync.get() == 0) {
                            return;
                        }
                        continue;
                    }
                    LockSupport.park(this);
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    continue;
                }
                retry(sync, count, true);
                toSync.addAndGet(-count);
                onWritten(count);
            }
        } catch (InterruptedException e) {
            int left = toSync.get();
            syncLost = left;
            if (left > 0) {
                LOG.error("Audit sink {}: {} written audit events could not be made durable before shutdown ({})",
                        sink.describe(), left, syncFailure == null ? "the sink was too slow" : "the sink kept failing: " + syncFailure);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("Audit sink {}: the sync thread stopped unexpectedly; {} written events are not made durable",
                    sink.describe(), toSync.get(), e);
            syncFailure = e instanceof Exception ex ? ex : new IllegalStateException(e);
            throw e;
        }
    }

    /** Writes what is queued now (not what comes meanwhile, beyond one queue's worth) and syncs once. */
    private void writeRound() throws InterruptedException {
        int budget = Math.max(queue.size(), 1);
        while (budget > 0) {
            if (queue.drainTo(batch, Math.min(settings.batchSize(), budget)) == 0) {
                break;
            }
            budget -= batch.size();
            held = batch.size();
            retry(writeBatch, batch.size(), false);
            unsynced += batch.size();
            held = 0;
            batch.clear();
        }
        if (unsynced > 0) {
            int count = unsynced;
            if (syncThread != null) {
                toSync.addAndGet(count);
                unsynced = 0;
                LockSupport.unpark(syncThread);
            } else {
                retry(sync, count, true);
                unsynced = 0;
                onWritten(count);
            }
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

    private void onWritten(int count) {
        synchronized (progress) {
            written += count;
            progress.notifyAll();
        }
    }
}
