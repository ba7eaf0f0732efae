package io.governed.policy;

import java.util.List;
import java.util.Objects;

/**
 * What governance decided about one statement for one identity, and why.
 *
 * <p>Every decision names the rules that determined it (empty when the policy's default decided)
 * and gives a reason a person can read. A decision to wait for approval also names the approval
 * request.
 *
 * @param effect            allow, deny or wait for approval
 * @param rules             ids of the rules that determined the effect
 * @param reason            why, in a sentence
 * @param approvalRequestId the approval request to wait for; only with {@link Effect#PENDING_APPROVAL}
 * @param wouldBe           what the policy's parts in observe mode ({@code enforcement: observe}) would have
 *                          decided instead, when it is stricter (a denial this decision does not enforce);
 *                          {@code null} otherwise
 * @param mayRunUserCode    whether the statement may run code of the database's users: it calls a routine that is
 *                          not a known built-in, runs a {@code DO} block or a {@code CALL}, writes a relation whose
 *                          triggers, defaults or checks run routines, or is of a kind whose code cannot be told (a
 *                          {@code COMMIT} fires deferred triggers, DDL event triggers). {@code true} unless the policy
 *                          engine found that it runs none: such code composes messages (PostgreSQL's {@code RAISE},
 *                          MariaDB's {@code SIGNAL}) with any value it reads, so the database's message about it
 *                          cannot be taken to hold no value
 */
public record Decision(Effect effect, List<String> rules, String reason, String approvalRequestId, Decision wouldBe,
                       boolean mayRunUserCode) {

    /** A decision that observe mode has nothing to add to, on a statement that may run user code. */
    public Decision(Effect effect, List<String> rules, String reason, String approvalRequestId) {
        this(effect, rules, reason, approvalRequestId, null, true);
    }

    /** A decision on a statement that may run user code (not known otherwise). */
    public Decision(Effect effect, List<String> rules, String reason, String approvalRequestId, Decision wouldBe) {
        this(effect, rules, reason, approvalRequestId, wouldBe, true);
    }

    /** The effect of a decision. */
    public enum Effect {
        ALLOW, DENY, PENDING_APPROVAL
    }

    private static final Decision ALLOW_UNCONDITIONALLY =
            new Decision(Effect.ALLOW, List.of(), "allowed without conditions", null);

    public Decision {
        Objects.requireNonNull(effect, "effect");
        rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
        Objects.requireNonNull(reason, "reason");
        if ((effect == Effect.PENDING_APPROVAL) != (approvalRequestId != null)) {
            throw new IllegalArgumentException("an approval request id goes with, and only with, PENDING_APPROVAL");
        }
    }

    /** An allowing decision that no rule had to make (a pass-through gate). */
    public static Decision allowUnconditionally() {
        return ALLOW_UNCONDITIONALLY;
    }

    public static Decision allow(List<String> rules, String reason) {
        return new Decision(Effect.ALLOW, rules, reason, null);
    }

    public static Decision deny(List<String> rules, String reason) {
        return new Decision(Effect.DENY, rules, reason, null);
    }

    public static Decision pendingApproval(List<String> rules, String reason, String approvalRequestId) {
        return new Decision(Effect.PENDING_APPROVAL, rules, reason, Objects.requireNonNull(approvalRequestId));
    }

    public boolean allowed() {
        return effect == Effect.ALLOW;
    }

    /** This decision, noting that the parts of the policy in observe mode would have decided {@code stricter}. */
    public Decision withWouldBe(Decision stricter) {
        return new Decision(effect, rules, reason, approvalRequestId, stricter, mayRunUserCode);
    }

    /** This decision, noting that the statement runs no code of the database's users ({@link #mayRunUserCode()}). */
    public Decision withoutUserCode() {
        return mayRunUserCode ? new Decision(effect, rules, reason, approvalRequestId, wouldBe, false) : this;
    }

    /** Whether the policy's parts in observe mode would have refused what this decision allows. */
    public boolean wouldDeny() {
        return allowed() && wouldBe != null && !wouldBe.allowed();
    }
}
