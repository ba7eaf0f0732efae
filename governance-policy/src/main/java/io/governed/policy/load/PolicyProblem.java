package io.governed.policy.load;

import java.io.Serializable;

/**
 * One thing wrong with a policy source, and where.
 *
 * @param source  the file, classpath resource or name given to the text
 * @param line    1-based line, or 0 when the problem concerns the source as a whole
 * @param column  1-based column, or 0 when the problem concerns the source as a whole
 * @param message what is wrong and how to fix it
 */
public record PolicyProblem(String source, int line, int column, String message) implements Serializable {

    /** {@code source:line:column: message}, or {@code source: message} for the source as a whole. */
    @Override
    public String toString() {
        return line > 0 ? source + ":" + line + ":" + column + ": " + message : source + ": " + message;
    }
}
