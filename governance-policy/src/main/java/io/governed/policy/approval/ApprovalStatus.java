package io.governed.policy.approval;

import java.util.Locale;

/** Where a request stands. */
public enum ApprovalStatus {
    /** Waiting for approvers (some may have approved, not yet enough). */
    PENDING,
    /** Approved: one execution may use it before the approval's ttl ends. */
    APPROVED,
    /** An approver refused it, with a reason; the statement is refused until the request expires. */
    DENIED,
    /** Not decided before its request-ttl, or approved but not used within the approval's ttl. */
    EXPIRED,
    /** Approved and used up by the one execution it allowed. */
    CONSUMED;

    /** The name shown and stored: {@code pending}, {@code approved}, … */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status named {@code text}, in any case. */
    public static ApprovalStatus parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
