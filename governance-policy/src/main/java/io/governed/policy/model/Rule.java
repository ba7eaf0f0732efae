package io.governed.policy.model;

import io.governed.identity.Identity;
import io.governed.policy.pattern.TablePattern;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.TableRef;
import io.governed.sql.Trait;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One access rule: who ({@code principals}, minus {@code unless}) may or may not ({@code effect})
 * do what ({@code actions}) to which tables ({@code resources}), under which conditions ({@code when}).
 *
 * @param id         unique in the policy; decisions name it
 * @param effect     permit or forbid
 * @param principals who it applies to; {@link PrincipalCriteria#ANYONE} for everyone
 * @param actions    the statement kinds it covers
 * @param resources  the tables it covers; {@link TablePattern#ANY} for every table
 * @param when       further conditions on the statement
 * @param unless     who is exempt, or {@code null} for nobody
 * @param message    a sentence for the person denied (or allowed), or {@code null}
 */
public record Rule(String id, RuleEffect effect, PrincipalCriteria principals, Set<Action> actions,
                   List<TablePattern> resources, Conditions when, PrincipalCriteria unless, String message) {

    public Rule {
        requireId(id);
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(principals, "principals");
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("rule '" + id + "' names no action: give at least one, or \"*\" for all");
        }
        actions = Set.copyOf(EnumSet.copyOf(actions));
        resources = List.copyOf(resources);
        if (resources.isEmpty()) {
            throw new IllegalArgumentException("rule '" + id + "' names no resource: give at least one table pattern, or \"*\"");
        }
        Objects.requireNonNull(when, "when");
    }

    static void requireId(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("every rule, mask, row filter and approval needs a non-blank id");
        }
    }

    /** A permit rule, to be completed with the builder. */
    public static Builder permit(String id) {
        return new Builder(id, RuleEffect.PERMIT);
    }

    /** A forbid rule, to be completed with the builder. */
    public static Builder forbid(String id) {
        return new Builder(id, RuleEffect.FORBID);
    }

    /** Whether the rule applies to this caller: its principals match and its {@code unless} does not. */
    public boolean appliesTo(Identity identity) {
        return principals.matches(identity) && (unless == null || !unless.matches(identity));
    }

    /** Every action a policy can name: what {@code actions: ["*"]} stands for. */
    private static final Set<Action> EVERY_ACTION = EnumSet.complementOf(EnumSet.of(Action.UNKNOWN));

    /** Whether the rule names every action ({@code actions: ["*"]}). */
    public boolean everyAction() {
        return actions.containsAll(EVERY_ACTION);
    }

    /**
     * Whether this rule, as a permit, may cover a statement with these traits: it must name each of
     * their {@linkplain Trait#escape() escape traits} in {@code when: { traits: […] }}, or permit every action.
     */
    public boolean coversEscapes(Set<Trait> traits) {
        if (everyAction()) {
            return true;
        }
        for (Trait trait : traits) {
            if (trait.escape() && !when.traits().contains(trait)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the rule could cover this action on this table ({@code null}: a statement on no table,
     * which every resource covers): a table whose schema is unknown could be in any schema. What a
     * forbid goes by.
     */
    public boolean covers(Action action, TableRef table, String defaultSchema, Dialect dialect) {
        return covers(action, table, defaultSchema, dialect, false);
    }

    /**
     * Whether the rule certainly covers this action on this table: a table whose schema is unknown is
     * covered only by a resource whose schema part matches every schema. What a permit needs.
     */
    public boolean certainlyCovers(Action action, TableRef table, String defaultSchema, Dialect dialect) {
        return covers(action, table, defaultSchema, dialect, true);
    }

    private boolean covers(Action action, TableRef table, String defaultSchema, Dialect dialect, boolean certainly) {
        if (!actions.contains(action)) {
            return false;
        }
        if (table == null) {
            return true;
        }
        for (TablePattern resource : resources) {
            if (certainly ? resource.certainlyMatches(table, defaultSchema, dialect) : resource.matches(table, defaultSchema, dialect)) {
                return true;
            }
        }
        return false;
    }

    /** Builds a {@link Rule}; principals default to everyone, resources to every table, conditions to none. */
    public static final class Builder {
        private final String id;
        private final RuleEffect effect;
        private PrincipalCriteria principals = PrincipalCriteria.ANYONE;
        private final Set<Action> actions = EnumSet.noneOf(Action.class);
        private final List<TablePattern> resources = new ArrayList<>();
        private Conditions when = Conditions.ALWAYS;
        private PrincipalCriteria unless;
        private String message;

        private Builder(String id, RuleEffect effect) {
            this.id = id;
            this.effect = effect;
        }

        public Builder principals(PrincipalCriteria principals) {
            this.principals = Objects.requireNonNull(principals, "principals");
            return this;
        }

        public Builder actions(Action... actions) {
            this.actions.addAll(Arrays.asList(actions));
            return this;
        }

        /** Every action ({@code "*"}); never {@link Action#UNKNOWN}, which {@code on-unparseable} governs. */
        public Builder anyAction() {
            this.actions.addAll(EnumSet.complementOf(EnumSet.of(Action.UNKNOWN)));
            return this;
        }

        /** Table patterns; see {@link TablePattern#parse}. */
        public Builder resources(String... patterns) {
            for (String pattern : patterns) {
                this.resources.add(TablePattern.parse(pattern));
            }
            return this;
        }

        public Builder when(Conditions when) {
            this.when = Objects.requireNonNull(when, "when");
            return this;
        }

        public Builder unless(PrincipalCriteria unless) {
            this.unless = unless;
            return this;
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        public Rule build() {
            return new Rule(id, effect, principals, actions, resources.isEmpty() ? List.of(TablePattern.ANY) : resources,
                    when, unless, message);
        }
    }
}
