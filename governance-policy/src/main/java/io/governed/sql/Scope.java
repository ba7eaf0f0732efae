package io.governed.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The names visible at one level of a query: the relations of its FROM clause, the CTEs defined so
 * far, and the enclosing query's scope (for correlated subqueries).
 */
final class Scope {

    private final Scope parent;
    private final Dialect dialect;
    private final List<Relation> relations = new ArrayList<>();
    private final Map<String, Relation> ctes;
    /** The select list of this level's query, as far as it has been walked: what MariaDB lets its subqueries name. */
    private List<OutputColumn> selectOutputs = List.of();

    Scope(Scope parent, Dialect dialect) {
        this.parent = parent;
        this.dialect = dialect;
        this.ctes = new TreeMap<>(dialect.caseSensitiveNames() ? null : String.CASE_INSENSITIVE_ORDER);
    }

    Scope parent() {
        return parent;
    }

    List<Relation> relations() {
        return relations;
    }

    void add(Relation relation) {
        relations.add(relation);
    }

    /** The outputs of this level's select list, which grows as its items are walked. */
    void selectOutputs(List<OutputColumn> outputs) {
        selectOutputs = outputs;
    }

    List<OutputColumn> selectOutputs() {
        return selectOutputs;
    }

    void defineCte(Relation cte) {
        ctes.put(cte.name(), cte);
    }

    /** The CTE of that name visible here, or {@code null}. */
    Relation cte(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Relation r = s.ctes.get(name);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /**
     * The relation a qualifier names ({@code u} in {@code u.email}), here or in an enclosing scope.
     * A base table matches by alias, or by its name (and schema, when the qualifier has one).
     */
    Relation resolve(String schema, String qualifier) {
        for (Scope s = this; s != null; s = s.parent) {
            for (Relation r : s.relations) {
                if (dialect.sameName(r.name(), qualifier)
                        && (schema == null || r.table() == null || r.table().schema() == null
                            || dialect.sameName(r.table().schema(), schema))) {
                    return r;
                }
            }
        }
        return null;
    }

    /** The relations an unqualified column may belong to: those of the nearest scope that has any. */
    List<Relation> candidates() {
        for (Scope s = this; s != null; s = s.parent) {
            if (!s.relations.isEmpty()) {
                return s.relations;
            }
        }
        return List.of();
    }
}
