package io.governed.jdbc.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What a text gives a caller, and what a table holds, as text: for tests comparing outcomes across connections. */
public final class Outcomes {
    private Outcomes() {
    }

    /** What {@code connection} gives for {@code text}: every getter's text of every row, the update count, or the refusal. */
    public static String of(Connection connection, String text) {
        try (Statement s = connection.createStatement()) {
            if (s.execute(text)) {
                try (ResultSet rs = s.getResultSet()) {
                    return "rows " + EveryGetter.ofAllRows(rs);
                }
            }
            return "count " + s.getUpdateCount();
        } catch (SQLException e) {
            return "refused " + e.getSQLState() + " " + e.getMessage();
        }
    }

    /** The rows {@code sql} reads through {@code raw}, each as {@code [a|b|c]}, separated by spaces. */
    public static String rows(Connection raw, String sql) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                out.append(out.isEmpty() ? "[" : " [");
                for (int i = 1; i <= n; i++) {
                    out.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.append(']');
            }
        }
        return out.toString();
    }
}
