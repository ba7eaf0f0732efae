package io.governed.jdbc.masking;

import io.governed.classification.QualifiedColumn;
import io.governed.classification.ValueSampler;
import io.governed.classification.ValueSampler.Read;
import io.governed.policy.masking.MaskPlanner;
import io.governed.sql.Dialect;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * The driver's own reads of the columns auto-detection has not classified yet. A value a query computes from such a
 * column ({@code replace(email, '@', ' at ')}, its reverse, its base64) or copies into another table is no value a
 * detector can be trusted to recognise, and a query that chooses its rows settles nothing: so before such a value is
 * handed out or decided on, the driver reads up to twice a sample of the column's values itself, the first of its
 * table's rows as the database reads them, and shows them to the column's sampler ({@link ValueSampler#readOut}).
 * A column that stays unsettled (too few values, or they cannot be read) is read again after
 * {@value #AGAIN_AFTER_SECONDS} seconds at the earliest, not for every statement.
 */
public final class ColumnReads {
    /** How long what a read found of a column that stays unsettled holds before the column is read again. */
    public static final int AGAIN_AFTER_SECONDS = 30;
    private static final long AGAIN_AFTER_NANOS = TimeUnit.SECONDS.toNanos(AGAIN_AFTER_SECONDS);

    private ColumnReads() {
    }

    /** What the latest read of {@code column} found: read now, unless it is settled or was read lately. */
    public static Read classify(MaskPlanner planner, Dialect dialect, QualifiedColumn column, ResultMasks.ColumnValues values) {
        ValueSampler sampler = planner.sampler(column, dialect);
        if (sampler.isSettled()) {
            return Read.SETTLED;
        }
        if (values == ResultMasks.ColumnValues.NONE) {
            return Read.UNREADABLE; // no connection to read through: nothing learnt, nothing to remember
        }
        long now = System.nanoTime();
        Read recent = sampler.readSince(now - AGAIN_AFTER_NANOS);
        if (recent != null) {
            return recent;
        }
        int rows = 2 * sampler.sampleSize();
        java.util.List<Object> read = values.read(column, rows);
        return read == ResultMasks.ColumnValues.NOT_NOW ? Read.UNREADABLE : sampler.readOut(read, rows, now);
    }

    /** What {@link #detectable} gives for a value whose text would say nothing of it (a driver's object): the column is not read. */
    public static final Object NOT_DETECTABLE = new Object();

    /**
     * A value read from the database as auto-detection reads the values a result hands out: a BLOB's bytes, a CLOB's or
     * an XML value's text (the first {@value #LONGEST} characters or bytes), an array's or a structure's elements and a
     * map's keys and values (pgjdbc's hstore) as a list of text; text, numbers, bytes, dates and the drivers' own value
     * types (JSON, intervals, geometric values) as they are; {@link #NOT_DETECTABLE} for any other object, whose {@code
     * toString} would count as a value holding nothing.
     */
    public static Object detectable(Object value) throws SQLException {
        if (value == null || value instanceof CharSequence || value instanceof Number || value instanceof byte[]
                || value instanceof Boolean || value instanceof java.util.Date || value instanceof java.time.temporal.TemporalAccessor
                || value instanceof java.util.UUID || driversValueText(value)) {
            return value; // the drivers' own value types (JSON, intervals, geometric values) are their value's text
        }
        if (value instanceof java.sql.Blob blob) {
            return blob.getBytes(1, (int) Math.min(blob.length(), LONGEST));
        }
        if (value instanceof java.sql.Clob clob) {
            return clob.getSubString(1, (int) Math.min(clob.length(), LONGEST));
        }
        if (value instanceof java.sql.SQLXML xml) {
            return xml.getString();
        }
        Object[] elements = value instanceof java.sql.Array array ? asArray(array.getArray())
                : value instanceof java.sql.Struct struct ? struct.getAttributes()
                : value instanceof java.util.Map<?, ?> map ? keysAndValues(map) // pgjdbc's hstore
                : value instanceof Object[] items ? items : null;
        if (elements == null) {
            return NOT_DETECTABLE;
        }
        StringBuilder text = new StringBuilder();
        for (Object element : elements) {
            Object inner = detectable(element);
            if (inner == NOT_DETECTABLE) {
                return NOT_DETECTABLE;
            }
            String piece = io.governed.classification.DetectableText.of(inner);
            if (piece != null) {
                text.append(text.length() == 0 ? "" : ", ").append(piece);
            }
        }
        return text.toString();
    }

    private static final int LONGEST = 65_536;

    /** A map's keys and values, in its order: key, value, key, value. */
    private static Object[] keysAndValues(java.util.Map<?, ?> map) {
        Object[] out = new Object[2 * map.size()];
        int i = 0;
        for (java.util.Map.Entry<?, ?> entry : map.entrySet()) {
            out[i++] = entry.getKey();
            out[i++] = entry.getValue();
        }
        return out;
    }

    /**
     * Whether {@code value} is one of the drivers' own value types, whose text is the value's (pgjdbc's {@code PGobject},
     * {@code PGInterval} and geometric types, Connector/J's geometry types, H2's {@code Interval}), not a description of
     * an object such as a result set's.
     */
    private static boolean driversValueText(Object value) {
        String type = value.getClass().getName();
        return type.startsWith("org.postgresql.util.PG") || type.startsWith("org.postgresql.geometric.")
                || type.startsWith("org.mariadb.jdbc.type.") || type.equals("org.h2.api.Interval");
    }

    private static Object[] asArray(Object array) {
        if (array instanceof Object[] items) {
            return items;
        }
        if (array == null || !array.getClass().isArray()) {
            return null;
        }
        Object[] boxed = new Object[java.lang.reflect.Array.getLength(array)];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = java.lang.reflect.Array.get(array, i);
        }
        return boxed;
    }

    /**
     * What the latest read of {@code column} found, as {@link #classify}, a column whose values could not be read told
     * apart from a name its table does not have, as {@code tables} lists the table's columns: a name a query's analysis
     * could not place ({@code max(total)} in a subquery over {@code orders}, beside {@code customers} outside it) counts
     * as each table's, and the one without it holds nothing. Remembered as the reads are.
     */
    public static Read classify(MaskPlanner planner, Dialect dialect, QualifiedColumn column, ResultMasks.ColumnValues values,
                                ResultMasks.TableColumns tables) throws SQLException {
        Read read = classify(planner, dialect, column, values);
        if (read != Read.UNREADABLE || values == ResultMasks.ColumnValues.NONE || column.table() == null) {
            return read;
        }
        java.util.List<QualifiedColumn> listed = tables.of(column.schema(), column.table());
        if (listed == null) {
            return read; // not a base table the catalog lists (a view, say): its values could not be read
        }
        for (QualifiedColumn c : listed) {
            if (dialect.sameName(c.column(), column.column())) {
                return read;
            }
        }
        planner.sampler(column, dialect).notAColumn(System.nanoTime());
        return Read.NOT_A_COLUMN;
    }

    /**
     * Why a value computed from {@code column} is not handed out after a read found {@code read}, or {@code null} when it
     * may be (settled: its tags decide; the whole column read and none of its values recognised).
     */
    static String unproven(QualifiedColumn column, Read read) {
        return switch (read) {
            case SETTLED, FEW_NONE_RECOGNISED, NOT_A_COLUMN -> null;
            case FEW_RECOGNISED -> "column " + column + " holds values auto-detection recognises, too few yet to classify it";
            case NOT_SETTLED -> "auto-detection has not classified column " + column + " yet (too few of its values are set)";
            case UNREADABLE -> "auto-detection has not classified column " + column + " yet, and its values could not be read"
                    + " to classify it";
        };
    }
}
