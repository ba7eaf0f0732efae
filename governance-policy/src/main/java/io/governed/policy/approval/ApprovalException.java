package io.governed.policy.approval;

/** An approval that cannot be given: unknown request, an approver the policy does not name, or a requester approving their own request. */
public class ApprovalException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ApprovalException(String message) {
        super(message);
    }
}
