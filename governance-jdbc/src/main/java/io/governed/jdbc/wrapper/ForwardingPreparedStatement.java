package io.governed.jdbc.wrapper;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/**
 * Forwards every {@code PreparedStatement} method that {@code PreparedStatement} itself declares to the delegate, unchanged;
 * each setter also notes what it bound ({@link BoundParameters}), which approvals are bound to and row filters' checks bind.
 * The governed wrapper extends this class and overrides only what it intercepts; {@code unwrap}
 * and {@code isWrapperFor} answer with the governed object for JDBC interfaces (see {@code Wrappers}).
 * Kept complete (every interface method, default methods included) by {@code ForwardingCompletenessTest}.
 */
@SuppressWarnings("deprecation")
public abstract class ForwardingPreparedStatement extends GovernedStatement implements PreparedStatement {
    protected final PreparedStatement preparedDelegate;
    /** What is bound to the parameters, for approvals bound to exact values. */
    final BoundParameters parameters;

    protected ForwardingPreparedStatement(GovernedConnection connection, PreparedStatement delegate) {
        super(connection, delegate);
        this.preparedDelegate = java.util.Objects.requireNonNull(delegate, "delegate");
        this.parameters = new BoundParameters(connection.governance().recordsBoundValues());
    }

    /** Where the application's parameter {@code parameterIndex} is in the driver's statement: the same index here. */
    protected int index(int parameterIndex) throws SQLException {
        return parameterIndex;
    }

    @Override
    public void addBatch() throws SQLException {
        preparedDelegate.addBatch();
    }

    @Override
    public void clearParameters() throws SQLException {
        parameters.clear();
        preparedDelegate.clearParameters();
    }

    @Override
    public boolean execute() throws SQLException {
        return preparedDelegate.execute();
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return preparedDelegate.executeLargeUpdate();
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        return preparedDelegate.executeQuery();
    }

    @Override
    public int executeUpdate() throws SQLException {
        return preparedDelegate.executeUpdate();
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return GovernedResultSetMetaData.of(preparedDelegate.getMetaData(), connection);
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        return GovernedParameterMetaData.of(preparedDelegate.getParameterMetaData(), connection);
    }

    @Override
    public void setArray(int parameterIndex, Array x) throws SQLException {
        parameters.set(parameterIndex, "setArray", x);
        preparedDelegate.setArray(index(parameterIndex), x);
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
        parameters.set(parameterIndex, "setAsciiStream", x);
        preparedDelegate.setAsciiStream(index(parameterIndex), x);
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
        parameters.set(parameterIndex, "setAsciiStream", x, length);
        preparedDelegate.setAsciiStream(index(parameterIndex), x, length);
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
        parameters.set(parameterIndex, "setAsciiStream", x, length);
        preparedDelegate.setAsciiStream(index(parameterIndex), x, length);
    }

    @Override
    public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
        parameters.set(parameterIndex, "setBigDecimal", x);
        preparedDelegate.setBigDecimal(index(parameterIndex), x);
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
        parameters.set(parameterIndex, "setBinaryStream", x);
        preparedDelegate.setBinaryStream(index(parameterIndex), x);
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
        parameters.set(parameterIndex, "setBinaryStream", x, length);
        preparedDelegate.setBinaryStream(index(parameterIndex), x, length);
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
        parameters.set(parameterIndex, "setBinaryStream", x, length);
        preparedDelegate.setBinaryStream(index(parameterIndex), x, length);
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException {
        parameters.set(parameterIndex, "setBlob", inputStream);
        preparedDelegate.setBlob(index(parameterIndex), inputStream);
    }

    @Override
    public void setBlob(int parameterIndex, Blob x) throws SQLException {
        parameters.set(parameterIndex, "setBlob", x);
        preparedDelegate.setBlob(index(parameterIndex), x);
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream, long length) throws SQLException {
        parameters.set(parameterIndex, "setBlob", inputStream, length);
        preparedDelegate.setBlob(index(parameterIndex), inputStream, length);
    }

    @Override
    public void setBoolean(int parameterIndex, boolean x) throws SQLException {
        parameters.set(parameterIndex, "setBoolean", x);
        preparedDelegate.setBoolean(index(parameterIndex), x);
    }

    @Override
    public void setByte(int parameterIndex, byte x) throws SQLException {
        parameters.set(parameterIndex, "setByte", x);
        preparedDelegate.setByte(index(parameterIndex), x);
    }

    @Override
    public void setBytes(int parameterIndex, byte[] x) throws SQLException {
        parameters.set(parameterIndex, "setBytes", x);
        preparedDelegate.setBytes(index(parameterIndex), x);
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
        parameters.set(parameterIndex, "setCharacterStream", reader);
        preparedDelegate.setCharacterStream(index(parameterIndex), reader);
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
        parameters.set(parameterIndex, "setCharacterStream", reader, length);
        preparedDelegate.setCharacterStream(index(parameterIndex), reader, length);
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
        parameters.set(parameterIndex, "setCharacterStream", reader, length);
        preparedDelegate.setCharacterStream(index(parameterIndex), reader, length);
    }

    @Override
    public void setClob(int parameterIndex, Reader reader) throws SQLException {
        parameters.set(parameterIndex, "setClob", reader);
        preparedDelegate.setClob(index(parameterIndex), reader);
    }

    @Override
    public void setClob(int parameterIndex, Clob x) throws SQLException {
        parameters.set(parameterIndex, "setClob", x);
        preparedDelegate.setClob(index(parameterIndex), x);
    }

    @Override
    public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
        parameters.set(parameterIndex, "setClob", reader, length);
        preparedDelegate.setClob(index(parameterIndex), reader, length);
    }

    @Override
    public void setDate(int parameterIndex, Date x) throws SQLException {
        parameters.set(parameterIndex, "setDate", x);
        preparedDelegate.setDate(index(parameterIndex), x);
    }

    @Override
    public void setDate(int parameterIndex, Date x, Calendar cal) throws SQLException {
        parameters.set(parameterIndex, "setDate", x, cal);
        preparedDelegate.setDate(index(parameterIndex), x, cal);
    }

    @Override
    public void setDouble(int parameterIndex, double x) throws SQLException {
        parameters.set(parameterIndex, "setDouble", x);
        preparedDelegate.setDouble(index(parameterIndex), x);
    }

    @Override
    public void setFloat(int parameterIndex, float x) throws SQLException {
        parameters.set(parameterIndex, "setFloat", x);
        preparedDelegate.setFloat(index(parameterIndex), x);
    }

    @Override
    public void setInt(int parameterIndex, int x) throws SQLException {
        parameters.set(parameterIndex, "setInt", x);
        preparedDelegate.setInt(index(parameterIndex), x);
    }

    @Override
    public void setLong(int parameterIndex, long x) throws SQLException {
        parameters.set(parameterIndex, "setLong", x);
        preparedDelegate.setLong(index(parameterIndex), x);
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException {
        parameters.set(parameterIndex, "setNCharacterStream", value);
        preparedDelegate.setNCharacterStream(index(parameterIndex), value);
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value, long length) throws SQLException {
        parameters.set(parameterIndex, "setNCharacterStream", value, length);
        preparedDelegate.setNCharacterStream(index(parameterIndex), value, length);
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader) throws SQLException {
        parameters.set(parameterIndex, "setNClob", reader);
        preparedDelegate.setNClob(index(parameterIndex), reader);
    }

    @Override
    public void setNClob(int parameterIndex, NClob value) throws SQLException {
        parameters.set(parameterIndex, "setNClob", value);
        preparedDelegate.setNClob(index(parameterIndex), value);
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
        parameters.set(parameterIndex, "setNClob", reader, length);
        preparedDelegate.setNClob(index(parameterIndex), reader, length);
    }

    @Override
    public void setNString(int parameterIndex, String value) throws SQLException {
        parameters.set(parameterIndex, "setNString", value);
        preparedDelegate.setNString(index(parameterIndex), value);
    }

    @Override
    public void setNull(int parameterIndex, int sqlType) throws SQLException {
        parameters.set(parameterIndex, "setNull", sqlType);
        preparedDelegate.setNull(index(parameterIndex), sqlType);
    }

    @Override
    public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
        parameters.set(parameterIndex, "setNull", sqlType, typeName);
        preparedDelegate.setNull(index(parameterIndex), sqlType, typeName);
    }

    @Override
    public void setObject(int parameterIndex, Object x) throws SQLException {
        parameters.set(parameterIndex, "setObject", x);
        preparedDelegate.setObject(index(parameterIndex), x);
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
        parameters.set(parameterIndex, "setObject", x, targetSqlType);
        preparedDelegate.setObject(index(parameterIndex), x, targetSqlType);
    }

    @Override
    public void setObject(int parameterIndex, Object x, SQLType targetSqlType) throws SQLException {
        parameters.set(parameterIndex, "setObject", x, targetSqlType);
        preparedDelegate.setObject(index(parameterIndex), x, targetSqlType);
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        parameters.set(parameterIndex, "setObject", x, targetSqlType, scaleOrLength);
        preparedDelegate.setObject(index(parameterIndex), x, targetSqlType, scaleOrLength);
    }

    @Override
    public void setObject(int parameterIndex, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        parameters.set(parameterIndex, "setObject", x, targetSqlType, scaleOrLength);
        preparedDelegate.setObject(index(parameterIndex), x, targetSqlType, scaleOrLength);
    }

    @Override
    public void setRef(int parameterIndex, Ref x) throws SQLException {
        parameters.set(parameterIndex, "setRef", x);
        preparedDelegate.setRef(index(parameterIndex), x);
    }

    @Override
    public void setRowId(int parameterIndex, RowId x) throws SQLException {
        parameters.set(parameterIndex, "setRowId", x);
        preparedDelegate.setRowId(index(parameterIndex), x);
    }

    @Override
    public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException {
        parameters.set(parameterIndex, "setSQLXML", xmlObject);
        preparedDelegate.setSQLXML(index(parameterIndex), xmlObject);
    }

    @Override
    public void setShort(int parameterIndex, short x) throws SQLException {
        parameters.set(parameterIndex, "setShort", x);
        preparedDelegate.setShort(index(parameterIndex), x);
    }

    @Override
    public void setString(int parameterIndex, String x) throws SQLException {
        parameters.set(parameterIndex, "setString", x);
        preparedDelegate.setString(index(parameterIndex), x);
    }

    @Override
    public void setTime(int parameterIndex, Time x) throws SQLException {
        parameters.set(parameterIndex, "setTime", x);
        preparedDelegate.setTime(index(parameterIndex), x);
    }

    @Override
    public void setTime(int parameterIndex, Time x, Calendar cal) throws SQLException {
        parameters.set(parameterIndex, "setTime", x, cal);
        preparedDelegate.setTime(index(parameterIndex), x, cal);
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
        parameters.set(parameterIndex, "setTimestamp", x);
        preparedDelegate.setTimestamp(index(parameterIndex), x);
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
        parameters.set(parameterIndex, "setTimestamp", x, cal);
        preparedDelegate.setTimestamp(index(parameterIndex), x, cal);
    }

    @Override
    public void setURL(int parameterIndex, URL x) throws SQLException {
        parameters.set(parameterIndex, "setURL", x);
        preparedDelegate.setURL(index(parameterIndex), x);
    }

    @Deprecated
    @Override
    public void setUnicodeStream(int parameterIndex, InputStream x, int length) throws SQLException {
        parameters.set(parameterIndex, "setUnicodeStream", x, length);
        preparedDelegate.setUnicodeStream(index(parameterIndex), x, length);
    }
}
