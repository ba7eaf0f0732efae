package io.governed.policy.engine;

/**
 * What the engine needs to know about where a statement runs, beyond the identity and the analysis.
 *
 * @param defaultSchema the schema unqualified tables live in (the connection's current schema, as the
 *                      database stores its name), or {@code null} when unknown
 */
public record DecisionContext(String defaultSchema) {

    private static final DecisionContext NONE = new DecisionContext(null);

    /** No context: unqualified tables are matched by their name alone. */
    public static DecisionContext none() {
        return NONE;
    }

    /** Unqualified tables live in {@code schema}. */
    public static DecisionContext defaultSchema(String schema) {
        return new DecisionContext(schema);
    }
}
