package io.governed.jdbc.support;

import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every getter of a result set gives for a column, as text: the value, or the messages of the
 * exception the getter threw (which must not leak a value either). For leak checks.
 */
public final class EveryGetter {
    private EveryGetter() {
    }

    /** Every getter's text for every column of every remaining row, each as {@code "row.label.getter=text"}. */
    public static List<String> ofAllRows(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> out = new ArrayList<>();
        int row = 0;
        while (rs.next()) {
            row++;
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String label = md.getColumnLabel(i);
                for (Map.Entry<String, String> e : of(rs, i, label).entrySet()) {
                    out.add(row + "." + label + "." + e.getKey() + "=" + e.getValue());
                }
            }
        }
        return out;
    }

    /** What each getter gives for column {@code i} of the current row. */
    public static Map<String, String> of(ResultSet rs, int i, String label) {
        Map<String, String> out = new LinkedHashMap<>();
        read(out, "getString", () -> rs.getString(i));
        read(out, "getString(label)", () -> rs.getString(label));
        read(out, "getNString", () -> rs.getNString(i));
        read(out, "getObject", () -> rs.getObject(i));
        read(out, "getObject(label)", () -> rs.getObject(label));
        read(out, "getObject(String)", () -> rs.getObject(i, String.class));
        read(out, "getObject(Long)", () -> rs.getObject(i, Long.class));
        read(out, "getObject(map)", () -> rs.getObject(i, Map.of()));
        read(out, "getBytes", () -> rs.getBytes(i));
        read(out, "getCharacterStream", () -> rs.getCharacterStream(i));
        read(out, "getNCharacterStream", () -> rs.getNCharacterStream(i));
        read(out, "getAsciiStream", () -> rs.getAsciiStream(i));
        read(out, "getBinaryStream", () -> rs.getBinaryStream(i));
        read(out, "getClob", () -> rs.getClob(i));
        read(out, "getNClob", () -> rs.getNClob(i));
        read(out, "getBlob", () -> rs.getBlob(i));
        read(out, "getArray", () -> rs.getArray(i));
        read(out, "getInt", () -> rs.getInt(i));
        read(out, "getLong", () -> rs.getLong(i));
        read(out, "getBigDecimal", () -> rs.getBigDecimal(i));
        read(out, "getDouble", () -> rs.getDouble(i));
        read(out, "getDate", () -> rs.getDate(i));
        read(out, "getTimestamp", () -> rs.getTimestamp(i));
        read(out, "getSQLXML", () -> rs.getSQLXML(i));
        read(out, "getObject(byte[])", () -> rs.getObject(i, byte[].class));
        return out;
    }

    @FunctionalInterface
    private interface Getter {
        Object get() throws Exception;
    }

    private static void read(Map<String, String> out, String name, Getter getter) {
        try {
            out.put(name, text(getter.get()));
        } catch (Exception refused) {
            out.put(name + "!", String.join(" | ", ExceptionTexts.of(refused)));
        }
    }

    /** A getter's value as text: streams, LOBs, arrays, XML, structs and nested cursors read out in full. */
    public static String text(Object value) throws Exception {
        if (value == null) {
            return "";
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (value instanceof Reader reader) {
            StringBuilder b = new StringBuilder();
            char[] buffer = new char[256];
            for (int n; (n = reader.read(buffer)) > 0; ) {
                b.append(buffer, 0, n);
            }
            return b.toString();
        }
        if (value instanceof InputStream in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (value instanceof Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        if (value instanceof Blob blob) {
            return new String(blob.getBytes(1, (int) blob.length()), StandardCharsets.UTF_8);
        }
        if (value instanceof Array array) {
            Object elements = array.getArray();
            return elements instanceof Object[] objects ? Arrays.deepToString(objects) : primitiveArray(elements);
        }
        if (value instanceof java.sql.SQLXML xml) {
            return xml.getString();
        }
        if (value instanceof java.sql.Struct struct) {
            return Arrays.deepToString(struct.getAttributes());
        }
        if (value instanceof ResultSet cursor) {
            StringBuilder b = new StringBuilder();
            while (cursor.next()) {
                for (int c = 1; c <= cursor.getMetaData().getColumnCount(); c++) {
                    b.append(cursor.getString(c)).append('|');
                }
            }
            return b.toString();
        }
        if (value instanceof Object[] objects) {
            return Arrays.deepToString(objects);
        }
        return primitiveArray(value);
    }

    /**
     * An array of primitives by its elements ({@code [1.5, 2.0]}), as {@code Arrays.toString} gives them; any other
     * value by its {@code toString}. A primitive array's own {@code toString} ({@code [F@5b49ebb2}) shows its identity
     * hash instead of its elements: digits that change from run to run and hide what the caller was given.
     */
    private static String primitiveArray(Object value) {
        if (value == null || !value.getClass().isArray()) {
            return String.valueOf(value);
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) {
            b.append(i == 0 ? "" : ", ").append(java.lang.reflect.Array.get(value, i));
        }
        return b.append(']').toString();
    }
}
