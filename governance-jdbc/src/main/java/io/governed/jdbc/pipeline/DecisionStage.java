package io.governed.jdbc.pipeline;

import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.gate.DecisionFunction;
import io.governed.policy.Decision;

import java.util.Objects;

/**
 * Stage 2: the decision. The {@link DecisionFunction} (a policy, usually: the statement's analysis,
 * cached by fingerprint, then the policy engine, which also uses up a granted approval) decides about
 * the {@link Execution}; anything but an allowing decision refuses the statement: a denial with
 * {@link GovernanceException} (42501), a pending approval with {@link ApprovalPendingException}.
 *
 * <p>Fails closed: a decision function that throws or decides nothing denies the statement.
 */
public final class DecisionStage implements StatementStage {
    private final DecisionFunction decisions;

    public DecisionStage(DecisionFunction decisions) {
        this.decisions = Objects.requireNonNull(decisions, "decisions");
    }

    public DecisionFunction decisions() {
        return decisions;
    }

    @Override
    public void enter(Execution execution) throws GovernanceException {
        Decision decision;
        try {
            decision = decisions.decide(execution);
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
                execution.decision(decision);
                return;
            case PENDING_APPROVAL:
                throw new ApprovalPendingException(decision);
            default:
                throw new GovernanceException(decision);
        }
    }
}
