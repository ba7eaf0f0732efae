package io.governed.jdbc.cli;

import io.governed.jdbc.identity.token.InvalidTokenException;
import io.governed.jdbc.identity.token.TokenText;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A token given on the command line: the token itself, {@code -} for the first line of standard input, or
 * {@code file:PATH} for a file's content (the last two keep it out of the process list and shell history). Neither is
 * read past the longest token ({@link io.governed.jdbc.identity.token.TokenVerifier#MAX_TOKEN_LENGTH}).
 */
final class TokenInput {
    private TokenInput() {
    }

    /**
     * The token {@code argument} stands for, trimmed.
     *
     * @throws IllegalArgumentException when the file cannot be read (its path named, never its content)
     */
    static String read(String argument) {
        try {
            if ("-".equals(argument)) {
                return TokenText.read(System.in, true);
            }
            if (argument.startsWith("file:")) {
                return TokenText.read(Path.of(argument.substring("file:".length())));
            }
            return argument.trim();
        } catch (InvalidTokenException e) {
            throw new IllegalArgumentException("the token cannot be read from " + ("-".equals(argument) ? "standard input"
                    : argument) + ": " + e.getMessage(), e);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("the token cannot be read from " + ("-".equals(argument) ? "standard input"
                    : argument) + ": " + e.getMessage(), e);
        }
    }
}
