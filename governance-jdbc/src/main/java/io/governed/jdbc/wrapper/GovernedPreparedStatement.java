package io.governed.jdbc.wrapper;

import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.SqlText;
import io.governed.jdbc.pipeline.Execution;
import io.governed.jdbc.pipeline.GeneratedKeys;

import io.governed.jdbc.pipeline.RowFilterStage;
import io.governed.sql.RowFilterRewriter;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A prepared statement: its SQL passed the gate when it was prepared, and passes it again at every
 * execution, as the identity current then (a prepared statement kept in a pool's statement cache
 * outlives the caller who prepared it). Bound values never go through the gate; only their digest
 * does, which approvals of exact values are bound to.
 */
public class GovernedPreparedStatement extends ForwardingPreparedStatement {
    protected final SqlText sql;
    /** The SQL it amounts to with what the driver appends for its generated keys; {@link #sql} when nothing is. */
    private final SqlText analysedSql;
    /** The generated keys it was prepared to return. */
    private final GeneratedKeys keys;
    /** The row-filter rewrite the driver's statement was prepared as, or {@code null} when it was prepared as written. */
    private final RowFilterRewriter.Rewrite preparedAs;
    /** For each application parameter (1-based), its index in the driver's statement; {@code null} when the same. */
    private final int[] indexes;
    /**
     * The filter values bound into each entry batched since the last run or clear; {@code null} until the first
     * {@code addBatch} (most prepared statements never batch).
     */
    private List<List<Object>> batchedValues;
    /**
     * The application's setter calls of each entry batched since the last run or clear, for the check of new rows;
     * {@code null} until the first {@code addBatch}.
     */
    private List<java.util.Map<Integer, Object[]>> batchedCalls;

    public GovernedPreparedStatement(GovernedConnection connection, PreparedStatement delegate, SqlText sql) {
        this(connection, delegate, sql, null);
    }

    /** A statement whose driver statement was prepared as {@code preparedAs} (a row-filter rewrite of {@code sql}), or as written. */
    GovernedPreparedStatement(GovernedConnection connection, PreparedStatement delegate, SqlText sql,
                              RowFilterRewriter.Rewrite preparedAs) {
        super(connection, delegate);
        this.sql = sql;
        this.analysedSql = sql;
        this.keys = GeneratedKeys.NONE;
        this.preparedAs = preparedAs;
        this.indexes = preparedAs == null ? null : preparedAs.applicationIndexes();
    }

    /**
     * A statement prepared to return generated keys, as {@code prepared} was checked; its driver statement was prepared
     * as {@code preparedAs} (the check's row-filter rewrite), or as written.
     */
    GovernedPreparedStatement(GovernedConnection connection, PreparedStatement delegate, Execution prepared,
                              RowFilterRewriter.Rewrite preparedAs) {
        super(connection, delegate);
        this.sql = prepared.sql();
        this.analysedSql = prepared.analysedAsWritten();
        this.keys = prepared.generatedKeys();
        this.preparedAs = preparedAs;
        this.indexes = preparedAs == null ? null : preparedAs.applicationIndexes();
    }

    /** The SQL this statement was prepared with. */
    public String sql() {
        return sql.sql();
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        Execution run = run(CallKind.QUERY);
        try {
            return wrapResult(preparedDelegate.executeQuery());
        } catch (SQLException e) {
            throw failed(run, e);
        } catch (RuntimeException | Error e) {
            failedUnchecked(run, e);
            throw e;
        }
    }

    @Override
    public int executeUpdate() throws SQLException {
        Execution run = run(CallKind.UPDATE);
        int count;
        try {
            count = preparedDelegate.executeUpdate();
        } catch (SQLException e) {
            throw failed(run, e);
        } catch (RuntimeException | Error e) {
            failedUnchecked(run, e);
            throw e;
        }
        completed(run, (long) count);
        return count;
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        Execution run = run(CallKind.UPDATE);
        long count;
        try {
            count = preparedDelegate.executeLargeUpdate();
        } catch (SQLException e) {
            throw failed(run, e);
        } catch (RuntimeException | Error e) {
            failedUnchecked(run, e);
            throw e;
        }
        completed(run, count);
        return count;
    }

    @Override
    public boolean execute() throws SQLException {
        Execution run = run(CallKind.EXECUTE);
        try {
            return executed(run, preparedDelegate.execute());
        } catch (SQLException e) {
            throw failed(run, e);
        } catch (RuntimeException | Error e) {
            failedUnchecked(run, e);
            throw e;
        }
    }

    @Override
    protected SqlText analysedOf(SqlText text) {
        return text == sql ? analysedSql : text;
    }

    @Override
    protected java.util.function.Supplier<String> parametersOf(SqlText text) {
        return text == sql ? parameters : null; // the digest of the values bound now, asked when needed
    }

    @Override
    protected java.util.function.Supplier<String> batchParametersOf(SqlText text) {
        return text == sql ? BoundParameters::opaque : null;
    }

    /** An INSERT run now checks the values bound now (those of a text other than its own: none). */
    @Override
    protected io.governed.jdbc.pipeline.NewRowCheck newRowsOf(SqlText text) {
        return text == sql ? valuesBoundNow : super.newRowsOf(text);
    }

    /** The check of this statement's INSERT with the values bound when it runs, one for the statement's life. */
    private final io.governed.jdbc.pipeline.NewRowCheck valuesBoundNow = new BoundRows(null);

    /** The values of the entries a run binds, as the check of an INSERT's new rows and the pipeline's stages read them. */
    private final class BoundRows implements io.governed.jdbc.pipeline.NewRowCheck, io.governed.jdbc.pipeline.BoundValues {
        /** The entries' setter calls; {@code null}: the one entry of the values bound when asked. */
        private final java.util.function.Supplier<List<java.util.Map<Integer, Object[]>>> calls;

        BoundRows(java.util.function.Supplier<List<java.util.Map<Integer, Object[]>>> calls) {
            this.calls = calls;
        }

        private List<java.util.Map<Integer, Object[]>> calls() {
            return calls == null ? java.util.Collections.singletonList(parameters.snapshot()) : calls.get();
        }

        @Override
        public List<String> failing(List<io.governed.sql.RowFilterRewriter.RowCheck> checks)
                throws SQLException, io.governed.jdbc.pipeline.NewRowCheck.Unchecked {
            return connection.failingRowChecks(checks, calls());
        }

        @Override
        public List<java.util.Map<Integer, Object[]>> entries() {
            List<java.util.Map<Integer, Object[]>> entries = calls();
            return entries.contains(null) ? null : entries;
        }
    }

    @Override
    protected GeneratedKeys keysOf(SqlText text) {
        return text == sql ? keys : GeneratedKeys.NONE;
    }

    /**
     * Starts a run in the pipeline, as the caller now: a row-filtered statement (with or without generated keys) runs
     * only as the statement it was prepared as, with the caller's filter values bound.
     */
    private Execution run(CallKind callKind) throws SQLException {
        Execution run = beginPrepared(sql, analysedSql, keys, callKind, preparedAs == null ? null : preparedAs.sql());
        if (run.rowFilterRewrite() != null) {
            try {
                GovernedConnection.bindFilterValues(preparedDelegate, run.rowFilterRewrite(), parameters.snapshot());
            } catch (SQLException e) {
                throw failed(run, e);
            } catch (RuntimeException | Error e) {
                failedUnchecked(run, e);
                throw e;
            }
        }
        return run;
    }

    /** The application's parameter {@code parameterIndex} where the row-filter rewrite put it. */
    @Override
    protected int index(int parameterIndex) throws SQLException {
        if (indexes == null) {
            return parameterIndex;
        }
        if (parameterIndex < 1 || parameterIndex >= indexes.length) {
            throw new SQLException("Parameter index " + parameterIndex + " is out of range: the statement has "
                    + (indexes.length - 1) + " parameter(s)", "22023");
        }
        return indexes[parameterIndex];
    }

    @Override
    public void addBatch() throws SQLException {
        Execution checked = connection.enterPrepared(sql, analysedSql, keys, CallKind.BATCH, false,
                preparedAs == null ? null : preparedAs.sql(), List.of(), null, newRowsOf(sql), 1, batchedAs());
        connection.byDriver(checked, () -> {
            if (checked.rowFilterRewrite() != null) {
                GovernedConnection.bindFilterValues(preparedDelegate, checked.rowFilterRewrite(), parameters.snapshot());
            }
            preparedDelegate.addBatch();
            return null;
        });
        if (batchedValues == null) {
            batchedValues = new ArrayList<>();
            batchedCalls = new ArrayList<>();
        }
        batchedValues.add(RowFilterStage.boundValues(checked.rowFilterRewrite()));
        batchedCalls.add(parameters.snapshot());
        batched(sql, checked);
    }

    /** A batch runs only as a caller whose filters bind the values its entries were added with. */
    @Override
    protected Execution beginBatched(SqlText text, int times, io.governed.identity.Identity addedAs) throws SQLException {
        if (text != sql) {
            return super.beginBatched(text, times, addedAs);
        }
        List<List<Object>> values = batchedValues == null ? List.of() : List.copyOf(batchedValues);
        List<java.util.Map<Integer, Object[]>> calls = batchedCalls == null ? new ArrayList<>() : new ArrayList<>(batchedCalls);
        clearBatched();
        // a batch of one entry is one execution with that entry's values, which an exact approval can match (values
        // bound by name are not in an entry's snapshot: then no exact approval matches)
        java.util.function.Supplier<String> digest = times == 1 && calls.size() == 1 && !parameters.everNamed()
                ? () -> BoundParameters.digestOf(calls.get(0)) : batchParametersOf(text);
        return connection.enterPrepared(text, analysedSql, keys, CallKind.BATCH, true, preparedAs == null ? null : preparedAs.sql(),
                values, digest, new BoundRows(() -> calls), times, addedAs);
    }

    @Override
    public void clearBatch() throws SQLException {
        super.clearBatch();
        clearBatched();
    }

    private void clearBatched() {
        if (batchedValues != null) {
            batchedValues.clear();
            batchedCalls.clear();
        }
    }
}
