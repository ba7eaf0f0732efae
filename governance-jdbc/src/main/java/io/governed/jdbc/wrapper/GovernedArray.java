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

    /**
     * The elements; read while another identity is in effect than the one the array was read for, and a mask applies
     * to either, the elements of {@link #getResultSet()}, masked as that result set's are (an {@code Object[]}).
     */
    @Override
    public Object getArray() throws SQLException {
        return readByAnother() ? elements(getResultSet()) : delegate.getArray();
    }

    @Override
    public Object getArray(Map<String, Class<?>> map) throws SQLException {
        return readByAnother() ? elements(getResultSet(map)) : delegate.getArray(map);
    }

    @Override
    public Object getArray(long index, int count) throws SQLException {
        return readByAnother() ? elements(getResultSet(index, count)) : delegate.getArray(index, count);
    }

    @Override
    public Object getArray(long index, int count, Map<String, Class<?>> map) throws SQLException {
        return readByAnother() ? elements(getResultSet(index, count, map)) : delegate.getArray(index, count, map);
    }

    /**
     * Whether the array is read now by another identity than the one it was read for, with a mask applying to one of
     * them: its elements, which the driver holds as they were read, are then read through its governed result set.
     */
    private boolean readByAnother() throws SQLException {
        GovernedConnection connection = connection();
        if (connection == null || readFor == null || readFor.equals(connection.currentIdentity())) {
            return false;
        }
        io.governed.policy.masking.MaskPlanner planner = connection.governance().maskPlanner();
        return planner != null && planner.masksAnythingFor(GovernedResultSet.viewerOf(connection, readFor));
    }

    /** The values of an array result set's element column (its second), in order; the result set is closed. */
    private static Object[] elements(ResultSet elements) throws SQLException {
        try (elements) {
            java.util.List<Object> values = new java.util.ArrayList<>();
            while (elements.next()) {
                values.add(elements.getObject(2));
            }
            return values.toArray();
        }
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
