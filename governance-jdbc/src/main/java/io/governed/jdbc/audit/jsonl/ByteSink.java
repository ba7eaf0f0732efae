package io.governed.jdbc.audit.jsonl;

import io.governed.jdbc.audit.EncodedStrings;

import java.nio.ByteBuffer;

/**
 * A growable byte buffer whose content can be hashed, cut and written without copying: the reused buffer of
 * {@link EncodedStrings.Buffer}, with the cuts a line's writer makes. Not thread-safe (one belongs to one writer),
 * so its writes take no lock.
 */
final class ByteSink extends EncodedStrings.Buffer {

    ByteSink(int initialCapacity) {
        super(initialCapacity);
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
