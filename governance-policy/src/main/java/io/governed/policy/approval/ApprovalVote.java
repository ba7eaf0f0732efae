package io.governed.policy.approval;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One approver's decision on a request.
 *
 * @param approver the approver's principal
 * @param groups   the groups the approver was in when deciding (what made them an approver)
 * @param asserted whether the identity was only stated (a command-line flag) rather than verified
 * @param approved true for an approval, false for a denial
 * @param reason   why, for a denial (required) or an approval (optional); {@code null} when none was given
 * @param at       when
 */
public record ApprovalVote(String approver, List<String> groups, boolean asserted, boolean approved, String reason, Instant at) {

    public ApprovalVote {
        Objects.requireNonNull(approver, "approver");
        groups = List.copyOf(groups);
        Objects.requireNonNull(at, "at");
    }
}
