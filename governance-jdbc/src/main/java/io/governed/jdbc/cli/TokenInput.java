package io.governed.jdbc.cli;

import io.governed.jdbc.identity.token.InvalidTokenException;
import io.governed.jdbc.identity.token.TokenText;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
     * @throws InvalidTokenException    when it is longer than a token can be (a refused token, as the verifier refuses it)
     * @throws IllegalArgumentException when the file or standard input cannot be read (the path named, never the content)
     */
    static String read(String argument) throws InvalidTokenException {
        try {
            if ("-".equals(argument)) {
                return TokenText.read(System.in, true);
            }
            if (argument.startsWith("file:")) {
                Path file = Path.of(argument.substring("file:".length()));
                if (Files.isDirectory(file)) {
                    throw new IllegalArgumentException("the token file " + file + " is a directory: give file:PATH of the"
                            + " file that holds the token");
                }
                return TokenText.read(file);
            }
            return argument.trim();
        } catch (InvalidTokenException e) {
            throw new InvalidTokenException(e.refusal(), "read from " + ("-".equals(argument) ? "standard input" : argument), e);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the token file " + argument.substring("file:".length()) + " does not exist:"
                    + " give file:PATH of the file that holds the token", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("the token file " + argument.substring("file:".length()) + " cannot be read"
                    + " (permission denied): give file:PATH of a file this user may read", e);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("the token cannot be read from " + ("-".equals(argument) ? "standard input"
                    : argument.startsWith("file:") ? argument : "the command line") + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
