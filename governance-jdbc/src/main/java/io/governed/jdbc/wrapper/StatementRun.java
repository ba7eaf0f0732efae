package io.governed.jdbc.wrapper;

import io.governed.identity.Identity;
import io.governed.jdbc.audit.StatementAudit;
import io.governed.jdbc.gate.SqlText;
import io.governed.policy.Decision;
import io.governed.sql.SqlAnalysis;

import java.sql.SQLException;
import java.util.List;

/**
 * One execution of one allowed statement: who ran it, what governance decided, and when it started.
 * It ends exactly once, {@link #completed completed} with the rows returned or affected, or
 * {@link #failed failed} with the database's error, and that end becomes its audit event.
 *
 * <p>A query's run ends when its result set is read to the end or closed (the wrapper counts the
 * rows), or when its statement or connection is closed or runs something else.
 */
public final class StatementRun {
    private final GovernedConnection connection;
    private final SqlText sql;
    private final Identity identity;
    private final Decision decision;
    private final long started;
    private long rows;
    private boolean ended;
    private List<String> maskedColumns = List.of();
    private long maskedValues;

    /** @param timed whether its database time is measured (only when something records it) */
    StatementRun(GovernedConnection connection, SqlText sql, Identity identity, Decision decision, boolean timed) {
        this.connection = connection;
        this.sql = sql;
        this.identity = identity;
        this.decision = decision;
        this.started = timed ? System.nanoTime() : 0L;
    }

    public Identity identity() {
        return identity;
    }

    public Decision decision() {
        return decision;
    }

    public SqlText sql() {
        return sql;
    }

    /** The statement's analysis: computed once per text and shared with the decision that allowed it. */
    public SqlAnalysis analysis() {
        return connection.analysis(sql);
    }

    /** A run of the same statement with the same decision, for another entry of a batch. */
    StatementRun again() {
        return new StatementRun(connection, sql, identity, decision, started != 0L);
    }

    /** A result row was read. */
    void rowRead() {
        rows++;
    }

    /** The results' masked columns (labels) and how many values were masked, for the run's audit event and metrics. */
    void masked(List<String> labels, long values) {
        maskedColumns = List.copyOf(labels);
        maskedValues = values;
    }

    /** The query's results were read to the end or closed: ends the run with the rows read. */
    void resultsDone() throws SQLException {
        completed(rows);
    }

    /** Ends the run: the statement ran and returned or affected {@code affected} rows ({@code null}: unknown). */
    void completed(Long affected) throws SQLException {
        if (ended) {
            return;
        }
        ended = true;
        StatementAudit audit = connection.governance().audit();
        if (!audit.records()) {
            return;
        }
        if (maskedValues > 0 && audit.metrics() != null) {
            audit.metrics().maskedValues(maskedValues);
        }
        audit.completed(connection.connectionId(), identity, auditedAnalysis(), decision,
                affected, System.nanoTime() - started, maskedColumns);
    }

    /** Ends the run with the database's error, and gives the error back to be thrown. */
    SQLException failed(SQLException failure) {
        if (!ended && connection.governance().audit().records()) {
            ended = true;
            try {
                connection.governance().audit().failed(connection.connectionId(), identity, auditedAnalysis(), decision,
                        System.nanoTime() - started, failure);
            } catch (SQLException auditFailure) {
                failure.addSuppressed(auditFailure);
            }
        }
        return failure;
    }

    private SqlAnalysis auditedAnalysis() {
        return connection.governance().audit().audits() ? analysis() : null;
    }
}
