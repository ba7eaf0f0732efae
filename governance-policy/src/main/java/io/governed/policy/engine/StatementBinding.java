package io.governed.policy.engine;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The exact statement an execution runs: its text, (worked out only when an approval needs it) the
 * SHA-256 digest of its bound parameter values, and how many times it runs at once. An approval of
 * {@code scope: exact} is bound to the text and the values; any approval allows one execution, so a
 * batch that runs a statement needing approval more than once is refused.
 *
 * @param text             the statement text as the application gave it
 * @param parametersDigest the digest of the bound values, in hex ({@link #NO_PARAMETERS} for none)
 * @param executions       how many times the statement runs under this one decision: 1, or a batch's entries of it
 */
public record StatementBinding(String text, Supplier<String> parametersDigest, int executions) {

    /** The digest of a statement without parameters. */
    public static final String NO_PARAMETERS = "none";

    public StatementBinding {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(parametersDigest, "parametersDigest");
        if (executions < 1) {
            throw new IllegalArgumentException("a statement runs at least once, not " + executions + " times");
        }
    }

    /** One execution of {@code text} with values whose digest {@code parametersDigest} gives. */
    public StatementBinding(String text, Supplier<String> parametersDigest) {
        this(text, parametersDigest, 1);
    }

    /** A statement without parameters. */
    public static StatementBinding of(String text) {
        return new StatementBinding(text, () -> NO_PARAMETERS);
    }

    /** A statement with bound values whose digest is {@code digest}. */
    public static StatementBinding of(String text, String digest) {
        return new StatementBinding(text, () -> digest);
    }
}
