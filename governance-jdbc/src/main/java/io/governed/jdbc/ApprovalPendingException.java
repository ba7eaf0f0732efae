package io.governed.jdbc;

import io.governed.policy.Decision;

/**
 * The statement needs an approval that has not been given yet; it did not run. SQLState
 * {@value #SQLSTATE_PENDING_APPROVAL}, not the denial's 42501: a caller (an interactive tool, an agent)
 * can tell "ask and retry" from "refused". Run the statement again, as the same identity and with the
 * same values, once {@link #approvalRequestId()} is approved:
 * {@code governed-jdbc approvals approve ID --store URL --approver NAME --groups GROUPS}.
 */
public class ApprovalPendingException extends GovernanceException {

    /** SQLState of a statement waiting for approval (an implementation-defined class, X). */
    public static final String SQLSTATE_PENDING_APPROVAL = "XGA01";

    public ApprovalPendingException(Decision decision) {
        super("Statement waits for approval request " + decision.approvalRequestId()
                + (decision.rules().isEmpty() ? "" : " (rule " + String.join(", ", decision.rules()) + ")")
                + ": " + decision.reason() + ". To approve it: governed-jdbc approvals approve " + decision.approvalRequestId()
                + " --store <the governed.approvals store> --approver <name> --groups <the approver's groups>"
                + " (or, for a verified approver, --token <their token> --jwks <keys> --issuer <issuer> --audience <audience>)",
                SQLSTATE_PENDING_APPROVAL, decision, null);
    }

    /** The approval request the statement waits for. */
    public String approvalRequestId() {
        return decision().approvalRequestId();
    }
}
