package io.governed.policy.model;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.policy.pattern.ColumnPattern;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Masks the values of sensitive columns in results: every result column that derives from a column
 * with one of {@code tags}, or matching one of {@code columns}, is shown through {@code function}.
 *
 * <p>For a caller the mask applies to, the masked columns may not leave the database in clear by
 * another way either: copying them into a table is always denied, and filtering, joining, grouping
 * or sorting on them (which lets values be guessed) is denied for the identity kinds in
 * {@code denyInference}. The identity kinds in {@code denyShaping} may not shape what the application's sessions
 * resolve and run either: create schemas, give relations or routines names other schemas hold, store settings for
 * other sessions, or attach code to objects they do not create (a trigger, a rule, a default calling a routine).
 *
 * @param id            unique in the policy
 * @param tags          classification tags whose columns are masked
 * @param columns       column patterns masked directly
 * @param function      the mask function's name ({@code redact}, {@code partial}, {@code email}, …)
 * @param parameters    the function's parameters as written ({@code keep-last: 4}): text, whole numbers
 *                      ({@code Integer}, {@code Long}), other numbers ({@code BigDecimal}) or booleans
 * @param unless        who sees the values in clear, or {@code null} for nobody
 * @param denyInference the kinds of caller that may not use masked columns in WHERE, JOIN, GROUP BY,
 *                      HAVING or ORDER BY
 * @param denyShaping   the kinds of caller that may not shape the names and code other sessions resolve and run
 */
public record Mask(String id, Set<String> tags, List<ColumnPattern> columns, String function,
                   Map<String, Object> parameters, PrincipalCriteria unless, Set<IdentityKind> denyInference,
                   Set<IdentityKind> denyShaping) {

    /** Who may not infer masked values unless the policy says otherwise: agents. */
    public static final Set<IdentityKind> DEFAULT_DENY_INFERENCE = Set.of(IdentityKind.AGENT);

    /**
     * Who may not shape other sessions' names and code unless the policy says otherwise: agents, which share the
     * application's database role without its trust; a migration identity or a service creates schemas, tables and
     * code as its work.
     */
    public static final Set<IdentityKind> DEFAULT_DENY_SHAPING = Set.of(IdentityKind.AGENT);

    public Mask {
        Rule.requireId(id);
        tags = Set.copyOf(tags);
        columns = List.copyOf(columns);
        if (tags.isEmpty() && columns.isEmpty()) {
            throw new IllegalArgumentException("mask '" + id + "' selects no column: give tags or column patterns");
        }
        Objects.requireNonNull(function, "function");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        denyInference = denyInference.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(denyInference));
        denyShaping = denyShaping.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(denyShaping));
    }

    /** A mask that denies shaping other sessions' names and code to agents only (the default). */
    public Mask(String id, Set<String> tags, List<ColumnPattern> columns, String function,
                Map<String, Object> parameters, PrincipalCriteria unless, Set<IdentityKind> denyInference) {
        this(id, tags, columns, function, parameters, unless, denyInference, DEFAULT_DENY_SHAPING);
    }

    /** A mask that denies inference to agents only (the default). */
    public Mask(String id, Set<String> tags, List<ColumnPattern> columns, String function,
                Map<String, ?> parameters, PrincipalCriteria unless) {
        this(id, tags, columns, function, new LinkedHashMap<String, Object>(parameters), unless, DEFAULT_DENY_INFERENCE,
                DEFAULT_DENY_SHAPING);
    }

    /**
     * Whether the caller sees masked values: it is not exempted by {@code unless}. An identity acting on
     * behalf of another never sees more than that one would: the mask applies when it applies to either.
     */
    public boolean appliesTo(Identity identity) {
        if (unless == null || !unless.matches(identity)) {
            return true;
        }
        return identity.onBehalfOf() != null && appliesTo(identity.onBehalfOf());
    }

    /** Whether this caller may not filter, join, group or sort on the columns this mask covers. */
    public boolean deniesInferenceTo(Identity identity) {
        return denyInference.contains(identity.kind());
    }

    /**
     * Whether this caller may not shape what other sessions resolve and run: create schemas, give objects names other
     * schemas hold, store settings, attach code to objects it does not create.
     */
    public boolean deniesShapingTo(Identity identity) {
        return denyShaping.contains(identity.kind());
    }
}
