package io.governed.jdbc.audit.jsonl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Checks the hash chain of a jsonl audit log, file by file in chain order, and names the first line
 * where it breaks.
 *
 * <p>Each line must be intact (its content hashes to the {@code hash} it states: otherwise it was
 * edited) and must name the hash of the line before as its {@code prev_hash} (otherwise a line was
 * removed, inserted or moved before it). The first line of the log must start a chain
 * ({@code prev_hash} of {@link HashChain#GENESIS}) unless the verification is told that older files
 * were deleted. Bytes after the last newline of the last file are an interrupted write, not an
 * event: they are reported but do not fail the verification.
 *
 * <p>A hash chain cannot tell that lines were cut from the end of the newest file; compare the
 * event count with what you expect (or keep the last hash elsewhere) to notice that.
 */
public final class ChainVerifier {

    private ChainVerifier() {
    }

    /**
     * The outcome of a verification.
     *
     * @param events     complete lines read (up to, not including, the problem)
     * @param lastHash   the hash of the last good line, or {@link HashChain#GENESIS} when none
     * @param tornBytes  bytes after the last newline of the last file
     * @param problem    the first break in the chain, or {@code null} when there is none
     */
    public record Result(long events, String lastHash, long tornBytes, Problem problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * Where and how the chain breaks.
     *
     * @param file        the file
     * @param line        the line number in that file, from 1
     * @param description what is wrong there
     */
    public record Problem(Path file, long line, String description) {
        public Problem {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(description, "description");
        }

        @Override
        public String toString() {
            return file + ":" + line + ": " + description;
        }
    }

    /** Receives each line that verifies, in chain order. */
    @FunctionalInterface
    public interface VerifiedLine {
        /**
         * @param file   the file the line is in
         * @param line   a buffer holding the line's bytes (without its newline), valid only during the call
         * @param length how many bytes of {@code line} are the line
         */
        void accept(Path file, byte[] line, int length) throws IOException;
    }

    /** Verifies a log from its start: the first line must have the genesis {@code prev_hash}. */
    public static Result verify(List<Path> filesInChainOrder) throws IOException {
        return verify(filesInChainOrder, false);
    }

    /**
     * Verifies the files in the order given.
     *
     * @param continuesEarlierFiles accept a first line that continues a chain from files no longer present
     */
    public static Result verify(List<Path> filesInChainOrder, boolean continuesEarlierFiles) throws IOException {
        return verify(filesInChainOrder, continuesEarlierFiles, (file, line, length) -> { });
    }

    /**
     * Verifies the files in the order given, handing each line that verifies to {@code verified}: the lines before the
     * first break, never one after it nor the bytes of an interrupted write.
     *
     * @param continuesEarlierFiles accept a first line that continues a chain from files no longer present
     */
    public static Result verify(List<Path> filesInChainOrder, boolean continuesEarlierFiles, VerifiedLine verified)
            throws IOException {
        MessageDigest sha256 = HashChain.newDigest();
        String previous = continuesEarlierFiles ? null : HashChain.GENESIS;
        long events = 0;
        String lastHash = HashChain.GENESIS;
        for (int f = 0; f < filesInChainOrder.size(); f++) {
            Path file = filesInChainOrder.get(f);
            boolean lastFile = f == filesInChainOrder.size() - 1;
            try (LineReader lines = new LineReader(Files.newInputStream(file))) {
                long lineNo = 0;
                while (lines.next()) {
                    lineNo++;
                    if (!lines.terminated()) {
                        if (lastFile) {
                            return new Result(events, lastHash, lines.length(), null);
                        }
                        return failure(events, lastHash, file, lineNo,
                                "the line is incomplete (no newline) but more files follow: the file was cut short or the files are out of order");
                    }
                    ChainedLine line = ChainedLine.parse(lines.buffer(), lines.length(), sha256);
                    if (line == null) {
                        return failure(events, lastHash, file, lineNo, lines.length() == 0
                                ? "an empty line was inserted"
                                : "the line is not a chained audit event (it must end with \"prev_hash\" and \"hash\" fields): it was edited or inserted");
                    }
                    if (!line.intact()) {
                        return failure(events, lastHash, file, lineNo,
                                "the event was edited: its content does not match its hash");
                    }
                    if (previous != null && !line.prevHash().equals(previous)) {
                        String description = events == 0 && previous.equals(HashChain.GENESIS)
                                ? "the log does not start here: earlier lines or files are missing"
                                    + " (use --continued if older files were deleted on purpose)"
                                : "the chain breaks here: prev_hash does not match the line before, so a line was"
                                    + " removed, inserted or moved at this point";
                        return failure(events, lastHash, file, lineNo, description);
                    }
                    verified.accept(file, lines.buffer(), lines.length());
                    previous = line.statedHash();
                    lastHash = previous;
                    events++;
                }
            }
        }
        return new Result(events, lastHash, 0, null);
    }

    private static Result failure(long events, String lastHash, Path file, long line, String description) {
        return new Result(events, lastHash, 0, new Problem(file, line, description));
    }

    /** Splits a stream into lines of bytes, telling whether each ended with a newline. */
    private static final class LineReader implements AutoCloseable {
        private final InputStream in;
        private final byte[] chunk = new byte[1 << 16];
        private int chunkPos;
        private int chunkEnd;
        private byte[] line = new byte[4096];
        private int length;
        private boolean terminated;

        LineReader(InputStream in) {
            this.in = in;
        }

        /** Reads the next line; false at the end of the stream. */
        boolean next() throws IOException {
            length = 0;
            while (true) {
                if (chunkPos == chunkEnd) {
                    chunkEnd = in.read(chunk);
                    chunkPos = 0;
                    if (chunkEnd <= 0) {
                        chunkEnd = 0;
                        terminated = false;
                        return length > 0;
                    }
                }
                int newline = -1;
                for (int i = chunkPos; i < chunkEnd; i++) {
                    if (chunk[i] == '\n') {
                        newline = i;
                        break;
                    }
                }
                int end = newline < 0 ? chunkEnd : newline;
                append(chunkPos, end - chunkPos);
                chunkPos = newline < 0 ? chunkEnd : newline + 1;
                if (newline >= 0) {
                    terminated = true;
                    return true;
                }
            }
        }

        private void append(int from, int count) {
            if (length + count > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
            }
            System.arraycopy(chunk, from, line, length, count);
            length += count;
        }

        byte[] buffer() {
            return line;
        }

        int length() {
            return length;
        }

        boolean terminated() {
            return terminated;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
