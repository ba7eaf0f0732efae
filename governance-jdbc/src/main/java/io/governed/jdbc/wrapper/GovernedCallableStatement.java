package io.governed.jdbc.wrapper;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.gate.SqlText;
import io.governed.policy.masking.MaskPlanner;

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
 * A callable statement: checked at {@code prepareCall} and at every execution like a prepared
 * statement. An OUT parameter that holds a result set (a PostgreSQL refcursor) or an array comes back governed.
 *
 * <p>What a routine returns in an OUT parameter cannot be traced to the columns it read, so it cannot
 * be masked: every OUT parameter getter refuses (42501) for a caller any mask applies to, and hands the
 * driver's value to callers no mask applies to. {@code CallableStatementOutParametersTest} keeps every
 * getter of the interface covered.
 */
public class GovernedCallableStatement extends ForwardingCallableStatement {

    public GovernedCallableStatement(GovernedConnection connection, CallableStatement delegate, SqlText sql) {
        super(connection, delegate, sql);
    }

    @Override
    public Object getObject(int parameterIndex) throws SQLException {
        outParameterRead();
        return governedValue(callableDelegate.getObject(parameterIndex));
    }

    @Override
    public Object getObject(String parameterName) throws SQLException {
        outParameterRead();
        return governedValue(callableDelegate.getObject(parameterName));
    }

    @Override
    public Object getObject(int parameterIndex, Map<String, Class<?>> map) throws SQLException {
        outParameterRead();
        return governedValue(callableDelegate.getObject(parameterIndex, map));
    }

    @Override
    public Object getObject(String parameterName, Map<String, Class<?>> map) throws SQLException {
        outParameterRead();
        return governedValue(callableDelegate.getObject(parameterName, map));
    }

    @Override
    public <T> T getObject(int parameterIndex, Class<T> type) throws SQLException {
        outParameterRead();
        return type.cast(governedValue(callableDelegate.getObject(parameterIndex, type)));
    }

    @Override
    public <T> T getObject(String parameterName, Class<T> type) throws SQLException {
        outParameterRead();
        return type.cast(governedValue(callableDelegate.getObject(parameterName, type)));
    }

    @Override
    public Array getArray(int parameterIndex) throws SQLException {
        outParameterRead();
        return (Array) governedValue(callableDelegate.getArray(parameterIndex));
    }

    @Override
    public Array getArray(String parameterName) throws SQLException {
        outParameterRead();
        return (Array) governedValue(callableDelegate.getArray(parameterName));
    }

    @Override
    public BigDecimal getBigDecimal(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getBigDecimal(columnLabel);
    }

    @Override
    public BigDecimal getBigDecimal(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getBigDecimal(columnIndex);
    }

    @Deprecated
    @Override
    public BigDecimal getBigDecimal(int columnIndex, int scale) throws SQLException {
        outParameterRead();
        return super.getBigDecimal(columnIndex, scale);
    }

    @Override
    public Blob getBlob(String columnLabel) throws SQLException {
        outParameterRead();
        return (Blob) governedValue(super.getBlob(columnLabel));
    }

    @Override
    public Blob getBlob(int columnIndex) throws SQLException {
        outParameterRead();
        return (Blob) governedValue(super.getBlob(columnIndex));
    }

    @Override
    public boolean getBoolean(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getBoolean(columnLabel);
    }

    @Override
    public boolean getBoolean(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getBoolean(columnIndex);
    }

    @Override
    public byte getByte(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getByte(columnLabel);
    }

    @Override
    public byte getByte(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getByte(columnIndex);
    }

    @Override
    public byte[] getBytes(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getBytes(columnLabel);
    }

    @Override
    public byte[] getBytes(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getBytes(columnIndex);
    }

    @Override
    public Reader getCharacterStream(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getCharacterStream(columnLabel);
    }

    @Override
    public Reader getCharacterStream(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getCharacterStream(columnIndex);
    }

    @Override
    public Clob getClob(String columnLabel) throws SQLException {
        outParameterRead();
        return (Clob) governedValue(super.getClob(columnLabel));
    }

    @Override
    public Clob getClob(int columnIndex) throws SQLException {
        outParameterRead();
        return (Clob) governedValue(super.getClob(columnIndex));
    }

    @Override
    public Date getDate(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getDate(columnLabel);
    }

    @Override
    public Date getDate(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getDate(columnIndex);
    }

    @Override
    public Date getDate(String columnLabel, Calendar cal) throws SQLException {
        outParameterRead();
        return super.getDate(columnLabel, cal);
    }

    @Override
    public Date getDate(int columnIndex, Calendar cal) throws SQLException {
        outParameterRead();
        return super.getDate(columnIndex, cal);
    }

    @Override
    public double getDouble(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getDouble(columnLabel);
    }

    @Override
    public double getDouble(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getDouble(columnIndex);
    }

    @Override
    public float getFloat(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getFloat(columnLabel);
    }

    @Override
    public float getFloat(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getFloat(columnIndex);
    }

    @Override
    public int getInt(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getInt(columnLabel);
    }

    @Override
    public int getInt(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getInt(columnIndex);
    }

    @Override
    public long getLong(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getLong(columnLabel);
    }

    @Override
    public long getLong(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getLong(columnIndex);
    }

    @Override
    public Reader getNCharacterStream(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getNCharacterStream(columnLabel);
    }

    @Override
    public Reader getNCharacterStream(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getNCharacterStream(columnIndex);
    }

    @Override
    public NClob getNClob(String columnLabel) throws SQLException {
        outParameterRead();
        return (NClob) governedValue(super.getNClob(columnLabel));
    }

    @Override
    public NClob getNClob(int columnIndex) throws SQLException {
        outParameterRead();
        return (NClob) governedValue(super.getNClob(columnIndex));
    }

    @Override
    public String getNString(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getNString(columnLabel);
    }

    @Override
    public String getNString(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getNString(columnIndex);
    }

    @Override
    public Ref getRef(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getRef(columnLabel);
    }

    @Override
    public Ref getRef(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getRef(columnIndex);
    }

    @Override
    public RowId getRowId(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getRowId(columnLabel);
    }

    @Override
    public RowId getRowId(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getRowId(columnIndex);
    }

    @Override
    public SQLXML getSQLXML(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getSQLXML(columnLabel);
    }

    @Override
    public SQLXML getSQLXML(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getSQLXML(columnIndex);
    }

    @Override
    public short getShort(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getShort(columnLabel);
    }

    @Override
    public short getShort(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getShort(columnIndex);
    }

    @Override
    public String getString(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getString(columnLabel);
    }

    @Override
    public String getString(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getString(columnIndex);
    }

    @Override
    public Time getTime(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getTime(columnLabel);
    }

    @Override
    public Time getTime(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getTime(columnIndex);
    }

    @Override
    public Time getTime(String columnLabel, Calendar cal) throws SQLException {
        outParameterRead();
        return super.getTime(columnLabel, cal);
    }

    @Override
    public Time getTime(int columnIndex, Calendar cal) throws SQLException {
        outParameterRead();
        return super.getTime(columnIndex, cal);
    }

    @Override
    public Timestamp getTimestamp(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getTimestamp(columnLabel);
    }

    @Override
    public Timestamp getTimestamp(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getTimestamp(columnIndex);
    }

    @Override
    public Timestamp getTimestamp(String columnLabel, Calendar cal) throws SQLException {
        outParameterRead();
        return super.getTimestamp(columnLabel, cal);
    }

    @Override
    public Timestamp getTimestamp(int columnIndex, Calendar cal) throws SQLException {
        outParameterRead();
        return super.getTimestamp(columnIndex, cal);
    }

    @Override
    public URL getURL(String columnLabel) throws SQLException {
        outParameterRead();
        return super.getURL(columnLabel);
    }

    @Override
    public URL getURL(int columnIndex) throws SQLException {
        outParameterRead();
        return super.getURL(columnIndex);
    }

    /**
     * Every OUT parameter getter comes here first. OUT values are not traced to the columns they come
     * from, so they cannot be masked: for a caller any mask applies to they are refused (fail closed),
     * whatever the routine returns, both for the identity the call ran as (its values are that identity's, also when read
     * after its {@code runAs} scope ended) and for the identity reading them now. Callers no mask applies to read them as
     * the driver gives them.
     */
    private void outParameterRead() throws SQLException {
        MaskPlanner planner = connection.governance().maskPlanner();
        if (planner == null) {
            return;
        }
        Identity ranAs = ranAs();
        Identity identity = ranAs != null && planner.masksAnythingFor(ranAs) ? ranAs : connection.currentIdentity();
        if (identity != null && planner.masksAnythingFor(identity)) {
            throw GovernanceException.failedClosed("OUT parameters of a CallableStatement cannot be traced to the columns "
                    + "they come from, so they are not handed to " + identity.describe() + ", to whom masks apply: "
                    + "return the values as a result set (a SELECT of the routine, or a refcursor read with a SELECT), "
                    + "whose columns are masked, or exempt this identity from the masks", GovernanceException.SQLSTATE_DENIED, null);
        }
    }

    private Object governedValue(Object value) throws SQLException {
        return Wrappers.governed(value, this, ranAs());
    }
}
