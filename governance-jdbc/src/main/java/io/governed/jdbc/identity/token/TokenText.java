package io.governed.jdbc.identity.token;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a token from a file or a stream, never past {@link TokenVerifier#MAX_TOKEN_LENGTH} and a little room for a
 * {@code Bearer } prefix and white space: a token file, or standard input, that goes on is refused
 * ({@link TokenRefusal#TOO_LONG}) without reading the rest, so a huge or endless source cannot exhaust memory.
 */
public final class TokenText {
    /** What is read beyond the longest token at most: a {@code Bearer } prefix, line ends and other white space. */
    static final int ROOM = 256;

    private TokenText() {
    }

    /**
     * The content of the file {@code path}, trimmed.
     *
     * @throws InvalidTokenException {@link TokenRefusal#TOO_LONG} when it is longer than a token can be
     * @throws IOException           when it cannot be read
     */
    public static String read(Path path) throws IOException, InvalidTokenException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, false);
        }
    }

    /**
     * What {@code in} holds up to its end, or to the first line end when {@code firstLine}, trimmed; read as US-ASCII.
     *
     * @throws InvalidTokenException {@link TokenRefusal#TOO_LONG} when it goes on longer than a token can be
     * @throws IOException           when it cannot be read
     */
    public static String read(InputStream in, boolean firstLine) throws IOException, InvalidTokenException {
        int limit = TokenVerifier.MAX_TOKEN_LENGTH + ROOM;
        byte[] buffer = new byte[Math.min(limit + 1, 8192)];
        java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
        while (true) {
            int wanted = firstLine ? 1 : Math.min(buffer.length, limit + 1 - read.size());
            int n = in.read(buffer, 0, wanted);
            if (n < 0) {
                break;
            }
            if (firstLine && (buffer[0] == '\n')) {
                break;
            }
            read.write(buffer, 0, n);
            if (read.size() > limit) {
                throw new InvalidTokenException(TokenRefusal.TOO_LONG, null);
            }
        }
        return read.toString(StandardCharsets.US_ASCII).trim();
    }
}
