package io.governed.jdbc.audit.jsonl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * One line of a jsonl audit log (or one record of a Kafka audit topic), taken apart for verification: the {@code prev_hash} and
 * {@code hash} it states, and the hash its content actually has.
 *
 * @param prevHash     the {@code prev_hash} the line states
 * @param statedHash   the {@code hash} the line states
 * @param computedHash the SHA-256 of the line without its {@code hash} field
 */
public record ChainedLine(String prevHash, String statedHash, String computedHash) {

    private static final byte[] HASH_FIELD = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
    /** {@code prev_hash}; CloudEvents lines name it {@code prevhash} (extension names have no underscores). */
    private static final byte[][] PREV_FIELDS = {
        ",\"prev_hash\":\"".getBytes(StandardCharsets.US_ASCII), ",\"prevhash\":\"".getBytes(StandardCharsets.US_ASCII)};
    private static final int HEX_LENGTH = 64;
    /** {@code ,"hash":"<64 hex>"}} */
    private static final int HASH_SUFFIX = HASH_FIELD.length + HEX_LENGTH + 2;

    /** True when the content matches the hash the line states. */
    public boolean intact() {
        return statedHash.equals(computedHash);
    }

    /**
     * Takes a line (without its newline) apart.
     *
     * @return the parts, or {@code null} when the line does not end in {@code ,"prev_hash":"…","hash":"…"}}
     *         (or {@code ,"prevhash":"…","hash":"…"}})
     */
    public static ChainedLine parse(byte[] line, int length, MessageDigest sha256) {
        int hashStart = length - HASH_SUFFIX;
        if (hashStart < 1 || line[0] != '{' || line[length - 1] != '}' || line[length - 2] != '"'
                || !regionEquals(line, hashStart, HASH_FIELD) || line[hashStart - 1] != '"') {
            return null;
        }
        int prevValue = -1;
        for (byte[] prevField : PREV_FIELDS) {
            int prevStart = hashStart - 1 - HEX_LENGTH - prevField.length;
            if (prevStart > 0 && regionEquals(line, prevStart, prevField)) {
                prevValue = prevStart + prevField.length;
                break;
            }
        }
        if (prevValue < 0) {
            return null;
        }
        String stated = ascii(line, hashStart + HASH_FIELD.length);
        String prev = ascii(line, prevValue);
        if (stated == null || prev == null) {
            return null;
        }
        sha256.reset();
        sha256.update(line, 0, hashStart);
        sha256.update((byte) '}');
        return new ChainedLine(prev, stated, HexFormat.of().formatHex(sha256.digest()));
    }

    private static boolean regionEquals(byte[] line, int at, byte[] expected) {
        if (at < 0 || at + expected.length > line.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (line[at + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** The 64 lower-case hex characters at {@code at}, or {@code null} when they are not that. */
    private static String ascii(byte[] line, int at) {
        for (int i = at; i < at + HEX_LENGTH; i++) {
            byte b = line[i];
            if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f'))) {
                return null;
            }
        }
        return new String(line, at, HEX_LENGTH, StandardCharsets.US_ASCII);
    }
}
