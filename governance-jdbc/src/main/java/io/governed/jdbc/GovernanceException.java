package io.governed.jdbc;

import io.governed.policy.Decision;

import java.sql.SQLException;
import java.util.List;

/**
 * Governance refused a statement: nothing of it reached the database.
 *
 * <p>SQLState {@value #SQLSTATE_DENIED} ("insufficient privilege") for a policy denial; the message
 * names the determining rules and the reason, and {@link #decision()} gives the decision itself.
 */
public class GovernanceException extends SQLException {
    /** SQLState of a denied statement. */
    public static final String SQLSTATE_DENIED = "42501";
    /** SQLState when no identity could be established for a statement. */
    public static final String SQLSTATE_NO_IDENTITY = "28000";

    private final transient Decision decision;

    public GovernanceException(Decision decision) {
        this(describe(decision), SQLSTATE_DENIED, decision, null);
    }

    protected GovernanceException(String message, String sqlState, Decision decision, Throwable cause) {
        super(message, sqlState, cause);
        this.decision = decision;
    }

    /** The statement was stopped before any decision could be made (no identity, a failing decision function). */
    public static GovernanceException failedClosed(String message, String sqlState, Throwable cause) {
        return new GovernanceException(message, sqlState, Decision.deny(List.of(), message), cause);
    }

    /** The decision that stopped the statement. */
    public Decision decision() {
        return decision;
    }

    /** Ids of the rules that determined the decision; empty when the policy's default did. */
    public List<String> ruleIds() {
        return decision.rules();
    }

    /** The decision's reason, without the rule ids. */
    public String reason() {
        return decision.reason();
    }

    /** The decision's reason, with the ids of any determining rules it does not already name. */
    private static String describe(Decision decision) {
        List<String> unnamed = decision.rules().stream().filter(id -> !decision.reason().contains(id)).toList();
        return unnamed.isEmpty() ? decision.reason() : decision.reason() + " [rule " + String.join(", ", unnamed) + "]";
    }
}
