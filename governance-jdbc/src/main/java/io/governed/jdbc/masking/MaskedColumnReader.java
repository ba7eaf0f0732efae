package io.governed.jdbc.masking;

import io.governed.classification.QualifiedColumn;
import io.governed.classification.ValueSampler;
import io.governed.identity.Identity;
import io.governed.masking.MaskBuffer;
import io.governed.masking.MaskFunction;
import io.governed.masking.UnmaskableValueException;
import io.governed.masking.builtin.TokenMasker;
import io.governed.policy.masking.ColumnMask;
import io.governed.policy.masking.MaskPlanner;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Calendar;
import java.util.HashMap;
import java.util.Map;
import javax.sql.rowset.serial.SerialBlob;

/**
 * Reads the columns of one result set that have a mask (or whose values are checked by detectors):
 * every getter reads the driver's value, masks it, and returns it in the getter's type. A typed
 * getter whose type the mask cannot keep fails with SQLState {@value #SQLSTATE_UNMASKABLE}, naming
 * the column and the mask, never the value. Columns without a mask are read straight from the driver.
 * A column under the {@code token} mask is tokenized once per cell, from the driver's {@code getObject}
 * value, and every getter converts that one token exactly to its type or is refused with SQLState
 * {@value #SQLSTATE_TOKEN_REFUSED}.
 *
 * <p>One per result set, used from the thread reading it, as JDBC result sets are.
 */
public final class MaskedColumnReader {
    /** SQLState of a masked column read through a getter whose type its mask cannot produce. */
    public static final String SQLSTATE_UNMASKABLE = "22M01";
    /**
     * SQLState of a column masked by the {@code token} mask read through a getter that cannot give its
     * token (in that getter's type): the value is not handed out in any other form.
     */
    public static final String SQLSTATE_TOKEN_REFUSED = "42501";

    /** {@link #lastNull}: the driver's own {@code wasNull} holds (the last column read was not guarded). */
    private static final byte DRIVER = 0;
    private static final byte WAS_NULL = 1;
    private static final byte NOT_NULL = 2;
    /** {@link #maskedAs}: masking left the value as it was, so the driver's own getter may give it. */
    private static final Object CLEAR = new Object();

    private final ResultSet delegate;
    private final ResultMasks masks;
    private final MaskPlanner planner;
    private final Identity identity;
    /** A second identity whose masks apply to the values as well (see the five-argument constructor), or {@code null}. */
    private final Identity also;
    /**
     * By column index (0 unused): whether the column is masked or its values checked. Every getter
     * of a column that is not guarded reads straight from the driver after this one array check ({@link #passesThrough}).
     */
    private final boolean[] guarded;
    private final boolean[] textual;
    /** By column index: whether the column's mask is the {@code token} mask (its getters convert one token). */
    private final boolean[] tokenized;
    /**
     * By column index: the function of a column whose mask is fixed for the whole result (no
     * sampling, no detection), worked out once; {@code null} for the others.
     */
    private final MaskFunction[] fixed;
    /**
     * By column index: {@link #fixed}'s function where the column is text and not tokenized, so that {@link #guardedString}
     * masks its value with no other check; {@code null} for the others.
     */
    private final MaskFunction[] fixedText;
    /** By column index: the sampler still learning the column's base column, or {@code null}. */
    private final ValueSampler[] samplers;
    /** By column index: a masked text column's masked value in the row {@link #cachedIn} says, so a cell is masked once. */
    private final String[] cachedText;
    private final long[] cachedIn;
    /** By column index: a tokenized column's token in the row {@link #tokenIn} says, so every getter converts one token. */
    private final Object[] tokenCache;
    private final long[] tokenIn;
    /** Counts cursor moves: a cached cell is valid while its stamp equals this. */
    private long row = 1;
    private final Map<String, Integer> indexes = new HashMap<>();
    private long maskedValues;
    /**
     * By column index: where the mask functions build the column's masked texts, one after the other; made with the
     * reader for every column it guards, so that masking a value checks and makes nothing more. One per column, so that
     * a column's masked text equal to the one of the row before is handed out again ({@link MaskBuffer#text}) whatever
     * the other columns masked in between.
     */
    private final MaskBuffer[] buffers;
    /** Whether the last value read was NULL, after masking: {@link #WAS_NULL}, {@link #NOT_NULL}, or {@link #DRIVER}. */
    private byte lastNull;

    public MaskedColumnReader(ResultSet delegate, ResultMasks masks, MaskPlanner planner, Identity identity) throws SQLException {
        this(delegate, masks, planner, identity, null);
    }

    /**
     * A reader for two identities at once (the one a result was read for and the one reading it now): {@code masks}
     * holds the stricter of each column's masks for both, and a value checked by the detectors is masked as the stricter
     * of what either identity's masks say of it.
     *
     * @param also the second identity, or {@code null}
     */
    public MaskedColumnReader(ResultSet delegate, ResultMasks masks, MaskPlanner planner, Identity identity, Identity also)
            throws SQLException {
        this.delegate = delegate;
        this.masks = masks;
        this.planner = planner;
        this.identity = identity;
        this.also = also == null || also.equals(identity) ? null : also;
        int n = masks.columnCount() + 1;
        this.guarded = new boolean[n];
        this.textual = new boolean[n];
        this.tokenized = new boolean[n];
        this.fixed = new MaskFunction[n];
        this.fixedText = new MaskFunction[n];
        this.samplers = new ValueSampler[n];
        this.cachedText = new String[n];
        this.cachedIn = new long[n];
        this.tokenCache = new Object[n];
        this.tokenIn = new long[n];
        this.buffers = new MaskBuffer[n];
        java.sql.ResultSetMetaData md = delegate.getMetaData();
        for (int i = 1; i < n; i++) {
            textual[i] = isText(md.getColumnType(i));
            QualifiedColumn base = masks.sampledAs(i);
            samplers[i] = base == null ? null : planner.sampler(base, masks.dialect());
            decided(i);
        }
        refuseCutValues(md);
    }

    /**
     * Whether values of a column of JDBC type {@code type} are never cut to a field size limit: JDBC cuts only character
     * and binary columns, so numbers, booleans, dates and times are safe; every other type (and one a driver reports
     * loosely) is taken to be cut.
     */
    private static boolean uncut(int type) {
        return switch (type) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.FLOAT, Types.DOUBLE,
                 Types.NUMERIC, Types.DECIMAL, Types.BIT, Types.BOOLEAN, Types.DATE, Types.TIME, Types.TIMESTAMP,
                 Types.TIME_WITH_TIMEZONE, Types.TIMESTAMP_WITH_TIMEZONE -> true;
            default -> false;
        };
    }

    /**
     * A driver that cuts values to the statement's {@code setMaxFieldSize} (pgjdbc does, in every getter) cuts them
     * before they are masked, and the mask of a cut value shows other characters of it: {@code partial} keeping the last
     * four of {@code 123-45-6789} cut to five characters shows {@code 23-4}, and every other size another window of the
     * value; a detector no longer recognises a cut value either. So a result with a masked or checked column that may be
     * cut (not a number, boolean, date or time) is not read under a field size limit: the statement's limit (as the
     * driver's statement says, whatever set it) must be 0.
     *
     * @throws SQLException (42501) naming the columns and the limit, never a value
     */
    private void refuseCutValues(java.sql.ResultSetMetaData md) throws SQLException {
        java.sql.Statement statement = delegate.getStatement();
        refuseCutValues(md, statement == null ? 0 : statement.getMaxFieldSize());
    }

    /**
     * The statement's field size limit is about to become {@code limit} while this result is open: the driver reads the
     * limit in every getter, so the values read next would be cut before they are masked.
     *
     * @throws SQLException (42501) as when the result was opened under that limit
     */
    public void refuseFieldSizeLimit(int limit) throws SQLException {
        refuseCutValues(delegate.getMetaData(), limit);
    }

    private void refuseCutValues(java.sql.ResultSetMetaData md, int limit) throws SQLException {
        if (limit <= 0) {
            return;
        }
        java.util.List<String> labels = new java.util.ArrayList<>();
        for (int i = 1; i < guarded.length; i++) {
            if (guarded[i] && !uncut(md.getColumnType(i))) {
                labels.add(masks.label(i));
            }
        }
        if (!labels.isEmpty()) {
            throw io.governed.jdbc.GovernanceException.failedClosed("The statement cuts values to " + limit
                    + " characters or bytes (Statement.setMaxFieldSize) before they are masked, and columns " + labels
                    + " are masked or checked for " + (identity == null ? "this identity" : identity.describe())
                    + ": the mask of a cut value would show other characters of it, so the result is not handed out. "
                    + "Call setMaxFieldSize(0) on statements that read these columns (the masked values are short already)",
                    io.governed.jdbc.GovernanceException.SQLSTATE_DENIED, null);
        }
    }

    /** Works out column {@code i}'s per-column state from its (possibly new) mask. */
    private void decided(int i) {
        ColumnMask mask = masks.mask(i);
        boolean checked = masks.detectsValues(i) || samplers[i] != null;
        guarded[i] = mask != null || checked;
        tokenized[i] = mask != null && mask.masking() instanceof TokenMasker.TokenMask;
        fixed[i] = mask != null && !checked ? mask.masking() : null;
        fixedText[i] = textual[i] && !tokenized[i] ? fixed[i] : null;
        if (guarded[i] && buffers[i] == null) {
            buffers[i] = new MaskBuffer();
        }
    }

    /** The cursor moved (or the row changed): values masked before belong to another row. */
    public void rowMoved() {
        row++;
    }

    /** The index of a column label, asked of the driver once per label (it applies JDBC's case rules). */
    public int index(String label) throws SQLException {
        Integer index = indexes.get(label);
        if (index == null) {
            index = delegate.findColumn(label);
            indexes.put(label, index);
        }
        return index;
    }

    /** Whether the column is masked or its values are checked: writes to it are refused. */
    public boolean guards(int column) {
        return column > 0 && column < guarded.length && guarded[column];
    }

    /**
     * Whether column {@code column}'s value is read from the driver as it is, this reader not guarding it ({@link #guards});
     * if so, {@link #wasNull()} asks the driver until the next value this reader gives.
     */
    public boolean passesThrough(int column) {
        if (guards(column)) {
            return false;
        }
        lastNull = DRIVER;
        return true;
    }

    /** The mask of a column, as planned; {@code null} when its values are only checked, or clear. */
    public ColumnMask maskOf(int column) {
        return column > 0 && column < guarded.length ? masks.mask(column) : null;
    }

    public ResultMasks masks() {
        return masks;
    }

    /** How many values were masked so far. */
    public long maskedValues() {
        return maskedValues;
    }

    public boolean wasNull() throws SQLException {
        return lastNull == DRIVER ? delegate.wasNull() : lastNull == WAS_NULL;
    }

    /** A masked text column's text masked; any other masked column's masked value, as text. */
    public String getString(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getString(i);
        }
        if (tokenized(i)) {
            return tokenText(i);
        }
        return textual[i] ? maskedText(i, delegate.getString(i), "getString")
                : maskedAsText(i, "getString", () -> delegate.getString(i));
    }

    /**
     * {@link #getString} of a column this reader guards ({@link #guards}, which the caller has asked): a text column under
     * a mask planned for the whole result is masked here with no other check, once per cell, the driver's value read
     * first as {@link #getString} reads it; any other column as {@link #getString} gives it.
     */
    public String guardedString(int i) throws SQLException {
        MaskFunction function = fixedText[i];
        return function == null ? getString(i) : fixedText(i, function, delegate.getString(i), "getString");
    }

    /** {@link #getObject(int)} of a column this reader guards, as {@link #guardedString} is {@link #getString}'s. */
    public Object guardedObject(int i) throws SQLException {
        MaskFunction function = fixedText[i];
        if (function == null) {
            return getObject(i);
        }
        Object value = delegate.getObject(i);
        return value == null || value instanceof String ? fixedText(i, function, (String) value, "getObject")
                : maskedObject(i, value, "getObject");
    }

    /**
     * {@link #maskedText} of a column whose planned mask {@code function} holds for the whole result (nothing sampled or
     * checked): the cell's masked text, masked once; {@code getter} named only when the value cannot be masked.
     */
    private String fixedText(int i, MaskFunction function, String value, String getter) throws SQLException {
        if (cachedIn[i] == row) {
            String cached = cachedText[i];
            lastNull = cached == null ? WAS_NULL : NOT_NULL;
            return cached;
        }
        String masked;
        if (value == null) {
            lastNull = WAS_NULL;
            masked = null;
        } else {
            masked = (String) maskedBy(i, function, null, value, getter);
        }
        cachedText[i] = masked;
        cachedIn[i] = row;
        return masked;
    }

    public String getNString(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getNString(i);
        }
        if (tokenized(i)) {
            return tokenText(i);
        }
        return textual[i] ? maskedText(i, delegate.getNString(i), "getNString")
                : maskedAsText(i, "getNString", () -> delegate.getNString(i));
    }

    /**
     * A column that is not text, masked, as text; where the column has no mask and its value was checked and left as the
     * driver gave it (nothing found in it), the driver's own text of it ({@code clear}), as an unchecked column gives.
     */
    private String maskedAsText(int i, String getter, DriverRead<String> clear) throws SQLException {
        Object value = delegate.getObject(i);
        Object masked = maskedObject(i, value, getter);
        if (value != null && masked == value && masks.mask(i) == null) {
            lastNull = DRIVER;
            return clear.read();
        }
        if (masked instanceof byte[]) {
            // the text a driver gives of bytes is its own encoding of them (H2's hex, the JSON text of H2's JSON,
            // PostgreSQL's \x form): masked bytes have no exact text, and null would contradict wasNull()
            ColumnMask mask = masks.mask(i);
            throw new UnmaskableColumnException("Column '" + masks.label(i) + "' is masked"
                    + (mask == null ? "" : " by " + mask.describe()) + ", and " + getter + " cannot return it: its masked"
                    + " values are bytes, which have no exact text form; read it with getBytes or getObject");
        }
        return asText(masked);
    }

    /** A text column's value masked, once per cell: read again in the same row, the first result is given. */
    private String maskedText(int i, String value, String getter) throws SQLException {
        if (cachedIn[i] == row) {
            String cached = cachedText[i];
            lastNull = cached == null ? WAS_NULL : NOT_NULL;
            return cached;
        }
        String masked = (String) masked(i, value, getter);
        if (samplers[i] == null) {
            cachedText[i] = masked;
            cachedIn[i] = row;
        }
        return masked;
    }

    private static String asText(Object masked) throws SQLException {
        if (masked instanceof Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        return masked == null ? null : masked.toString();
    }

    public Object getObject(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getObject(i);
        }
        if (tokenized(i)) {
            return tokenObject(i);
        }
        Object value = delegate.getObject(i);
        return textual[i] && (value == null || value instanceof String) ? maskedText(i, (String) value, "getObject")
                : maskedObject(i, value, "getObject");
    }

    public Object getObject(int i, Map<String, Class<?>> map) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getObject(i, map);
        }
        if (tokenized(i)) {
            return tokenObject(i);
        }
        return maskedObject(i, delegate.getObject(i, map), "getObject");
    }

    public <T> T getObject(int i, Class<T> type) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getObject(i, type);
        }
        // the types other getters stand for are read through those getters, which mask them; a driver's own
        // conversion (getObject(i, byte[].class) of a text column, say) would hand the raw value out
        if (type == byte[].class) {
            return type.cast(getBytes(i));
        }
        if (type == String.class) {
            return type.cast(getString(i));
        }
        if (type == Blob.class) {
            return type.cast(getBlob(i));
        }
        if (type == Clob.class) {
            return type.cast(getClob(i));
        }
        if (type == NClob.class) {
            return type.cast(getNClob(i));
        }
        if (type == InputStream.class) {
            return type.cast(getBinaryStream(i));
        }
        if (type == Reader.class) {
            return type.cast(getCharacterStream(i));
        }
        if (tokenized(i)) {
            return type.cast(tokenAs(i, type, "getObject(" + type.getSimpleName() + ".class)"));
        }
        return maskedOr(i, type, "getObject(" + type.getSimpleName() + ".class)", () -> delegate.getObject(i, type));
    }

    public byte[] getBytes(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getBytes(i);
        }
        if (tokenized(i)) {
            Object token = tokenObject(i);
            if (token == null || token instanceof String) {
                return token == null ? null : ((String) token).getBytes(StandardCharsets.UTF_8);
            }
            throw tokenRefused(i, "getBytes", "only text tokens have a byte form");
        }
        if (textual[i]) {
            String text = getString(i);
            return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
        }
        return maskedOr(i, byte[].class, "getBytes", () -> delegate.getBytes(i));
    }

    public Reader getCharacterStream(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getCharacterStream(i);
        }
        String text = getString(i);
        return text == null ? null : new StringReader(text);
    }

    public Reader getNCharacterStream(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getNCharacterStream(i);
        }
        String text = getNString(i);
        return text == null ? null : new StringReader(text);
    }

    public InputStream getAsciiStream(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getAsciiStream(i);
        }
        String text = getString(i);
        return text == null ? null : new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    @SuppressWarnings("deprecation")
    public InputStream getUnicodeStream(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getUnicodeStream(i);
        }
        String text = getString(i);
        return text == null ? null : new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    public InputStream getBinaryStream(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getBinaryStream(i);
        }
        byte[] bytes = getBytes(i);
        return bytes == null ? null : new ByteArrayInputStream(bytes);
    }

    public Clob getClob(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getClob(i);
        }
        String text = getString(i);
        return text == null ? null : new MaskedText(text);
    }

    public NClob getNClob(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getNClob(i);
        }
        String text = getNString(i);
        return text == null ? null : new MaskedText(text);
    }

    public Blob getBlob(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getBlob(i);
        }
        byte[] bytes = getBytes(i);
        return bytes == null ? null : new SerialBlob(bytes);
    }

    public boolean getBoolean(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getBoolean(i);
        }
        if (tokenized(i)) {
            throw tokenRefused(i, "getBoolean", "tokens are never booleans");
        }
        Boolean v = maskedOr(i, Boolean.class, "getBoolean", () -> delegate.getBoolean(i));
        return v != null && v;
    }

    public byte getByte(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getByte(i);
        }
        if (tokenized(i)) {
            Byte v = (Byte) tokenAs(i, Byte.class, "getByte");
            return v == null ? 0 : v;
        }
        Byte v = maskedOr(i, Byte.class, "getByte", () -> delegate.getByte(i));
        return v == null ? 0 : v;
    }

    public short getShort(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getShort(i);
        }
        if (tokenized(i)) {
            Short v = (Short) tokenAs(i, Short.class, "getShort");
            return v == null ? 0 : v;
        }
        Short v = maskedOr(i, Short.class, "getShort", () -> delegate.getShort(i));
        return v == null ? 0 : v;
    }

    public int getInt(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getInt(i);
        }
        if (tokenized(i)) {
            Integer v = (Integer) tokenAs(i, Integer.class, "getInt");
            return v == null ? 0 : v;
        }
        Integer v = maskedOr(i, Integer.class, "getInt", () -> delegate.getInt(i));
        return v == null ? 0 : v;
    }

    public long getLong(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getLong(i);
        }
        if (tokenized(i)) {
            Long v = (Long) tokenAs(i, Long.class, "getLong");
            return v == null ? 0L : v;
        }
        Long v = maskedOr(i, Long.class, "getLong", () -> delegate.getLong(i));
        return v == null ? 0L : v;
    }

    public float getFloat(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getFloat(i);
        }
        if (tokenized(i)) {
            Float v = (Float) tokenAs(i, Float.class, "getFloat");
            return v == null ? 0f : v;
        }
        Float v = maskedOr(i, Float.class, "getFloat", () -> delegate.getFloat(i));
        return v == null ? 0f : v;
    }

    public double getDouble(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getDouble(i);
        }
        if (tokenized(i)) {
            Double v = (Double) tokenAs(i, Double.class, "getDouble");
            return v == null ? 0d : v;
        }
        Double v = maskedOr(i, Double.class, "getDouble", () -> delegate.getDouble(i));
        return v == null ? 0d : v;
    }

    public BigDecimal getBigDecimal(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getBigDecimal(i);
        }
        if (tokenized(i)) {
            return (BigDecimal) tokenAs(i, BigDecimal.class, "getBigDecimal");
        }
        return maskedOr(i, BigDecimal.class, "getBigDecimal", () -> delegate.getBigDecimal(i));
    }

    @SuppressWarnings("deprecation")
    public BigDecimal getBigDecimal(int i, int scale) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getBigDecimal(i, scale);
        }
        BigDecimal v = getBigDecimal(i);
        return v == null ? null : v.setScale(scale, RoundingMode.HALF_UP);
    }

    public Date getDate(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getDate(i);
        }
        if (tokenized(i)) {
            return (Date) tokenAs(i, Date.class, "getDate");
        }
        return maskedOr(i, Date.class, "getDate", () -> delegate.getDate(i));
    }

    public Date getDate(int i, Calendar calendar) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getDate(i, calendar);
        }
        if (tokenized(i)) {
            return tokenDate(i, calendar);
        }
        Object masked = maskedAs(i, java.time.LocalDate.class, "getDate");
        if (masked == CLEAR) {
            lastNull = DRIVER;
            return delegate.getDate(i, calendar);
        }
        return dateIn((java.time.LocalDate) masked, calendar);
    }

    public Time getTime(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getTime(i);
        }
        if (tokenized(i)) {
            return (Time) tokenAs(i, Time.class, "getTime");
        }
        return maskedOr(i, Time.class, "getTime", () -> delegate.getTime(i));
    }

    public Time getTime(int i, Calendar calendar) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getTime(i, calendar);
        }
        if (tokenized(i)) {
            return tokenTime(i, calendar);
        }
        Object masked = maskedAs(i, java.time.LocalTime.class, "getTime");
        if (masked == CLEAR) {
            lastNull = DRIVER;
            return delegate.getTime(i, calendar);
        }
        return timeIn((java.time.LocalTime) masked, calendar);
    }

    public Timestamp getTimestamp(int i) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getTimestamp(i);
        }
        if (tokenized(i)) {
            return (Timestamp) tokenAs(i, Timestamp.class, "getTimestamp");
        }
        return maskedOr(i, Timestamp.class, "getTimestamp", () -> delegate.getTimestamp(i));
    }

    public Timestamp getTimestamp(int i, Calendar calendar) throws SQLException {
        if (passesThrough(i)) {
            return delegate.getTimestamp(i, calendar);
        }
        if (tokenized(i)) {
            return tokenTimestamp(i, calendar);
        }
        Object masked = maskedAs(i, java.time.LocalDateTime.class, "getTimestamp");
        if (masked == CLEAR) {
            lastNull = DRIVER;
            return delegate.getTimestamp(i, calendar);
        }
        return timestampIn((java.time.LocalDateTime) masked, calendar);
    }

    /**
     * The error to throw when the driver failed to read masked column {@code i}: it names the column
     * and its mask and keeps the driver's SQLState and vendor code, but nothing of the driver's message,
     * which may quote the value. An unchecked exception of the driver's (a conversion it did not guard)
     * becomes one of {@value #SQLSTATE_UNMASKABLE} naming only the exception's class (its message may tell
     * of the value's shape).
     */
    public UnmaskableColumnException unreadable(int i, Exception driverError) {
        ColumnMask mask = maskOf(i);
        String state = driverError instanceof SQLException sql ? sql.getSQLState() : SQLSTATE_UNMASKABLE;
        String cause = driverError instanceof SQLException ? "SQLState " + state
                : "the driver failed with " + driverError.getClass().getSimpleName();
        return new UnmaskableColumnException("Column '" + masks.label(i) + "' is masked"
                + (mask == null ? "" : " by " + mask.describe()) + ", and the driver could not read it as requested"
                + " (" + cause + "); read it with getString or getObject",
                state, driverError instanceof SQLException sql ? sql.getErrorCode() : 0);
    }

    /**
     * Refuses a getter that cannot give a masked value (getArray, getRef, getURL, getSQLXML, getRowId)
     * on a masked column; for other columns the driver's value is read as it is, and {@link #wasNull()} asks the driver.
     */
    public void refuseOpaque(int i, String getter) throws SQLException {
        if (passesThrough(i)) {
            return;
        }
        if (tokenized(i)) {
            throw tokenRefused(i, getter, "the token mask has no token for it");
        }
        ColumnMask mask = maskOf(i);
        throw new UnmaskableColumnException("Column '" + masks.label(i) + "' is masked"
                + (mask == null ? "" : " by " + mask.describe())
                + ", and " + getter + " cannot return a masked value; read it with getString or getObject");
    }

    /** A read of the driver's own, for {@link #maskedOr}. */
    @FunctionalInterface
    private interface DriverRead<T> {
        T read() throws SQLException;
    }

    /**
     * Column {@code i}'s value through a getter of {@code type} (any getter but the text ones): {@link #maskedAs}, or,
     * where masking left the value as it was, what the driver's own getter gives ({@code clear}).
     */
    private <T> T maskedOr(int i, Class<T> type, String getter, DriverRead<T> clear) throws SQLException {
        Object masked = maskedAs(i, type, getter);
        if (masked == CLEAR) {
            lastNull = DRIVER;
            return clear.read();
        }
        return type.cast(masked);
    }

    /**
     * Column {@code i}'s masked value as exactly a {@code type}, {@code null} for NULL, or {@link #CLEAR}. The driver
     * reads the value in the column's own type ({@code getObject}, which no value of the column makes fail), the mask
     * masks it in that type, and the masked value is converted exactly or refused. Asking the driver for the clear
     * value in another type ({@code getInt} or {@code getDate} of a text column, {@code getInt} of a bigint) would
     * convert the clear value, which succeeds for some values and fails for others: whether a getter works would tell
     * what kind of value the mask hides. Where a column checked value by value was left as it was (nothing was found in
     * it), the caller sees it in clear through any getter anyway, and {@link #CLEAR} says that the driver's own
     * conversion may be asked; a value a planned mask gave back unchanged is converted as the column's others are.
     *
     * @throws SQLException ({@value #SQLSTATE_UNMASKABLE}) when the masked value has no exact form in {@code type}
     */
    private Object maskedAs(int i, Class<?> type, String getter) throws SQLException {
        Object value = delegate.getObject(i);
        if (value == null) {
            lastNull = WAS_NULL;
            return null;
        }
        Object masked = textual[i] && value instanceof String text ? maskedText(i, text, getter)
                : maskedObject(i, value, getter);
        if (masked == null) {
            return null;
        }
        if (masked == value && value instanceof ResultSet || masked.equals(value) && fixed[i] == null) {
            // a refcursor, masked by its own columns; or a value checked value by value and left as it was (nothing
            // found): clear, the driver converts it. A value a planned mask gave back unchanged (a redacted number
            // that was 0) is converted as every other value of the column is: were the driver asked, whether a getter
            // works would tell which values the mask hid
            return CLEAR;
        }
        if (type.isInstance(masked)) {
            return masked;
        }
        Object plain = masked instanceof Date d ? d.toLocalDate() : masked instanceof Timestamp t ? t.toLocalDateTime()
                : masked instanceof Time t ? t.toLocalTime() : masked;
        Object converted = converted(plain, type);
        if (converted == null) {
            ColumnMask mask = masks.mask(i);
            throw new UnmaskableColumnException("Column '" + masks.label(i) + "' is masked"
                    + (mask == null ? "" : " by " + mask.describe()) + ", and " + getter + " cannot return it: its masked"
                    + " values are " + kindOf(plain) + ", which have no exact " + type.getSimpleName() + " form, and the"
                    + " clear value is not converted before it is masked; read it with getObject or getString");
        }
        return converted;
    }

    /**
     * A value of the type the mask functions take, masked, in the driver's type again. A result set
     * (a refcursor) is left to the caller, which governs it as a result of its own.
     */
    private Object maskedObject(int i, Object value, String getter) throws SQLException {
        if (value instanceof ResultSet) {
            return value; // a refcursor: handed out as a result set of its own, masked by its own columns' metadata
        }
        if (value instanceof Timestamp t) {
            return maskedTimestamp(i, t);
        }
        if (value instanceof Date d) {
            return maskedDate(i, d);
        }
        if (value instanceof Time t) {
            return maskedTime(i, t);
        }
        if (value instanceof Clob clob) {
            String masked = (String) masked(i, clob.getSubString(1, (int) Math.min(Integer.MAX_VALUE, clob.length())), getter);
            return masked == null ? null : new MaskedText(masked);
        }
        if (value instanceof Blob blob) {
            byte[] masked = (byte[]) masked(i, blob.getBytes(1, (int) Math.min(Integer.MAX_VALUE, blob.length())), getter);
            return masked == null ? null : new SerialBlob(masked);
        }
        return masked(i, value, getter);
    }

    private Date maskedDate(int i, Date value) throws SQLException {
        Object masked = masked(i, value == null ? null : value.toLocalDate(), "getDate");
        return masked == null ? null : Date.valueOf((java.time.LocalDate) masked);
    }

    private Time maskedTime(int i, Time value) throws SQLException {
        Object masked = masked(i, value == null ? null : value.toLocalTime(), "getTime");
        return masked == null ? null : Time.valueOf((java.time.LocalTime) masked);
    }

    private Timestamp maskedTimestamp(int i, Timestamp value) throws SQLException {
        Object masked = masked(i, value == null ? null : value.toLocalDateTime(), "getTimestamp");
        return masked == null ? null : Timestamp.valueOf((java.time.LocalDateTime) masked);
    }

    /**
     * Masks one value of column {@code i}: by its planned mask, or by what a detector finds in it. Kept small (the
     * planned mask's path is the common one) so that the JIT inlines it into the getters' own.
     */
    private Object masked(int i, Object value, String getter) throws SQLException {
        if (value == null) {
            lastNull = WAS_NULL;
            return null;
        }
        MaskFunction function = fixed[i];
        return function != null ? maskedBy(i, function, null, value, getter) : maskedChecked(i, value, getter);
    }

    /**
     * {@code value} masked by {@code function}, column {@code i}'s planned mask's, or {@code mask}'s when a detector or
     * sampler found it ({@code null} for the planned one: named only when the value cannot be masked).
     */
    private Object maskedBy(int i, MaskFunction function, ColumnMask mask, Object value, String getter) throws SQLException {
        Object masked;
        try {
            masked = function.mask(value, buffers[i]);
        } catch (UnmaskableValueException e) {
            throw unmaskable(i, mask == null ? masks.mask(i) : mask, getter, e);
        }
        maskedValues++;
        lastNull = masked == null ? WAS_NULL : NOT_NULL;
        return masked;
    }

    /** {@link #masked} of a column without a planned mask for the whole result: sampled or checked value by value. */
    private Object maskedChecked(int i, Object value, String getter) throws SQLException {
        ColumnMask mask = masks.mask(i);
        boolean check = masks.detectsValues(i) || samplers[i] != null;
        if (mask == null && samplers[i] != null) {
            mask = sample(i, value);
        }
        if (mask == null && check) {
            mask = maskForValue(identity, value);
            if (also != null) {
                mask = planner.stricter(mask, maskForValue(also, value));
            }
        }
        if (mask == null) {
            lastNull = NOT_NULL;
            return value;
        }
        Object masked = maskedBy(i, mask.masking(), mask, value, getter);
        masks.maskedOne(i);
        return masked;
    }

    /**
     * The mask a detector finds for {@code value}: for an SQL array (H2's {@code ARRAY[email]}, {@code ARRAY_AGG(email)}),
     * the strictest of its elements', which no mask function can mask inside the array, so the getter is refused.
     */
    private ColumnMask maskForValue(Identity who, Object value) throws SQLException {
        Object elements = value instanceof java.sql.Array array ? array.getArray() : value;
        if (!(elements instanceof Object[] items)) {
            return planner.maskForValue(who, value);
        }
        ColumnMask strictest = null;
        for (Object item : items) {
            strictest = planner.stricter(strictest, maskForValue(who, item));
        }
        return strictest;
    }

    private SQLException unmaskable(int i, ColumnMask mask, String getter, UnmaskableValueException e) {
        String message = "Column '" + masks.label(i) + "' is masked by " + mask.describe() + ", and "
                + getter + " cannot return it masked: " + e.getMessage();
        return mask.masking() instanceof TokenMasker.TokenMask
                ? new UnmaskableColumnException(message, SQLSTATE_TOKEN_REFUSED, 0)
                : new UnmaskableColumnException(message);
    }

    // ---- the token mask: one token per cell, the same through every getter, in the getter's type or refused ----

    /** Whether column {@code i} is masked by the {@code token} mask. */
    private boolean tokenized(int i) {
        return tokenized[i];
    }

    /**
     * Column {@code i}'s token, in the type the driver's {@code getObject} gives the column's values in
     * ({@code java.sql.Date} for a DATE, say): made once per cell from that value, so every getter
     * converts the same token. A value the mask has no token for (a boolean, a floating point number,
     * a time of day, an array, bytes) is refused.
     */
    private Object tokenObject(int i) throws SQLException {
        if (tokenIn[i] == row) {
            Object cached = tokenCache[i];
            lastNull = cached == null ? WAS_NULL : NOT_NULL;
            return cached;
        }
        Object value = delegate.getObject(i);
        if (value instanceof Clob clob) {
            value = clob.getSubString(1, (int) Math.min(Integer.MAX_VALUE, clob.length()));
        } else if (value instanceof ResultSet || value instanceof java.sql.Array || value instanceof Blob || value instanceof byte[]) {
            throw tokenRefused(i, "a getter", "the token mask has no token for " + (value instanceof ResultSet ? "a cursor"
                    : value instanceof java.sql.Array ? "an array" : "bytes"));
        }
        Object token = maskedObject(i, value, "getObject");
        if (samplers[i] == null) {
            tokenCache[i] = token;
            tokenIn[i] = row;
        }
        return token;
    }

    /** Column {@code i}'s token as text: what {@code getObject} gives, as a string. */
    private String tokenText(int i) throws SQLException {
        Object token = tokenObject(i);
        return token == null ? null : token instanceof BigDecimal d ? d.toPlainString() : token.toString();
    }

    /**
     * Column {@code i}'s token in {@code type}: the same token, converted exactly (a whole number to a
     * wider number, a date to the start of its day, a timestamp to its date or time), or refused
     * (42501) when the token has no exact form in that type (a text token as a number, a number that
     * does not fit).
     */
    private Object tokenAs(int i, Class<?> type, String getter) throws SQLException {
        Object token = tokenObject(i);
        if (token == null) {
            return null;
        }
        if (type == Object.class) {
            return token;
        }
        Object plain = token instanceof Date d ? d.toLocalDate() : token instanceof Timestamp t ? t.toLocalDateTime() : token;
        Object converted = converted(plain, type);
        if (converted == null) {
            throw tokenRefused(i, getter, "its tokens are " + kindOf(plain) + ", which have no exact " + type.getSimpleName()
                    + " form" + (plain instanceof Number ? " for this token" : ""));
        }
        return converted;
    }

    private static String kindOf(Object token) {
        if (token instanceof String) {
            return "text";
        }
        if (token instanceof Number) {
            return "numbers";
        }
        if (token instanceof java.time.LocalDate) {
            return "dates";
        }
        if (token instanceof java.time.LocalDateTime) {
            return "timestamps";
        }
        return token instanceof java.util.UUID ? "UUIDs" : "values of another type";
    }

    /** {@code token} ({@code String}, a whole number, a decimal, a UUID, a date or a timestamp) as exactly a {@code type}, or {@code null}. */
    private static Object converted(Object token, Class<?> type) {
        if (type.isInstance(token)) {
            return token;
        }
        if (token instanceof java.time.LocalTime time) {
            return type == Time.class ? Time.valueOf(time) : null;
        }
        if ((token instanceof Double v && !Double.isFinite(v)) || (token instanceof Float f && !Float.isFinite(f))) {
            return type == Double.class ? ((Number) token).doubleValue() : type == Float.class ? ((Number) token).floatValue() : null;
        }
        if (type == String.class) {
            return token instanceof BigDecimal d ? d.toPlainString() : token.toString();
        }
        if (token instanceof Number n) {
            BigDecimal d = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
            try {
                if (type == Long.class) {
                    return d.longValueExact();
                }
                if (type == Integer.class) {
                    return d.intValueExact();
                }
                if (type == Short.class) {
                    return d.shortValueExact();
                }
                if (type == Byte.class) {
                    return d.byteValueExact();
                }
                if (type == java.math.BigInteger.class) {
                    return d.toBigIntegerExact();
                }
                if (type == BigDecimal.class || type == Number.class) {
                    return d;
                }
            } catch (ArithmeticException doesNotFit) {
                return null;
            }
            if (type == Double.class) {
                double v = d.doubleValue();
                return Double.isFinite(v) && new BigDecimal(v).compareTo(d) == 0 ? v : null;
            }
            if (type == Float.class) {
                float v = d.floatValue();
                return Float.isFinite(v) && new BigDecimal(v).compareTo(d) == 0 ? v : null;
            }
            return null;
        }
        if (token instanceof java.util.UUID) {
            return type == java.util.UUID.class ? token : null;
        }
        java.time.LocalDateTime at = token instanceof java.time.LocalDate day ? day.atStartOfDay()
                : token instanceof java.time.LocalDateTime t ? t : null;
        if (at == null) {
            return null;
        }
        if (type == java.time.LocalDate.class) {
            return at.toLocalDate();
        }
        if (type == Date.class) {
            return Date.valueOf(at.toLocalDate());
        }
        if (type == java.time.LocalDateTime.class) {
            return at;
        }
        if (type == Timestamp.class) {
            return Timestamp.valueOf(at);
        }
        if (token instanceof java.time.LocalDateTime) {
            if (type == java.time.LocalTime.class) {
                return at.toLocalTime();
            }
            if (type == Time.class) {
                return Time.valueOf(at.toLocalTime());
            }
        }
        return null;
    }

    private Date tokenDate(int i, Calendar calendar) throws SQLException {
        return dateIn((java.time.LocalDate) tokenAs(i, java.time.LocalDate.class, "getDate"), calendar);
    }

    private Timestamp tokenTimestamp(int i, Calendar calendar) throws SQLException {
        return timestampIn((java.time.LocalDateTime) tokenAs(i, java.time.LocalDateTime.class, "getTimestamp"), calendar);
    }

    private Time tokenTime(int i, Calendar calendar) throws SQLException {
        return timeIn((java.time.LocalTime) tokenAs(i, java.time.LocalTime.class, "getTime"), calendar);
    }

    /** A masked date as the driver would give it with {@code calendar}: that day's start in the calendar's zone. */
    private static Date dateIn(java.time.LocalDate day, Calendar calendar) {
        return day == null ? null : calendar == null ? Date.valueOf(day)
                : new Date(day.atStartOfDay(calendar.getTimeZone().toZoneId()).toInstant().toEpochMilli());
    }

    private static Timestamp timestampIn(java.time.LocalDateTime at, Calendar calendar) {
        return at == null ? null : calendar == null ? Timestamp.valueOf(at)
                : Timestamp.from(at.atZone(calendar.getTimeZone().toZoneId()).toInstant());
    }

    private static Time timeIn(java.time.LocalTime time, Calendar calendar) {
        return time == null ? null : calendar == null ? Time.valueOf(time)
                : new Time(java.time.LocalDate.EPOCH.atTime(time).atZone(calendar.getTimeZone().toZoneId()).toInstant().toEpochMilli());
    }

    /** The refusal of a getter that cannot give a tokenized column's token: 42501, naming the column and the mask, never the value. */
    private SQLException tokenRefused(int i, String getter, String why) {
        return new UnmaskableColumnException("Column '" + masks.label(i) + "' is masked by " + masks.mask(i).describe() + ", and "
                + getter + " cannot return its token: " + why + "; read it with getObject or getString, or give the column "
                + "another mask (redact, bucket, year) in the policy", SQLSTATE_TOKEN_REFUSED, 0);
    }

    /**
     * Shows a value to the column's sampler. Once it settles, the column's mask is decided again with
     * the tags the values earned, for the rest of this result and, through the classifier, for later ones.
     */
    private ColumnMask sample(int i, Object value) {
        ValueSampler sampler = samplers[i];
        sampler.observe(value);
        if (!sampler.isSettled()) {
            return null;
        }
        samplers[i] = null;
        ColumnMask decided = planner.maskForColumn(identity, masks.sampledAs(i), masks.dialect());
        if (also != null) {
            decided = planner.stricter(decided, planner.maskForColumn(also, masks.sampledAs(i), masks.dialect()));
        }
        masks.decideAgain(i, decided);
        decided(i);
        return masks.mask(i);
    }

    private static boolean isText(int type) {
        return switch (type) {
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                 Types.CLOB, Types.NCLOB -> true;
            default -> false;
        };
    }
}
