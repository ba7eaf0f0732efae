/**
 * The tamper-evident file sink: JSON Lines linked by a SHA-256 hash chain.
 *
 * <h2>File format</h2>
 * One event per line, UTF-8, {@code \n}-terminated: the event's canonical JSON
 * ({@link io.governed.jdbc.audit.AuditEventJson}: fixed field order, no whitespace) followed by
 * <pre>
 * ,"prev_hash":"&lt;64 hex&gt;","hash":"&lt;64 hex&gt;"}
 * </pre>
 * {@code hash} is SHA-256 over the line's bytes without {@code ,"hash":"…"} (so anyone can check it
 * with a text tool and sha256sum); {@code prev_hash} is the {@code hash} of the line before, or 64
 * zeros for the first event of a log.
 *
 * <h2>Files</h2>
 * The active file is the configured path; rotation (by size, by age) renames it to
 * {@code PATH.000001}, {@code PATH.000002}, … and starts a new one ({@link
 * io.governed.jdbc.audit.jsonl.LogFiles}). The chain runs on across files.
 *
 * <h2>Recovery rules</h2>
 * <ul>
 *   <li>At start the sink continues the chain from the last complete line of the newest file (active
 *       file, else the highest rotated file); a log with no lines starts from 64 zeros.</li>
 *   <li>Bytes after the last newline are a torn write: they are cut off, and a
 *       {@code chain_recovered} event (decision {@code error}, reason saying how many bytes of which
 *       file) is written as the next link, so the repair is itself on the record.</li>
 *   <li>A complete last line that does not verify is never repaired: opening fails, naming the file
 *       and the {@code audit verify} command to run.</li>
 *   <li>After a failed write the sink reopens with the same rules, and skips events of the retried
 *       batch that reached the file before the failure (matched by {@code event_id}).</li>
 *   <li>One writer per log: {@code PATH.lock} is held while the sink is open.</li>
 * </ul>
 *
 * <h2>Verification</h2>
 * {@link io.governed.jdbc.audit.jsonl.ChainVerifier} and {@code governed-jdbc audit verify PATH}
 * name the first line (file:line) that was edited, removed, inserted or moved.
 */
package io.governed.jdbc.audit.jsonl;
