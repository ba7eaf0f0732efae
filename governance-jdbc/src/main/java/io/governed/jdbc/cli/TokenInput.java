package io.governed.jdbc.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A token given on the command line: the token itself, {@code -} for the first line of standard input, or
 * {@code file:PATH} for a file's content (the last two keep it out of the process list and shell history).
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
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
                String line = in.readLine();
                return line == null ? "" : line.trim();
            }
            if (argument.startsWith("file:")) {
                return Files.readString(Path.of(argument.substring("file:".length())), StandardCharsets.US_ASCII).trim();
            }
            return argument.trim();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("the token cannot be read from " + ("-".equals(argument) ? "standard input"
                    : argument) + ": " + e.getMessage(), e);
        }
    }
}
