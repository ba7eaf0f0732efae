package io.governed.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * One column a query produces, as seen by whoever selects from it (an outer query, a CTE reference,
 * a derived table).
 *
 * @param label         its normalised label
 * @param lineage       where its values come from
 * @param aggregateOnly a count-like aggregate that reveals no source value
 * @param star          it stands for {@code *} or {@code t.*}: its width is unknown
 * @param expansion     for a star over relations whose columns are known (derived tables, CTEs), the
 *                      columns it stands for (base tables' parts as stars of their own); {@code null} otherwise
 */
record OutputColumn(String label, Lineage lineage, boolean aggregateOnly, boolean star, List<OutputColumn> expansion) {

    OutputColumn(String label, Lineage lineage, boolean aggregateOnly, boolean star) {
        this(label, lineage, aggregateOnly, star, null);
    }

    /** The columns with every star that knows its columns replaced by them, so names and positions line up. */
    static List<OutputColumn> flatten(List<OutputColumn> columns) {
        if (columns.stream().noneMatch(c -> c.expansion() != null)) {
            return columns;
        }
        List<OutputColumn> flat = new ArrayList<>();
        for (OutputColumn c : columns) {
            if (c.expansion() != null) {
                flat.addAll(flatten(c.expansion()));
            } else {
                flat.add(c);
            }
        }
        return flat;
    }
}
