package io.governed.jdbc.audit.jsonl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The end of a log file as a restarting writer sees it: the last complete line, and how many bytes
 * follow it without a closing newline (a line torn by a crash in the middle of a write).
 *
 * @param lastLine      the last newline-terminated line, without its newline; {@code null} when there is none
 * @param completeBytes where the complete lines end (the file size when nothing is torn)
 * @param tornBytes     bytes after the last newline
 */
record LogTail(byte[] lastLine, long completeBytes, long tornBytes) {

    private static final int CHUNK = 8192;

    static LogTail read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long lastNewline = findNewlineBefore(ch, size);
            if (lastNewline < 0) {
                return new LogTail(null, 0, size);
            }
            long lineStart = findNewlineBefore(ch, lastNewline) + 1;
            byte[] line = readRange(ch, lineStart, lastNewline);
            return new LogTail(line, lastNewline + 1, size - lastNewline - 1);
        }
    }

    /** The first line of the file (without newline), or {@code null} when it has no complete line. */
    static byte[] firstLine(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            while (ch.read(buf) > 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n') {
                        return line.toByteArray();
                    }
                    line.write(b);
                }
                buf.clear();
            }
            return null;
        }
    }

    /** Position of the last {@code '\n'} strictly before {@code end}, or -1. */
    private static long findNewlineBefore(FileChannel ch, long end) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        long pos = end;
        while (pos > 0) {
            int n = (int) Math.min(CHUNK, pos);
            pos -= n;
            buf.clear().limit(n);
            readFully(ch, buf, pos);
            for (int i = n - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return pos + i;
                }
            }
        }
        return -1;
    }

    private static byte[] readRange(FileChannel ch, long from, long to) throws IOException {
        long length = to - from;
        if (length > Integer.MAX_VALUE - 16) {
            throw new IOException("an audit line of " + length + " bytes is too long to read");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) length);
        readFully(ch, buf, from);
        return Arrays.copyOf(buf.array(), (int) length);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                throw new IOException("the file shrank while it was read");
            }
            p += n;
        }
    }
}
