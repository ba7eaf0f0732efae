package io.governed.policy.model;

import io.governed.policy.pattern.TablePattern;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.TableRef;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the policy's author declares routines do whose bodies the analysis cannot read ({@code routines} in a policy
 * file): a PostgreSQL function in C or another language, one running dynamic SQL, a MariaDB stored routine or trigger,
 * an H2 Java alias or trigger. A call of such a routine counts as doing what its declaration says, checked as what the
 * statement does itself (permits, forbids, approvals, row filters); without one it counts as doing anything to any
 * table. A routine whose body the analysis reads is judged by its body, whatever a declaration says.
 *
 * @param id       unique in the policy; a decision's reason names it
 * @param routines the routines it declares ({@code schema.routine} patterns; a routine whose schema is not known for
 *                 certain is declared only by a pattern matching every schema)
 * @param does     what a call of one of them does; empty: it reads and writes no table
 */
public record RoutineFootprint(String id, List<TablePattern> routines, List<Effect> does) {

    public RoutineFootprint {
        Objects.requireNonNull(id, "id");
        routines = List.copyOf(routines);
        does = List.copyOf(does);
        if (routines.isEmpty()) {
            throw new IllegalArgumentException("routine declaration '" + id + "' names no routine");
        }
    }

    /**
     * What a call does to tables: {@code actions} on each of {@code tables}, or on any table when {@code tables} is
     * empty ({@code resources: ["*"]}), which only a permit of the action on every table permits.
     *
     * @param actions what is done
     * @param tables  to which tables, each {@code schema.name} as written in the policy (folded when checked, as the
     *                database folds unquoted names); empty: any table
     */
    public record Effect(Set<Action> actions, List<Name> tables) {
        public Effect {
            actions = Set.copyOf(actions);
            tables = List.copyOf(tables);
            if (actions.isEmpty()) {
                throw new IllegalArgumentException("an effect of a routine declaration names no action");
            }
        }

        /** Whether it is on any table. */
        public boolean anyTable() {
            return tables.isEmpty();
        }
    }

    /**
     * A table named in a declaration: its schema and name as written ({@code "Mixed"} quoted keeps its case).
     *
     * @param schema the schema as written
     * @param name   the table's name as written
     */
    public record Name(String schema, String name) {
        public Name {
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(name, "name");
        }

        /** The table as {@code dialect}'s database stores its name. */
        public TableRef in(Dialect dialect) {
            return new TableRef(dialect.normalizeIdentifier(schema), dialect.normalizeIdentifier(name));
        }

        @Override
        public String toString() {
            return schema + "." + name;
        }
    }

    /** Whether it certainly declares {@code routine}, as the analysis names it (qualified when the session resolved it). */
    public boolean declares(TableRef routine, Dialect dialect) {
        for (TablePattern pattern : routines) {
            if (pattern.certainlyMatches(routine, null, dialect)) {
                return true;
            }
        }
        return false;
    }
}
