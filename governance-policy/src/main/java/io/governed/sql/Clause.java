package io.governed.sql;

/**
 * Where in a statement a column is referenced. {@link #SET} and {@link #INSERT} name the columns a
 * statement writes; {@link #VALUE} the columns read to compute what it writes there
 * ({@code UPDATE t SET a = b}: {@code a} is SET, {@code b} is VALUE).
 */
public enum Clause {
    SELECT, WHERE, JOIN, GROUP_BY, HAVING, ORDER_BY, SET, VALUE, INSERT, RETURNING, OTHER
}
