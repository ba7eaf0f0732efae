package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.model.Rule;
import io.governed.policy.pattern.TablePattern;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;

import java.util.BitSet;
import java.util.List;

/**
 * The outcome of checking every access of an analysis against the rules: which forbids matched,
 * which permits allowed, and the first access no permit covered.
 *
 * @param forbids     forbid rules that matched some access, in policy order
 * @param forbidden   the first access a forbid matched, or {@code null}
 * @param permits     permit rules that matched some access, in policy order
 * @param unpermitted the first access no permit matched, or {@code null} when every access is permitted
 *
 * <p>A permit covers a statement with an {@linkplain io.governed.sql.Trait#escape() escape trait} (file
 * access, program execution, dynamic SQL, a privilege change, a server setting) only when it names the
 * trait in its {@code when: { traits: […] }} or permits every action.
 */
record RuleEvaluation(List<Rule> forbids, Access forbidden, List<Rule> permits, Access unpermitted) {

    /**
     * Checks every access of every statement: each must be permitted; any matching forbid is recorded.
     * A table name that could resolve to several schemas is one access per schema (see
     * {@link io.governed.sql.names.AnalysisResolution}), so each must be permitted, and a forbid on any applies.
     * An access to a table that a partition or inheritance child is one of ({@link Access#withRelatives}) is checked
     * like any other: a forbid on the parent denies reading the partition, and a partition needs the permits its parent
     * needs. An access to a partition or child beneath the table a statement names is checked against the forbids only:
     * a forbid on the partition denies reading the parent, whose permit covers it. An access to an unknown relative is
     * covered by every forbid of its action, and permitted only by a permit of its action on every table.
     */
    static RuleEvaluation evaluate(RuleIndex index, Identity identity, SqlAnalysis analysis, List<Access> accesses,
                                   String defaultSchema) {
        Dialect dialect = analysis.dialect();
        BitSet forbids = new BitSet();
        BitSet permits = new BitSet();
        Access forbidden = null;
        Access unpermitted = null;
        for (Access access : accesses) {
            for (int position : index.forbids(access.action())) {
                if (matches(index.rule(position), identity, analysis, access, defaultSchema, dialect, false)) {
                    forbids.set(position);
                    forbidden = forbidden == null ? access : forbidden;
                }
            }
            boolean permitted = access.beneath(); // a partition's rows read through its parent's name: the parent's permit
            for (int position : index.permits(access.action())) {
                Rule permit = index.rule(position);
                if (permit.coversEscapes(access.statement().traits())
                        && matches(permit, identity, analysis, access, defaultSchema, dialect, true)) {
                    permits.set(position);
                    permitted = true;
                }
            }
            if (!permitted && unpermitted == null) {
                unpermitted = access;
            }
        }
        return new RuleEvaluation(index.rulesAt(forbids), forbidden, index.rulesAt(permits), unpermitted);
    }

    /**
     * @param certainly whether the rule must cover the access's table whatever schema it is in (a permit),
     *                  or may cover it in some schema it could be in (a forbid)
     */
    private static boolean matches(Rule rule, Identity identity, SqlAnalysis analysis, Access access, String defaultSchema,
                                   Dialect dialect, boolean certainly) {
        if (access.unseenBody()) {
            // what a routine whose body cannot be read does: its statement is not known
            boolean covered = certainly ? rule.actions().contains(access.action()) && (access.table() == null
                    ? coversEveryTable(rule) : rule.certainlyCovers(access.action(), access.table(), defaultSchema, dialect))
                    : rule.covers(access.action(), access.table(), defaultSchema, dialect);
            return covered && rule.appliesTo(identity)
                    && (certainly ? rule.when().holdsForEveryStatement(analysis, identity)
                    : rule.when().mayHold(analysis, identity));
        }
        return (access.sequence() ? rule.actions().contains(access.action()) && (certainly || coversEveryTable(rule))
                : certainly && access.unknownRelative() ? rule.actions().contains(access.action()) && coversEveryTable(rule)
                : certainly ? rule.certainlyCovers(access.action(), access.table(), defaultSchema, dialect)
                : rule.covers(access.action(), access.table(), defaultSchema, dialect))
                && rule.appliesTo(identity)
                && rule.when().holds(analysis, access.statement(), identity);
    }

    /** Whether one of the rule's resources is every table ({@code *}): what permits a table that cannot be told. */
    private static boolean coversEveryTable(Rule rule) {
        return coversEveryTable(rule.resources());
    }

    /** Whether one of {@code resources} (a rule's or an approval's) is every table ({@code *}). */
    static boolean coversEveryTable(List<TablePattern> resources) {
        for (TablePattern resource : resources) {
            if (resource.matchesEveryTable()) {
                return true;
            }
        }
        return false;
    }
}
