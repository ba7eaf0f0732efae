package io.governed.jdbc.identity;

import java.sql.SQLException;
import java.util.Objects;

/**
 * Thrown by an {@link IdentityResolver} that found a caller it must not let through (a bearer token that
 * fails verification): the statement is refused with {@link #refusal()} (SQLState 28000 for a token).
 */
public final class IdentityRefusedException extends RuntimeException {
    private final SQLException refusal;

    public IdentityRefusedException(SQLException refusal) {
        super(Objects.requireNonNull(refusal, "refusal").getMessage(), refusal, false, false);
        this.refusal = refusal;
    }

    /** The exception the statement is refused with. */
    public SQLException refusal() {
        return refusal;
    }
}
