package io.governed.sql;

import java.util.Objects;

/**
 * A base-table column that a result column's values derive from.
 *
 * @param table  the base table, aliases, CTEs and derived tables seen through
 * @param column the column's normalised name
 */
public record SourceColumn(TableRef table, String column) {
    public SourceColumn {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
    }
}
