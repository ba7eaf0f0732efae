package io.governed.jdbc.wrapper;

import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.SqlText;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A prepared statement: its SQL passed the gate when it was prepared, and passes it again at every
 * execution, as the identity current then (a prepared statement kept in a pool's statement cache
 * outlives the caller who prepared it). Bound values never go through the gate.
 */
public class GovernedPreparedStatement extends ForwardingPreparedStatement {
    protected final SqlText sql;

    public GovernedPreparedStatement(GovernedConnection connection, PreparedStatement delegate, SqlText sql) {
        super(connection, delegate);
        this.sql = sql;
    }

    /** The SQL this statement was prepared with. */
    public String sql() {
        return sql.sql();
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        connection.check(sql, CallKind.QUERY);
        return wrapResult(preparedDelegate.executeQuery());
    }

    @Override
    public int executeUpdate() throws SQLException {
        connection.check(sql, CallKind.UPDATE);
        return preparedDelegate.executeUpdate();
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        connection.check(sql, CallKind.UPDATE);
        return preparedDelegate.executeLargeUpdate();
    }

    @Override
    public boolean execute() throws SQLException {
        connection.check(sql, CallKind.EXECUTE);
        return preparedDelegate.execute();
    }

    @Override
    public void addBatch() throws SQLException {
        connection.check(sql, CallKind.BATCH);
        preparedDelegate.addBatch();
        rememberBatched(sql);
    }
}
