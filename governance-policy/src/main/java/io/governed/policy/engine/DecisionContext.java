package io.governed.policy.engine;

import io.governed.sql.names.NameResolver;

import java.util.Objects;

/**
 * What the engine needs to know about where a statement runs, beyond the identity and the analysis.
 *
 * @param names where the statement's unqualified relation names resolve (the connection's search path,
 *              current schema or current database, as the database reports it)
 */
public record DecisionContext(NameResolver names) {

    private static final DecisionContext NONE = new DecisionContext(NameResolver.unknown());

    public DecisionContext {
        Objects.requireNonNull(names, "names");
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
}
