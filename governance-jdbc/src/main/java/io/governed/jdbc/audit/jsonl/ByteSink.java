package io.governed.jdbc.audit.jsonl;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** A growable byte buffer whose content can be hashed, cut and written without copying. */
final class ByteSink extends ByteArrayOutputStream {

    ByteSink(int initialCapacity) {
        super(initialCapacity);
    }

    /** The backing array; valid up to {@link #size()}. */
    byte[] array() {
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
