/**
 * The audit trail: every governed statement becomes an {@link io.governed.jdbc.audit.AuditEvent},
 * delivered asynchronously by an {@link io.governed.jdbc.audit.AuditDispatcher} to one or more
 * {@link io.governed.jdbc.audit.AuditSink}s.
 *
 * <h2>From the statement path</h2>
 * <pre>
 * AuditDispatcher dispatcher = SharedAuditDispatchers.get(sinkSpec, AuditSettings.parse(settings));
 * dispatcher.checkAvailable();          // before running: refuses in required mode while audit is down
 * ... run the statement ...
 * dispatcher.submit(AuditEvent.builder().identity(id).connectionId(cid).action(Action.SELECT)
 *         .statement(normalisedSql).fingerprint(fp).tables(t).columns(c).decision(decision)
 *         .maskedColumns(m).rows(n).durationUs(us).build());
 * </pre>
 * The statement text must already have every literal replaced by {@code ?}; database errors go in
 * through {@link io.governed.jdbc.audit.AuditError#from}, which keeps only the fixed words a message opens with.
 *
 * <h2>Settings</h2>
 * {@code governed.audit} names the sinks ({@link io.governed.jdbc.audit.AuditSinks}); the
 * {@code governed.audit.*} keys of {@link io.governed.jdbc.audit.AuditSettings} say how they are fed
 * ({@code mode=block|required|drop}, queue and batch sizes, the flush window, timeouts).
 *
 * <h2>Flush windows</h2>
 * Each sink's writer thread parks while its queue is empty. The first event wakes it; it then lets
 * events gather for one flush window ({@code governed.audit.flush-interval}, 100ms by default),
 * writes them all in batches and calls {@link io.governed.jdbc.audit.AuditSink#sync()} once (the
 * jsonl sink's {@code fsync=window} forces the file there). Under steady load windows follow each
 * other, so the writer wakes once per window whatever the event rate. It starts early when its queue
 * is half full, when a producer waits for room ({@code block}, {@code required}) and when someone
 * waits for the events to be written ({@link io.governed.jdbc.audit.AuditDispatcher#flush}, closing).
 * An event is written about one window (plus the write) after it was submitted, at most. The jsonl sink's own options
 * (rotation, fsync) travel in its spec: see {@link io.governed.jdbc.audit.jsonl.JsonlOptions}.
 *
 * <h2>Group commit</h2>
 * A sink that {@linkplain io.governed.jdbc.audit.AuditSink#syncsConcurrently() syncs concurrently} (the jsonl sink
 * under {@code fsync=window}) gets a second thread: a round of at least a quarter of the queue's capacity is synced
 * there while the writer goes on writing the next round, and one sync covers every round written before it began.
 * Smaller rounds are synced by the writer itself. An event counts as written only once a sync that began after it
 * was written has succeeded, on either thread.
 *
 * <h2>Sinks</h2>
 * jsonl (hash-chained files, {@link io.governed.jdbc.audit.jsonl}), slf4j, memory, jdbc, and any
 * {@link io.governed.jdbc.audit.AuditSinkProvider} found by {@link java.util.ServiceLoader}.
 */
package io.governed.jdbc.audit;
