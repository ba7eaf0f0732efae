package io.governed.jdbc.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One sink's queue and the thread that empties it into the sink in batches, holding and retrying a
 * batch (with doubling pauses up to {@link AuditSettings#retryBackoff()}) while the sink fails.
 */
final class SinkWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkWriter.class);
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long IDLE_POLL_MILLIS = 100;

    private final AuditSink sink;
    private final AuditSettings settings;
    private final EventQueue queue;
    private final Thread thread;
    private final Object progress = new Object();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private volatile long written;
    private volatile int held;
    private volatile Exception failure;
    private volatile boolean stopping;
    private volatile long lost;

    SinkWriter(AuditSink sink, AuditSettings settings) {
        this.sink = sink;
        this.settings = settings;
        this.queue = new EventQueue(settings.queueCapacity());
        this.thread = new Thread(this, "governed-audit-" + sink.describe());
        this.thread.setDaemon(true);
        this.queue.consumer(thread);
    }

    void start() {
        thread.start();
    }

    AuditSink sink() {
        return sink;
    }

    /** Queues the event, waiting as long as it takes for room. */
    void put(AuditEvent event) throws InterruptedException {
        queue.put(event);
        accepted.incrementAndGet();
    }

    /** Queues the event if there is room within the timeout. */
    boolean offer(AuditEvent event, Duration timeout) throws InterruptedException {
        boolean queued = timeout.isZero() ? queue.offer(event) : queue.offer(event, timeout.toNanos());
        if (queued) {
            accepted.incrementAndGet();
        }
        return queued;
    }

    /** Queues the event if there is room now; counts it as dropped otherwise. */
    boolean offerOrDrop(AuditEvent event) {
        if (queue.offer(event)) {
            accepted.incrementAndGet();
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    /** The exception of the sink's last write while it keeps failing, or {@code null} when it works. */
    Exception failure() {
        return failure;
    }

    boolean full() {
        return queue.remainingCapacity() == 0;
    }

    /** Events queued or held for a retry, not yet written. */
    int depth() {
        return queue.size() + held;
    }

    long accepted() {
        return accepted.get();
    }

    long dropped() {
        return dropped.get();
    }

    /** Events that could not be written before the writer had to stop. */
    long lost() {
        return lost;
    }

    /** Waits until {@code count} events in all have been written, or the deadline passes. */
    boolean awaitWritten(long count, long deadlineNanos) throws InterruptedException {
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
    }

    /** Asks the writer to write what is queued and stop; it keeps retrying a failing sink until interrupted. */
    void stop() {
        stopping = true;
    }

    /** Waits for the writer to stop; interrupts it (giving up on what is left) at the deadline. */
    void awaitStop(long deadlineNanos) throws InterruptedException {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(1));
        }
    }

    @Override
    public void run() {
        List<AuditEvent> batch = new ArrayList<>(settings.batchSize());
        long backoff = FIRST_BACKOFF_NANOS;
        try {
            while (true) {
                if (batch.isEmpty() && !fill(batch)) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                try {
                    sink.write(batch);
                } catch (Exception e) {
                    onFailure(e, batch.size());
                    TimeUnit.NANOSECONDS.sleep(backoff);
                    backoff = Math.min(backoff * 2, settings.retryBackoff().toNanos());
                    continue;
                }
                onWritten(batch.size());
                batch.clear();
                backoff = FIRST_BACKOFF_NANOS;
            }
        } catch (InterruptedException e) {
            long left = batch.size() + queue.size();
            lost = left;
            if (left > 0) {
                LOG.error("Audit sink {}: {} audit events could not be written before shutdown ({})",
                        sink.describe(), left, failure == null ? "the sink was too slow" : "the sink kept failing: " + failure);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("Audit sink {}: the writer stopped unexpectedly; {} events are not written", sink.describe(), batch.size() + queue.size(), e);
            failure = e instanceof Exception ex ? ex : new IllegalStateException(e);
            throw e;
        }
    }

    /** Takes the next batch from the queue; false when nothing came within the idle poll. */
    private boolean fill(List<AuditEvent> batch) throws InterruptedException {
        AuditEvent first = queue.poll(TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS));
        if (first == null) {
            return false;
        }
        batch.add(first);
        queue.drainTo(batch, settings.batchSize() - 1);
        long flushNanos = settings.flushInterval().toNanos();
        if (flushNanos > 0) {
            long deadline = System.nanoTime() + flushNanos;
            while (batch.size() < settings.batchSize() && !stopping) {
                AuditEvent next = queue.poll(deadline - System.nanoTime());
                if (next == null) {
                    break;
                }
                batch.add(next);
                queue.drainTo(batch, settings.batchSize() - batch.size());
            }
        }
        held = batch.size();
        return true;
    }

    private void onFailure(Exception e, int batchSize) {
        if (failure == null) {
            LOG.error("Audit sink {} failed to write {} events; holding them and retrying: {}", sink.describe(), batchSize, e.toString());
        } else {
            LOG.debug("Audit sink {} still failing: {}", sink.describe(), e.toString());
        }
        failure = e;
    }

    private void onWritten(int count) {
        if (failure != null) {
            LOG.warn("Audit sink {} works again; the events held while it failed are written", sink.describe());
            failure = null;
        }
        held = 0;
        synchronized (progress) {
            written += count;
            progress.notifyAll();
        }
    }
}
