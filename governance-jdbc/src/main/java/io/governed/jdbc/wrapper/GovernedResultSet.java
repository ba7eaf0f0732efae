package io.governed.jdbc.wrapper;

import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.SqlText;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A result set of a governed statement. {@link #getStatement()} gives the governed statement (or
 * {@code null} for a metadata result set); a value that is itself a result set (a refcursor column)
 * or an array comes back governed; and {@code updateRow}, {@code insertRow} and {@code deleteRow}
 * pass the gate as the UPDATE, INSERT or DELETE they amount to.
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

    @Override
    public Array getArray(int columnIndex) throws SQLException {
        return (Array) governedValue(delegate.getArray(columnIndex));
    }

    @Override
    public Array getArray(String columnLabel) throws SQLException {
        return (Array) governedValue(delegate.getArray(columnLabel));
    }

    @Override
    public void updateRow() throws SQLException {
        checkRowWrite(RowWriteStatement.Kind.UPDATE);
        delegate.updateRow();
    }

    @Override
    public void insertRow() throws SQLException {
        checkRowWrite(RowWriteStatement.Kind.INSERT);
        delegate.insertRow();
    }

    @Override
    public void deleteRow() throws SQLException {
        checkRowWrite(RowWriteStatement.Kind.DELETE);
        delegate.deleteRow();
    }

    /** A row write changes the table like the statement it amounts to, so it passes the gate as that statement. */
    private void checkRowWrite(RowWriteStatement.Kind kind) throws SQLException {
        if (statement == null) {
            throw new SQLException("This result set (from database metadata) cannot be updated", "24000");
        }
        GovernedConnection connection = statement.connection;
        String sql = RowWriteStatement.of(kind, delegate.getMetaData(), connection.dialect());
        connection.check(new SqlText(sql), CallKind.ROW_WRITE);
    }

    private Object governedValue(Object value) {
        return value == delegate ? value : Wrappers.governed(value, statement);
    }
}
