package io.governed.sql.names;

import java.util.List;
import java.util.Objects;

/**
 * Where one unqualified relation name may resolve.
 *
 * @param schemas the schemas (as the database stores their names) the name could resolve to, in the
 *                order the database would look; a rule must permit the relation in every one of them
 * @param certain true when the name can resolve to no other schema; false when it could also be in a
 *                schema not listed (the search path or the catalog could not be read), in which case
 *                only a rule that covers every schema permits it
 */
public record Resolution(List<String> schemas, boolean certain) {

    private static final Resolution UNKNOWN = new Resolution(List.of(), false);

    public Resolution {
        schemas = List.copyOf(schemas);
        schemas.forEach(s -> Objects.requireNonNull(s, "schema"));
    }

    /** Nothing is known: any schema. */
    public static Resolution unknown() {
        return UNKNOWN;
    }

    /** Certainly {@code schema}. */
    public static Resolution in(String schema) {
        return new Resolution(List.of(schema), true);
    }

    /** True when the name certainly resolves to exactly one schema. */
    public boolean unique() {
        return certain && schemas.size() == 1;
    }
}
