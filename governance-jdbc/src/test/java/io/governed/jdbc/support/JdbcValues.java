package io.governed.jdbc.support;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns what a JDBC call returned into plain values that compare with {@code equals}, so a test can
 * assert that the governed driver returned exactly what the raw driver did.
 */
public final class JdbcValues {
    private JdbcValues() {
    }

    /**
     * Runs {@code statements} in turn on one statement of {@code c}; returns the first column of the last one's rows
     * (as {@code getString} gives them), empty when it returned no result set.
     */
    public static List<String> firstColumnOfLast(java.sql.Connection c, String... statements) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            for (String sql : statements) {
                values.clear();
                if (st.execute(sql)) {
                    try (ResultSet rs = st.getResultSet()) {
                        while (rs.next()) {
                            values.add(rs.getString(1));
                        }
                    }
                }
            }
        }
        return values;
    }

    /** Every remaining row of {@code rs}, each column as {@code getObject} gave it (byte arrays as hex). */
    public static List<List<Object>> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
            List<Object> row = new ArrayList<>(md.getColumnCount());
            for (int i = 1; i <= md.getColumnCount(); i++) {
                row.add(comparable(rs.getObject(i)));
            }
            rows.add(row);
        }
        return rows;
    }

    /** The labels and type names of the columns of {@code rs}. */
    public static List<String> columns(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(md.getColumnLabel(i) + ":" + md.getColumnTypeName(i));
        }
        return columns;
    }

    /**
     * Walks every result of an {@code execute} that returned {@code firstIsResultSet}: each result set
     * as {@code "rows " + its rows}, each update count as {@code "count " + n}, in order.
     */
    public static List<String> allResults(Statement statement, boolean firstIsResultSet) throws SQLException {
        List<String> results = new ArrayList<>();
        boolean isResultSet = firstIsResultSet;
        while (true) {
            if (isResultSet) {
                try (ResultSet rs = statement.getResultSet()) {
                    results.add("rows " + rows(rs));
                }
            } else {
                int count = statement.getUpdateCount();
                if (count == -1) {
                    return results;
                }
                results.add("count " + count);
            }
            isResultSet = statement.getMoreResults();
        }
    }

    /** The chain of warnings as {@code "SQLSTATE message"} strings; empty when there is none. */
    public static List<String> warnings(SQLWarning first) {
        List<String> warnings = new ArrayList<>();
        for (SQLWarning w = first; w != null; w = w.getNextWarning()) {
            warnings.add(w.getSQLState() + " " + w.getMessage());
        }
        return warnings;
    }

    private static Object comparable(Object value) {
        return value instanceof byte[] bytes ? "0x" + HexFormat.of().formatHex(bytes) : value;
    }
}
