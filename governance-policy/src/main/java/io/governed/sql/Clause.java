package io.governed.sql;

/**
 * Where in a statement a column is referenced. {@link #SET} and {@link #INSERT} name the columns a
 * statement writes; {@link #VALUE} the columns read to compute what it writes there
 * ({@code UPDATE t SET a = b}: {@code a} is SET, {@code b} is VALUE). {@link #ROWS} holds the columns
 * that decide how many rows a set-returning function gives ({@code generate_series(1, x)}, {@code unnest(a)}):
 * a count of those rows answers a question about them, as a WHERE would.
 */
public enum Clause {
    SELECT, WHERE, JOIN, GROUP_BY, HAVING, ORDER_BY, ROWS, SET, VALUE, INSERT, RETURNING, OTHER
}
