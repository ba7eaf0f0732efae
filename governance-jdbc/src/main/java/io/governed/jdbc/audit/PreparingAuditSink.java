package io.governed.jdbc.audit;

import java.io.IOException;
import java.util.List;

/**
 * A sink that can do the part of writing an event that does not depend on the events before it (encoding it,
 * say) on the thread that submits the event, leaving its single writer thread only the part that must run in
 * order (linking a hash chain, appending to a file).
 *
 * <p>The {@link AuditDispatcher} asks for that help only when the writer falls behind: unless a quarter of a sink's
 * queue ({@link AuditSettings#queueCapacity()}) is waiting while its writer is writing a round, events are queued as
 * they are and the writer encodes them in its batches, where its code and data stay warm (events gathering while it
 * sleeps out its flush window do not count as its falling behind, however many); at rates the writer cannot follow
 * on its own, the submitting threads call {@link #prepare} and share the encoding across the cores. A batch can
 * therefore hold events and prepared forms mixed, in the order the events were submitted, and is handed to
 * {@link #writeItems} with the same batching, retry and {@link #sync()} rules as {@link #write}.
 */
public interface PreparingAuditSink extends AuditSink {

    /**
     * Prepares an event for writing. Called on the submitting thread, by any number of threads at once, so it
     * must be thread-safe; it must not throw: an event it cannot prepare is returned in a form that
     * {@link #writeItems} finishes on the writer thread (where a failure is retried like any failed write). When it
     * throws anyway, the dispatcher queues the event itself, warns once, and the statement is not failed for it.
     */
    Object prepare(AuditEvent event);

    /**
     * Persists events in order; each item is an {@link AuditEvent} or what {@link #prepare} returned for one.
     * Otherwise as {@link #write}.
     *
     * @throws IOException when they could not all be persisted; the batch will be offered again
     */
    void writeItems(List<?> items) throws IOException;
}
