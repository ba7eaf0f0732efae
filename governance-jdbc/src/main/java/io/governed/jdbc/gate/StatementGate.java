package io.governed.jdbc.gate;

import io.governed.jdbc.session.SessionNames;
import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.GovernanceException;
import io.governed.policy.Decision;
import io.governed.sql.Dialect;

import java.util.Objects;

/**
 * The one gate every statement passes before its SQL reaches the delegate driver: identity + SQL +
 * call kind in, decision out. An allowed statement returns its decision; anything else throws, so
 * the caller's delegate call never happens.
 *
 * <p>Fails closed: no identity, or a decision function that throws, denies the statement.
 */
public final class StatementGate {
    private final DecisionFunction decisions;

    public StatementGate(DecisionFunction decisions) {
        this.decisions = Objects.requireNonNull(decisions, "decisions");
    }

    /**
     * Checks one statement.
     *
     * @param identity      the identity resolved for this statement; {@code null} when none could be
     * @param names         how the session resolves unqualified names, or {@code null} when unknown
     * @return the allowing decision
     * @throws GovernanceException when the statement is denied or waits for approval
     */
    public Decision check(Identity identity, SqlText sql, CallKind callKind, Dialect dialect, String connectionId,
                          SessionNames names)
            throws GovernanceException {
        if (identity == null) {
            throw GovernanceException.failedClosed("No identity for this statement on connection " + connectionId
                    + ": set governed.principal (and governed.kind, governed.groups) in the connection settings, "
                    + "or run the statement inside IdentityContext.runAs(identity, work)",
                    GovernanceException.SQLSTATE_NO_IDENTITY, null);
        }
        Decision decision;
        try {
            decision = decisions.decide(new GateRequest(identity, sql, callKind, dialect, connectionId, names));
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError) {
                throw (VirtualMachineError) e;
            }
            throw GovernanceException.failedClosed("Statement denied because governance could not decide about it ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); nothing was sent to the database",
                    GovernanceException.SQLSTATE_DENIED, e);
        }
        if (decision == null) {
            throw GovernanceException.failedClosed("Statement denied because the decision function returned no decision",
                    GovernanceException.SQLSTATE_DENIED, null);
        }
        switch (decision.effect()) {
            case ALLOW:
                return decision;
            case PENDING_APPROVAL:
                throw new ApprovalPendingException(decision);
            default:
                throw new GovernanceException(decision);
        }
    }
}
