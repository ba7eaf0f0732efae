package io.governed.policy.approval;

import java.time.Instant;

/**
 * An approval given to a request: it allows one execution of the statement, by the requester,
 * before it expires.
 *
 * @param requestId  the request approved
 * @param approvedBy the approver's principal
 * @param approvedAt when it was given
 * @param expiresAt  when it stops being usable
 */
public record Approval(String requestId, String approvedBy, Instant approvedAt, Instant expiresAt) {

    /** Whether it can still be used at {@code now}. */
    public boolean validAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
