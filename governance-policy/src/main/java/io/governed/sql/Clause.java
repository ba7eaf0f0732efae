package io.governed.sql;

/** Where in a statement a column is referenced. */
public enum Clause {
    SELECT, WHERE, JOIN, GROUP_BY, HAVING, ORDER_BY, SET, INSERT, RETURNING, OTHER
}
