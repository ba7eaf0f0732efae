package io.governed.jdbc.pipeline;

import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.approval.AuditingApprovalStore;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.gate.DecisionFunction;
import io.governed.policy.Decision;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;

import io.governed.policy.approval.ApprovalStore;

import java.time.Duration;
import java.util.Objects;

/**
 * Stage 2: the decision. The {@link DecisionFunction} (a policy, usually: the statement's analysis,
 * cached by fingerprint, then the policy engine, which also uses up a granted approval) decides about
 * the {@link Execution}; anything but an allowing decision refuses the statement: a denial with
 * {@link GovernanceException} (42501), a pending approval with {@link ApprovalPendingException}
 * ({@value ApprovalPendingException#SQLSTATE_PENDING_APPROVAL}), after waiting for it when
 * {@code governed.approvals.wait} says so.
 *
 * <p>Fails closed: a decision function that throws or decides nothing denies the statement.
 */
public final class DecisionStage extends PipelineStage {
    private static final Duration FIRST_POLL = Duration.ofMillis(50);
    private static final Duration LONGEST_POLL = Duration.ofSeconds(1);

    private final DecisionFunction decisions;
    private final Duration approvalWait;
    private final ApprovalStore approvals;

    public DecisionStage(DecisionFunction decisions) {
        this(decisions, Duration.ZERO, null);
    }

    /**
     * A stage whose statements that need approval wait up to {@code approvalWait}
     * ({@code governed.approvals.wait}) for it, deciding again with growing pauses (50ms doubling up to
     * 1s; a decision made through {@code approvals} in this process ends a pause early): approved in
     * time, they run; otherwise (or interrupted) they are refused as pending.
     *
     * @param approvals the store decisions are made in, or {@code null} when unknown (pauses are then plain sleeps)
     */
    public DecisionStage(DecisionFunction decisions, Duration approvalWait, ApprovalStore approvals) {
        this.decisions = Objects.requireNonNull(decisions, "decisions");
        this.approvalWait = Objects.requireNonNull(approvalWait, "approvalWait");
        this.approvals = approvals;
    }

    public DecisionFunction decisions() {
        return decisions;
    }

    @Override
    public void enter(Execution execution) throws GovernanceException {
        if (approvals instanceof AuditingApprovalStore) {
            // the approval events this statement causes name its audit event
            AuditingApprovalStore.forStatement(execution.eventId(), () -> {
                decideAndWait(execution);
                return null;
            });
        } else {
            decideAndWait(execution);
        }
    }

    private void decideAndWait(Execution execution) throws GovernanceException {
        if (!execution.sql().stringsReadAlike(execution.dialect()) && !readTheUsualWayForCertain(execution)) {
            throw new GovernanceException(Decision.deny(java.util.List.of(), stringsReadEitherWay(execution.dialect())));
        }
        Decision decision = decide(execution);
        if (decision.effect() == Decision.Effect.PENDING_APPROVAL && !approvalWait.isZero()) {
            decision = awaitApproval(execution, decision);
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

    /**
     * Whether the statement's strings are certainly read the way the analysis read them: one statement (a statement
     * before it in the same text could switch the reading for the rest), in a session read as reading backslashes the
     * usual way (PostgreSQL's {@code standard_conforming_strings} on; a MariaDB session's SQL mode is never known).
     */
    private static boolean readTheUsualWayForCertain(Execution execution) {
        SqlAnalysis analysis = execution.analysis();
        return analysis.parsed() && analysis.statements().size() == 1 && execution.names().readsPlainStringsTheUsualWay();
    }

    /** Why a text whose strings end elsewhere under the other reading of backslashes is refused, and what to write instead. */
    private static String stringsReadEitherWay(Dialect dialect) {
        return "The statement is refused: a string in it holds a backslash that " + (dialect == Dialect.POSTGRESQL
                ? "PostgreSQL reads as an escape or as a character depending on the session's standard_conforming_strings"
                + " (which is not known to be on here, or the text holds more than one statement)"
                : "MariaDB reads as an escape or as a character depending on the session's NO_BACKSLASH_ESCAPES SQL mode")
                + ", and that changes where the string ends and so what runs. Write a quote inside a string doubled ('')"
                + " rather than after a backslash" + (dialect == Dialect.POSTGRESQL ? ", write escapes in E'...' strings" : "")
                + ", or pass the value as a bound parameter";
    }

    /** Decides again, with growing pauses, until the decision is no longer pending or the wait is over. */
    private Decision awaitApproval(Execution execution, Decision pending) throws GovernanceException {
        long deadline = System.nanoTime() + approvalWait.toNanos();
        Duration pause = FIRST_POLL;
        Decision decision = pending;
        while (decision.effect() == Decision.Effect.PENDING_APPROVAL) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return decision;
            }
            Duration nap = Duration.ofMillis(Math.max(1, Math.min(pause.toMillis(),
                    java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left))));
            try {
                if (approvals != null) {
                    approvals.awaitDecision(nap);
                } else {
                    Thread.sleep(nap.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the caller's interrupt ends the wait; the statement stays pending
                return decision;
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : pause.multipliedBy(2);
            execution.sessionReadAgain(); // time passed: decided again (and resolved) on the session as it stands now
            decision = decide(execution);
        }
        return decision;
    }

    private Decision decide(Execution execution) throws GovernanceException {
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
        return decision;
    }
}
