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
 *
 * <p>It also keeps the encoded runs of fields that every event of one statement and identity repeats (from
 * {@code principal} to {@code masked_columns}, and from {@code error} to {@code policy}), with the objects each was
 * made of: an event that carries the very same objects (or equal strings and lists) has the run copied instead of
 * encoded field by field. Runs are kept in slots found from the identities of the objects that vary most between
 * events (the identity's principal and the statement), so that connections running many statements in turn, and a
 * pool's borrowings each with a connection id of its own, find their runs again; a slot's bytes are refilled in place
 * when another run takes it.
 *
 * <p>Not thread-safe: one per writer.
 */
public final class EncodedStrings {
    private static final int SLOTS = 1024;
    private static final int LONGEST = 4096;
    /** The longest encoded run of an event's repeated fields that is kept. */
    private static final int LONGEST_RUN = 16 * 1024;
    private static final JsonFactory FACTORY = new JsonFactory();

    private final String[] keys = new String[SLOTS];
    private final Literal[] values = new Literal[SLOTS];
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private JsonGenerator encoder;
    private final Literal scratch = new Literal(LONGEST + 2, true);
    private final char[] plainChars = new char[LONGEST];
    private final byte[] asciiScratch = new byte[64];
    /** The runs of fields events repeat, each kind in slots of its own; see {@link #keptRun}. */
    private final Runs[] runs = {new Runs(14, 256, 0, 6), new Runs(5, 16, 4, 3)};

    /**
     * One kind of run: the objects the next event's run is made of ({@link #asked}), and slots each holding a run
     * encoded before with the objects it was made of. The slot of a run is found from the identities of two of its
     * objects ({@link #first}, {@link #second}); all of them are compared before a kept run is used.
     */
    private static final class Runs {
        final Object[] asked;
        final Object[][] of;
        final Literal[] bytes;
        final int first;
        final int second;
        /** The slot of the objects last asked for, worked out by {@link #keptRun}. */
        int slot;
        /** How many times a run asked for was found kept. */
        long found;

        Runs(int objects, int slots, int first, int second) {
            asked = new Object[objects];
            of = new Object[slots][objects];
            bytes = new Literal[slots];
            this.first = first;
            this.second = second;
        }

        int slotOfAsked() {
            int h = System.identityHashCode(asked[first]) * 31 + System.identityHashCode(asked[second]);
            return (h ^ (h >>> 16)) & (bytes.length - 1);
        }
    }

    /**
     * An output whose written bytes can be read back: a writer's buffer, through which the encoded runs of an
     * event's repeated fields are kept ({@link AuditEventJson}).
     */
    public interface Output {
        /** The buffer, valid up to {@link #size()}. */
        byte[] array();

        int size();
    }

    /**
     * A reused byte buffer that is such an output: its array is read back in place, and its writes take no lock (one
     * belongs to one writer). The jsonl sink's line buffer extends it; the other sinks' encoder uses it as it is.
     */
    public static class Buffer extends ByteArrayOutputStream implements Output {
        public Buffer(int initialCapacity) {
            super(initialCapacity);
        }

        @Override
        public void write(int b) {
            ensure(count + 1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            ensure(count + length);
            System.arraycopy(bytes, offset, buf, count, length);
            count += length;
        }

        private void ensure(int capacity) {
            if (capacity > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(capacity, buf.length * 2));
            }
        }

        @Override
        public int size() {
            return count;
        }

        @Override
        public void reset() {
            count = 0;
        }

        /** The backing array; valid up to {@link #size()}. */
        @Override
        public byte[] array() {
            return buf;
        }
    }

    /** The array to fill with the objects run {@code run} of the next event is made of, before {@link #keptRun}. */
    Object[] runKey(int run) {
        return runs[run].asked;
    }

    /**
     * The encoded run {@code run} (with the comma before it) when the objects put in {@link #runKey} are the very
     * objects a kept run was encoded from (compared by identity); {@code null} otherwise.
     */
    SerializableString keptRun(int run) {
        SerializableString kept = keptRunUncounted(run);
        if (kept != null) {
            runs[run].found++;
        }
        return kept;
    }

    /** As {@link #keptRun}, not counted as found ({@link #countFound} counts it once the run is written). */
    SerializableString keptRunUncounted(int run) {
        Runs r = runs[run];
        int slot = r.slotOfAsked();
        r.slot = slot;
        Literal kept = r.bytes[slot];
        if (kept == null) {
            return null;
        }
        Object[] of = r.of[slot];
        for (int i = 0; i < of.length; i++) {
            if (of[i] != r.asked[i] && !equalText(of[i], r.asked[i])) {
                return null;
            }
        }
        return kept;
    }

    /** Counts run {@code run}, found by {@link #keptRunUncounted}, as found. */
    void countFound(int run) {
        runs[run].found++;
    }

    /**
     * Whether two objects of a run, not the same object, are equal strings or equal lists (of strings): their JSON is
     * the same bytes. An event's rules are a list made for each decision, and a statement's fingerprint may be another
     * string of the same text; anything else (an enum, the policy) counts as equal only when it is the same object.
     */
    private static boolean equalText(Object kept, Object asked) {
        if (kept instanceof String) {
            return kept.equals(asked);
        }
        if (!(kept instanceof java.util.List<?> a) || !(asked instanceof java.util.List<?> b)) {
            return false;
        }
        if (!(a instanceof java.util.RandomAccess) || !(b instanceof java.util.RandomAccess)) {
            return a.equals(b);
        }
        // compared by index: List.equals walks the other list with an iterator, one object per event on the writer
        int size = a.size();
        if (size != b.size()) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!java.util.Objects.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** How many times {@link #keptRun} found run {@code run} kept. */
    long runsFound(int run) {
        return runs[run].found;
    }

    /**
     * Keeps {@code length} bytes of {@code encoded} from {@code offset} as run {@code run} of the objects asked for,
     * in the slot {@link #keptRun} found for them (which it must have been asked just before).
     */
    void keepRun(int run, byte[] encoded, int offset, int length) {
        Runs r = runs[run];
        int slot = r.slot;
        if (length > LONGEST_RUN) {
            r.bytes[slot] = null;
            return;
        }
        System.arraycopy(r.asked, 0, r.of[slot], 0, r.asked.length);
        Literal kept = r.bytes[slot];
        if (kept == null || kept.utf8.length < length) {
            kept = new Literal(Math.max(length, 256), false);
            r.bytes[slot] = kept;
        }
        System.arraycopy(encoded, offset, kept.utf8, 0, length);
        kept.refill(length);
    }

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

    /**
     * The literal of a string that needs no escaping, built in a scratch buffer for one write: printable
     * ASCII without {@code "} or {@code \\} is written by a default generator char for char, so its literal
     * is the string between quotes. For the strings each event has anew (its id, its time, the previous
     * hash), which are plain by construction. Returns {@code null} when {@code chars} holds anything else
     * or is longer than {@value #LONGEST} chars; the literal returned is valid until the next call.
     */
    public SerializableString plain(CharSequence chars) {
        int length = chars.length();
        if (length > LONGEST) {
            return null;
        }
        if (chars instanceof String text) {
            text.getChars(0, length, plainChars, 0);
        } else {
            for (int i = 0; i < length; i++) {
                plainChars[i] = chars.charAt(i);
            }
        }
        return plain(plainChars, 0, length);
    }

    /**
     * The first {@code length} chars of {@code chars} as bytes, in a scratch array valid until the next call, for
     * text the caller made of ASCII letters, digits and punctuation that JSON does not escape (a formatted time), to
     * be written between quotes with {@link JsonGenerator#writeRawUTF8String}. Not for text from elsewhere: use
     * {@link #plain}, which checks.
     */
    public byte[] ascii(char[] chars, int length) {
        byte[] b = asciiScratch;
        for (int i = 0; i < length; i++) {
            b[i] = (byte) chars[i];
        }
        return b;
    }

    /** As {@link #plain(CharSequence)} for {@code length} chars of {@code chars} from {@code offset}. */
    public SerializableString plain(char[] chars, int offset, int length) {
        if (length > LONGEST) {
            return null;
        }
        byte[] b = scratch.utf8;
        b[0] = '"';
        int unsafe = 0; // negative once a char is outside ' '..'~' or is '"' or '\\' (no branch per char)
        for (int i = 0; i < length; i++) {
            char c = chars[offset + i];
            unsafe |= (c - 0x20) | (0x7e - c) | ((c ^ '"') - 1) | ((c ^ '\\') - 1);
            b[i + 1] = (byte) c;
        }
        if (unsafe < 0) {
            return null;
        }
        b[length + 1] = '"';
        scratch.refill(length + 2);
        return scratch;
    }

    /**
     * A string's JSON literal (quotes included) as UTF-8: written raw, it is the string value. A kept
     * literal is fixed; the scratch literal of {@link #plain} is refilled for each write. A kept run of fields is
     * one too, unquoted (its value is the run's text), refilled when another run takes its slot.
     */
    private static final class Literal implements SerializableString {
        private String value;
        private final byte[] utf8;
        private int length;
        /** Whether the bytes are a string between quotes (its value the text inside them), not a run of fields. */
        private final boolean quoted;

        Literal(String value, byte[] utf8) {
            this.value = value;
            this.utf8 = utf8;
            this.length = utf8.length;
            this.quoted = true;
        }

        /** A literal to be refilled: {@code capacity} bytes, a quoted string's or ({@code !quoted}) a run's. */
        Literal(int capacity, boolean quoted) {
            this.utf8 = new byte[capacity];
            this.quoted = quoted;
        }

        void refill(int filled) {
            length = filled;
            value = null;
        }

        @Override
        public String getValue() {
            if (value == null) {
                value = quoted ? new String(utf8, 1, length - 2, java.nio.charset.StandardCharsets.UTF_8)
                        : new String(utf8, 0, length, java.nio.charset.StandardCharsets.UTF_8);
            }
            return value;
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return java.util.Arrays.copyOf(utf8, length);
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + length > buffer.length) {
                return -1;
            }
            System.arraycopy(utf8, 0, buffer, offset, length);
            return length;
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(utf8, 0, length);
            return length;
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (buffer.remaining() < length) {
                return -1;
            }
            buffer.put(utf8, 0, length);
            return length;
        }

        // the quoted forms (the literal inside another string) are those of the plain value

        @Override
        public char[] asQuotedChars() {
            return new SerializedString(getValue()).asQuotedChars();
        }

        @Override
        public byte[] asQuotedUTF8() {
            return new SerializedString(getValue()).asQuotedUTF8();
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            return new SerializedString(getValue()).appendQuotedUTF8(buffer, offset);
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            return new SerializedString(getValue()).appendQuoted(buffer, offset);
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            return new SerializedString(getValue()).appendUnquoted(buffer, offset);
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) throws IOException {
            return new SerializedString(getValue()).writeQuotedUTF8(out);
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
            return new SerializedString(getValue()).putQuotedUTF8(buffer);
        }
    }
}
