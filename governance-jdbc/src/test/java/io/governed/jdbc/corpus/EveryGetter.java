package io.governed.jdbc.corpus;

import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads one column of the current row through every getter a caller could use. */
final class EveryGetter {
    private EveryGetter() {
    }

    /** What each getter returns for column {@code i}, as text; a getter the driver refuses for the column's type is left out. */
    static Map<String, String> read(ResultSet rs, int i, String label) {
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
            // a getter the driver (or the mask) cannot serve for this column returns nothing to leak
        }
    }

    static String text(Object value) throws Exception {
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
            return elements instanceof Object[] objects ? Arrays.deepToString(objects) : String.valueOf(elements);
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
        return value.toString();
    }
}
