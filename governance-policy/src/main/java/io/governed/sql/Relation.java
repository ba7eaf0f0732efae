package io.governed.sql;

import java.util.List;

/**
 * Something a query reads rows from, under the name the query uses for it: a base table, or a
 * derived table, CTE or table function whose columns are known only through their lineage.
 *
 * @param name    the alias (or table name) the query refers to it by, normalised
 * @param table   the base table, or {@code null} for a derived relation
 * @param columns for a derived relation: the columns it produces
 * @param opaque  a relation whose columns the analysis cannot tell apart (a table function, say): each
 *                of them may carry any value of {@code beneath}
 * @param beneath for an opaque relation, the lineage of everything it is computed from
 */
record Relation(String name, TableRef table, List<OutputColumn> columns, boolean opaque, Lineage beneath) {

    static Relation base(String name, TableRef table) {
        return new Relation(name, table, List.of(), false, null);
    }

    static Relation derived(String name, List<OutputColumn> columns) {
        return new Relation(name, null, List.copyOf(OutputColumn.flatten(columns)), false, null);
    }

    /** A relation whose values come from something the analysis cannot see at all. */
    static Relation opaque(String name) {
        return opaque(name, QueryWalker.unknownLineage());
    }

    /** A relation whose columns cannot be told apart, each computed from anything in {@code beneath}. */
    static Relation opaque(String name, Lineage beneath) {
        return new Relation(name, null, List.of(), true, beneath);
    }

    /** The columns {@code alias.*} stands for: a derived relation's own, or one star for a base table or an opaque relation. */
    List<OutputColumn> expansion() {
        if (table != null || opaque) {
            return List.of(new OutputColumn("*", everything(), false, true));
        }
        return columns;
    }

    /** The same relation under another name. */
    Relation renamed(String alias) {
        return new Relation(alias, table, columns, opaque, beneath);
    }

    /** The lineage of everything this relation exposes: what {@code alias.*} or a whole-row reference reveals. */
    Lineage everything() {
        Lineage lineage = new Lineage();
        if (table != null) {
            lineage.allColumnsOf.add(table);
        } else if (opaque) {
            lineage.addAll(beneath);
        } else {
            columns.forEach(c -> lineage.addAll(c.lineage()));
        }
        return lineage;
    }
}
