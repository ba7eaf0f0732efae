package io.governed.jdbc.wrapper;

import io.governed.jdbc.GovernanceException;
import io.governed.sql.Dialect;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The statement that {@code updateRow}, {@code insertRow} or {@code deleteRow} of an updatable
 * result set amounts to, so that it passes the gate like the UPDATE, INSERT or DELETE it is:
 * {@code UPDATE t SET a = ?, b = ? WHERE a = ?}, {@code INSERT INTO t (a, b) VALUES (?, ?)},
 * {@code DELETE FROM t WHERE a = ?} over the result's columns of its one base table.
 *
 * <p>A driver that names a column's table without its schema (pgjdbc's {@code getSchemaName} is always empty) writes
 * the table as the query named it, which the session resolves when the write runs: the table is then qualified as the
 * query wrote it ({@link Schemas}), so that {@code SELECT … FROM vault.t} is checked as a write to {@code vault.t}, not
 * to whatever {@code t} the search path finds.
 */
final class RowWriteStatement {

    /** Which row write, or {@code REFRESH}: the read of the current row again ({@code refreshRow}). */
    enum Kind {
        UPDATE, INSERT, DELETE, REFRESH
    }

    private RowWriteStatement() {
    }

    /** The schema a table the driver names without one was named with in the query read, as written. */
    @FunctionalInterface
    interface Schemas {
        /**
         * @return the schema the query wrote {@code table} with, or {@code null} when it wrote the name alone
         * @throws GovernanceException when the query did not name {@code table} exactly once, so the write cannot be told
         */
        String of(String table) throws SQLException;
    }

    /**
     * @throws GovernanceException when the result's columns do not come from exactly one table,
     *                             so the write cannot be checked; it is refused
     */
    static String of(Kind kind, ResultSetMetaData md, Dialect dialect, Schemas schemas) throws SQLException {
        Set<String> tables = new LinkedHashSet<>();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            List<String> table = tableOf(md, i, dialect, schemas);
            if (table != null) {
                tables.add(quoted(table, dialect));
                columns.add(dialect.quoted(md.getColumnName(i)));
            }
        }
        if (tables.size() != 1) {
            throw GovernanceException.failedClosed("The write through this updatable ResultSet was refused: its columns come from "
                    + (tables.isEmpty() ? "no table the driver names" : "several tables " + tables)
                    + ", so governance cannot tell what the write changes. Run an UPDATE, INSERT or DELETE statement instead.",
                    GovernanceException.SQLSTATE_DENIED, null);
        }
        String table = tables.iterator().next();
        String first = columns.get(0);
        switch (kind) {
            case UPDATE:
                return "UPDATE " + table + " SET " + columns.stream().map(c -> c + " = ?").collect(Collectors.joining(", "))
                        + " WHERE " + first + " = ?";
            case INSERT:
                return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                        + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
            case REFRESH:
                return "SELECT " + String.join(", ", columns) + " FROM " + table + " WHERE " + first + " = ?";
            default:
                return "DELETE FROM " + table + " WHERE " + first + " = ?";
        }
    }

    /**
     * Refuses a row write or {@code refreshRow} whose table the driver finds otherwise than from the result's columns.
     * pgjdbc does not write (or read again) the table its metadata names: it takes the word after the first word
     * {@code from} of the query's text, split at white space ({@code PgResultSet.parseQuery}), wherever that word stands:
     * in a comment, a string, a subquery of the select list. The gate checks the statement the write amounts to on the
     * table of the result's columns ({@link #of}), so the write runs only when the driver's word names that very table,
     * with the schema as the query wrote it (or none). Other drivers take the metadata's table: nothing to compare.
     *
     * @param sent the query's text as the driver received it
     * @throws GovernanceException when the driver's table is not, for certain, the one checked
     */
    static void checkDriverTable(String sent, ResultSetMetaData md, Dialect dialect, Schemas schemas) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            return;
        }
        List<String> checked = null;
        for (int i = 1; i <= md.getColumnCount() && checked == null; i++) {
            checked = tableOf(md, i, dialect, schemas);
        }
        String word = pgjdbcTableWord(sent);
        List<String> named = word == null ? null : identifierParts(word);
        if (checked == null || !checked.equals(named)) {
            throw GovernanceException.failedClosed("The write through this updatable ResultSet (or its refreshRow) was"
                    + " refused: the driver finds the table to write or read again from the word after the first 'from' of"
                    + " the query's text (" + (word == null ? "there is none" : "'" + word + "'") + "), which is not for"
                    + " certain the table of the result's columns" + (checked == null ? "" : " (" + String.join(".", checked)
                    + ")") + ", the one governance checked. Write the query so that its first 'from' is its FROM clause"
                    + " naming the table (no 'from' in a comment, a string or the select list before it), or run an"
                    + " UPDATE, INSERT or DELETE statement instead; nothing was sent to the database",
                    GovernanceException.SQLSTATE_DENIED, null);
        }
    }

    /** The word pgjdbc takes for an updatable result's table in {@code sql}: after the first {@code from} (and ONLY), or null. */
    static String pgjdbcTableWord(String sql) {
        java.util.StringTokenizer words = new java.util.StringTokenizer(sql, " \r\t\n");
        while (words.hasMoreTokens()) {
            if (words.nextToken().equalsIgnoreCase("from")) {
                if (!words.hasMoreTokens()) {
                    return null;
                }
                String word = words.nextToken();
                if (word.equalsIgnoreCase("only")) {
                    return words.hasMoreTokens() ? words.nextToken() : null;
                }
                return word;
            }
        }
        return null;
    }

    /**
     * The parts of a possibly qualified PostgreSQL name written as {@code word}, as the database stores them (unquoted
     * parts folded to lower case, quoted ones as written); {@code null} when the word is anything else (a name followed by
     * a comma or a parenthesis, a string, an expression).
     */
    static List<String> identifierParts(String word) {
        List<String> parts = new ArrayList<>(2);
        int i = 0;
        while (true) {
            if (i >= word.length()) {
                return null;
            }
            StringBuilder part = new StringBuilder();
            if (word.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= word.length()) {
                        return null;
                    }
                    char c = word.charAt(i++);
                    if (c == '"') {
                        if (i < word.length() && word.charAt(i) == '"') {
                            part.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        part.append(c);
                    }
                }
                if (part.length() == 0) {
                    return null;
                }
            } else {
                char c = word.charAt(i);
                if (!(Character.isLetter(c) || c == '_')) {
                    return null;
                }
                while (i < word.length() && (Character.isLetterOrDigit(word.charAt(i)) || word.charAt(i) == '_'
                        || word.charAt(i) == '$')) {
                    char next = word.charAt(i++);
                    part.append(next >= 'A' && next <= 'Z' ? (char) (next + ('a' - 'A')) : next); // as PostgreSQL folds
                }
            }
            parts.add(part.toString());
            if (i == word.length()) {
                return parts;
            }
            if (word.charAt(i) != '.' || parts.size() == 3) {
                return null;
            }
            i++;
        }
    }

    /**
     * {@code INSERT INTO t (c1, c2, …) VALUES (?, ?, …)} of the result's columns {@code columns} (1-based, in order):
     * those given on an insert row, the {@code n}-th column's value the {@code n}-th parameter.
     *
     * @throws GovernanceException when the result's columns do not come from exactly one table
     */
    static String insertOf(ResultSetMetaData md, Dialect dialect, List<Integer> columns, Schemas schemas)
            throws SQLException {
        of(Kind.INSERT, md, dialect, schemas); // refuses a result of several tables, or of none
        String table = null;
        List<String> names = new ArrayList<>();
        for (int i : columns) {
            List<String> named = table == null ? tableOf(md, i, dialect, schemas) : null;
            if (named != null) {
                table = quoted(named, dialect);
            }
            names.add(dialect.quoted(md.getColumnName(i)));
        }
        if (table == null) {
            throw GovernanceException.failedClosed("The write through this updatable ResultSet was refused: the columns "
                    + "given on its insert row come from no table the driver names, so governance cannot tell what the "
                    + "write changes. Run an INSERT statement instead.", GovernanceException.SQLSTATE_DENIED, null);
        }
        return "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
                + names.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    }

    /**
     * The table of the result's {@code column}-th column as the write names it: the schema (the driver's, MariaDB's
     * database, or as the query wrote it; absent when it wrote the name alone) and the name; {@code null} when the
     * driver names no table for the column (a computed one).
     */
    private static List<String> tableOf(ResultSetMetaData md, int column, Dialect dialect, Schemas schemas)
            throws SQLException {
        String table = md.getTableName(column);
        if (table == null || table.isEmpty()) {
            return null;
        }
        String schema = md.getSchemaName(column);
        if ((schema == null || schema.isEmpty()) && dialect == Dialect.MARIADB) {
            schema = md.getCatalogName(column); // MariaDB's databases are its schemas
        }
        if (schema == null || schema.isEmpty()) {
            schema = schemas.of(table);
        }
        return schema == null || schema.isEmpty() ? List.of(table) : List.of(schema, table);
    }

    /** {@code schema.table} or {@code table}, each part quoted as the dialect quotes a name. */
    private static String quoted(List<String> parts, Dialect dialect) {
        return parts.stream().map(dialect::quoted).collect(Collectors.joining("."));
    }
}
