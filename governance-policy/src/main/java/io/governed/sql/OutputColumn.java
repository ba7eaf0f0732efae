package io.governed.sql;

/**
 * One column a query produces, as seen by whoever selects from it (an outer query, a CTE reference,
 * a derived table).
 *
 * @param label         its normalised label
 * @param lineage       where its values come from
 * @param aggregateOnly a count-like aggregate that reveals no source value
 * @param star          it stands for {@code *} or {@code t.*}: its width is unknown
 */
record OutputColumn(String label, Lineage lineage, boolean aggregateOnly, boolean star) {
}
