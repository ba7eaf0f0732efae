package io.governed.policy.engine;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The exact statement an execution runs: its text and (worked out only when an approval needs it) the
 * SHA-256 digest of its bound parameter values. An approval of {@code scope: exact} is bound to both.
 *
 * @param text             the statement text as the application gave it
 * @param parametersDigest the digest of the bound values, in hex ({@link #NO_PARAMETERS} for none)
 */
public record StatementBinding(String text, Supplier<String> parametersDigest) {

    /** The digest of a statement without parameters. */
    public static final String NO_PARAMETERS = "none";

    public StatementBinding {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(parametersDigest, "parametersDigest");
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
