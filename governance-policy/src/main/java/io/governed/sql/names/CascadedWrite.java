package io.governed.sql.names;

import io.governed.sql.Action;
import io.governed.sql.TableRef;

import java.util.Objects;

/**
 * A write the database makes on its own when a statement writes another table: the {@code delete} or {@code update} of
 * rows of {@code table} through a foreign key's referential action ({@code ON DELETE CASCADE}, {@code SET NULL},
 * {@code SET DEFAULT}, {@code ON UPDATE …}), or the {@code truncate} of a table that {@code TRUNCATE … CASCADE} empties
 * with the table it names; or the {@code drop} of a relation or routine, or the {@code alter} of a table, that
 * {@code DROP … CASCADE} drops or changes with the object it names.
 *
 * @param action {@code delete}, {@code update}, {@code truncate}, {@code drop} or {@code alter}
 * @param table  the table written, schema-qualified
 */
public record CascadedWrite(Action action, TableRef table) {
    public CascadedWrite {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(table, "table");
    }
}
