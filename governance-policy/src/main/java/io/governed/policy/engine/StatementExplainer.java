package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.Policy;
import io.governed.policy.masking.MaskPlan;
import io.governed.policy.model.AppliedLimits;
import io.governed.sql.Dialect;
import io.governed.sql.RowFilterRewriter;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.StatementAnalysis;

import io.governed.sql.names.NameResolver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides one statement for one identity the way the driver does, without a database: the part of the
 * policy in force decides, the whole policy tells what its parts in observe mode would have decided, an
 * allowed statement is rewritten for the row filters that restrict the caller (or denied, naming them,
 * when it cannot be), and the result columns of an allowed query are planned for masking.
 *
 * <p>What {@code governed-jdbc policy explain} prints and {@code governed-jdbc policy test} checks. Without
 * a database, unqualified tables are taken to be in the default schema, views are judged by their own
 * column names, no table is taken to be a partition or inheritance child of another (rules, masks and row
 * filters on a parent reach its partitions only where the driver reads them from the catalog), and approvals are
 * kept in memory (nothing is ever approved: a statement an approval covers is pending).
 *
 * <p>Thread-safe.
 */
public final class StatementExplainer {

    private final Policy policy;
    private final PolicyEngine engine;
    private final PolicyEngine observer;
    private final SqlAnalyzer analyzer = new SqlAnalyzer(64);

    public StatementExplainer(Policy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.engine = new PolicyEngine(policy.enforcedPart());
        this.observer = policy.observes() ? new PolicyEngine(policy) : null;
    }

    /** The engine of the policy's part in force: its mask planner plans the masks. */
    public PolicyEngine engine() {
        return engine;
    }

    /**
     * The schema an unqualified table is taken to be in: {@code schema} normalised for the dialect when
     * given, else {@code public} on PostgreSQL, {@code PUBLIC} on H2, none on other dialects.
     */
    public static String defaultSchema(Dialect dialect, String schema) {
        if (schema != null) {
            return dialect.normalizeIdentifier(schema);
        }
        return dialect == Dialect.POSTGRESQL ? "public" : dialect.isH2() ? dialect.normalizeIdentifier("public") : null;
    }

    /** What the policy decides for {@code identity} running {@code sql}. */
    public Explanation explain(Identity identity, String sql, Dialect dialect, String schema) {
        return explain(identity, sql, dialect, schema, Map.of());
    }

    /**
     * What the policy decides for {@code identity} running {@code sql}, where the relations {@code tables} names
     * ({@code schema.name}, or {@code name} in any schema) have those columns (as written in SQL: unquoted names fold as
     * the dialect folds them, quoted ones keep their case): what proves a write's bound that rests
     * on an unqualified name inside a subquery ({@code DELETE FROM payments WHERE id IN (SELECT id FROM refunds)}),
     * which without them counts as unbounded, as the driver counts it when its catalog does not have the name.
     */
    public Explanation explain(Identity identity, String sql, Dialect dialect, String schema,
                               Map<String, ? extends Collection<String>> tables) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(tables, "tables");
        SqlAnalysis analysis = analyzer.analyze(sql, dialect);
        String defaultSchema = defaultSchema(dialect, schema);
        Map<String, List<String>> columns = new java.util.HashMap<>();
        tables.forEach((table, written) -> columns.put(table, written.stream().map(dialect::normalizeIdentifier).toList()));
        NameResolver names = NameResolver.withoutInheritance(NameResolver.withColumns(defaultSchema == null
                ? NameResolver.unknown() : NameResolver.fixed(defaultSchema), columns));
        DecisionContext context = DecisionContext.of(names);
        Decision decision = engine.decide(identity, analysis, context);
        Decision wouldBe = observer != null && decision.allowed() ? observer.check(identity, analysis, context) : null;
        if (wouldBe != null && wouldBe.effect() != Decision.Effect.DENY) {
            wouldBe = null;
        }
        RowFilterRewriter.Rewrite rewrite = null;
        if (decision.allowed()) {
            try {
                rewrite = RowFilterRewriter.rewrite(sql, dialect, engine.rowFiltersFor(identity, dialect), identity);
            } catch (RowFilterRewriter.RefusedException refused) {
                decision = Decision.deny(refused.filters(), "Statement denied by row filter " + String.join(", ", refused.filters())
                        + ": it touches a row-filtered table and " + refused.getMessage());
            }
        }
        List<MaskPlan> masks = new ArrayList<>();
        if (decision.allowed() && analysis.parsed()) {
            for (StatementAnalysis statement : analysis.statements()) {
                masks.add(statement.resultColumns().isEmpty() ? MaskPlan.NONE
                        : engine.maskPlanner().plan(identity, statement, defaultSchema, dialect, names));
            }
        }
        return new Explanation(identity, sql, dialect, defaultSchema, analysis, decision, wouldBe, rewrite,
                policy.enforcedPart().limitsFor(identity), masks);
    }

    /**
     * What the policy decides about one statement.
     *
     * @param identity      who runs it
     * @param sql           the statement as given
     * @param dialect       the dialect it was analysed in
     * @param defaultSchema the schema unqualified tables were taken to be in, or {@code null}
     * @param analysis      the analysis
     * @param decision      the decision in force, a refusal by a row filter included
     * @param wouldBe       the denial the parts of the policy in observe mode would have made, or {@code null}
     * @param rewrite       the statement rewritten for row filters, when allowed ({@code null} when denied)
     * @param limits        the limits in force for the identity
     * @param masks         per statement of the analysis, its result columns' masks, when allowed; empty when denied
     */
    public record Explanation(Identity identity, String sql, Dialect dialect, String defaultSchema, SqlAnalysis analysis,
                              Decision decision, Decision wouldBe, RowFilterRewriter.Rewrite rewrite, AppliedLimits limits,
                              List<MaskPlan> masks) {
        public Explanation {
            masks = List.copyOf(masks);
        }

        /** The ids of the row filters the rewrite applied; empty when none did or the statement is denied. */
        public List<String> rowFilters() {
            return rewrite == null ? List.of() : rewrite.filters();
        }
    }
}
