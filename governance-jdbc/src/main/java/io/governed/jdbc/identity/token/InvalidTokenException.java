package io.governed.jdbc.identity.token;

import io.governed.jdbc.GovernanceException;
import io.governed.policy.Decision;

import java.util.List;

/**
 * A token could not vouch for an identity, so the statement (or the connection) is refused with
 * SQLState {@value GovernanceException#SQLSTATE_NO_IDENTITY} ("invalid authorization
 * specification"). The message names the {@link #refusal() cause}, never the token or its claims.
 */
public class InvalidTokenException extends GovernanceException {
    private final TokenRefusal refusal;

    public InvalidTokenException(TokenRefusal refusal, String detail) {
        this(refusal, detail, null);
    }

    public InvalidTokenException(TokenRefusal refusal, String detail, Throwable cause) {
        super(message(refusal, detail), SQLSTATE_NO_IDENTITY, Decision.deny(List.of(), message(refusal, detail)), cause);
        this.refusal = refusal;
    }

    private static String message(TokenRefusal refusal, String detail) {
        return "Token refused: " + refusal.description() + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
    }

    /** Why the token was refused. */
    public TokenRefusal refusal() {
        return refusal;
    }
}
