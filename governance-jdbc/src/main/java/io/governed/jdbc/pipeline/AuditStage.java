package io.governed.jdbc.pipeline;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.audit.AuditUnavailableException;
import io.governed.jdbc.audit.StatementAudit;
import io.governed.jdbc.session.SessionState;
import io.governed.policy.Decision;
import io.governed.sql.SqlAnalysis;

import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * The last stage: every outcome of a statement becomes its audit event and its metrics. A refusal
 * (by any stage), a completed run (rows, database time, masked columns) or a failed one (its
 * SQLState and a message without values). Before a statement runs, an audit in {@code required} mode
 * that cannot take events refuses it, so that nothing runs unaudited.
 *
 * <p>Whether the sinks record a run's events, and whether a meter registry reads its metrics, is asked once per run,
 * as it enters the pipeline ({@link #times}), and kept on it: a sink that starts or stops taking events (a logger
 * turned on or off), or a registry added, does so for the statements that enter after, each of whose events and
 * measurements is then recorded in full or not at all (a statement that entered untimed gives no zero duration). A
 * check that does not run (a prepare, an {@code addBatch}, a {@code nativeSQL}) has an event only when it is refused,
 * and the sinks are asked then.
 */
public final class AuditStage extends PipelineStage {
    private final StatementAudit audit;

    public AuditStage(StatementAudit audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /**
     * Whether {@code execution} is timed, asked as it enters the pipeline: its events are recorded, or a meter registry
     * reads the metrics. Either may change while the application runs (a logger turned on, a registry added to
     * Micrometer's global one); when neither would, the statement is not timed and no clock is read for it.
     */
    public boolean times(Execution execution) {
        return recorded(execution) || counted(execution);
    }

    /**
     * Whether a meter registry reads {@code execution}'s metrics (false without metrics, or while nothing reads them):
     * asked once per run, then kept.
     */
    private boolean counted(Execution execution) {
        byte counted = execution.counted;
        if (counted == 0) {
            counted = audit.metrics() != null && audit.metrics().read() ? (byte) 2 : (byte) 1;
            execution.counted = counted;
        }
        return counted == 2;
    }

    /** Whether the sinks record {@code execution}'s events: asked of them once per run (every sink, each cheaply), then kept. */
    private boolean recorded(Execution execution) {
        byte recorded = execution.recorded;
        if (recorded == 0) {
            recorded = audit.audits() && audit.dispatcher().recording() ? (byte) 2 : (byte) 1;
            execution.recorded = recorded;
        }
        return recorded == 2;
    }

    @Override
    public void enter(Execution execution) throws SQLException {
        if (!execution.runs() || !audit.records()) {
            return;
        }
        audit.beforeExecution();
        long entered = execution.entered();
        if (entered == 0) {
            return; // nothing would keep its durations as it entered the pipeline: not timed (started stays 0), no clock read
        }
        long now = System.nanoTime();
        audit.overhead(now - entered);
        execution.started(now);
    }

    @Override
    public void refused(Execution execution, SQLException refusal) {
        if (!audit.records() || refusal instanceof AuditUnavailableException) {
            return; // an audit that cannot take events cannot take this one either
        }
        Decision decision = refusal instanceof GovernanceException denied && denied.decision() != null ? denied.decision()
                : Decision.deny(List.of(), "refused by " + execution.refusedBy() + " (SQLState " + refusal.getSQLState() + ")");
        try {
            audit.refused(eventId(execution), execution.connectionId(), execution.identity(), analysis(execution), decision,
                    execution.span());
        } catch (SQLException | RuntimeException unrecorded) {
            refusal.addSuppressed(unrecorded); // the statement stays refused either way
        }
    }

    @Override
    public void completed(Execution execution) throws SQLException {
        if (!times(execution)) {
            return; // no event, and nothing reads the metrics: nothing to gather
        }
        if (execution.maskedValues() > 0 && audit.metrics() != null) {
            audit.metrics().maskedValues(execution.maskedValues());
        }
        audit.completed(eventId(execution), execution.connectionId(), execution.identity(), analysis(execution),
                execution.decision(), execution.rows(), databaseNanos(execution), execution.maskedColumns(),
                execution.wouldMask(), execution.span());
    }

    /**
     * Records the failure; when it took the connection with it inside a transaction ({@link SessionState#transactionLost}),
     * also the end of that transaction, which the database rolled back: a {@code rollback} of the statement's identity,
     * after the statement's own event, as {@code Connection.rollback()} is recorded.
     */
    @Override
    public SQLException failed(Execution execution, SQLException failure) {
        if (audit.records()) {
            try {
                if (times(execution)) { // as on completion: nothing gathered where nothing keeps it
                    audit.failed(eventId(execution), execution.connectionId(), execution.identity(), analysis(execution),
                            execution.decision(), databaseNanos(execution), failure, execution.span());
                }
                if (execution.names() instanceof SessionState session && session.transactionLost()) {
                    audit.transactionEnded(execution.connectionId(), execution.identity(), "rollback",
                            "the connection was lost (the database rolls the transaction back)", StatementAudit.UNTIMED, null);
                }
            } catch (SQLException auditFailure) {
                failure.addSuppressed(auditFailure);
            }
        }
        return failure;
    }

    /**
     * How long the database took, since the execution {@linkplain Execution#started started}; {@link StatementAudit#UNTIMED}
     * when it was not timed (a check, which never is: a prepare the database rejected).
     */
    private static long databaseNanos(Execution execution) {
        long started = execution.started();
        return started == 0 ? StatementAudit.UNTIMED : System.nanoTime() - started;
    }

    /** The event's id when the run's events are recorded, else {@code null} (nothing is recorded; metrics alone need no id). */
    private String eventId(Execution execution) {
        return recorded(execution) ? execution.eventId() : null;
    }

    /** The analysis, when events are written (metrics alone do not need it). */
    private SqlAnalysis analysis(Execution execution) {
        return audit.audits() ? execution.auditedAnalysis() : null;
    }
}
