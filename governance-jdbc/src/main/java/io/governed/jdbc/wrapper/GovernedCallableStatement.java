package io.governed.jdbc.wrapper;

import io.governed.jdbc.gate.SqlText;

import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * A callable statement: checked at {@code prepareCall} and at every execution like a prepared
 * statement. An OUT parameter that holds a result set (a PostgreSQL refcursor) or an array comes back governed.
 *
 * <p>OUT parameters are not masked, except a result set (a refcursor), whose columns are masked as the
 * driver's metadata says: what a procedure returns in a scalar cannot be traced to the columns it read.
 * A policy that masks columns for a caller should not permit {@code call} to that caller.
 */
public class GovernedCallableStatement extends ForwardingCallableStatement {

    public GovernedCallableStatement(GovernedConnection connection, CallableStatement delegate, SqlText sql) {
        super(connection, delegate, sql);
    }

    @Override
    public Object getObject(int parameterIndex) throws SQLException {
        return governedValue(callableDelegate.getObject(parameterIndex));
    }

    @Override
    public Object getObject(String parameterName) throws SQLException {
        return governedValue(callableDelegate.getObject(parameterName));
    }

    @Override
    public Object getObject(int parameterIndex, Map<String, Class<?>> map) throws SQLException {
        return governedValue(callableDelegate.getObject(parameterIndex, map));
    }

    @Override
    public Object getObject(String parameterName, Map<String, Class<?>> map) throws SQLException {
        return governedValue(callableDelegate.getObject(parameterName, map));
    }

    @Override
    public <T> T getObject(int parameterIndex, Class<T> type) throws SQLException {
        return type.cast(governedValue(callableDelegate.getObject(parameterIndex, type)));
    }

    @Override
    public <T> T getObject(String parameterName, Class<T> type) throws SQLException {
        return type.cast(governedValue(callableDelegate.getObject(parameterName, type)));
    }

    @Override
    public Array getArray(int parameterIndex) throws SQLException {
        return (Array) governedValue(callableDelegate.getArray(parameterIndex));
    }

    @Override
    public Array getArray(String parameterName) throws SQLException {
        return (Array) governedValue(callableDelegate.getArray(parameterName));
    }

    private Object governedValue(Object value) throws SQLException {
        return Wrappers.governed(value, this);
    }
}
