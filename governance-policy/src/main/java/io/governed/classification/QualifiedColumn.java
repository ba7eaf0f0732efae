package io.governed.classification;

import java.util.Objects;

/**
 * A column of a base table (or of a result, when its origin is unknown), named as the database
 * stores it.
 *
 * @param schema the schema, or {@code null} when unknown
 * @param table  the table, or {@code null} when unknown
 * @param column the column
 */
public record QualifiedColumn(String schema, String table, String column) {
    public QualifiedColumn {
        Objects.requireNonNull(column, "column");
    }

    /** A column known only by its name. */
    public static QualifiedColumn named(String column) {
        return new QualifiedColumn(null, null, column);
    }

    /** {@code schema.table.column}, leaving out the parts that are unknown. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (schema != null) {
            b.append(schema).append('.');
        }
        if (table != null) {
            b.append(table).append('.');
        }
        return b.append(column).toString();
    }
}
