package io.governed.jdbc.pipeline;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.wrapper.ForwardingResultSet;
import io.governed.policy.Decision;
import io.governed.policy.model.AppliedLimits;
import io.governed.policy.model.Limit;

import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.List;

/**
 * A result that hands out at most {@code max-rows} rows. Reading the row after the last allowed one
 * finds out whether the result has more: if it has, the governed result underneath is closed at once
 * (so no getter can read the row past the bound) and the statement's audit event says the limit bit;
 * then {@code next()} answers {@code false} with an {@link SQLWarning} ({@code truncate}), or fails with
 * 42501 ({@code refuse}). Cursor moves that could land past the bound ({@code last}, {@code afterLast},
 * a negative {@code absolute}, jumps beyond it) are refused.
 */
final class CappedResultSet extends ForwardingResultSet {
    /** SQLState of the warning a truncated result carries: "data truncated" (01004). */
    static final String SQLSTATE_TRUNCATED = "01004";

    private final Execution execution;
    private final StatementPipeline pipeline;
    private final long maxRows;
    private final String limit;
    private final Limit.OnMaxRows onMaxRows;
    private long handedOut;
    private boolean cut;
    private SQLWarning warning;

    CappedResultSet(java.sql.ResultSet delegate, Execution execution, StatementPipeline pipeline, AppliedLimits limits) {
        super(delegate);
        this.execution = execution;
        this.pipeline = pipeline;
        this.maxRows = limits.maxRows();
        this.limit = limits.maxRowsLimit();
        this.onMaxRows = limits.onMaxRows();
    }

    @Override
    public boolean next() throws SQLException {
        if (cut) {
            return false;
        }
        if (!delegate.next()) {
            return false;
        }
        if (handedOut < maxRows) {
            handedOut++;
            return true;
        }
        cutHere();
        return false;
    }

    /** The result has a row past the bound: it is not handed out, the statement ends, and the audit says why. */
    private void cutHere() throws SQLException {
        cut = true;
        execution.rows(maxRows);
        String what = "max-rows: result cut after " + maxRows + " rows by limit '" + limit + "'";
        if (onMaxRows == Limit.OnMaxRows.REFUSE) {
            LimitStage.note(execution, limit, what);
            GovernanceException refusal = new GovernanceException(Decision.deny(List.of(limit),
                    "The result has more than " + maxRows + " rows, the most limit '" + limit + "' lets this caller read "
                            + "(max-rows, on-max-rows: refuse); narrow the query (a WHERE clause, a LIMIT) and run it again"));
            SQLException thrown = pipeline == null ? refusal : pipeline.failed(execution, refusal);
            delegate.close();
            throw thrown;
        }
        LimitStage.note(execution, limit, what);
        warning = new SQLWarning("The result was cut after " + maxRows + " rows: limit '" + limit
                + "' lets this caller read no more from one statement (max-rows); narrow the query to see the rest",
                SQLSTATE_TRUNCATED);
        delegate.close();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        if (cut) {
            return warning;
        }
        return delegate.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        warning = null;
        if (!cut) {
            delegate.clearWarnings();
        }
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        return cut || delegate.isAfterLast();
    }

    @Override
    public boolean isLast() throws SQLException {
        return !cut && (handedOut == maxRows || delegate.isLast());
    }

    @Override
    public boolean absolute(int row) throws SQLException {
        if (row < 0 || row > maxRows) {
            throw pastBound("absolute(" + row + ")");
        }
        return move(delegate.absolute(row), row);
    }

    @Override
    public boolean relative(int rows) throws SQLException {
        long target = (long) delegate.getRow() + rows;
        if (rows > 0 && (target > maxRows || delegate.getRow() == 0 && delegate.isAfterLast())) {
            throw pastBound("relative(" + rows + ")");
        }
        return move(delegate.relative(rows), target);
    }

    @Override
    public boolean last() throws SQLException {
        throw pastBound("last()");
    }

    @Override
    public void afterLast() throws SQLException {
        throw pastBound("afterLast()");
    }

    private boolean move(boolean onRow, long row) {
        if (onRow) {
            handedOut = Math.max(handedOut, row);
        }
        return onRow;
    }

    private SQLException pastBound(String move) {
        return new SQLException("The cursor move " + move + " could go past row " + maxRows + ", the most limit '" + limit
                + "' lets this caller read (max-rows); move with next(), or narrow the query",
                GovernanceException.SQLSTATE_DENIED);
    }
}
