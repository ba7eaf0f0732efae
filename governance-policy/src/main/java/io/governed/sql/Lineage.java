package io.governed.sql;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Where the values of one expression come from, gathered while it is walked: base-table columns,
 * whole tables (for {@code *} and whole-row references) and whether anything was opaque.
 */
final class Lineage {

    final Set<SourceColumn> sources = new LinkedHashSet<>();
    final Set<TableRef> allColumnsOf = new LinkedHashSet<>();
    boolean unknown;
    /** Some values are computed from their sources (a function, an operator, CASE, a cast), not copied. */
    boolean transformed;

    void addAll(Lineage other) {
        sources.addAll(other.sources);
        allColumnsOf.addAll(other.allColumnsOf);
        unknown |= other.unknown;
        transformed |= other.transformed;
    }

    boolean isEmpty() {
        return sources.isEmpty() && allColumnsOf.isEmpty() && !unknown;
    }
}
