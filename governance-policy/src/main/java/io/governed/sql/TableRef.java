package io.governed.sql;

import java.util.Objects;

/**
 * A table (or view, sequence, schema object) named by a statement, with its name normalised as the
 * database would: unquoted identifiers folded per {@link Dialect}, quoted ones kept exactly.
 *
 * @param schema the schema, or {@code null} when the statement did not name one
 * @param name   the object's name
 */
public record TableRef(String schema, String name) {
    public TableRef {
        Objects.requireNonNull(name, "name");
    }

    /** {@code schema.name}, or {@code name} alone. */
    public String qualifiedName() {
        return schema == null ? name : schema + "." + name;
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}
