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
     *
     * <p>Where the analysis compares names ignoring case (it reads unquoted names folded to lower case), the database
     * may compare aliases exactly: MariaDB with {@code lower_case_table_names=0} reads {@code X.ssn} in
     * {@code SELECT X.ssn FROM a AS x, b AS X} as {@code b}'s, and in a subquery as an enclosing {@code X}'s past the
     * subquery's own {@code x}. So when several relations, at any level, match the qualifier, it may name any of them
     * and stands for a relation each of whose columns may hold anything any of them exposes.
     */
    Relation resolve(String schema, String qualifier) {
        List<Relation> matches = new ArrayList<>();
        for (Scope s = this; s != null; s = s.parent) {
            for (Relation r : s.relations) {
                if (dialect.sameName(r.name(), qualifier)
                        && (schema == null || r.table() == null || r.table().schema() == null
                            || dialect.sameName(r.table().schema(), schema))) {
                    if (dialect.caseSensitiveNames()) {
                        return r; // the database compares the names as the analysis does: the nearest is the one
                    }
                    matches.add(r);
                }
            }
        }
        if (matches.size() <= 1) {
            return matches.isEmpty() ? null : matches.get(0);
        }
        Lineage any = new Lineage();
        matches.forEach(r -> any.addAll(r.everything()));
        return Relation.opaque(qualifier, any);
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
