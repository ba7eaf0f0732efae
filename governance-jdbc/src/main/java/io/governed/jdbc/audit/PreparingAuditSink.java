package io.governed.jdbc.audit;

import java.io.IOException;
import java.util.List;

/**
 * A sink that does the part of writing an event that does not depend on the events before it (encoding it, say)
 * on the thread that submits the event, so that its single writer thread is left with only the part that must
 * run in order (linking a hash chain, appending to a file). Under load the submitting threads run in parallel,
 * so the sink's throughput is no longer bounded by what one thread can encode; at any rate the encoding runs
 * while the event's data is still in the submitting thread's cache.
 *
 * <p>The {@link AuditDispatcher} calls {@link #prepare} once per event on the submitting thread, queues what it
 * returns instead of the event, and hands the queued forms to {@link #writePrepared} on the writer thread, in
 * the order the events were submitted, with the same batching, retry and {@link #sync()} rules as
 * {@link #write}.
 *
 * @param <P> the prepared form of an event
 */
public interface PreparingAuditSink<P> extends AuditSink {

    /**
     * Prepares an event for writing. Called on the submitting thread, by any number of threads at once, so it
     * must be thread-safe; it must not throw: an event it cannot prepare is returned in a form that
     * {@link #writePrepared} finishes on the writer thread (where a failure is retried like any failed write).
     */
    P prepare(AuditEvent event);

    /**
     * Persists prepared events, in order; otherwise as {@link #write}.
     *
     * @throws IOException when they could not all be persisted; the batch will be offered again
     */
    void writePrepared(List<P> prepared) throws IOException;
}
