package io.governed.jdbc.masking;

import io.governed.jdbc.support.ExceptionTexts;

import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Arrays;

/**
 * Everything a caller sees of a statement through the JDBC API, as text: every result set through every getter
 * ({@code getString}, {@code getObject} and what an array, a struct or a driver object holds, {@code getBytes},
 * {@code getCharacterStream}, {@code getAsciiStream}, {@code getArray}, {@code getClob}, {@code getSQLXML},
 * {@code getNString}), update counts, generated keys, the warnings of the result sets and the statement, and every text
 * of an exception (message, next exceptions, causes, suppressed).
 */
final class SeenEverywhere {
    private SeenEverywhere() {
    }

    /** What {@code c} shows of {@code sql} run by {@link Statement#execute(String)}. */
    static String of(Connection c, String sql) {
        return of(c, sql, false);
    }

    /** As {@link #of(Connection, String)}, asking for generated keys when {@code keys}. */
    static String of(Connection c, String sql, boolean keys) {
        StringBuilder out = new StringBuilder();
        try (Statement s = c.createStatement()) {
            boolean more = keys ? s.execute(sql, Statement.RETURN_GENERATED_KEYS) : s.execute(sql);
            for (int i = 0; i < 20; i++) {
                if (more) {
                    try (ResultSet rs = s.getResultSet()) {
                        out.append("rows ").append(rows(rs));
                        warnings(rs.getWarnings(), out);
                    }
                } else {
                    int count = s.getUpdateCount();
                    if (count == -1) {
                        break;
                    }
                    out.append("count ").append(count);
                }
                more = s.getMoreResults();
                out.append("; ");
            }
            if (keys) {
                try (ResultSet rs = s.getGeneratedKeys()) {
                    out.append("keys ").append(rows(rs));
                } catch (SQLException e) {
                    out.append("keys failed ").append(String.join(" / ", ExceptionTexts.of(e)));
                }
            }
            warnings(s.getWarnings(), out);
        } catch (SQLException e) {
            return out.insert(0, "failed: " + e.getSQLState() + " " + e.getMessage() + " ")
                    .append(String.join(" / ", ExceptionTexts.of(e))).toString();
        }
        try {
            warnings(c.getWarnings(), out);
        } catch (SQLException e) {
            out.append(" connection warnings failed ").append(e.getMessage());
        }
        return out.toString();
    }

    static void warnings(SQLWarning w, StringBuilder out) {
        for (int guard = 0; w != null && guard < 100; w = w.getNextWarning(), guard++) {
            out.append(" warning ").append(w.getSQLState()).append(' ').append(w.getMessage());
            for (String t : ExceptionTexts.of(w)) {
                out.append(" / ").append(t);
            }
        }
    }

    static String rows(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        StringBuilder out = new StringBuilder("(");
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            out.append(meta.getColumnLabel(i)).append(' ');
        }
        out.append(')');
        while (rs.next()) {
            out.append('[');
            for (int column = 1; column <= meta.getColumnCount(); column++) {
                int i = column;
                out.append(get(() -> rs.getString(i))).append(" | ")
                        .append(get(() -> object(rs.getObject(i)))).append(" | ")
                        .append(get(() -> {
                            byte[] b = rs.getBytes(i);
                            return b == null ? "null" : new String(b, StandardCharsets.ISO_8859_1);
                        })).append(" | ")
                        .append(get(() -> read(rs.getCharacterStream(i)))).append(" | ")
                        .append(get(() -> read(rs.getAsciiStream(i)))).append(" | ")
                        .append(get(() -> object(rs.getArray(i)))).append(" | ")
                        .append(get(() -> {
                            Clob clob = rs.getClob(i);
                            return clob == null ? "null" : clob.getSubString(1, (int) Math.min(clob.length(), 100000));
                        })).append(" | ")
                        .append(get(() -> {
                            SQLXML x = rs.getSQLXML(i);
                            return x == null ? "null" : x.getString();
                        })).append(" | ")
                        .append(get(() -> rs.getNString(i))).append("; ");
            }
            out.append(']');
        }
        return out.toString();
    }

    private static String object(Object v) throws SQLException {
        if (v == null) {
            return "null";
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        if (v instanceof Array a) {
            StringBuilder out = new StringBuilder("array ");
            out.append(get(() -> {
                Object inner = a.getArray();
                return inner instanceof Object[] items ? Arrays.deepToString(items) : String.valueOf(inner);
            }));
            out.append(" rs ").append(get(() -> {
                try (ResultSet rs = a.getResultSet()) {
                    return rows(rs);
                }
            }));
            return out.toString();
        }
        if (v instanceof Struct s) {
            return "struct " + Arrays.deepToString(s.getAttributes());
        }
        if (v instanceof Object[] items) {
            return Arrays.deepToString(items);
        }
        return v.toString();
    }

    private static String read(Reader r) throws SQLException {
        if (r == null) {
            return "null";
        }
        try (r) {
            StringBuilder out = new StringBuilder();
            char[] buf = new char[4096];
            for (int n; (n = r.read(buf)) > 0; ) {
                out.append(buf, 0, n);
            }
            return out.toString();
        } catch (java.io.IOException e) {
            return "io " + e.getMessage();
        }
    }

    private static String read(InputStream in) {
        if (in == null) {
            return "null";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            return "io " + e.getMessage();
        }
    }

    private interface Getter {
        String get() throws SQLException;
    }

    private static String get(Getter g) {
        try {
            return g.get();
        } catch (SQLException e) {
            return "error " + e.getSQLState() + " " + String.join(" / ", ExceptionTexts.of(e));
        } catch (RuntimeException e) {
            return "error " + e.getClass().getSimpleName() + " " + e.getMessage();
        }
    }
}
