package io.governed.jdbc.wrapper;

import io.governed.jdbc.gate.SqlText;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * Forwards every {@code CallableStatement} method that {@code CallableStatement} itself declares to the delegate, unchanged.
 * The governed wrapper extends this class and overrides only what it intercepts.
 * Kept complete (every interface method, default methods included) by {@code ForwardingCompletenessTest}.
 */
@SuppressWarnings("deprecation")
public abstract class ForwardingCallableStatement extends GovernedPreparedStatement implements CallableStatement {
    protected final CallableStatement callableDelegate;

    protected ForwardingCallableStatement(GovernedConnection connection, CallableStatement delegate, SqlText sql) {
        super(connection, delegate, sql);
        this.callableDelegate = java.util.Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Array getArray(String parameterName) throws SQLException {
        return callableDelegate.getArray(parameterName);
    }

    @Override
    public Array getArray(int parameterIndex) throws SQLException {
        return callableDelegate.getArray(parameterIndex);
    }

    @Override
    public BigDecimal getBigDecimal(String parameterName) throws SQLException {
        return callableDelegate.getBigDecimal(parameterName);
    }

    @Override
    public BigDecimal getBigDecimal(int parameterIndex) throws SQLException {
        return callableDelegate.getBigDecimal(parameterIndex);
    }

    @Deprecated
    @Override
    public BigDecimal getBigDecimal(int parameterIndex, int length) throws SQLException {
        return callableDelegate.getBigDecimal(parameterIndex, length);
    }

    @Override
    public Blob getBlob(String parameterName) throws SQLException {
        return callableDelegate.getBlob(parameterName);
    }

    @Override
    public Blob getBlob(int parameterIndex) throws SQLException {
        return callableDelegate.getBlob(parameterIndex);
    }

    @Override
    public boolean getBoolean(String parameterName) throws SQLException {
        return callableDelegate.getBoolean(parameterName);
    }

    @Override
    public boolean getBoolean(int parameterIndex) throws SQLException {
        return callableDelegate.getBoolean(parameterIndex);
    }

    @Override
    public byte getByte(String parameterName) throws SQLException {
        return callableDelegate.getByte(parameterName);
    }

    @Override
    public byte getByte(int parameterIndex) throws SQLException {
        return callableDelegate.getByte(parameterIndex);
    }

    @Override
    public byte[] getBytes(String parameterName) throws SQLException {
        return callableDelegate.getBytes(parameterName);
    }

    @Override
    public byte[] getBytes(int parameterIndex) throws SQLException {
        return callableDelegate.getBytes(parameterIndex);
    }

    @Override
    public Reader getCharacterStream(String parameterName) throws SQLException {
        return callableDelegate.getCharacterStream(parameterName);
    }

    @Override
    public Reader getCharacterStream(int parameterIndex) throws SQLException {
        return callableDelegate.getCharacterStream(parameterIndex);
    }

    @Override
    public Clob getClob(String parameterName) throws SQLException {
        return callableDelegate.getClob(parameterName);
    }

    @Override
    public Clob getClob(int parameterIndex) throws SQLException {
        return callableDelegate.getClob(parameterIndex);
    }

    @Override
    public Date getDate(String parameterName) throws SQLException {
        return callableDelegate.getDate(parameterName);
    }

    @Override
    public Date getDate(int parameterIndex) throws SQLException {
        return callableDelegate.getDate(parameterIndex);
    }

    @Override
    public Date getDate(String parameterName, Calendar calendar) throws SQLException {
        return callableDelegate.getDate(parameterName, calendar);
    }

    @Override
    public Date getDate(int parameterIndex, Calendar calendar) throws SQLException {
        return callableDelegate.getDate(parameterIndex, calendar);
    }

    @Override
    public double getDouble(String parameterName) throws SQLException {
        return callableDelegate.getDouble(parameterName);
    }

    @Override
    public double getDouble(int parameterIndex) throws SQLException {
        return callableDelegate.getDouble(parameterIndex);
    }

    @Override
    public float getFloat(String parameterName) throws SQLException {
        return callableDelegate.getFloat(parameterName);
    }

    @Override
    public float getFloat(int parameterIndex) throws SQLException {
        return callableDelegate.getFloat(parameterIndex);
    }

    @Override
    public int getInt(String parameterName) throws SQLException {
        return callableDelegate.getInt(parameterName);
    }

    @Override
    public int getInt(int parameterIndex) throws SQLException {
        return callableDelegate.getInt(parameterIndex);
    }

    @Override
    public long getLong(String parameterName) throws SQLException {
        return callableDelegate.getLong(parameterName);
    }

    @Override
    public long getLong(int parameterIndex) throws SQLException {
        return callableDelegate.getLong(parameterIndex);
    }

    @Override
    public Reader getNCharacterStream(String parameterName) throws SQLException {
        return callableDelegate.getNCharacterStream(parameterName);
    }

    @Override
    public Reader getNCharacterStream(int parameterIndex) throws SQLException {
        return callableDelegate.getNCharacterStream(parameterIndex);
    }

    @Override
    public NClob getNClob(String parameterName) throws SQLException {
        return callableDelegate.getNClob(parameterName);
    }

    @Override
    public NClob getNClob(int parameterIndex) throws SQLException {
        return callableDelegate.getNClob(parameterIndex);
    }

    @Override
    public String getNString(String parameterName) throws SQLException {
        return callableDelegate.getNString(parameterName);
    }

    @Override
    public String getNString(int parameterIndex) throws SQLException {
        return callableDelegate.getNString(parameterIndex);
    }

    @Override
    public Object getObject(String parameterName) throws SQLException {
        return callableDelegate.getObject(parameterName);
    }

    @Override
    public Object getObject(int parameterIndex) throws SQLException {
        return callableDelegate.getObject(parameterIndex);
    }

    @Override
    public <T> T getObject(String parameterName, Class<T> type) throws SQLException {
        return callableDelegate.getObject(parameterName, type);
    }

    @Override
    public Object getObject(String parameterName, Map<String, Class<?>> map) throws SQLException {
        return callableDelegate.getObject(parameterName, map);
    }

    @Override
    public <T> T getObject(int parameterIndex, Class<T> type) throws SQLException {
        return callableDelegate.getObject(parameterIndex, type);
    }

    @Override
    public Object getObject(int parameterIndex, Map<String, Class<?>> map) throws SQLException {
        return callableDelegate.getObject(parameterIndex, map);
    }

    @Override
    public Ref getRef(String parameterName) throws SQLException {
        return callableDelegate.getRef(parameterName);
    }

    @Override
    public Ref getRef(int parameterIndex) throws SQLException {
        return callableDelegate.getRef(parameterIndex);
    }

    @Override
    public RowId getRowId(String parameterName) throws SQLException {
        return callableDelegate.getRowId(parameterName);
    }

    @Override
    public RowId getRowId(int parameterIndex) throws SQLException {
        return callableDelegate.getRowId(parameterIndex);
    }

    @Override
    public SQLXML getSQLXML(String parameterName) throws SQLException {
        return callableDelegate.getSQLXML(parameterName);
    }

    @Override
    public SQLXML getSQLXML(int parameterIndex) throws SQLException {
        return callableDelegate.getSQLXML(parameterIndex);
    }

    @Override
    public short getShort(String parameterName) throws SQLException {
        return callableDelegate.getShort(parameterName);
    }

    @Override
    public short getShort(int parameterIndex) throws SQLException {
        return callableDelegate.getShort(parameterIndex);
    }

    @Override
    public String getString(String parameterName) throws SQLException {
        return callableDelegate.getString(parameterName);
    }

    @Override
    public String getString(int parameterIndex) throws SQLException {
        return callableDelegate.getString(parameterIndex);
    }

    @Override
    public Time getTime(String parameterName) throws SQLException {
        return callableDelegate.getTime(parameterName);
    }

    @Override
    public Time getTime(int parameterIndex) throws SQLException {
        return callableDelegate.getTime(parameterIndex);
    }

    @Override
    public Time getTime(String parameterName, Calendar calendar) throws SQLException {
        return callableDelegate.getTime(parameterName, calendar);
    }

    @Override
    public Time getTime(int parameterIndex, Calendar calendar) throws SQLException {
        return callableDelegate.getTime(parameterIndex, calendar);
    }

    @Override
    public Timestamp getTimestamp(String parameterName) throws SQLException {
        return callableDelegate.getTimestamp(parameterName);
    }

    @Override
    public Timestamp getTimestamp(int parameterIndex) throws SQLException {
        return callableDelegate.getTimestamp(parameterIndex);
    }

    @Override
    public Timestamp getTimestamp(String parameterName, Calendar calendar) throws SQLException {
        return callableDelegate.getTimestamp(parameterName, calendar);
    }

    @Override
    public Timestamp getTimestamp(int parameterIndex, Calendar calendar) throws SQLException {
        return callableDelegate.getTimestamp(parameterIndex, calendar);
    }

    @Override
    public URL getURL(String parameterName) throws SQLException {
        return callableDelegate.getURL(parameterName);
    }

    @Override
    public URL getURL(int parameterIndex) throws SQLException {
        return callableDelegate.getURL(parameterIndex);
    }

    @Override
    public void registerOutParameter(String parameterName, int length) throws SQLException {
        callableDelegate.registerOutParameter(parameterName, length);
    }

    @Override
    public void registerOutParameter(String parameterName, SQLType sQLType) throws SQLException {
        callableDelegate.registerOutParameter(parameterName, sQLType);
    }

    @Override
    public void registerOutParameter(int parameterIndex, int sqlType) throws SQLException {
        callableDelegate.registerOutParameter(parameterIndex, sqlType);
    }

    @Override
    public void registerOutParameter(int parameterIndex, SQLType sQLType) throws SQLException {
        callableDelegate.registerOutParameter(parameterIndex, sQLType);
    }

    @Override
    public void registerOutParameter(String parameterName, int length, String value) throws SQLException {
        callableDelegate.registerOutParameter(parameterName, length, value);
    }

    @Override
    public void registerOutParameter(String parameterName, int length1, int length2) throws SQLException {
        callableDelegate.registerOutParameter(parameterName, length1, length2);
    }

    @Override
    public void registerOutParameter(String parameterName, SQLType sQLType, String value) throws SQLException {
        callableDelegate.registerOutParameter(parameterName, sQLType, value);
    }

    @Override
    public void registerOutParameter(String parameterName, SQLType sQLType, int length) throws SQLException {
        callableDelegate.registerOutParameter(parameterName, sQLType, length);
    }

    @Override
    public void registerOutParameter(int parameterIndex, int sqlType, String value) throws SQLException {
        callableDelegate.registerOutParameter(parameterIndex, sqlType, value);
    }

    @Override
    public void registerOutParameter(int parameterIndex, int sqlType1, int sqlType2) throws SQLException {
        callableDelegate.registerOutParameter(parameterIndex, sqlType1, sqlType2);
    }

    @Override
    public void registerOutParameter(int parameterIndex, SQLType sQLType, String value) throws SQLException {
        callableDelegate.registerOutParameter(parameterIndex, sQLType, value);
    }

    @Override
    public void registerOutParameter(int parameterIndex, SQLType sQLType, int sqlType) throws SQLException {
        callableDelegate.registerOutParameter(parameterIndex, sQLType, sqlType);
    }

    @Override
    public void setAsciiStream(String parameterName, InputStream inputStream) throws SQLException {
        callableDelegate.setAsciiStream(parameterName, inputStream);
    }

    @Override
    public void setAsciiStream(String parameterName, InputStream inputStream, int length) throws SQLException {
        callableDelegate.setAsciiStream(parameterName, inputStream, length);
    }

    @Override
    public void setAsciiStream(String parameterName, InputStream inputStream, long length) throws SQLException {
        callableDelegate.setAsciiStream(parameterName, inputStream, length);
    }

    @Override
    public void setBigDecimal(String parameterName, BigDecimal bigDecimal) throws SQLException {
        callableDelegate.setBigDecimal(parameterName, bigDecimal);
    }

    @Override
    public void setBinaryStream(String parameterName, InputStream inputStream) throws SQLException {
        callableDelegate.setBinaryStream(parameterName, inputStream);
    }

    @Override
    public void setBinaryStream(String parameterName, InputStream inputStream, int length) throws SQLException {
        callableDelegate.setBinaryStream(parameterName, inputStream, length);
    }

    @Override
    public void setBinaryStream(String parameterName, InputStream inputStream, long length) throws SQLException {
        callableDelegate.setBinaryStream(parameterName, inputStream, length);
    }

    @Override
    public void setBlob(String parameterName, InputStream inputStream) throws SQLException {
        callableDelegate.setBlob(parameterName, inputStream);
    }

    @Override
    public void setBlob(String parameterName, Blob blob) throws SQLException {
        callableDelegate.setBlob(parameterName, blob);
    }

    @Override
    public void setBlob(String parameterName, InputStream inputStream, long length) throws SQLException {
        callableDelegate.setBlob(parameterName, inputStream, length);
    }

    @Override
    public void setBoolean(String parameterName, boolean flag) throws SQLException {
        callableDelegate.setBoolean(parameterName, flag);
    }

    @Override
    public void setByte(String parameterName, byte byteValue) throws SQLException {
        callableDelegate.setByte(parameterName, byteValue);
    }

    @Override
    public void setBytes(String parameterName, byte[] elements) throws SQLException {
        callableDelegate.setBytes(parameterName, elements);
    }

    @Override
    public void setCharacterStream(String parameterName, Reader reader) throws SQLException {
        callableDelegate.setCharacterStream(parameterName, reader);
    }

    @Override
    public void setCharacterStream(String parameterName, Reader reader, int length) throws SQLException {
        callableDelegate.setCharacterStream(parameterName, reader, length);
    }

    @Override
    public void setCharacterStream(String parameterName, Reader reader, long length) throws SQLException {
        callableDelegate.setCharacterStream(parameterName, reader, length);
    }

    @Override
    public void setClob(String parameterName, Reader reader) throws SQLException {
        callableDelegate.setClob(parameterName, reader);
    }

    @Override
    public void setClob(String parameterName, Clob clob) throws SQLException {
        callableDelegate.setClob(parameterName, clob);
    }

    @Override
    public void setClob(String parameterName, Reader reader, long length) throws SQLException {
        callableDelegate.setClob(parameterName, reader, length);
    }

    @Override
    public void setDate(String parameterName, Date date) throws SQLException {
        callableDelegate.setDate(parameterName, date);
    }

    @Override
    public void setDate(String parameterName, Date date, Calendar calendar) throws SQLException {
        callableDelegate.setDate(parameterName, date, calendar);
    }

    @Override
    public void setDouble(String parameterName, double doubleValue) throws SQLException {
        callableDelegate.setDouble(parameterName, doubleValue);
    }

    @Override
    public void setFloat(String parameterName, float floatValue) throws SQLException {
        callableDelegate.setFloat(parameterName, floatValue);
    }

    @Override
    public void setInt(String parameterName, int length) throws SQLException {
        callableDelegate.setInt(parameterName, length);
    }

    @Override
    public void setLong(String parameterName, long length) throws SQLException {
        callableDelegate.setLong(parameterName, length);
    }

    @Override
    public void setNCharacterStream(String parameterName, Reader reader) throws SQLException {
        callableDelegate.setNCharacterStream(parameterName, reader);
    }

    @Override
    public void setNCharacterStream(String parameterName, Reader reader, long length) throws SQLException {
        callableDelegate.setNCharacterStream(parameterName, reader, length);
    }

    @Override
    public void setNClob(String parameterName, Reader reader) throws SQLException {
        callableDelegate.setNClob(parameterName, reader);
    }

    @Override
    public void setNClob(String parameterName, NClob nClob) throws SQLException {
        callableDelegate.setNClob(parameterName, nClob);
    }

    @Override
    public void setNClob(String parameterName, Reader reader, long length) throws SQLException {
        callableDelegate.setNClob(parameterName, reader, length);
    }

    @Override
    public void setNString(String parameterName, String value) throws SQLException {
        callableDelegate.setNString(parameterName, value);
    }

    @Override
    public void setNull(String parameterName, int length) throws SQLException {
        callableDelegate.setNull(parameterName, length);
    }

    @Override
    public void setNull(String parameterName, int length, String value) throws SQLException {
        callableDelegate.setNull(parameterName, length, value);
    }

    @Override
    public void setObject(String parameterName, Object x) throws SQLException {
        callableDelegate.setObject(parameterName, x);
    }

    @Override
    public void setObject(String parameterName, Object x, int length) throws SQLException {
        callableDelegate.setObject(parameterName, x, length);
    }

    @Override
    public void setObject(String parameterName, Object x, SQLType sQLType) throws SQLException {
        callableDelegate.setObject(parameterName, x, sQLType);
    }

    @Override
    public void setObject(String parameterName, Object x, int length1, int length2) throws SQLException {
        callableDelegate.setObject(parameterName, x, length1, length2);
    }

    @Override
    public void setObject(String parameterName, Object x, SQLType sQLType, int length) throws SQLException {
        callableDelegate.setObject(parameterName, x, sQLType, length);
    }

    @Override
    public void setRowId(String parameterName, RowId rowId) throws SQLException {
        callableDelegate.setRowId(parameterName, rowId);
    }

    @Override
    public void setSQLXML(String parameterName, SQLXML sQLXML) throws SQLException {
        callableDelegate.setSQLXML(parameterName, sQLXML);
    }

    @Override
    public void setShort(String parameterName, short shortValue) throws SQLException {
        callableDelegate.setShort(parameterName, shortValue);
    }

    @Override
    public void setString(String parameterName, String value) throws SQLException {
        callableDelegate.setString(parameterName, value);
    }

    @Override
    public void setTime(String parameterName, Time time) throws SQLException {
        callableDelegate.setTime(parameterName, time);
    }

    @Override
    public void setTime(String parameterName, Time time, Calendar calendar) throws SQLException {
        callableDelegate.setTime(parameterName, time, calendar);
    }

    @Override
    public void setTimestamp(String parameterName, Timestamp timestamp) throws SQLException {
        callableDelegate.setTimestamp(parameterName, timestamp);
    }

    @Override
    public void setTimestamp(String parameterName, Timestamp timestamp, Calendar calendar) throws SQLException {
        callableDelegate.setTimestamp(parameterName, timestamp, calendar);
    }

    @Override
    public void setURL(String parameterName, URL uRL) throws SQLException {
        callableDelegate.setURL(parameterName, uRL);
    }

    @Override
    public boolean wasNull() throws SQLException {
        return callableDelegate.wasNull();
    }
}
