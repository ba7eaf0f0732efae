package io.governed.jdbc.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes audit events from the statement path and delivers them to the sinks asynchronously: each
 * sink has a bounded queue and a writer thread that hands it events in batches, retrying with
 * backoff while it fails. A writer writes once per flush window ({@link AuditSettings#flushInterval()},
 * 100ms by default) and syncs once after that write (group commit); it is not woken per event, and
 * parks while there is nothing to write. What happens when a sink cannot keep up or is down is the
 * {@link DeliveryMode}.
 *
 * <p>The statement path calls {@link #checkAvailable()} before it runs a statement (in
 * {@code required} mode this refuses the statement while the audit trail cannot take events) and
 * {@link #submit(AuditEvent)} with the statement's event afterwards (or with the denial, when the
 * statement was refused). Both are cheap and safe to call from any thread.
 *
 * <p>{@link #close()} writes what is queued (waiting up to {@link AuditSettings#closeTimeout()}) and
 * closes the sinks; a JVM shutdown hook does the same for a dispatcher that is still open.
 */
public final class AuditDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditDispatcher.class);

    private final AuditSettings settings;
    private final List<SinkWriter> writers;
    /** {@link #writers} as an array, for the per-statement loops (no iterator per event). */
    private final SinkWriter[] each;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong nextDropWarning = new AtomicLong(System.nanoTime());
    private final AtomicLong droppedAfterClose = new AtomicLong();

    private AuditDispatcher(List<? extends AuditSink> sinks, AuditSettings settings) {
        this.settings = settings;
        List<SinkWriter> ws = new ArrayList<>(sinks.size());
        for (AuditSink sink : sinks) {
            ws.add(new SinkWriter(sink, settings));
        }
        this.writers = List.copyOf(ws);
        this.each = ws.toArray(new SinkWriter[0]);
        this.shutdownHook = new Thread(this::closeAtShutdown, "governed-audit-shutdown");
    }

    /**
     * Starts delivering to the sinks; the dispatcher owns them from now on and closes them.
     *
     * @param sinks    where events go; an empty list makes a dispatcher that accepts and discards events
     * @param settings delivery mode, queue and batch sizes, timeouts
     */
    public static AuditDispatcher start(List<? extends AuditSink> sinks, AuditSettings settings) {
        AuditDispatcher dispatcher = new AuditDispatcher(sinks, settings);
        for (SinkWriter w : dispatcher.writers) {
            w.start();
        }
        Runtime.getRuntime().addShutdownHook(dispatcher.shutdownHook);
        return dispatcher;
    }

    /**
     * Creates the sinks of a {@code governed.audit} value ({@link AuditSinks#parse}) and starts
     * delivering to them.
     */
    public static AuditDispatcher start(String sinkSpec, AuditSettings settings) throws IOException {
        return start(AuditSinks.parse(sinkSpec, settings.format()), settings);
    }

    /**
     * As {@link #start(String, AuditSettings)}, with settings the sinks take more options from (the
     * Kafka sink's producer properties, {@code governed.audit.kafka.*}).
     */
    public static AuditDispatcher start(String sinkSpec, AuditSettings settings, Map<String, String> sinkSettings)
            throws IOException {
        return start(AuditSinks.parse(sinkSpec, sinkSettings, settings.format()), settings);
    }

    public AuditSettings settings() {
        return settings;
    }

    /** The sinks events are delivered to. */
    public List<AuditSink> sinks() {
        return writers.stream().map(SinkWriter::sink).toList();
    }

    /**
     * True when some sink would record an event now; false when every sink would discard it (the
     * {@code slf4j} sink with its logger off), and then the statement path builds no event. Cheap.
     */
    public boolean recording() {
        for (SinkWriter w : each) {
            if (w.sink().accepting()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Call before running a statement. In {@code required} mode, refuses when a sink is failing or
     * its queue is full (or the dispatcher is closed); in the other modes returns at once.
     *
     * @throws AuditUnavailableException saying which sink cannot take events and why
     */
    public void checkAvailable() throws AuditUnavailableException {
        if (settings.mode() != DeliveryMode.REQUIRED) {
            return;
        }
        if (closed.get()) {
            throw closedException();
        }
        for (SinkWriter w : each) {
            Exception failure = w.failure();
            if (failure != null) {
                throw new AuditUnavailableException("Statement refused: audit sink " + w.sink().describe()
                        + " cannot store events (" + failure.getMessage() + ") and " + AuditSettings.MODE
                        + "=required lets nothing run unaudited. Fix the sink; statements run again as soon"
                        + " as it accepts events.", failure);
            }
            if (w.full()) {
                throw new AuditUnavailableException("Statement refused: the queue of audit sink " + w.sink().describe()
                        + " is full (" + settings.queueCapacity() + " events) and " + AuditSettings.MODE
                        + "=required lets nothing run unaudited. The sink is too slow for the load: raise "
                        + AuditSettings.QUEUE_CAPACITY + " or use a faster sink.", null);
            }
        }
    }

    /**
     * Hands an event to every sink's queue. {@code block}: waits for room. {@code required}: waits up
     * to {@link AuditSettings#submitTimeout()}, then throws. {@code drop}: drops it when a queue is full.
     *
     * @throws AuditUnavailableException in {@code required} mode when a queue stays full or the
     *                                   dispatcher is closed; in {@code block} mode when the calling
     *                                   thread is interrupted while it waits
     */
    public void submit(AuditEvent event) throws AuditUnavailableException {
        if (closed.get()) {
            if (settings.mode() == DeliveryMode.REQUIRED) {
                throw closedException();
            }
            droppedAfterClose.incrementAndGet();
            warnAboutDrops("the audit dispatcher is closed (the application is shutting down?)");
            return;
        }
        for (SinkWriter w : each) {
            if (!w.sink().accepting()) {
                continue;
            }
            switch (settings.mode()) {
                case BLOCK -> putWaiting(w, event);
                case REQUIRED -> offerOrRefuse(w, event);
                case DROP -> {
                    if (!w.offerOrDrop(event)) {
                        warnAboutDrops("the queue of audit sink " + w.sink().describe() + " is full");
                    }
                }
            }
        }
    }

    private void putWaiting(SinkWriter w, AuditEvent event) throws AuditUnavailableException {
        try {
            w.put(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailableException("Interrupted while waiting for room in the queue of audit sink "
                    + w.sink().describe() + "; the event was not recorded there", e);
        }
    }

    private void offerOrRefuse(SinkWriter w, AuditEvent event) throws AuditUnavailableException {
        boolean queued;
        try {
            queued = w.offer(event, settings.submitTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queued = false;
        }
        if (!queued) {
            Exception failure = w.failure();
            throw new AuditUnavailableException("The audit event could not be queued for sink " + w.sink().describe()
                    + " within " + settings.submitTimeout().toMillis() + "ms"
                    + (failure == null ? " (the sink is too slow for the load)" : " (the sink fails: " + failure.getMessage() + ")")
                    + "; " + AuditSettings.MODE + "=required treats the statement as unaudited.", failure);
        }
    }

    private void warnAboutDrops(String why) {
        long now = System.nanoTime();
        long next = nextDropWarning.get();
        if (now - next >= 0 && nextDropWarning.compareAndSet(next, now + settings.dropWarningInterval().toNanos())) {
            LOG.warn("Audit events dropped because {}: {} so far. Use {}=block to never drop events, or raise {}.",
                    why, droppedEvents(), AuditSettings.MODE, AuditSettings.QUEUE_CAPACITY);
        }
    }

    private AuditUnavailableException closedException() {
        return new AuditUnavailableException("Statement refused: the audit dispatcher is closed and "
                + AuditSettings.MODE + "=required lets nothing run unaudited (is the application shutting down?)", null);
    }

    /**
     * The state of one sink, for health checks.
     *
     * @param sink    the sink as configured ({@code jsonl:/var/log/audit.jsonl}, say)
     * @param failure why its last write failed (the exception's kind and message), or {@code null} while it writes
     * @param queued  events waiting for it or held for a retry
     * @param dropped events it dropped
     */
    public record SinkState(String sink, String failure, int queued, long dropped) {
        public boolean healthy() {
            return failure == null;
        }
    }

    /** The state of each sink, in the order configured. */
    public List<SinkState> sinkStates() {
        List<SinkState> states = new ArrayList<>();
        for (SinkWriter w : writers) {
            Exception failure = w.failure();
            states.add(new SinkState(w.sink().describe(),
                    failure == null ? null : failure.getClass().getSimpleName() + ": " + failure.getMessage(),
                    w.depth(), w.dropped()));
        }
        return List.copyOf(states);
    }

    /** Whether the dispatcher was closed: it takes no events any more. */
    public boolean isClosed() {
        return closed.get();
    }

    /** Events waiting in the queues or held for a retry, over all sinks. */
    public int queueDepth() {
        int depth = 0;
        for (SinkWriter w : writers) {
            depth += w.depth();
        }
        return depth;
    }

    /** Events dropped since the start: by full queues in {@code drop} mode, and after closing. */
    public long droppedEvents() {
        long dropped = droppedAfterClose.get();
        for (SinkWriter w : writers) {
            dropped += w.dropped();
        }
        return dropped;
    }

    /**
     * Waits until every event submitted before this call has been written by every sink, and synced
     * ({@link AuditSink#sync()}: the jsonl sink's {@code fsync=window} forces it). The writers do not
     * wait for the end of their flush window while someone flushes.
     *
     * @return false when the timeout passed first
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (SinkWriter w : writers) {
                if (!w.awaitWritten(w.accepted(), deadline)) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops taking events, writes what is queued (waiting up to {@link AuditSettings#closeTimeout()},
     * then giving up with an error logged that says how many events were lost) and closes the sinks.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or about to: it finds the dispatcher closed
        }
        stopAndCloseSinks();
    }

    private void closeAtShutdown() {
        if (closed.compareAndSet(false, true)) {
            stopAndCloseSinks();
        }
    }

    private void stopAndCloseSinks() {
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        for (SinkWriter w : writers) {
            w.stop();
        }
        for (SinkWriter w : writers) {
            try {
                w.awaitStop(deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                w.sink().close();
            } catch (IOException | RuntimeException e) {
                LOG.error("Audit sink {} could not be closed cleanly: {}", w.sink().describe(), e.toString());
            }
        }
    }

    /** The writer threads, one per sink (for tests that look at what they are doing). */
    List<Thread> writerThreads() {
        return writers.stream().map(SinkWriter::thread).toList();
    }

    /** The sync threads of the sinks that sync concurrently (for tests that look at what they are doing). */
    List<Thread> syncThreads() {
        return writers.stream().map(SinkWriter::syncThread).filter(java.util.Objects::nonNull).toList();
    }

    /** Events that could not be written before closing gave up, over all sinks. */
    public long lostAtClose() {
        long lost = 0;
        for (SinkWriter w : writers) {
            lost += w.lost();
        }
        return lost;
    }

    @Override
    public String toString() {
        return "AuditDispatcher[" + settings.mode().externalName() + ", " + sinks().stream().map(AuditSink::describe).toList() + "]";
    }
}
