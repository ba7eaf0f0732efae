package io.governed.jdbc.audit;

import java.io.IOException;
import java.util.List;

/**
 * Where audit events go: a file, a logger, a table, a test's memory.
 *
 * <p>The {@link AuditDispatcher} gives each sink its own writer thread, so {@link #write} is never
 * called by two threads at once and may block. Once per flush window the writer hands the sink
 * what was queued, in one or more {@link #write} calls, and then {@link #sync()} is called once (by the writer, or,
 * for a sink that {@linkplain #syncsConcurrently() syncs concurrently}, by a thread of its own). A sink must either persist the whole batch or throw:
 * the dispatcher then keeps the batch and retries it, with backoff, until the write succeeds (a sink
 * that can tell which events of a failed batch it did persist should skip them on the retry).
 *
 * <p>Custom sinks are plugged in through an {@link AuditSinkProvider}.
 */
public interface AuditSink extends AutoCloseable {

    /** How the sink was configured, e.g. {@code jsonl:/var/log/app/audit.jsonl}; used in messages. */
    String describe();

    /**
     * Persists the events, in order.
     *
     * @throws IOException when they could not all be persisted; the batch will be offered again
     */
    void write(List<AuditEvent> events) throws IOException;

    /**
     * Makes the events written since the last call durable, as far as the sink's policy says; called
     * once per flush window after that window's {@link #write} calls. The default does nothing (for
     * sinks whose writes are durable when they return).
     *
     * @throws IOException when that failed; the call will be repeated
     */
    default void sync() throws IOException {
    }

    /**
     * True when {@link #sync()} may run on another thread while {@link #write} runs, and makes durable at least
     * what the writes that returned before it began wrote. The dispatcher then syncs on a thread of its own, so
     * that writing one window's events overlaps making the previous window's durable (group commit): a sink whose
     * sync waits for a device (the jsonl sink's {@code fsync}) no longer holds up the writer, and the threads that
     * submit events do not wait for room meanwhile. Events still count as written only once synced. The default
     * is false: write and sync are then called by the writer thread alone, in turn.
     */
    default boolean syncsConcurrently() {
        return false;
    }

    /**
     * False while the sink would discard every event it was given (a logger that is switched off):
     * no event is then built for it at all. Asked per statement, so it must be cheap.
     */
    default boolean accepting() {
        return true;
    }

    /** Releases the sink's resources; events written before have been persisted as its policy says. */
    @Override
    void close() throws IOException;
}
