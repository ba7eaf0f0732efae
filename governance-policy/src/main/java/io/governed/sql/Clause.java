package io.governed.sql;

/**
 * Where in a statement a column is referenced. {@link #SET} and {@link #INSERT} name the columns a
 * statement writes; {@link #VALUE} the columns read to compute what it writes there
 * ({@code UPDATE t SET a = b}: {@code a} is SET, {@code b} is VALUE). {@link #ROWS} holds the columns
 * that decide how many rows a set-returning function gives ({@code generate_series(1, x)}, {@code unnest(a)}):
 * a count of those rows answers a question about them, as a WHERE would. {@link #COMPUTED} holds the columns
 * that feed a computation not proven unable to fail on any of their values ({@code 1 / (ascii(ssn) - 49)},
 * {@code CAST(ssn AS DATE)}): whether the statement fails answers a question about them, as a WHERE would.
 * A column recorded there is recorded in its own clause as well. {@link #KEPT} holds the columns read to compute
 * a value the session or the server keeps past the statement ({@code @v := x}, {@code SET @v = x}, a setting's
 * value, {@code LAST_INSERT_ID(x)}, an advisory lock's key): it outlives the statement and its caller, and a pooled
 * connection's next borrower, or another session, reads it. {@link #COMPARED} holds the columns whose values a query
 * compares with other rows' to remove or match duplicates ({@code SELECT DISTINCT}, {@code UNION}, {@code INTERSECT},
 * {@code EXCEPT}) or merges into one column with values of another origin ({@code UNION ALL} of branches, or
 * {@code VALUES} of rows, that differ there), which a later count of distinct values compares: how many rows come back
 * tells whether a value equals another, a guess among them, as a WHERE would. {@link #CONDITION} holds the columns
 * a condition within a value tests ({@code CASE WHEN ssn LIKE '1%' THEN …}, a CASE's operand, a predicate selected as
 * a value), {@link #WINDOW} those of a window's {@code PARTITION BY}, {@code ORDER BY} or frame and of an aggregate's
 * {@code FILTER}, which decide which rows feed a value and in which order, and {@link #COUNTED} those a count of
 * anything but rows or bare columns reads ({@code count(DISTINCT ssn)}, {@code count(CASE …)}): each answers
 * questions about the values, as a WHERE would.
 */
public enum Clause {
    SELECT, WHERE, JOIN, GROUP_BY, HAVING, ORDER_BY, ROWS, CONDITION, WINDOW, COUNTED, COMPUTED, COMPARED, SET, VALUE, KEPT,
    INSERT, RETURNING, OTHER;

    /**
     * Whether a column here decides which rows come back, how many, or in which order ({@code WHERE}, {@code JOIN},
     * {@code GROUP BY}, {@code HAVING}, {@code ORDER BY}, {@link #ROWS}, {@link #CONDITION}, {@link #WINDOW},
     * {@link #COUNTED}): what is tested there answers questions about its values.
     */
    public boolean tests() {
        return switch (this) {
            case WHERE, JOIN, GROUP_BY, HAVING, ORDER_BY, ROWS, CONDITION, WINDOW, COUNTED -> true;
            default -> false;
        };
    }

    /** Whether a column here counts as a filter's: one that {@linkplain #tests() tests}, or {@link #COMPUTED}. */
    public boolean filters() {
        return tests() || this == COMPUTED;
    }
}
