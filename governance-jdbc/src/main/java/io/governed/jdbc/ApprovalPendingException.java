package io.governed.jdbc;

import io.governed.policy.Decision;

/**
 * The statement needs an approval that has not been given yet. It did not run; run it again, as
 * the same identity, once {@link #approvalRequestId()} is approved.
 */
public class ApprovalPendingException extends GovernanceException {

    public ApprovalPendingException(Decision decision) {
        super("Statement waits for approval request " + decision.approvalRequestId()
                + (decision.rules().isEmpty() ? "" : " (rule " + String.join(", ", decision.rules()) + ")")
                + ": " + decision.reason() + ". Run it again as the same identity once the request is approved.",
                SQLSTATE_DENIED, decision, null);
    }

    /** The approval request the statement waits for. */
    public String approvalRequestId() {
        return decision().approvalRequestId();
    }
}
