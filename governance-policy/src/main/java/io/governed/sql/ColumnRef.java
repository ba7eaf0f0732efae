package io.governed.sql;

import java.util.Objects;

/**
 * One reference to a column.
 *
 * @param table  the table it belongs to, aliases resolved; {@code null} when it cannot be resolved
 * @param column the column's normalised name
 * @param clause where the reference stands
 */
public record ColumnRef(TableRef table, String column, Clause clause) {
    public ColumnRef {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(clause, "clause");
    }
}
