package io.governed.jdbc.audit.jsonl;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * A growable byte buffer whose content can be hashed, cut and written without copying. Not
 * thread-safe (one belongs to one writer), so its writes take no lock.
 */
final class ByteSink extends ByteArrayOutputStream implements io.governed.jdbc.audit.EncodedStrings.Output {

    ByteSink(int initialCapacity) {
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

    /** Cuts the content back to its first {@code length} bytes. */
    void truncate(int length) {
        count = length;
    }

    /** Keeps only the bytes from {@code from} on, moved to the start. */
    void keepFrom(int from) {
        System.arraycopy(buf, from, buf, 0, count - from);
        count -= from;
    }

    /** The bytes from {@code from} to the end, as a buffer over the backing array. */
    ByteBuffer view(int from, int to) {
        return ByteBuffer.wrap(buf, from, to - from);
    }
}
