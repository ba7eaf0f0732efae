package io.governed.masking;

/**
 * A buffer a mask function builds a masked text in before it becomes a {@code String}: the reader of
 * one result set owns one and hands it to every text it masks, so a masked value costs one array and
 * one string, as any new string does, instead of a second array that is copied and dropped.
 *
 * <p>It holds only what a mask function wrote last (a masked value, never one it was given), and
 * what it holds is never read again except through {@link #latin1String(int)} right after the write.
 * Not thread-safe: one per reader, used from the thread reading.
 */
public final class MaskBuffer {
    /** Masked texts longer than this are built in an array of their own, so a buffer never grows large. */
    static final int MAX_KEPT = 256;

    private byte[] bytes = new byte[64];

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
