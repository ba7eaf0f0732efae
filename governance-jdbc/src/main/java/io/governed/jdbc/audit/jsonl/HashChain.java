package io.governed.jdbc.audit.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditEventJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Links events into a SHA-256 hash chain, producing the lines of a jsonl audit log.
 *
 * <p>A line is the event's canonical JSON ({@link AuditEventJson}) with two fields appended:
 * {@code prev_hash}, the {@code hash} of the line before (or 64 zeros, {@link #GENESIS}, for the first
 * event of a chain), and {@code hash}, the lower-case hex SHA-256 of the UTF-8 bytes of the
 * object <em>without</em> its {@code hash} field: the line minus {@code ,"hash":"…"}. Changing,
 * removing, inserting or moving any line therefore breaks the chain at that point.
 *
 * <p>Not thread-safe: one chain belongs to one writer.
 */
public final class HashChain {

    /** {@code prev_hash} of the first event of a chain. */
    public static final String GENESIS = "0".repeat(64);

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] HASH_FIELD = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);

    private final MessageDigest sha256 = newDigest();
    private String lastHash;

    /** A chain whose next event follows the line whose hash is {@code lastHash}. */
    public HashChain(String lastHash) {
        this.lastHash = Objects.requireNonNull(lastHash, "lastHash");
    }

    /** The hash of the last line produced (or the one the chain was started from). */
    public String lastHash() {
        return lastHash;
    }

    /** The next line of the log for this event, newline included; the chain moves on to it. */
    public byte[] link(AuditEvent event) {
        ByteSink line = new ByteSink(1024);
        link(event, line);
        return line.toByteArray();
    }

    /** Appends the next line of the log for this event, newline included, to {@code out}. */
    void link(AuditEvent event, ByteSink out) {
        int start = out.size();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            AuditEventJson.writeFields(g, event);
            g.writeStringField("prev_hash", lastHash);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("could not write an audit event as JSON", e);
        }
        String hash = hex(out.array(), start, out.size() - start);
        out.truncate(out.size() - 1);
        out.write(HASH_FIELD, 0, HASH_FIELD.length);
        byte[] hashBytes = hash.getBytes(StandardCharsets.US_ASCII);
        out.write(hashBytes, 0, hashBytes.length);
        out.write('"');
        out.write('}');
        out.write('\n');
        lastHash = hash;
    }

    /** SHA-256 in lower-case hex of {@code length} bytes from {@code offset}. */
    private String hex(byte[] bytes, int offset, int length) {
        sha256.reset();
        sha256.update(bytes, offset, length);
        return HEX.formatHex(sha256.digest());
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
    }
}
