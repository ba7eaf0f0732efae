package io.governed.spring.boot;

import io.governed.jdbc.GovernanceException;
import org.springframework.dao.PermissionDeniedDataAccessException;

import java.util.List;

/**
 * A statement refused by governance (SQLState {@code 42501} for a denial by policy, {@code 28000} for a
 * statement without an identity), as Spring's data access exceptions report it: permission denied. The
 * {@link GovernanceException} is the cause, with the rule ids and the reason.
 */
public class GovernanceDeniedDataAccessException extends PermissionDeniedDataAccessException {
    private static final long serialVersionUID = 1L;

    public GovernanceDeniedDataAccessException(String task, GovernanceException cause) {
        super((task == null || task.isBlank() ? "" : task + ": ") + cause.getMessage(), cause);
    }

    /** The refusal itself. */
    public GovernanceException governanceException() {
        return (GovernanceException) getCause();
    }

    /** The ids of the rules that refused the statement; empty when refused by default or for want of an identity. */
    public List<String> ruleIds() {
        return governanceException().ruleIds();
    }
}
