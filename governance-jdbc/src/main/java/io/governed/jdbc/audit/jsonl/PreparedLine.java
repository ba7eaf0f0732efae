package io.governed.jdbc.audit.jsonl;

import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditFormat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.MessageDigest;

/**
 * An event of a hash-chained log as far as it can be written before the line before it is known: the encoded
 * line up to the value of its {@code prev_hash} ({@code {…,"prev_hash":"}), and a SHA-256 that has already
 * taken in those bytes. The chain's writer appends the previous hash and finishes the digest
 * ({@link HashChain#link(PreparedLine, ByteSink)}); the bytes are those {@link HashChain} writes for the event
 * itself, only made earlier and on another thread.
 */
public final class PreparedLine {

    private static final VarHandle MIDSTATE;

    static {
        try {
            MIDSTATE = MethodHandles.lookup().findVarHandle(PreparedLine.class, "midstate", MessageDigest.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AuditEvent event;
    private final AuditFormat format;
    private final byte[] prefix;
    @SuppressWarnings("unused") // through MIDSTATE
    private volatile MessageDigest midstate;

    private PreparedLine(AuditEvent event, AuditFormat format, byte[] prefix, MessageDigest midstate) {
        this.event = event;
        this.format = format;
        this.prefix = prefix;
        this.midstate = midstate;
    }

    static PreparedLine of(AuditEvent event, AuditFormat format, byte[] prefix, MessageDigest midstate) {
        return new PreparedLine(event, format, prefix, midstate);
    }

    /** An event that could not be prepared: the writer encodes it as it would without preparation. */
    static PreparedLine unprepared(AuditEvent event) {
        return new PreparedLine(event, null, null, null);
    }

    public AuditEvent event() {
        return event;
    }

    /** Whether the line was encoded (in {@code format}) ahead of the chain. */
    boolean preparedFor(AuditFormat f) {
        return prefix != null && format == f;
    }

    /** The line up to and including the opening quote of its {@code prev_hash} value. */
    byte[] prefix() {
        return prefix;
    }

    /**
     * The digest that has taken in {@link #prefix()}, handed out once: a line written a second time (a batch
     * retried after a failed write) is hashed from its prefix again.
     */
    MessageDigest takeMidstate() {
        return (MessageDigest) MIDSTATE.getAndSet(this, (MessageDigest) null);
    }
}
