package io.governed.policy.engine;

import io.governed.sql.RoutineCatalog;

import java.util.Objects;

/**
 * What the engine needs to know about where a statement runs, beyond the identity and the analysis.
 *
 * @param defaultSchema the schema unqualified tables live in (the connection's current schema, as the
 *                      database stores its name), or {@code null} when unknown
 * @param routines      tells the database's built-in routines from user code, beyond the analyser's
 *                      list ({@link RoutineCatalog#NONE} when nothing more is known)
 */
public record DecisionContext(String defaultSchema, RoutineCatalog routines) {

    private static final DecisionContext NONE = new DecisionContext(null);

    public DecisionContext {
        Objects.requireNonNull(routines, "routines");
    }

    /** A context whose routines are known from the analyser's list alone. */
    public DecisionContext(String defaultSchema) {
        this(defaultSchema, RoutineCatalog.NONE);
    }

    /** No context: unqualified tables are matched by their name alone. */
    public static DecisionContext none() {
        return NONE;
    }

    /** Unqualified tables live in {@code schema}. */
    public static DecisionContext defaultSchema(String schema) {
        return new DecisionContext(schema);
    }

    /** This context, with routines told apart by {@code catalog} too. */
    public DecisionContext withRoutines(RoutineCatalog catalog) {
        return new DecisionContext(defaultSchema, catalog);
    }
}
