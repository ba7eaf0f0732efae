package io.governed.policy.testing;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.sql.Dialect;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One policy test: an identity runs a statement, and the policy is expected to decide so.
 *
 * @param source   the file or classpath resource the case was read from
 * @param line     the line the case starts at (1-based)
 * @param name     the case's name, or its statement when it has none
 * @param identity who runs the statement
 * @param sql      the statement
 * @param dialect  the dialect it is analysed in
 * @param schema   the schema unqualified tables are in, or {@code null} for the dialect's usual one
 * @param tables   the columns of relations, keyed by {@code schema.name} or {@code name} (any schema): what proves
 *                 a write's bound resting on an unqualified name inside a subquery, as the driver's catalog would
 * @param expected what the policy should decide
 */
public record PolicyCase(String source, int line, String name, Identity identity, String sql, Dialect dialect,
                         String schema, Map<String, List<String>> tables, Expected expected) {

    public PolicyCase {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(expected, "expected");
        Map<String, List<String>> copy = new java.util.LinkedHashMap<>();
        (tables == null ? Map.<String, List<String>>of() : tables).forEach((t, c) -> copy.put(t, List.copyOf(c)));
        tables = java.util.Collections.unmodifiableMap(copy);
    }

    /** A case that declares no relation's columns. */
    public PolicyCase(String source, int line, String name, Identity identity, String sql, Dialect dialect,
                      String schema, Expected expected) {
        this(source, line, name, identity, sql, dialect, schema, Map.of(), expected);
    }

    /** {@code source:line}, where the case is written. */
    public String location() {
        return source + ":" + line;
    }

    /**
     * What a case expects. Everything but the decision is checked only when the case gives it.
     *
     * @param decision   the effect: allow, deny or pending_approval
     * @param rules      the ids of the rules that decided, in any order ({@code []}: none, the policy's default
     *                   decided); {@code null}: not checked
     * @param masked     the result columns (by label) that are masked, each with the id of the mask expected
     *                   (a {@code null} id: any mask); every other column must be clear; {@code null}: not checked
     * @param rowFilters the ids of the row filters applied to the statement, in any order; {@code null}: not checked
     * @param reason     text the decision's reason must contain; {@code null}: not checked
     * @param wouldDeny  the ids of the rules in observe mode that would deny the statement ({@code []}: none
     *                   would); {@code null}: not checked
     */
    public record Expected(Decision.Effect decision, List<String> rules, Map<String, String> masked,
                           List<String> rowFilters, String reason, List<String> wouldDeny) {
        public Expected {
            Objects.requireNonNull(decision, "decision");
            rules = rules == null ? null : List.copyOf(rules);
            masked = masked == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(masked));
            rowFilters = rowFilters == null ? null : List.copyOf(rowFilters);
            wouldDeny = wouldDeny == null ? null : List.copyOf(wouldDeny);
        }
    }
}
