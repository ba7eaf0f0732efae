package io.governed.sql;

import java.util.List;

/**
 * Something a query reads rows from, under the name the query uses for it: a base table, or a
 * derived table, CTE or table function whose columns are known only through their lineage.
 *
 * @param name    the alias (or table name) the query refers to it by, normalised
 * @param table   the base table, or {@code null} for a derived relation
 * @param columns for a derived relation: the columns it produces
 * @param opaque  a relation whose columns the analysis cannot see (a table function, say)
 */
record Relation(String name, TableRef table, List<OutputColumn> columns, boolean opaque) {

    static Relation base(String name, TableRef table) {
        return new Relation(name, table, List.of(), false);
    }

    static Relation derived(String name, List<OutputColumn> columns) {
        return new Relation(name, null, List.copyOf(columns), false);
    }

    static Relation opaque(String name) {
        return new Relation(name, null, List.of(), true);
    }

    /** The lineage of everything this relation exposes: what {@code alias.*} or a whole-row reference reveals. */
    Lineage everything() {
        Lineage lineage = new Lineage();
        if (table != null) {
            lineage.allColumnsOf.add(table);
        } else if (opaque) {
            lineage.unknown = true;
        } else {
            columns.forEach(c -> lineage.addAll(c.lineage()));
        }
        return lineage;
    }
}
