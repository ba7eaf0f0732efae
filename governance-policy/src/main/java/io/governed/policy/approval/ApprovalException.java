package io.governed.policy.approval;

/**
 * An approval or denial that cannot be given: unknown or no longer pending request, an approver the
 * policy does not name, or a requester deciding on their own request.
 */
public class ApprovalException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ApprovalException(String message) {
        super(message);
    }

    /** No request has this id. */
    public static ApprovalException unknown(String requestId) {
        return new ApprovalException("no approval request '" + requestId + "' is known: check the id the waiting "
                + "statement reported (governed-jdbc approvals list shows them)");
    }
}
