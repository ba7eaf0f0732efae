package io.governed.sql;

import java.util.List;
import java.util.Objects;

/**
 * One column of a query's result, with the lineage of its values.
 *
 * @param position       1-based position in the select list as written ({@code *} counts as one)
 * @param label          the column's label (its alias, or the column name), normalised
 * @param sources        every base-table column its values derive from
 * @param allColumnsOf   for {@code *} and {@code t.*}: the tables whose columns it expands to; empty otherwise
 * @param unknownLineage true when some of its values come from something the analysis cannot see through
 * @param aggregateOnly  true when it is a count-like aggregate ({@code count(*)}, {@code count(x)}) that reveals no source value
 * @param transformed    true when some of its values are computed from their sources (a function, an operator,
 *                       CASE, a cast, an aggregate) rather than copied from them
 */
public record ResultColumn(int position, String label, List<SourceColumn> sources, List<TableRef> allColumnsOf,
                           boolean unknownLineage, boolean aggregateOnly, boolean transformed) {
    public ResultColumn {
        Objects.requireNonNull(label, "label");
        sources = List.copyOf(sources);
        allColumnsOf = List.copyOf(allColumnsOf);
    }

    /** A column whose values are copied from its sources, not computed. */
    public ResultColumn(int position, String label, List<SourceColumn> sources, List<TableRef> allColumnsOf,
                        boolean unknownLineage, boolean aggregateOnly) {
        this(position, label, sources, allColumnsOf, unknownLineage, aggregateOnly, false);
    }
}
