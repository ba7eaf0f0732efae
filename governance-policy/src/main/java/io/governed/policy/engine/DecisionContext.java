package io.governed.policy.engine;

import io.governed.sql.RoutineCatalog;
import io.governed.sql.names.NameResolver;

import java.util.Objects;

/**
 * What the engine needs to know about where a statement runs, beyond the identity and the analysis.
 *
 * @param names    where the statement's unqualified relation names resolve (the connection's search path,
 *                 current schema or current database, as the database reports it)
 * @param routines tells the database's built-in routines from user code, beyond the analyser's
 *                 list ({@link RoutineCatalog#NONE} when nothing more is known)
 * @param binding  the exact statement text and its bound values, which approvals are bound to, or
 *                 {@code null} when unknown (approvals are then bound to the fingerprint and no values)
 */
public record DecisionContext(NameResolver names, RoutineCatalog routines, StatementBinding binding) {

    private static final DecisionContext NONE = new DecisionContext(NameResolver.unknown(), RoutineCatalog.NONE);

    public DecisionContext {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(routines, "routines");
        routines = WithSession.of(routines, names.sessionBuiltIns());
    }

    /**
     * {@code base}, and the routines the session runs as the database's own ({@link NameResolver#sessionBuiltIns}: H2's
     * functions of its compatibility mode), which read no table.
     */
    private record WithSession(RoutineCatalog base, RoutineCatalog session) implements RoutineCatalog {
        static RoutineCatalog of(RoutineCatalog routines, RoutineCatalog session) {
            RoutineCatalog base = routines instanceof WithSession known ? known.base() : routines;
            return session == RoutineCatalog.NONE ? base : new WithSession(base, session);
        }

        @Override
        public boolean isBuiltIn(io.governed.sql.TableRef routine) {
            return base.isBuiltIn(routine) || session.isBuiltIn(routine);
        }

        @Override
        public boolean mayReadTables(io.governed.sql.TableRef routine) {
            return base.isBuiltIn(routine) && base.mayReadTables(routine);
        }

        @Override
        public String shadowedBuiltInIn(String sql) {
            return base.shadowedBuiltInIn(sql);
        }
    }

    /** A context that knows no statement text. */
    public DecisionContext(NameResolver names, RoutineCatalog routines) {
        this(names, routines, null);
    }

    /** A context whose routines are known from the analyser's list alone. */
    public DecisionContext(NameResolver names) {
        this(names, RoutineCatalog.NONE);
    }

    /**
     * No context: an unqualified name could be in any schema, so only a rule covering every schema
     * ({@code *}, {@code orders}, {@code *.orders}) permits it, while a forbid, mask or row filter on
     * that name in any schema applies.
     */
    public static DecisionContext none() {
        return NONE;
    }

    /** Unqualified names certainly resolve to {@code schema} (as the database stores its name). */
    public static DecisionContext defaultSchema(String schema) {
        return new DecisionContext(NameResolver.fixed(schema));
    }

    /** Unqualified names resolve as {@code names} says. */
    public static DecisionContext of(NameResolver names) {
        return names == NameResolver.unknown() ? NONE : new DecisionContext(names);
    }

    /** This context, with routines told apart by {@code catalog} too. */
    public DecisionContext withRoutines(RoutineCatalog catalog) {
        return new DecisionContext(names, catalog, binding);
    }

    /** This context, for the statement {@code binding} describes. */
    public DecisionContext withBinding(StatementBinding binding) {
        return new DecisionContext(names, routines, binding);
    }
}
