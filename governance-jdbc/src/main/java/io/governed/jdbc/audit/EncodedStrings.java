package io.governed.jdbc.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The JSON string literals of the strings one audit writer's events repeat (a statement's text, its
 * tables and columns, the identity's names, the rules), found by the string's identity: events of
 * one statement share those strings as objects, so each is escaped and encoded once, not once per
 * event. The literal is the one a default {@link JsonGenerator}'s {@code writeString} writes, byte for
 * byte, so a trail (and its hash chain) is the same with or without this cache.
 *
 * <p>A fixed number of slots, each holding the last string seen there: bounded memory, and a miss
 * costs one encoding, as without the cache. Strings longer than {@value #LONGEST} chars are not kept.
 * Not thread-safe: one per writer.
 */
public final class EncodedStrings {
    private static final int SLOTS = 1024;
    private static final int LONGEST = 4096;
    private static final JsonFactory FACTORY = new JsonFactory();

    private final String[] keys = new String[SLOTS];
    private final Literal[] values = new Literal[SLOTS];
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private JsonGenerator encoder;

    /** The literal of {@code value}, to be written with {@link JsonGenerator#writeRawValue(SerializableString)}; {@code null} when not kept. */
    public SerializableString of(String value) {
        if (value.length() > LONGEST) {
            return null;
        }
        int slot = System.identityHashCode(value) & (SLOTS - 1);
        if (keys[slot] == value) {
            return values[slot];
        }
        Literal literal = new Literal(value, encode(value));
        keys[slot] = value;
        values[slot] = literal;
        return literal;
    }

    private byte[] encode(String value) {
        try {
            if (encoder == null) {
                encoder = FACTORY.createGenerator(buffer);
                encoder.setRootValueSeparator(null);
            }
            buffer.reset();
            encoder.writeString(value);
            encoder.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            encoder = null;
            throw new UncheckedIOException("could not encode a string of an audit event", e);
        }
    }

    /** A string's JSON literal (quotes included) as UTF-8: written raw, it is the string value. */
    private static final class Literal implements SerializableString {
        private final String value;
        private final byte[] utf8;

        Literal(String value, byte[] utf8) {
            this.value = value;
            this.utf8 = utf8;
        }

        @Override
        public String getValue() {
            return value;
        }

        @Override
        public int charLength() {
            return value.length();
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return utf8.clone();
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + utf8.length > buffer.length) {
                return -1;
            }
            System.arraycopy(utf8, 0, buffer, offset, utf8.length);
            return utf8.length;
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(utf8);
            return utf8.length;
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (buffer.remaining() < utf8.length) {
                return -1;
            }
            buffer.put(utf8);
            return utf8.length;
        }

        // the quoted forms (the literal inside another string) are those of the plain value

        @Override
        public char[] asQuotedChars() {
            return new SerializedString(value).asQuotedChars();
        }

        @Override
        public byte[] asQuotedUTF8() {
            return new SerializedString(value).asQuotedUTF8();
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            return new SerializedString(value).appendQuotedUTF8(buffer, offset);
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            return new SerializedString(value).appendQuoted(buffer, offset);
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            return new SerializedString(value).appendUnquoted(buffer, offset);
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) throws IOException {
            return new SerializedString(value).writeQuotedUTF8(out);
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
            return new SerializedString(value).putQuotedUTF8(buffer);
        }
    }
}
