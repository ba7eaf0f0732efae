package io.governed.jdbc.wrapper;

import io.governed.jdbc.masking.MaskedColumnReader;
import io.governed.jdbc.masking.UnmaskableColumnException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * The masking half of {@link GovernedResultSet}: every getter of a column reads through the
 * {@link MaskedColumnReader} when the result has masked columns, and straight from the driver when it
 * has none (one null check per call); in a result with masked columns, a column that is not masked
 * is read straight from the driver after one array check, and a masked cell is masked once however
 * often it is read (every cursor move tells the reader). Every {@code updateXxx} checks the column
 * is not masked.
 * The getters and updaters here mirror {@link ForwardingResultSet}'s, one for one.
 */
abstract class MaskingResultSet extends ForwardingResultSet {
    /** The reader of masked columns, or {@code null} when no column of this result is masked. */
    protected MaskedColumnReader masking;
    /**
     * True only while {@link #reader()} is {@code null} whoever reads: no column is masked and no identity reading the
     * values would have a reader decided for it. The column-index getters then ask this one field, not the reader. False
     * unless the subclass sets it with what decides it (so a result it does not set it for asks {@link #reader()} every
     * time), and set false again whenever either may change.
     */
    protected boolean plain;

    MaskingResultSet(ResultSet delegate) {
        super(delegate);
    }

    /**
     * The reader of masked columns for the value about to be read, or {@code null} when no column is masked: every getter
     * asks here first. This one is {@link #masking}; the governed result set decides it again when the identity reading
     * now is not the one the masks were laid on for, and leaves the answer in {@link #masking} for the rest of the read.
     */
    protected MaskedColumnReader reader() throws SQLException {
        return masking;
    }

    /**
     * The reader that masks or checks column {@code columnIndex} for the value about to be read ({@link #reader()}), or
     * {@code null} when the driver's value is handed out as the driver gives it: no column of this result is masked, or
     * this one is not (then {@link #wasNull()} asks the driver). The column-index getters ask here, so that a column no
     * mask guards costs them one check of the reader's, not a call into it.
     */
    protected final MaskedColumnReader guarding(int columnIndex) throws SQLException {
        if (plain) {
            return null; // no reader, and none to decide for whoever reads: the driver's value
        }
        MaskedColumnReader m = reader();
        return m == null || m.passesThrough(columnIndex) ? null : m;
    }

    /**
     * The statement's field size limit is about to become {@code limit}: refused (42501) while this result is open and
     * has masked or checked columns the limit would cut.
     */
    final void fieldSizeLimitChanging(int limit) throws SQLException {
        MaskedColumnReader m = masking;
        if (m != null && limit > 0 && !delegate.isClosed()) {
            m.refuseFieldSizeLimit(limit);
        }
    }

    /** Tells the reader of masked columns that the cursor moved: what it masked belongs to another row. */
    protected final void rowMoved() {
        MaskedColumnReader m = masking;
        if (m != null) {
            m.rowMoved();
        }
    }

    @Override
    public void beforeFirst() throws SQLException {
        rowMoved();
        try {
            delegate.beforeFirst();
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    @Override
    public void afterLast() throws SQLException {
        rowMoved();
        try {
            delegate.afterLast();
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    @Override
    public void moveToInsertRow() throws SQLException {
        rowMoved();
        try {
            delegate.moveToInsertRow();
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    @Override
    public void moveToCurrentRow() throws SQLException {
        rowMoved();
        try {
            delegate.moveToCurrentRow();
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    @Override
    public void cancelRowUpdates() throws SQLException {
        rowMoved();
        try {
            delegate.cancelRowUpdates();
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /**
     * The exception to throw for an error the driver raised while a value was read: the driver's own
     * here; the governed result set passes it through the statement pipeline (which may scrub it).
     */
    protected SQLException readFailed(SQLException e) {
        return e;
    }

    /**
     * An error the driver raised reading column {@code columnIndex}: for a masked column, one that
     * names the column and its mask but carries nothing of the driver's (whose message may quote the
     * value, as pgjdbc's {@code Bad value for type int : …} does), also for an unchecked exception (pgjdbc's
     * {@code getDate} of some text throws {@code ArrayIndexOutOfBoundsException}, whose message tells of the
     * value's shape); for others, {@link #readFailed(SQLException)}, or the unchecked exception as thrown.
     */
    protected final SQLException readFailed(Exception e, int columnIndex) {
        if (masking != null && !(e instanceof UnmaskableColumnException) && masking.guards(columnIndex)) {
            return masking.unreadable(columnIndex, e);
        }
        return unguardedFailure(e);
    }

    protected final SQLException readFailed(Exception e, String columnLabel) {
        if (masking != null && !(e instanceof UnmaskableColumnException)) {
            int index;
            try {
                index = masking.index(columnLabel);
            } catch (SQLException | RuntimeException unknown) {
                return unguardedFailure(e);
            }
            return readFailed(e, index);
        }
        return unguardedFailure(e);
    }

    /** A failure reading a column no mask guards: the driver's unchecked exception as it was, else {@link #readFailed(SQLException)}. */
    private SQLException unguardedFailure(Exception e) {
        if (e instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        return readFailed((SQLException) e);
    }

    /** Refuses a write to a masked column by index. */
    protected abstract void checkColumnWrite(int columnIndex) throws SQLException;

    /** Refuses a write to a masked column by label. */
    protected abstract void checkColumnWrite(String columnLabel) throws SQLException;

    @Override
    public boolean wasNull() throws SQLException {
        try {
            return masking == null ? delegate.wasNull() : masking.wasNull();
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    @Override
    public InputStream getAsciiStream(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getAsciiStream(columnLabel) : masking.getAsciiStream(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public InputStream getAsciiStream(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getAsciiStream(columnIndex) : m.getAsciiStream(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public BigDecimal getBigDecimal(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getBigDecimal(columnLabel) : masking.getBigDecimal(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public BigDecimal getBigDecimal(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getBigDecimal(columnIndex) : m.getBigDecimal(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Deprecated
    @Override
    public BigDecimal getBigDecimal(String columnLabel, int length) throws SQLException {
        try {
            return reader() == null ? delegate.getBigDecimal(columnLabel, length) : masking.getBigDecimal(masking.index(columnLabel), length);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Deprecated
    @Override
    public BigDecimal getBigDecimal(int columnIndex, int length) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getBigDecimal(columnIndex, length) : m.getBigDecimal(columnIndex, length);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public InputStream getBinaryStream(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getBinaryStream(columnLabel) : masking.getBinaryStream(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public InputStream getBinaryStream(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getBinaryStream(columnIndex) : m.getBinaryStream(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public Blob getBlob(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getBlob(columnLabel) : masking.getBlob(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public Blob getBlob(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getBlob(columnIndex) : m.getBlob(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public boolean getBoolean(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getBoolean(columnLabel) : masking.getBoolean(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public boolean getBoolean(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getBoolean(columnIndex) : m.getBoolean(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public byte getByte(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getByte(columnLabel) : masking.getByte(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public byte getByte(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getByte(columnIndex) : m.getByte(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public byte[] getBytes(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getBytes(columnLabel) : masking.getBytes(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public byte[] getBytes(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getBytes(columnIndex) : m.getBytes(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public Reader getCharacterStream(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getCharacterStream(columnLabel) : masking.getCharacterStream(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public Reader getCharacterStream(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getCharacterStream(columnIndex) : m.getCharacterStream(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public Clob getClob(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getClob(columnLabel) : masking.getClob(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public Clob getClob(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getClob(columnIndex) : m.getClob(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public Date getDate(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getDate(columnLabel) : masking.getDate(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public Date getDate(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getDate(columnIndex) : m.getDate(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public Date getDate(String columnLabel, Calendar calendar) throws SQLException {
        try {
            return reader() == null ? delegate.getDate(columnLabel, calendar) : masking.getDate(masking.index(columnLabel), calendar);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public Date getDate(int columnIndex, Calendar calendar) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getDate(columnIndex, calendar) : m.getDate(columnIndex, calendar);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public double getDouble(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getDouble(columnLabel) : masking.getDouble(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public double getDouble(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getDouble(columnIndex) : m.getDouble(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public float getFloat(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getFloat(columnLabel) : masking.getFloat(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public float getFloat(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getFloat(columnIndex) : m.getFloat(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public int getInt(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getInt(columnLabel) : masking.getInt(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public int getInt(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getInt(columnIndex) : m.getInt(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public long getLong(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getLong(columnLabel) : masking.getLong(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public long getLong(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getLong(columnIndex) : m.getLong(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public Reader getNCharacterStream(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getNCharacterStream(columnLabel) : masking.getNCharacterStream(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public Reader getNCharacterStream(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getNCharacterStream(columnIndex) : m.getNCharacterStream(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public NClob getNClob(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getNClob(columnLabel) : masking.getNClob(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public NClob getNClob(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getNClob(columnIndex) : m.getNClob(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public String getNString(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getNString(columnLabel) : masking.getNString(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public String getNString(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getNString(columnIndex) : m.getNString(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public Ref getRef(String columnLabel) throws SQLException {
        if (reader() != null) {
            masking.refuseOpaque(masking.index(columnLabel), "getRef");
        }
        try {
            return delegate.getRef(columnLabel);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public Ref getRef(int columnIndex) throws SQLException {
        if (reader() != null) {
            masking.refuseOpaque(columnIndex, "getRef");
        }
        try {
            return delegate.getRef(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public RowId getRowId(String columnLabel) throws SQLException {
        if (reader() != null) {
            masking.refuseOpaque(masking.index(columnLabel), "getRowId");
        }
        try {
            return delegate.getRowId(columnLabel);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public RowId getRowId(int columnIndex) throws SQLException {
        if (reader() != null) {
            masking.refuseOpaque(columnIndex, "getRowId");
        }
        try {
            return delegate.getRowId(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public SQLXML getSQLXML(String columnLabel) throws SQLException {
        if (reader() != null) {
            masking.refuseOpaque(masking.index(columnLabel), "getSQLXML");
        }
        try {
            return delegate.getSQLXML(columnLabel);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public SQLXML getSQLXML(int columnIndex) throws SQLException {
        if (reader() != null) {
            masking.refuseOpaque(columnIndex, "getSQLXML");
        }
        try {
            return delegate.getSQLXML(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public short getShort(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getShort(columnLabel) : masking.getShort(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public short getShort(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getShort(columnIndex) : m.getShort(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public String getString(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getString(columnLabel) : masking.getString(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public String getString(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getString(columnIndex) : m.guardedString(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public Time getTime(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getTime(columnLabel) : masking.getTime(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public Time getTime(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getTime(columnIndex) : m.getTime(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public Time getTime(String columnLabel, Calendar calendar) throws SQLException {
        try {
            return reader() == null ? delegate.getTime(columnLabel, calendar) : masking.getTime(masking.index(columnLabel), calendar);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public Time getTime(int columnIndex, Calendar calendar) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getTime(columnIndex, calendar) : m.getTime(columnIndex, calendar);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public Timestamp getTimestamp(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getTimestamp(columnLabel) : masking.getTimestamp(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public Timestamp getTimestamp(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getTimestamp(columnIndex) : m.getTimestamp(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public Timestamp getTimestamp(String columnLabel, Calendar calendar) throws SQLException {
        try {
            return reader() == null ? delegate.getTimestamp(columnLabel, calendar) : masking.getTimestamp(masking.index(columnLabel), calendar);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public Timestamp getTimestamp(int columnIndex, Calendar calendar) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getTimestamp(columnIndex, calendar) : m.getTimestamp(columnIndex, calendar);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public URL getURL(String columnLabel) throws SQLException {
        if (reader() != null) {
            masking.refuseOpaque(masking.index(columnLabel), "getURL");
        }
        try {
            return delegate.getURL(columnLabel);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public URL getURL(int columnIndex) throws SQLException {
        if (reader() != null) {
            masking.refuseOpaque(columnIndex, "getURL");
        }
        try {
            return delegate.getURL(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Deprecated
    @Override
    public InputStream getUnicodeStream(String columnLabel) throws SQLException {
        try {
            return reader() == null ? delegate.getUnicodeStream(columnLabel) : masking.getUnicodeStream(masking.index(columnLabel));
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Deprecated
    @Override
    public InputStream getUnicodeStream(int columnIndex) throws SQLException {
        try {
            MaskedColumnReader m = guarding(columnIndex);
            return m == null ? delegate.getUnicodeStream(columnIndex) : m.getUnicodeStream(columnIndex);
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public void updateArray(String columnLabel, Array array) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateArray(columnLabel, array);
    }

    @Override
    public void updateArray(int columnIndex, Array array) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateArray(columnIndex, array);
    }

    @Override
    public void updateAsciiStream(String columnLabel, InputStream inputStream) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateAsciiStream(columnLabel, inputStream);
    }

    @Override
    public void updateAsciiStream(int columnIndex, InputStream inputStream) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateAsciiStream(columnIndex, inputStream);
    }

    @Override
    public void updateAsciiStream(String columnLabel, InputStream inputStream, int length) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateAsciiStream(columnLabel, inputStream, length);
    }

    @Override
    public void updateAsciiStream(String columnLabel, InputStream inputStream, long length) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateAsciiStream(columnLabel, inputStream, length);
    }

    @Override
    public void updateAsciiStream(int columnIndex, InputStream inputStream, int sqlType) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateAsciiStream(columnIndex, inputStream, sqlType);
    }

    @Override
    public void updateAsciiStream(int columnIndex, InputStream inputStream, long length) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateAsciiStream(columnIndex, inputStream, length);
    }

    @Override
    public void updateBigDecimal(String columnLabel, BigDecimal bigDecimal) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateBigDecimal(columnLabel, bigDecimal);
    }

    @Override
    public void updateBigDecimal(int columnIndex, BigDecimal bigDecimal) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateBigDecimal(columnIndex, bigDecimal);
    }

    @Override
    public void updateBinaryStream(String columnLabel, InputStream inputStream) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateBinaryStream(columnLabel, inputStream);
    }

    @Override
    public void updateBinaryStream(int columnIndex, InputStream inputStream) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateBinaryStream(columnIndex, inputStream);
    }

    @Override
    public void updateBinaryStream(String columnLabel, InputStream inputStream, int length) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateBinaryStream(columnLabel, inputStream, length);
    }

    @Override
    public void updateBinaryStream(String columnLabel, InputStream inputStream, long length) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateBinaryStream(columnLabel, inputStream, length);
    }

    @Override
    public void updateBinaryStream(int columnIndex, InputStream inputStream, int sqlType) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateBinaryStream(columnIndex, inputStream, sqlType);
    }

    @Override
    public void updateBinaryStream(int columnIndex, InputStream inputStream, long length) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateBinaryStream(columnIndex, inputStream, length);
    }

    @Override
    public void updateBlob(String columnLabel, InputStream inputStream) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateBlob(columnLabel, inputStream);
    }

    @Override
    public void updateBlob(String columnLabel, Blob blob) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateBlob(columnLabel, blob);
    }

    @Override
    public void updateBlob(int columnIndex, InputStream inputStream) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateBlob(columnIndex, inputStream);
    }

    @Override
    public void updateBlob(int columnIndex, Blob blob) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateBlob(columnIndex, blob);
    }

    @Override
    public void updateBlob(String columnLabel, InputStream inputStream, long length) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateBlob(columnLabel, inputStream, length);
    }

    @Override
    public void updateBlob(int columnIndex, InputStream inputStream, long length) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateBlob(columnIndex, inputStream, length);
    }

    @Override
    public void updateBoolean(String columnLabel, boolean flag) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateBoolean(columnLabel, flag);
    }

    @Override
    public void updateBoolean(int columnIndex, boolean flag) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateBoolean(columnIndex, flag);
    }

    @Override
    public void updateByte(String columnLabel, byte byteValue) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateByte(columnLabel, byteValue);
    }

    @Override
    public void updateByte(int columnIndex, byte byteValue) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateByte(columnIndex, byteValue);
    }

    @Override
    public void updateBytes(String columnLabel, byte[] elements) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateBytes(columnLabel, elements);
    }

    @Override
    public void updateBytes(int columnIndex, byte[] elements) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateBytes(columnIndex, elements);
    }

    @Override
    public void updateCharacterStream(String columnLabel, Reader reader) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateCharacterStream(columnLabel, reader);
    }

    @Override
    public void updateCharacterStream(int columnIndex, Reader reader) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateCharacterStream(columnIndex, reader);
    }

    @Override
    public void updateCharacterStream(String columnLabel, Reader reader, int length) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateCharacterStream(columnLabel, reader, length);
    }

    @Override
    public void updateCharacterStream(String columnLabel, Reader reader, long length) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateCharacterStream(columnLabel, reader, length);
    }

    @Override
    public void updateCharacterStream(int columnIndex, Reader reader, int sqlType) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateCharacterStream(columnIndex, reader, sqlType);
    }

    @Override
    public void updateCharacterStream(int columnIndex, Reader reader, long length) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateCharacterStream(columnIndex, reader, length);
    }

    @Override
    public void updateClob(String columnLabel, Reader reader) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateClob(columnLabel, reader);
    }

    @Override
    public void updateClob(String columnLabel, Clob clob) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateClob(columnLabel, clob);
    }

    @Override
    public void updateClob(int columnIndex, Reader reader) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateClob(columnIndex, reader);
    }

    @Override
    public void updateClob(int columnIndex, Clob clob) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateClob(columnIndex, clob);
    }

    @Override
    public void updateClob(String columnLabel, Reader reader, long length) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateClob(columnLabel, reader, length);
    }

    @Override
    public void updateClob(int columnIndex, Reader reader, long length) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateClob(columnIndex, reader, length);
    }

    @Override
    public void updateDate(String columnLabel, Date date) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateDate(columnLabel, date);
    }

    @Override
    public void updateDate(int columnIndex, Date date) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateDate(columnIndex, date);
    }

    @Override
    public void updateDouble(String columnLabel, double doubleValue) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateDouble(columnLabel, doubleValue);
    }

    @Override
    public void updateDouble(int columnIndex, double doubleValue) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateDouble(columnIndex, doubleValue);
    }

    @Override
    public void updateFloat(String columnLabel, float floatValue) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateFloat(columnLabel, floatValue);
    }

    @Override
    public void updateFloat(int columnIndex, float floatValue) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateFloat(columnIndex, floatValue);
    }

    @Override
    public void updateInt(String columnLabel, int length) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateInt(columnLabel, length);
    }

    @Override
    public void updateInt(int columnIndex, int sqlType) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateInt(columnIndex, sqlType);
    }

    @Override
    public void updateLong(String columnLabel, long length) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateLong(columnLabel, length);
    }

    @Override
    public void updateLong(int columnIndex, long length) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateLong(columnIndex, length);
    }

    @Override
    public void updateNCharacterStream(String columnLabel, Reader reader) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateNCharacterStream(columnLabel, reader);
    }

    @Override
    public void updateNCharacterStream(int columnIndex, Reader reader) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateNCharacterStream(columnIndex, reader);
    }

    @Override
    public void updateNCharacterStream(String columnLabel, Reader reader, long length) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateNCharacterStream(columnLabel, reader, length);
    }

    @Override
    public void updateNCharacterStream(int columnIndex, Reader reader, long length) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateNCharacterStream(columnIndex, reader, length);
    }

    @Override
    public void updateNClob(String columnLabel, Reader reader) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateNClob(columnLabel, reader);
    }

    @Override
    public void updateNClob(String columnLabel, NClob nClob) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateNClob(columnLabel, nClob);
    }

    @Override
    public void updateNClob(int columnIndex, Reader reader) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateNClob(columnIndex, reader);
    }

    @Override
    public void updateNClob(int columnIndex, NClob nClob) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateNClob(columnIndex, nClob);
    }

    @Override
    public void updateNClob(String columnLabel, Reader reader, long length) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateNClob(columnLabel, reader, length);
    }

    @Override
    public void updateNClob(int columnIndex, Reader reader, long length) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateNClob(columnIndex, reader, length);
    }

    @Override
    public void updateNString(String columnLabel, String value) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateNString(columnLabel, value);
    }

    @Override
    public void updateNString(int columnIndex, String value) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateNString(columnIndex, value);
    }

    @Override
    public void updateNull(String columnLabel) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateNull(columnLabel);
    }

    @Override
    public void updateNull(int columnIndex) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateNull(columnIndex);
    }

    @Override
    public void updateObject(String columnLabel, Object x) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateObject(columnLabel, x);
    }

    @Override
    public void updateObject(int columnIndex, Object x) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateObject(columnIndex, x);
    }

    @Override
    public void updateObject(String columnLabel, Object x, int length) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateObject(columnLabel, x, length);
    }

    @Override
    public void updateObject(String columnLabel, Object x, SQLType sQLType) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateObject(columnLabel, x, sQLType);
    }

    @Override
    public void updateObject(int columnIndex, Object x, int sqlType) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateObject(columnIndex, x, sqlType);
    }

    @Override
    public void updateObject(int columnIndex, Object x, SQLType sQLType) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateObject(columnIndex, x, sQLType);
    }

    @Override
    public void updateObject(String columnLabel, Object x, SQLType sQLType, int length) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateObject(columnLabel, x, sQLType, length);
    }

    @Override
    public void updateObject(int columnIndex, Object x, SQLType sQLType, int sqlType) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateObject(columnIndex, x, sQLType, sqlType);
    }

    @Override
    public void updateRef(String columnLabel, Ref ref) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateRef(columnLabel, ref);
    }

    @Override
    public void updateRef(int columnIndex, Ref ref) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateRef(columnIndex, ref);
    }

    @Override
    public void updateRowId(String columnLabel, RowId rowId) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateRowId(columnLabel, rowId);
    }

    @Override
    public void updateRowId(int columnIndex, RowId rowId) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateRowId(columnIndex, rowId);
    }

    @Override
    public void updateSQLXML(String columnLabel, SQLXML sQLXML) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateSQLXML(columnLabel, sQLXML);
    }

    @Override
    public void updateSQLXML(int columnIndex, SQLXML sQLXML) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateSQLXML(columnIndex, sQLXML);
    }

    @Override
    public void updateShort(String columnLabel, short shortValue) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateShort(columnLabel, shortValue);
    }

    @Override
    public void updateShort(int columnIndex, short shortValue) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateShort(columnIndex, shortValue);
    }

    @Override
    public void updateString(String columnLabel, String value) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateString(columnLabel, value);
    }

    @Override
    public void updateString(int columnIndex, String value) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateString(columnIndex, value);
    }

    @Override
    public void updateTime(String columnLabel, Time time) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateTime(columnLabel, time);
    }

    @Override
    public void updateTime(int columnIndex, Time time) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateTime(columnIndex, time);
    }

    @Override
    public void updateTimestamp(String columnLabel, Timestamp timestamp) throws SQLException {
        checkColumnWrite(columnLabel);
        delegate.updateTimestamp(columnLabel, timestamp);
    }

    @Override
    public void updateTimestamp(int columnIndex, Timestamp timestamp) throws SQLException {
        checkColumnWrite(columnIndex);
        delegate.updateTimestamp(columnIndex, timestamp);
    }
}
