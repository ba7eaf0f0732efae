package io.governed.masking;

import java.util.Arrays;

/**
 * A buffer a mask function builds a masked text in before it becomes a {@code String}: the reader of
 * one result set owns one per masked column and hands it to every text of that column it masks, so a masked value
 * costs one array and one string, as any new string does, instead of a second array that is copied and dropped.
 *
 * <p>A text equal to the one made before from this buffer is not made again: {@link #text(byte[], int)} compares the
 * bytes just written with those of the text before (its last and first bytes, then the rest) and hands that text out
 * again when they are the same, so a column whose masked values repeat ({@code u***@example.com} row after row) costs
 * no new string. The reader keeps one buffer per masked column for that.
 *
 * <p>It holds only what mask functions wrote (masked values, never one they were given): the bytes being written, and
 * the last text made with its bytes. Not thread-safe: one per reader and column, used from the thread reading.
 */
public final class MaskBuffer {
    /** Masked texts longer than this are built in an array of their own, so a buffer never grows large. */
    static final int MAX_KEPT = 256;

    private byte[] bytes = new byte[64];
    /** The bytes {@link #made} was made from, its length {@link #madeLength}; the array {@link #bytes} was then. */
    private byte[] madeFrom = new byte[64];
    private int madeLength;
    /** The last text {@link #text} made from this buffer's array, or {@code null}. */
    private String made;

    /**
     * An array of at least {@code length} bytes to write a masked text's Latin-1 bytes into, from index 0: this
     * buffer's own when {@code length} is at most {@value #MAX_KEPT}, else a new one. Bytes past those written are
     * left from earlier writes and are never part of a result.
     */
    public byte[] latin1(int length) {
        if (length > MAX_KEPT) {
            return new byte[length];
        }
        if (length > bytes.length) {
            bytes = new byte[MAX_KEPT];
        }
        return bytes;
    }

    /**
     * The text of the first {@code length} bytes of {@code written} (an array {@link #latin1(int)} of this buffer gave), as
     * Latin-1, as {@link #latin1String} makes it: the text made before from this buffer when its bytes are the same (the
     * same string handed out again), else a new one, kept for the next. The arrays swap rather than copy: the one just
     * written keeps the new text's bytes, and the next text is written in the other.
     */
    public String text(byte[] written, int length) {
        if (written != bytes) {
            return latin1String(written, length); // longer than kept: an array of its own
        }
        String before = made;
        if (before != null && length == madeLength && sameBytes(written, madeFrom, length)) {
            return before;
        }
        String text = latin1String(written, length);
        bytes = madeFrom;
        madeFrom = written;
        madeLength = length;
        made = text;
        return text;
    }

    /**
     * Whether the first {@code length} bytes of {@code a} and {@code b} are the same: the last byte and the first compared
     * before the rest, since a mask keeps a value's characters at the text's ends (the last four of a card number, an
     * address's first letter and domain) and fills the middle with one character, so two masked texts that differ
     * mostly differ there, and then no call into the array comparison is made.
     */
    private static boolean sameBytes(byte[] a, byte[] b, int length) {
        if (length == 0) {
            return true;
        }
        int last = length - 1;
        return a[last] == b[last] && a[0] == b[0] && (last <= 1 || Arrays.equals(a, 1, last, b, 1, last));
    }

    /**
     * The text of the first {@code length} bytes of {@code written} (an array {@link #latin1(int)} gave), as Latin-1: each
     * byte the character of that code. Made with the constructor that takes a high byte (0 here), which copies the bytes
     * into the string as they are; the one that takes a {@code Charset} gives the same string through a method too large
     * for the JIT to inline into the masks.
     */
    @SuppressWarnings("deprecation") // String(byte[], int, int, int): Latin-1 bytes into a string without a decoder
    public static String latin1String(byte[] written, int length) {
        return new String(written, 0, 0, length);
    }
}
