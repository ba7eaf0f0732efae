package io.governed.policy.model;

import io.governed.identity.Identity;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.Trait;

import java.util.EnumSet;
import java.util.Set;

/**
 * A rule's {@code when}: conditions on the statement (and the stated purpose) that must all hold
 * for the rule to apply. A condition left out ({@code null} or empty) always holds.
 *
 * @param where          what must bound the statement, or {@code null}
 * @param multiStatement whether the SQL text must (true) or must not (false) hold several statements, or {@code null}
 * @param traits         the statement has at least one of these traits
 * @param purposes       the caller stated one of these purposes
 */
public record Conditions(WhereCondition where, Boolean multiStatement, Set<Trait> traits, Set<String> purposes) {

    /** No conditions: always holds. */
    public static final Conditions ALWAYS = new Conditions(null, null, Set.of(), Set.of());

    public Conditions {
        traits = traits.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(traits));
        purposes = Set.copyOf(purposes);
    }

    /** Only when the statement has at least one of these traits. */
    public static Conditions traits(Trait... traits) {
        return new Conditions(null, null, Set.of(traits), Set.of());
    }

    /** Only when the statement is bounded as {@code where} says. */
    public static Conditions where(WhereCondition where) {
        return new Conditions(where, null, Set.of(), Set.of());
    }

    /** Only when the text does (or does not) hold several statements. */
    public static Conditions multiStatement(boolean multiStatement) {
        return new Conditions(null, multiStatement, Set.of(), Set.of());
    }

    /**
     * Whether the conditions hold for every statement the analysis' text could run unseen, by this caller: there is
     * none on the statement (its bound, its traits), the text holds several statements or not as they say, and the
     * caller's purpose is one named. What a permit needs to cover what a statement it cannot see does (a routine's body
     * the analysis cannot read).
     */
    public boolean holdsForEveryStatement(SqlAnalysis analysis, Identity identity) {
        return where == null && traits.isEmpty() && mayHold(analysis, identity);
    }

    /**
     * Whether the conditions may hold for some statement the analysis' text could run unseen, by this caller: the text
     * holds several statements or not as they say, and the caller's purpose is one named. What a forbid goes by for what
     * a statement it cannot see does.
     */
    public boolean mayHold(SqlAnalysis analysis, Identity identity) {
        return (multiStatement == null || multiStatement == analysis.multiStatement()) && holdsForPurpose(identity);
    }

    private boolean holdsForPurpose(Identity identity) {
        return purposes.isEmpty() || identity.purpose() != null && purposes.contains(identity.purpose());
    }

    /** Whether every condition holds for this statement of the analysis, run by this caller. */
    public boolean holds(SqlAnalysis analysis, StatementAnalysis statement, Identity identity) {
        if (where != null && !where.matches(statement.where())) {
            return false;
        }
        if (multiStatement != null && multiStatement != analysis.multiStatement()) {
            return false;
        }
        if (!traits.isEmpty() && traits.stream().noneMatch(statement::has)) {
            return false;
        }
        return holdsForPurpose(identity);
    }
}
