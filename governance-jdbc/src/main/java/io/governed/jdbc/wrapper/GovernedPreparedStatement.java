package io.governed.jdbc.wrapper;

import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.SqlText;
import io.governed.jdbc.pipeline.Execution;
import io.governed.jdbc.pipeline.GeneratedKeys;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

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

    public GovernedPreparedStatement(GovernedConnection connection, PreparedStatement delegate, SqlText sql) {
        super(connection, delegate);
        this.sql = sql;
        this.analysedSql = sql;
        this.keys = GeneratedKeys.NONE;
    }

    /** A statement prepared to return generated keys, as {@code prepared} was checked. */
    GovernedPreparedStatement(GovernedConnection connection, PreparedStatement delegate, Execution prepared) {
        super(connection, delegate);
        this.sql = prepared.sql();
        this.analysedSql = prepared.analysedSql();
        this.keys = prepared.generatedKeys();
    }

    /** The SQL this statement was prepared with. */
    public String sql() {
        return sql.sql();
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        Execution run = begin(sql, analysedSql, CallKind.QUERY, keys);
        try {
            return wrapResult(preparedDelegate.executeQuery());
        } catch (SQLException e) {
            throw failed(run, e);
        }
    }

    @Override
    public int executeUpdate() throws SQLException {
        Execution run = begin(sql, analysedSql, CallKind.UPDATE, keys);
        int count;
        try {
            count = preparedDelegate.executeUpdate();
        } catch (SQLException e) {
            throw failed(run, e);
        }
        completed(run, (long) count);
        return count;
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        Execution run = begin(sql, analysedSql, CallKind.UPDATE, keys);
        long count;
        try {
            count = preparedDelegate.executeLargeUpdate();
        } catch (SQLException e) {
            throw failed(run, e);
        }
        completed(run, count);
        return count;
    }

    @Override
    public boolean execute() throws SQLException {
        Execution run = begin(sql, analysedSql, CallKind.EXECUTE, keys);
        try {
            return executed(run, preparedDelegate.execute());
        } catch (SQLException e) {
            throw failed(run, e);
        }
    }

    @Override
    protected SqlText analysedOf(SqlText text) {
        return text == sql ? analysedSql : text;
    }

    @Override
    protected java.util.function.Supplier<String> parametersOf(SqlText text) {
        return text == sql ? parameters::digest : null;
    }

    @Override
    protected java.util.function.Supplier<String> batchParametersOf(SqlText text) {
        return text == sql ? BoundParameters::opaque : null;
    }

    @Override
    protected GeneratedKeys keysOf(SqlText text) {
        return text == sql ? keys : GeneratedKeys.NONE;
    }

    @Override
    public void addBatch() throws SQLException {
        connection.check(sql, analysedSql, CallKind.BATCH, keys);
        preparedDelegate.addBatch();
        batched(sql);
    }
}
