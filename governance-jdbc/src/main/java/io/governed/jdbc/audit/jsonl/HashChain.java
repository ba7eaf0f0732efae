package io.governed.jdbc.audit.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditEventJson;
import io.governed.jdbc.audit.AuditFormat;
import io.governed.jdbc.audit.EncodedStrings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Links events into a SHA-256 hash chain, producing the lines of a jsonl audit log.
 *
 * <p>A line is the event's JSON (canonical, {@link AuditEventJson}, or another {@link AuditFormat}) with two fields appended:
 * {@code prev_hash}, the {@code hash} of the line before (or 64 zeros, {@link #GENESIS}, for the first
 * event of a chain), and {@code hash}, the lower-case hex SHA-256 of the UTF-8 bytes of the
 * object <em>without</em> its {@code hash} field: the line minus {@code ,"hash":"…"}. Changing,
 * removing, inserting or moving any line therefore breaks the chain at that point.
 *
 * <p>The part of a line before its {@code prev_hash} value does not depend on the chain, so it can be encoded and
 * hashed ahead, on any thread ({@link #prepare}); the chain then only appends the previous hash and finishes the
 * digest ({@link #link(PreparedLine, ByteSink)}). Both ways give the same bytes.
 *
 * <p>Not thread-safe: one chain belongs to one writer ({@link #prepare} is thread-safe).
 */
public final class HashChain {

    /** {@code prev_hash} of the first event of a chain. */
    public static final String GENESIS = "0".repeat(64);

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final byte[] HASH_FIELD = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** What ends a line after its hash: the closing quote and brace, and the newline. */
    private static final byte[] LINE_END = {'"', '}', '\n'};
    /** What follows a prepared line's prefix, after the previous hash: the closing quote and brace. */
    private static final byte[] VALUE_END = {'"', '}'};
    /** What comes between the native format's last field and the previous hash. */
    private static final byte[] PREV_HASH_OPEN = ",\"prev_hash\":\"".getBytes(StandardCharsets.US_ASCII);
    /** {@link #GENESIS} as bytes. */
    private static final byte[] GENESIS_BYTES = GENESIS.getBytes(StandardCharsets.US_ASCII);
    /** {@link #GENESIS} as a JSON string literal, quotes included. */
    private static final SerializedString GENESIS_LITERAL = new SerializedString('"' + GENESIS + '"');
    /** The bytes a line has after its prefix when prepared with {@link #GENESIS} in place of the previous hash. */
    private static final int PREPARED_TAIL = 64 + VALUE_END.length;
    /** Each thread's encoder for {@link #prepare}. */
    private static final ThreadLocal<LineEncoder> ENCODERS = ThreadLocal.withInitial(LineEncoder::new);
    /**
     * Digests a chain has finished a prepared line with (and so reset), for {@link #prepare} to hash the next prefix
     * in: a prepared line hands its digest to the chain, which gives it back here once the line's hash is made, so
     * that a line prepared ahead needs no digest of its own (a copy of the encoder's was made for every line before).
     * Bounded: past it, a digest is left to the collector and a new one made. A chain gives its finished digests
     * back {@value #RETURNED_AT_ONCE} at a time (and at the end of each write, {@link #returnDigests}): one lock per
     * that many lines on the writer, not one per line.
     */
    private static final DigestPool FREE_DIGESTS = new DigestPool(1024);
    /** How many finished digests a chain holds before it gives them back to {@link #FREE_DIGESTS}. */
    static final int RETURNED_AT_ONCE = 64;
    /** A digest in its initial state, copied when no free one is left (a copy costs less than a provider lookup). */
    private static final MessageDigest INITIAL = newDigest();

    private final AuditFormat format;
    private final MessageDigest sha256 = newDigest();
    private final byte[] digest = new byte[32];
    private final char[] scratch = new char[32];
    private final EncodedStrings strings = new EncodedStrings();
    /** Digests of prepared lines this chain finished, not yet given back to {@link #FREE_DIGESTS}. */
    private final MessageDigest[] finished = new MessageDigest[RETURNED_AT_ONCE];
    private int finishedCount;
    /** The hash of the last line as its 64 hex digits, when it is 64 lower-case hex digits (as every hash the chain makes is). */
    private final byte[] lastHashBytes = new byte[64];
    private boolean lastHashPlain;
    /** The hash the chain was started or continued from when it is not lower-case hex (read from a damaged trail). */
    private String lastHashOther;
    /** The generator last written with, kept (with its buffer) for as long as the output stays the same. */
    private JsonGenerator generator;
    private ByteSink generatorOut;
    /** Lines whose fields were copied as kept ({@link AuditEventJson#appendKept}), not encoded with the generator. */
    private long copiedLines;

    /** A chain whose next event follows the line whose hash is {@code lastHash}. */
    public HashChain(String lastHash) {
        this(lastHash, AuditFormat.NATIVE);
    }

    /** A chain of lines in {@code format} whose next event follows the line whose hash is {@code lastHash}. */
    public HashChain(String lastHash, AuditFormat format) {
        Objects.requireNonNull(lastHash, "lastHash");
        this.format = Objects.requireNonNull(format, "format");
        if (lastHash.length() != 64) {
            throw new IllegalArgumentException("a chain hash has 64 hex characters");
        }
        setLastHash(lastHash);
    }

    private void setLastHash(String hash) {
        boolean plain = true;
        for (int i = 0; i < 64; i++) {
            char c = hash.charAt(i);
            plain &= (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            lastHashBytes[i] = (byte) c;
        }
        lastHashPlain = plain;
        lastHashOther = plain ? null : hash;
    }

    /** The hash of the last line produced (or the one the chain was started from). */
    public String lastHash() {
        return lastHashPlain ? new String(lastHashBytes, StandardCharsets.US_ASCII) : lastHashOther;
    }

    /**
     * Moves the chain to follow the event whose hash is {@code hash}: one chain object can then serve
     * several chains in turn (one per key of a Kafka topic), each resumed from its own last hash.
     */
    public void continueFrom(String hash) {
        if (hash.length() != 64) {
            throw new IllegalArgumentException("a chain hash has 64 hex characters");
        }
        setLastHash(hash);
    }

    /** The next event of the chain as one JSON object, without a newline; the chain moves on to it. */
    public byte[] linkObject(AuditEvent event) {
        ByteSink line = new ByteSink(1024);
        link(event, line);
        return java.util.Arrays.copyOf(line.array(), line.size() - 1);
    }

    /** The next line of the log for this event, newline included; the chain moves on to it. */
    public byte[] link(AuditEvent event) {
        ByteSink line = new ByteSink(1024);
        link(event, line);
        return line.toByteArray();
    }

    /**
     * Appends the next line of the log for this event, newline included, to {@code out}. The JSON
     * is streamed into a generator kept for {@code out}, and the hash computed over the bytes in
     * {@code out} and written there as hex: no text of the line is built on the way.
     */
    void link(AuditEvent event, ByteSink out) {
        int start = out.size();
        if (format == AuditFormat.NATIVE && lastHashPlain && AuditEventJson.appendKept(out, event, scratch, strings)) {
            // the event's fields copied as kept (the bytes the generator writes below), then the same ending
            out.write(PREV_HASH_OPEN, 0, PREV_HASH_OPEN.length);
            out.write(lastHashBytes, 0, 64);
            out.write(VALUE_END, 0, VALUE_END.length);
            sha256.update(out.array(), start, out.size() - start);
            out.truncate(out.size() - 1);
            finish(sha256, out);
            copiedLines++;
            return;
        }
        try {
            JsonGenerator g = generatorFor(out);
            g.writeStartObject();
            format.writeFields(g, event, scratch, strings);
            g.writeFieldName(format.prevHashField());
            if (lastHashPlain) {
                g.writeRawUTF8String(lastHashBytes, 0, 64); // hex digits: written as they are, between quotes
            } else {
                g.writeString(lastHashOther); // a hash read from a damaged trail
            }
            g.writeEndObject();
            g.flush();
        } catch (IOException | RuntimeException e) {
            generator = null;
            generatorOut = null;
            out.truncate(start);
            throw new IllegalStateException("could not write an audit event as JSON", e);
        }
        sha256.update(out.array(), start, out.size() - start);
        out.truncate(out.size() - 1);
        finish(sha256, out);
    }

    /**
     * Encodes an event as far as a line can be written before the line before it is known, and hashes
     * those bytes; thread-safe (each thread encodes with its own generator and digest). A line that cannot be
     * prepared is returned unprepared, and {@link #link(PreparedLine, ByteSink)} encodes it as
     * {@link #link(AuditEvent, ByteSink)} does (failing there, on the writer, if it cannot be written at all).
     */
    public static PreparedLine prepare(AuditEvent event, AuditFormat format) {
        return ENCODERS.get().prepare(event, format);
    }

    /**
     * Appends the next line of the log for a prepared event, as {@link #link(AuditEvent, ByteSink)} does: the
     * prepared prefix, then the previous hash, then the hash of the whole, finished from the prefix's digest.
     */
    void link(PreparedLine line, ByteSink out) {
        if (!line.preparedFor(format) || !lastHashPlain) {
            link(line.event(), out);
            return;
        }
        byte[] prefix = line.prefix();
        MessageDigest md = line.takeMidstate();
        if (md == null) { // written before (a retried batch): hash the prefix again
            md = sha256;
            md.update(prefix, 0, prefix.length);
        }
        md.update(lastHashBytes, 0, 64);
        md.update(VALUE_END, 0, VALUE_END.length);
        out.write(prefix, 0, prefix.length);
        out.write(lastHashBytes, 0, 64);
        out.write('"');
        finish(md, out);
        if (md != sha256) { // the line's own, finished and so reset: taken by no one else (takeMidstate)
            finished[finishedCount++] = md;
            if (finishedCount == finished.length) {
                returnDigests();
            }
        }
    }

    /** How many lines this chain made of kept runs without its generator. */
    long copiedLines() {
        return copiedLines;
    }

    /** Gives the digests of the prepared lines this chain finished back for {@link #prepare} to use again. */
    void returnDigests() {
        if (finishedCount > 0) {
            FREE_DIGESTS.putAll(finished, finishedCount);
            java.util.Arrays.fill(finished, 0, finishedCount, null);
            finishedCount = 0;
        }
    }

    /**
     * Finishes {@code md}'s digest of the line, appends {@code ,"hash":"<hex>"}} and the newline to {@code out},
     * and makes that hash the chain's last.
     */
    private void finish(MessageDigest md, ByteSink out) {
        try {
            md.digest(digest, 0, digest.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 did not produce 32 bytes", e);
        }
        for (int i = 0; i < digest.length; i++) {
            lastHashBytes[2 * i] = HEX_DIGITS[(digest[i] >> 4) & 0xf];
            lastHashBytes[2 * i + 1] = HEX_DIGITS[digest[i] & 0xf];
        }
        lastHashPlain = true;
        lastHashOther = null;
        out.write(HASH_FIELD, 0, HASH_FIELD.length);
        out.write(lastHashBytes, 0, 64);
        out.write(LINE_END, 0, LINE_END.length);
    }

    /** One thread's generator, buffer, string cache and digest for {@link #prepare}. */
    private static final class LineEncoder {
        private final ByteSink out = new ByteSink(1024);
        private final char[] scratch = new char[32];
        private final EncodedStrings strings = new EncodedStrings();
        private JsonGenerator generator;

        PreparedLine prepare(AuditEvent event, AuditFormat format) {
            out.reset();
            if (format == AuditFormat.NATIVE && AuditEventJson.appendKept(out, event, scratch, strings)) {
                // copied as the writer copies a line of kept runs, with the same placeholder as below
                out.write(PREV_HASH_OPEN, 0, PREV_HASH_OPEN.length);
                out.write(GENESIS_BYTES, 0, 64);
                out.write(VALUE_END, 0, VALUE_END.length);
                return prepared(event, format);
            }
            try {
                if (generator == null) {
                    generator = FACTORY.createGenerator(out);
                    generator.setRootValueSeparator(null);
                }
                JsonGenerator g = generator;
                g.writeStartObject();
                format.writeFields(g, event, scratch, strings);
                g.writeFieldName(format.prevHashField());
                g.writeRawValue(GENESIS_LITERAL); // a placeholder of the same length, cut off below
                g.writeEndObject();
                g.flush();
            } catch (IOException | RuntimeException e) {
                generator = null; // its state is unknown; the writer encodes the event and reports what fails
                return PreparedLine.unprepared(event);
            }
            return prepared(event, format);
        }

        /** The line prepared in {@link #out}: its prefix up to the previous hash, hashed ahead when a digest is free. */
        private PreparedLine prepared(AuditEvent event, AuditFormat format) {
            int length = out.size() - PREPARED_TAIL;
            byte[] prefix = java.util.Arrays.copyOf(out.array(), length);
            MessageDigest midstate = freeDigest();
            if (midstate != null) {
                midstate.update(prefix, 0, length);
            } // else the writer hashes the prefix itself
            return PreparedLine.of(event, format, prefix, midstate);
        }
    }

    /** A bounded stack of free digests under one lock: the last given back is the first taken (the likeliest cached). */
    private static final class DigestPool {
        private final MessageDigest[] free;
        private int size;

        DigestPool(int capacity) {
            free = new MessageDigest[capacity];
        }

        synchronized MessageDigest poll() {
            if (size == 0) {
                return null;
            }
            MessageDigest md = free[--size];
            free[size] = null;
            return md;
        }

        /** Keeps the first {@code count} of {@code digests}, as many as there is room for. */
        synchronized void putAll(MessageDigest[] digests, int count) {
            int kept = Math.min(count, free.length - size);
            System.arraycopy(digests, 0, free, size, kept);
            size += kept;
        }
    }

    /** A digest in its initial state for a prepared line: a free one, else a new one; {@code null} if none can be made. */
    private static MessageDigest freeDigest() {
        MessageDigest free = FREE_DIGESTS.poll();
        if (free != null) {
            return free;
        }
        try {
            return (MessageDigest) INITIAL.clone(); // INITIAL is never updated: cloning it only reads it
        } catch (CloneNotSupportedException e) {
            return null;
        }
    }

    private JsonGenerator generatorFor(ByteSink out) throws IOException {
        if (generator == null || generatorOut != out) {
            generator = FACTORY.createGenerator(out);
            generator.setRootValueSeparator(null);
            generatorOut = out;
        }
        return generator;
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
    }
}
