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
 * Forwards every {@code PreparedStatement} method that {@code PreparedStatement} itself declares to the delegate, unchanged.
 * The governed wrapper extends this class and overrides only what it intercepts.
 * Kept complete (every interface method, default methods included) by {@code ForwardingCompletenessTest}.
 */
@SuppressWarnings("deprecation")
public abstract class ForwardingPreparedStatement extends GovernedStatement implements PreparedStatement {
    protected final PreparedStatement preparedDelegate;

    protected ForwardingPreparedStatement(GovernedConnection connection, PreparedStatement delegate) {
        super(connection, delegate);
        this.preparedDelegate = java.util.Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void addBatch() throws SQLException {
        preparedDelegate.addBatch();
    }

    @Override
    public void clearParameters() throws SQLException {
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
        return preparedDelegate.getMetaData();
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        return preparedDelegate.getParameterMetaData();
    }

    @Override
    public void setArray(int parameterIndex, Array array) throws SQLException {
        preparedDelegate.setArray(parameterIndex, array);
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream inputStream) throws SQLException {
        preparedDelegate.setAsciiStream(parameterIndex, inputStream);
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream inputStream, int sqlType) throws SQLException {
        preparedDelegate.setAsciiStream(parameterIndex, inputStream, sqlType);
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream inputStream, long length) throws SQLException {
        preparedDelegate.setAsciiStream(parameterIndex, inputStream, length);
    }

    @Override
    public void setBigDecimal(int parameterIndex, BigDecimal bigDecimal) throws SQLException {
        preparedDelegate.setBigDecimal(parameterIndex, bigDecimal);
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream inputStream) throws SQLException {
        preparedDelegate.setBinaryStream(parameterIndex, inputStream);
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream inputStream, int sqlType) throws SQLException {
        preparedDelegate.setBinaryStream(parameterIndex, inputStream, sqlType);
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream inputStream, long length) throws SQLException {
        preparedDelegate.setBinaryStream(parameterIndex, inputStream, length);
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException {
        preparedDelegate.setBlob(parameterIndex, inputStream);
    }

    @Override
    public void setBlob(int parameterIndex, Blob blob) throws SQLException {
        preparedDelegate.setBlob(parameterIndex, blob);
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream, long length) throws SQLException {
        preparedDelegate.setBlob(parameterIndex, inputStream, length);
    }

    @Override
    public void setBoolean(int parameterIndex, boolean flag) throws SQLException {
        preparedDelegate.setBoolean(parameterIndex, flag);
    }

    @Override
    public void setByte(int parameterIndex, byte byteValue) throws SQLException {
        preparedDelegate.setByte(parameterIndex, byteValue);
    }

    @Override
    public void setBytes(int parameterIndex, byte[] elements) throws SQLException {
        preparedDelegate.setBytes(parameterIndex, elements);
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
        preparedDelegate.setCharacterStream(parameterIndex, reader);
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, int sqlType) throws SQLException {
        preparedDelegate.setCharacterStream(parameterIndex, reader, sqlType);
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
        preparedDelegate.setCharacterStream(parameterIndex, reader, length);
    }

    @Override
    public void setClob(int parameterIndex, Reader reader) throws SQLException {
        preparedDelegate.setClob(parameterIndex, reader);
    }

    @Override
    public void setClob(int parameterIndex, Clob clob) throws SQLException {
        preparedDelegate.setClob(parameterIndex, clob);
    }

    @Override
    public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
        preparedDelegate.setClob(parameterIndex, reader, length);
    }

    @Override
    public void setDate(int parameterIndex, Date date) throws SQLException {
        preparedDelegate.setDate(parameterIndex, date);
    }

    @Override
    public void setDate(int parameterIndex, Date date, Calendar calendar) throws SQLException {
        preparedDelegate.setDate(parameterIndex, date, calendar);
    }

    @Override
    public void setDouble(int parameterIndex, double doubleValue) throws SQLException {
        preparedDelegate.setDouble(parameterIndex, doubleValue);
    }

    @Override
    public void setFloat(int parameterIndex, float floatValue) throws SQLException {
        preparedDelegate.setFloat(parameterIndex, floatValue);
    }

    @Override
    public void setInt(int parameterIndex, int sqlType) throws SQLException {
        preparedDelegate.setInt(parameterIndex, sqlType);
    }

    @Override
    public void setLong(int parameterIndex, long length) throws SQLException {
        preparedDelegate.setLong(parameterIndex, length);
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader reader) throws SQLException {
        preparedDelegate.setNCharacterStream(parameterIndex, reader);
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
        preparedDelegate.setNCharacterStream(parameterIndex, reader, length);
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader) throws SQLException {
        preparedDelegate.setNClob(parameterIndex, reader);
    }

    @Override
    public void setNClob(int parameterIndex, NClob nClob) throws SQLException {
        preparedDelegate.setNClob(parameterIndex, nClob);
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
        preparedDelegate.setNClob(parameterIndex, reader, length);
    }

    @Override
    public void setNString(int parameterIndex, String value) throws SQLException {
        preparedDelegate.setNString(parameterIndex, value);
    }

    @Override
    public void setNull(int parameterIndex, int sqlType) throws SQLException {
        preparedDelegate.setNull(parameterIndex, sqlType);
    }

    @Override
    public void setNull(int parameterIndex, int sqlType, String value) throws SQLException {
        preparedDelegate.setNull(parameterIndex, sqlType, value);
    }

    @Override
    public void setObject(int parameterIndex, Object x) throws SQLException {
        preparedDelegate.setObject(parameterIndex, x);
    }

    @Override
    public void setObject(int parameterIndex, Object x, int sqlType) throws SQLException {
        preparedDelegate.setObject(parameterIndex, x, sqlType);
    }

    @Override
    public void setObject(int parameterIndex, Object x, SQLType sQLType) throws SQLException {
        preparedDelegate.setObject(parameterIndex, x, sQLType);
    }

    @Override
    public void setObject(int parameterIndex, Object x, int sqlType1, int sqlType2) throws SQLException {
        preparedDelegate.setObject(parameterIndex, x, sqlType1, sqlType2);
    }

    @Override
    public void setObject(int parameterIndex, Object x, SQLType sQLType, int sqlType) throws SQLException {
        preparedDelegate.setObject(parameterIndex, x, sQLType, sqlType);
    }

    @Override
    public void setRef(int parameterIndex, Ref ref) throws SQLException {
        preparedDelegate.setRef(parameterIndex, ref);
    }

    @Override
    public void setRowId(int parameterIndex, RowId rowId) throws SQLException {
        preparedDelegate.setRowId(parameterIndex, rowId);
    }

    @Override
    public void setSQLXML(int parameterIndex, SQLXML sQLXML) throws SQLException {
        preparedDelegate.setSQLXML(parameterIndex, sQLXML);
    }

    @Override
    public void setShort(int parameterIndex, short shortValue) throws SQLException {
        preparedDelegate.setShort(parameterIndex, shortValue);
    }

    @Override
    public void setString(int parameterIndex, String value) throws SQLException {
        preparedDelegate.setString(parameterIndex, value);
    }

    @Override
    public void setTime(int parameterIndex, Time time) throws SQLException {
        preparedDelegate.setTime(parameterIndex, time);
    }

    @Override
    public void setTime(int parameterIndex, Time time, Calendar calendar) throws SQLException {
        preparedDelegate.setTime(parameterIndex, time, calendar);
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp timestamp) throws SQLException {
        preparedDelegate.setTimestamp(parameterIndex, timestamp);
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp timestamp, Calendar calendar) throws SQLException {
        preparedDelegate.setTimestamp(parameterIndex, timestamp, calendar);
    }

    @Override
    public void setURL(int parameterIndex, URL uRL) throws SQLException {
        preparedDelegate.setURL(parameterIndex, uRL);
    }

    @Deprecated
    @Override
    public void setUnicodeStream(int parameterIndex, InputStream inputStream, int sqlType) throws SQLException {
        preparedDelegate.setUnicodeStream(parameterIndex, inputStream, sqlType);
    }
}
