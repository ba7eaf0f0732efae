package io.governed.jdbc.audit;

import io.governed.policy.Decision;

import java.util.Locale;

/** The outcome an audit event records, written in lower case ({@code allow}, {@code deny}, …). */
public enum AuditDecision {
    /** The statement was allowed (and ran, unless {@code error} says otherwise). */
    ALLOW,
    /** Policy refused the statement; nothing reached the database. */
    DENY,
    /** The statement waits for an approval. */
    PENDING_APPROVAL,
    /**
     * The statement was allowed and ran, but a part of the policy in observe mode ({@code enforcement:
     * observe}) would have denied it; the event names the rules that would have.
     */
    WOULD_DENY,
    /**
     * The statement was allowed and ran, and masks in observe mode would have masked result columns
     * that were handed out unmasked; the event's reason names them.
     */
    WOULD_MASK,
    /** The statement could not be governed or failed in the database; see the event's {@code error}. */
    ERROR;

    private final String externalName = name().toLowerCase(Locale.ROOT);

    /** The name written in audit events: {@code allow}, {@code deny}, {@code pending_approval}, {@code would_deny}, {@code would_mask}, {@code error}. */
    public String externalName() {
        return externalName;
    }

    /** The audit outcome of a policy decision's effect. */
    public static AuditDecision of(Decision.Effect effect) {
        return switch (effect) {
            case ALLOW -> ALLOW;
            case DENY -> DENY;
            case PENDING_APPROVAL -> PENDING_APPROVAL;
        };
    }

    /**
     * Parses an external name (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static AuditDecision parse(String text) {
        for (AuditDecision d : values()) {
            if (d.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException(
                "unknown audit decision '" + text + "': use allow, deny, pending_approval, would_deny, would_mask or error");
    }
}
