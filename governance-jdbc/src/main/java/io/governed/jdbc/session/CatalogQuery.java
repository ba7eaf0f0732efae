package io.governed.jdbc.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A catalog query whose two parameters are a relation's (or a routine's) schema and name (or that has none), run on
 * the session's physical connection: the lookups the session readers make on need (a relation's columns, a table's triggers and the
 * foreign keys referencing it, a routine's bodies).
 */
final class CatalogQuery {
    private CatalogQuery() {
    }

    /** What one row of the query stands for. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Each row of {@code query} for {@code schema.name}, as {@code row} reads it, in the query's order. */
    static <T> List<T> rows(Connection physical, String query, String schema, String name, Row<T> row)
            throws SQLException {
        return rows(physical, query, new String[] {schema, name}, row);
    }

    /** Each row of {@code query}, which has no parameters, as {@code row} reads it, in the query's order. */
    static <T> List<T> rows(Connection physical, String query, Row<T> row) throws SQLException {
        return rows(physical, query, new String[0], row);
    }

    private static <T> List<T> rows(Connection physical, String query, String[] parameters, Row<T> row)
            throws SQLException {
        List<T> rows = new ArrayList<>();
        try (PreparedStatement s = physical.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
            }
        }
        return rows;
    }
}
