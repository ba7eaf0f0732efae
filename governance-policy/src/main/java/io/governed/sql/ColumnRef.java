package io.governed.sql;

import java.util.Objects;

/**
 * One reference to a column.
 *
 * @param table  the table it belongs to, aliases resolved; {@code null} when it cannot be resolved
 * @param column the column's normalised name, or {@link #ALL_COLUMNS} for a reference to every column of the
 *               table (a whole-row reference such as {@code t.*}, {@code to_jsonb(t)} or {@code t::text})
 * @param clause where the reference stands
 */
public record ColumnRef(TableRef table, String column, Clause clause) {

    /** The column name of a reference to every column of its table (or, without a table, of every table read). */
    public static final String ALL_COLUMNS = "*";

    public ColumnRef {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(clause, "clause");
    }

    /** Whether it stands for every column of its table. */
    public boolean allColumns() {
        return ALL_COLUMNS.equals(column);
    }
}
