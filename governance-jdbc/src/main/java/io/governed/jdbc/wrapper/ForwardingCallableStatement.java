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
 * The governed wrapper extends this class and overrides only what it intercepts; {@code unwrap}
 * and {@code isWrapperFor} answer with the governed object for JDBC interfaces (see {@code Wrappers}).
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
    public Array getArray(String columnLabel) throws SQLException {
        return callableDelegate.getArray(columnLabel);
    }

    @Override
    public Array getArray(int columnIndex) throws SQLException {
        return callableDelegate.getArray(columnIndex);
    }

    @Override
    public BigDecimal getBigDecimal(String columnLabel) throws SQLException {
        return callableDelegate.getBigDecimal(columnLabel);
    }

    @Override
    public BigDecimal getBigDecimal(int columnIndex) throws SQLException {
        return callableDelegate.getBigDecimal(columnIndex);
    }

    @Deprecated
    @Override
    public BigDecimal getBigDecimal(int columnIndex, int scale) throws SQLException {
        return callableDelegate.getBigDecimal(columnIndex, scale);
    }

    @Override
    public Blob getBlob(String columnLabel) throws SQLException {
        return callableDelegate.getBlob(columnLabel);
    }

    @Override
    public Blob getBlob(int columnIndex) throws SQLException {
        return callableDelegate.getBlob(columnIndex);
    }

    @Override
    public boolean getBoolean(String columnLabel) throws SQLException {
        return callableDelegate.getBoolean(columnLabel);
    }

    @Override
    public boolean getBoolean(int columnIndex) throws SQLException {
        return callableDelegate.getBoolean(columnIndex);
    }

    @Override
    public byte getByte(String columnLabel) throws SQLException {
        return callableDelegate.getByte(columnLabel);
    }

    @Override
    public byte getByte(int columnIndex) throws SQLException {
        return callableDelegate.getByte(columnIndex);
    }

    @Override
    public byte[] getBytes(String columnLabel) throws SQLException {
        return callableDelegate.getBytes(columnLabel);
    }

    @Override
    public byte[] getBytes(int columnIndex) throws SQLException {
        return callableDelegate.getBytes(columnIndex);
    }

    @Override
    public Reader getCharacterStream(String columnLabel) throws SQLException {
        return callableDelegate.getCharacterStream(columnLabel);
    }

    @Override
    public Reader getCharacterStream(int columnIndex) throws SQLException {
        return callableDelegate.getCharacterStream(columnIndex);
    }

    @Override
    public Clob getClob(String columnLabel) throws SQLException {
        return callableDelegate.getClob(columnLabel);
    }

    @Override
    public Clob getClob(int columnIndex) throws SQLException {
        return callableDelegate.getClob(columnIndex);
    }

    @Override
    public Date getDate(String columnLabel) throws SQLException {
        return callableDelegate.getDate(columnLabel);
    }

    @Override
    public Date getDate(int columnIndex) throws SQLException {
        return callableDelegate.getDate(columnIndex);
    }

    @Override
    public Date getDate(String columnLabel, Calendar cal) throws SQLException {
        return callableDelegate.getDate(columnLabel, cal);
    }

    @Override
    public Date getDate(int columnIndex, Calendar cal) throws SQLException {
        return callableDelegate.getDate(columnIndex, cal);
    }

    @Override
    public double getDouble(String columnLabel) throws SQLException {
        return callableDelegate.getDouble(columnLabel);
    }

    @Override
    public double getDouble(int columnIndex) throws SQLException {
        return callableDelegate.getDouble(columnIndex);
    }

    @Override
    public float getFloat(String columnLabel) throws SQLException {
        return callableDelegate.getFloat(columnLabel);
    }

    @Override
    public float getFloat(int columnIndex) throws SQLException {
        return callableDelegate.getFloat(columnIndex);
    }

    @Override
    public int getInt(String columnLabel) throws SQLException {
        return callableDelegate.getInt(columnLabel);
    }

    @Override
    public int getInt(int columnIndex) throws SQLException {
        return callableDelegate.getInt(columnIndex);
    }

    @Override
    public long getLong(String columnLabel) throws SQLException {
        return callableDelegate.getLong(columnLabel);
    }

    @Override
    public long getLong(int columnIndex) throws SQLException {
        return callableDelegate.getLong(columnIndex);
    }

    @Override
    public Reader getNCharacterStream(String columnLabel) throws SQLException {
        return callableDelegate.getNCharacterStream(columnLabel);
    }

    @Override
    public Reader getNCharacterStream(int columnIndex) throws SQLException {
        return callableDelegate.getNCharacterStream(columnIndex);
    }

    @Override
    public NClob getNClob(String columnLabel) throws SQLException {
        return callableDelegate.getNClob(columnLabel);
    }

    @Override
    public NClob getNClob(int columnIndex) throws SQLException {
        return callableDelegate.getNClob(columnIndex);
    }

    @Override
    public String getNString(String columnLabel) throws SQLException {
        return callableDelegate.getNString(columnLabel);
    }

    @Override
    public String getNString(int columnIndex) throws SQLException {
        return callableDelegate.getNString(columnIndex);
    }

    @Override
    public Object getObject(String columnLabel) throws SQLException {
        return callableDelegate.getObject(columnLabel);
    }

    @Override
    public Object getObject(int columnIndex) throws SQLException {
        return callableDelegate.getObject(columnIndex);
    }

    @Override
    public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
        return callableDelegate.getObject(columnLabel, type);
    }

    @Override
    public Object getObject(String columnLabel, Map<String, Class<?>> map) throws SQLException {
        return callableDelegate.getObject(columnLabel, map);
    }

    @Override
    public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
        return callableDelegate.getObject(columnIndex, type);
    }

    @Override
    public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
        return callableDelegate.getObject(columnIndex, map);
    }

    @Override
    public Ref getRef(String columnLabel) throws SQLException {
        return callableDelegate.getRef(columnLabel);
    }

    @Override
    public Ref getRef(int columnIndex) throws SQLException {
        return callableDelegate.getRef(columnIndex);
    }

    @Override
    public RowId getRowId(String columnLabel) throws SQLException {
        return callableDelegate.getRowId(columnLabel);
    }

    @Override
    public RowId getRowId(int columnIndex) throws SQLException {
        return callableDelegate.getRowId(columnIndex);
    }

    @Override
    public SQLXML getSQLXML(String columnLabel) throws SQLException {
        return callableDelegate.getSQLXML(columnLabel);
    }

    @Override
    public SQLXML getSQLXML(int columnIndex) throws SQLException {
        return callableDelegate.getSQLXML(columnIndex);
    }

    @Override
    public short getShort(String columnLabel) throws SQLException {
        return callableDelegate.getShort(columnLabel);
    }

    @Override
    public short getShort(int columnIndex) throws SQLException {
        return callableDelegate.getShort(columnIndex);
    }

    @Override
    public String getString(String columnLabel) throws SQLException {
        return callableDelegate.getString(columnLabel);
    }

    @Override
    public String getString(int columnIndex) throws SQLException {
        return callableDelegate.getString(columnIndex);
    }

    @Override
    public Time getTime(String columnLabel) throws SQLException {
        return callableDelegate.getTime(columnLabel);
    }

    @Override
    public Time getTime(int columnIndex) throws SQLException {
        return callableDelegate.getTime(columnIndex);
    }

    @Override
    public Time getTime(String columnLabel, Calendar cal) throws SQLException {
        return callableDelegate.getTime(columnLabel, cal);
    }

    @Override
    public Time getTime(int columnIndex, Calendar cal) throws SQLException {
        return callableDelegate.getTime(columnIndex, cal);
    }

    @Override
    public Timestamp getTimestamp(String columnLabel) throws SQLException {
        return callableDelegate.getTimestamp(columnLabel);
    }

    @Override
    public Timestamp getTimestamp(int columnIndex) throws SQLException {
        return callableDelegate.getTimestamp(columnIndex);
    }

    @Override
    public Timestamp getTimestamp(String columnLabel, Calendar cal) throws SQLException {
        return callableDelegate.getTimestamp(columnLabel, cal);
    }

    @Override
    public Timestamp getTimestamp(int columnIndex, Calendar cal) throws SQLException {
        return callableDelegate.getTimestamp(columnIndex, cal);
    }

    @Override
    public URL getURL(String columnLabel) throws SQLException {
        return callableDelegate.getURL(columnLabel);
    }

    @Override
    public URL getURL(int columnIndex) throws SQLException {
        return callableDelegate.getURL(columnIndex);
    }

    @Override
    public void registerOutParameter(String parameterName, int sqlType) throws SQLException {
        callableDelegate.registerOutParameter(parameterName, sqlType);
    }

    @Override
    public void registerOutParameter(String parameterName, SQLType sqlType) throws SQLException {
        callableDelegate.registerOutParameter(parameterName, sqlType);
    }

    @Override
    public void registerOutParameter(int parameterIndex, int sqlType) throws SQLException {
        callableDelegate.registerOutParameter(parameterIndex, sqlType);
    }

    @Override
    public void registerOutParameter(int parameterIndex, SQLType sqlType) throws SQLException {
        callableDelegate.registerOutParameter(parameterIndex, sqlType);
    }

    @Override
    public void registerOutParameter(String parameterName, int sqlType, String typeName) throws SQLException {
        callableDelegate.registerOutParameter(parameterName, sqlType, typeName);
    }

    @Override
    public void registerOutParameter(String parameterName, int sqlType, int scale) throws SQLException {
        callableDelegate.registerOutParameter(parameterName, sqlType, scale);
    }

    @Override
    public void registerOutParameter(String parameterName, SQLType sqlType, String typeName) throws SQLException {
        callableDelegate.registerOutParameter(parameterName, sqlType, typeName);
    }

    @Override
    public void registerOutParameter(String parameterName, SQLType sqlType, int scale) throws SQLException {
        callableDelegate.registerOutParameter(parameterName, sqlType, scale);
    }

    @Override
    public void registerOutParameter(int parameterIndex, int sqlType, String typeName) throws SQLException {
        callableDelegate.registerOutParameter(parameterIndex, sqlType, typeName);
    }

    @Override
    public void registerOutParameter(int parameterIndex, int sqlType, int scale) throws SQLException {
        callableDelegate.registerOutParameter(parameterIndex, sqlType, scale);
    }

    @Override
    public void registerOutParameter(int parameterIndex, SQLType sqlType, String typeName) throws SQLException {
        callableDelegate.registerOutParameter(parameterIndex, sqlType, typeName);
    }

    @Override
    public void registerOutParameter(int parameterIndex, SQLType sqlType, int scale) throws SQLException {
        callableDelegate.registerOutParameter(parameterIndex, sqlType, scale);
    }

    @Override
    public void setAsciiStream(String parameterName, InputStream x) throws SQLException {
        parameters.set(parameterName, "setAsciiStream", x);
        callableDelegate.setAsciiStream(parameterName, x);
    }

    @Override
    public void setAsciiStream(String parameterName, InputStream x, int length) throws SQLException {
        parameters.set(parameterName, "setAsciiStream", x, length);
        callableDelegate.setAsciiStream(parameterName, x, length);
    }

    @Override
    public void setAsciiStream(String parameterName, InputStream x, long length) throws SQLException {
        parameters.set(parameterName, "setAsciiStream", x, length);
        callableDelegate.setAsciiStream(parameterName, x, length);
    }

    @Override
    public void setBigDecimal(String parameterName, BigDecimal x) throws SQLException {
        parameters.set(parameterName, "setBigDecimal", x);
        callableDelegate.setBigDecimal(parameterName, x);
    }

    @Override
    public void setBinaryStream(String parameterName, InputStream x) throws SQLException {
        parameters.set(parameterName, "setBinaryStream", x);
        callableDelegate.setBinaryStream(parameterName, x);
    }

    @Override
    public void setBinaryStream(String parameterName, InputStream x, int length) throws SQLException {
        parameters.set(parameterName, "setBinaryStream", x, length);
        callableDelegate.setBinaryStream(parameterName, x, length);
    }

    @Override
    public void setBinaryStream(String parameterName, InputStream x, long length) throws SQLException {
        parameters.set(parameterName, "setBinaryStream", x, length);
        callableDelegate.setBinaryStream(parameterName, x, length);
    }

    @Override
    public void setBlob(String parameterName, InputStream inputStream) throws SQLException {
        parameters.set(parameterName, "setBlob", inputStream);
        callableDelegate.setBlob(parameterName, inputStream);
    }

    @Override
    public void setBlob(String parameterName, Blob x) throws SQLException {
        parameters.set(parameterName, "setBlob", x);
        callableDelegate.setBlob(parameterName, x);
    }

    @Override
    public void setBlob(String parameterName, InputStream inputStream, long length) throws SQLException {
        parameters.set(parameterName, "setBlob", inputStream, length);
        callableDelegate.setBlob(parameterName, inputStream, length);
    }

    @Override
    public void setBoolean(String parameterName, boolean x) throws SQLException {
        parameters.set(parameterName, "setBoolean", x);
        callableDelegate.setBoolean(parameterName, x);
    }

    @Override
    public void setByte(String parameterName, byte x) throws SQLException {
        parameters.set(parameterName, "setByte", x);
        callableDelegate.setByte(parameterName, x);
    }

    @Override
    public void setBytes(String parameterName, byte[] x) throws SQLException {
        parameters.set(parameterName, "setBytes", x);
        callableDelegate.setBytes(parameterName, x);
    }

    @Override
    public void setCharacterStream(String parameterName, Reader reader) throws SQLException {
        parameters.set(parameterName, "setCharacterStream", reader);
        callableDelegate.setCharacterStream(parameterName, reader);
    }

    @Override
    public void setCharacterStream(String parameterName, Reader reader, int length) throws SQLException {
        parameters.set(parameterName, "setCharacterStream", reader, length);
        callableDelegate.setCharacterStream(parameterName, reader, length);
    }

    @Override
    public void setCharacterStream(String parameterName, Reader reader, long length) throws SQLException {
        parameters.set(parameterName, "setCharacterStream", reader, length);
        callableDelegate.setCharacterStream(parameterName, reader, length);
    }

    @Override
    public void setClob(String parameterName, Reader reader) throws SQLException {
        parameters.set(parameterName, "setClob", reader);
        callableDelegate.setClob(parameterName, reader);
    }

    @Override
    public void setClob(String parameterName, Clob x) throws SQLException {
        parameters.set(parameterName, "setClob", x);
        callableDelegate.setClob(parameterName, x);
    }

    @Override
    public void setClob(String parameterName, Reader reader, long length) throws SQLException {
        parameters.set(parameterName, "setClob", reader, length);
        callableDelegate.setClob(parameterName, reader, length);
    }

    @Override
    public void setDate(String parameterName, Date x) throws SQLException {
        parameters.set(parameterName, "setDate", x);
        callableDelegate.setDate(parameterName, x);
    }

    @Override
    public void setDate(String parameterName, Date x, Calendar cal) throws SQLException {
        parameters.set(parameterName, "setDate", x, cal);
        callableDelegate.setDate(parameterName, x, cal);
    }

    @Override
    public void setDouble(String parameterName, double x) throws SQLException {
        parameters.set(parameterName, "setDouble", x);
        callableDelegate.setDouble(parameterName, x);
    }

    @Override
    public void setFloat(String parameterName, float x) throws SQLException {
        parameters.set(parameterName, "setFloat", x);
        callableDelegate.setFloat(parameterName, x);
    }

    @Override
    public void setInt(String parameterName, int x) throws SQLException {
        parameters.set(parameterName, "setInt", x);
        callableDelegate.setInt(parameterName, x);
    }

    @Override
    public void setLong(String parameterName, long x) throws SQLException {
        parameters.set(parameterName, "setLong", x);
        callableDelegate.setLong(parameterName, x);
    }

    @Override
    public void setNCharacterStream(String parameterName, Reader value) throws SQLException {
        parameters.set(parameterName, "setNCharacterStream", value);
        callableDelegate.setNCharacterStream(parameterName, value);
    }

    @Override
    public void setNCharacterStream(String parameterName, Reader value, long length) throws SQLException {
        parameters.set(parameterName, "setNCharacterStream", value, length);
        callableDelegate.setNCharacterStream(parameterName, value, length);
    }

    @Override
    public void setNClob(String parameterName, Reader reader) throws SQLException {
        parameters.set(parameterName, "setNClob", reader);
        callableDelegate.setNClob(parameterName, reader);
    }

    @Override
    public void setNClob(String parameterName, NClob value) throws SQLException {
        parameters.set(parameterName, "setNClob", value);
        callableDelegate.setNClob(parameterName, value);
    }

    @Override
    public void setNClob(String parameterName, Reader reader, long length) throws SQLException {
        parameters.set(parameterName, "setNClob", reader, length);
        callableDelegate.setNClob(parameterName, reader, length);
    }

    @Override
    public void setNString(String parameterName, String value) throws SQLException {
        parameters.set(parameterName, "setNString", value);
        callableDelegate.setNString(parameterName, value);
    }

    @Override
    public void setNull(String parameterName, int sqlType) throws SQLException {
        parameters.set(parameterName, "setNull", sqlType);
        callableDelegate.setNull(parameterName, sqlType);
    }

    @Override
    public void setNull(String parameterName, int sqlType, String typeName) throws SQLException {
        parameters.set(parameterName, "setNull", sqlType, typeName);
        callableDelegate.setNull(parameterName, sqlType, typeName);
    }

    @Override
    public void setObject(String parameterName, Object x) throws SQLException {
        parameters.set(parameterName, "setObject", x);
        callableDelegate.setObject(parameterName, x);
    }

    @Override
    public void setObject(String parameterName, Object x, int targetSqlType) throws SQLException {
        parameters.set(parameterName, "setObject", x, targetSqlType);
        callableDelegate.setObject(parameterName, x, targetSqlType);
    }

    @Override
    public void setObject(String parameterName, Object x, SQLType targetSqlType) throws SQLException {
        parameters.set(parameterName, "setObject", x, targetSqlType);
        callableDelegate.setObject(parameterName, x, targetSqlType);
    }

    @Override
    public void setObject(String parameterName, Object x, int targetSqlType, int scale) throws SQLException {
        parameters.set(parameterName, "setObject", x, targetSqlType, scale);
        callableDelegate.setObject(parameterName, x, targetSqlType, scale);
    }

    @Override
    public void setObject(String parameterName, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        parameters.set(parameterName, "setObject", x, targetSqlType, scaleOrLength);
        callableDelegate.setObject(parameterName, x, targetSqlType, scaleOrLength);
    }

    @Override
    public void setRowId(String parameterName, RowId x) throws SQLException {
        parameters.set(parameterName, "setRowId", x);
        callableDelegate.setRowId(parameterName, x);
    }

    @Override
    public void setSQLXML(String parameterName, SQLXML xmlObject) throws SQLException {
        parameters.set(parameterName, "setSQLXML", xmlObject);
        callableDelegate.setSQLXML(parameterName, xmlObject);
    }

    @Override
    public void setShort(String parameterName, short x) throws SQLException {
        parameters.set(parameterName, "setShort", x);
        callableDelegate.setShort(parameterName, x);
    }

    @Override
    public void setString(String parameterName, String x) throws SQLException {
        parameters.set(parameterName, "setString", x);
        callableDelegate.setString(parameterName, x);
    }

    @Override
    public void setTime(String parameterName, Time x) throws SQLException {
        parameters.set(parameterName, "setTime", x);
        callableDelegate.setTime(parameterName, x);
    }

    @Override
    public void setTime(String parameterName, Time x, Calendar cal) throws SQLException {
        parameters.set(parameterName, "setTime", x, cal);
        callableDelegate.setTime(parameterName, x, cal);
    }

    @Override
    public void setTimestamp(String parameterName, Timestamp x) throws SQLException {
        parameters.set(parameterName, "setTimestamp", x);
        callableDelegate.setTimestamp(parameterName, x);
    }

    @Override
    public void setTimestamp(String parameterName, Timestamp x, Calendar cal) throws SQLException {
        parameters.set(parameterName, "setTimestamp", x, cal);
        callableDelegate.setTimestamp(parameterName, x, cal);
    }

    @Override
    public void setURL(String parameterName, URL val) throws SQLException {
        parameters.set(parameterName, "setURL", val);
        callableDelegate.setURL(parameterName, val);
    }

    @Override
    public boolean wasNull() throws SQLException {
        return callableDelegate.wasNull();
    }
}
