package io.governed.jdbc.wrapper;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * An SQL array whose result-set views are governed: a driver's array result set leads back to the
 * driver's statement and connection, which would run SQL without the gate.
 */
public final class GovernedArray implements Array {
    private final Array delegate;
    private final GovernedStatement statement;
    /** The identity the array was read for (its result's or its call's), or {@code null}. */
    private final io.governed.identity.Identity readFor;

    /**
     * @param delegate  the driver's array
     * @param statement the governed statement it came from, or {@code null} (an array the application created)
     */
    public GovernedArray(Array delegate, GovernedStatement statement) {
        this(delegate, statement, null);
    }

    /** An array read for {@code readFor}: its result-set views are masked for that identity (see {@link GovernedResultSet#viewerOf}). */
    GovernedArray(Array delegate, GovernedStatement statement, io.governed.identity.Identity readFor) {
        this.delegate = delegate;
        this.statement = statement;
        this.readFor = readFor;
    }

    @Override
    public String getBaseTypeName() throws SQLException {
        return delegate.getBaseTypeName();
    }

    @Override
    public int getBaseType() throws SQLException {
        return delegate.getBaseType();
    }

    @Override
    public Object getArray() throws SQLException {
        return delegate.getArray();
    }

    @Override
    public Object getArray(Map<String, Class<?>> map) throws SQLException {
        return delegate.getArray(map);
    }

    @Override
    public Object getArray(long index, int count) throws SQLException {
        return delegate.getArray(index, count);
    }

    @Override
    public Object getArray(long index, int count, Map<String, Class<?>> map) throws SQLException {
        return delegate.getArray(index, count, map);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return GovernedResultSet.nested(delegate.getResultSet(), statement, readFor);
    }

    @Override
    public ResultSet getResultSet(Map<String, Class<?>> map) throws SQLException {
        return GovernedResultSet.nested(delegate.getResultSet(map), statement, readFor);
    }

    @Override
    public ResultSet getResultSet(long index, int count) throws SQLException {
        return GovernedResultSet.nested(delegate.getResultSet(index, count), statement, readFor);
    }

    @Override
    public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map) throws SQLException {
        return GovernedResultSet.nested(delegate.getResultSet(index, count, map), statement, readFor);
    }

    @Override
    public void free() throws SQLException {
        delegate.free();
    }

    /**
     * This array as {@code iface}; the driver's own array (pgjdbc's {@code PgArray}, say) only under
     * {@code governed.unwrap=allow}, audited, since its views lead back to the driver's connection.
     * An array the application created is never unwrapped to the driver's.
     */
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return Wrappers.unwrap(this, delegate, iface);
    }

    /** Whether {@link #unwrap} would succeed for {@code iface}. */
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return Wrappers.isWrapperFor(this, delegate, iface);
    }

    /** The governed connection this array was read on, or {@code null} for an array the application created. */
    GovernedConnection connection() {
        return statement == null ? null : statement.connection;
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
