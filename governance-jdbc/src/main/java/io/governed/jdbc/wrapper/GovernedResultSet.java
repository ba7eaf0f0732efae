package io.governed.jdbc.wrapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A result set of a governed statement. {@link #getStatement()} gives the governed statement (or
 * {@code null} for a metadata result set), and a value that is itself a result set (a refcursor
 * column) comes back governed.
 */
public class GovernedResultSet extends ForwardingResultSet {
    private final GovernedStatement statement;

    /**
     * @param delegate  the driver's result set
     * @param statement the governed statement that produced it, or {@code null} for metadata results
     */
    public GovernedResultSet(ResultSet delegate, GovernedStatement statement) {
        super(delegate);
        this.statement = statement;
    }

    @Override
    public Statement getStatement() {
        return statement;
    }

    @Override
    public Object getObject(int columnIndex) throws SQLException {
        return governedValue(delegate.getObject(columnIndex));
    }

    @Override
    public Object getObject(String columnLabel) throws SQLException {
        return governedValue(delegate.getObject(columnLabel));
    }

    @Override
    public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
        return governedValue(delegate.getObject(columnIndex, map));
    }

    @Override
    public Object getObject(String columnLabel, Map<String, Class<?>> map) throws SQLException {
        return governedValue(delegate.getObject(columnLabel, map));
    }

    @Override
    public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
        return type.cast(governedValue(delegate.getObject(columnIndex, type)));
    }

    @Override
    public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
        return type.cast(governedValue(delegate.getObject(columnLabel, type)));
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return Wrappers.unwrap(this, delegate, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return Wrappers.isWrapperFor(this, delegate, iface);
    }

    private Object governedValue(Object value) {
        return value instanceof ResultSet rs && rs != delegate ? new GovernedResultSet(rs, statement) : value;
    }
}
