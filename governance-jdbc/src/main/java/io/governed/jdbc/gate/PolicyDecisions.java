package io.governed.jdbc.gate;

import io.governed.policy.Decision;
import io.governed.policy.Policy;
import io.governed.policy.approval.ApprovalStore;
import io.governed.policy.approval.InMemoryApprovalStore;
import io.governed.policy.engine.DecisionContext;
import io.governed.sql.names.NameResolver;
import io.governed.policy.engine.PolicyEngine;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;

import java.util.List;
import java.util.Objects;

/**
 * Decides with a policy: the statement is analysed (once per {@link SqlText}, and across texts that
 * differ only in literals by the analyser's cache) and the policy engine decides on the analysis;
 * a reusable decision is remembered per text and identity.
 */
public final class PolicyDecisions implements DecisionFunction {
    private final PolicyEngine engine;
    private final SqlAnalyzer analyzer;
    /** The whole policy, observed parts included, when some of it is in observe mode; {@code null} otherwise. */
    private final PolicyEngine observer;

    public PolicyDecisions(PolicyEngine engine, SqlAnalyzer analyzer) {
        this(engine, analyzer, null);
    }

    private PolicyDecisions(PolicyEngine engine, SqlAnalyzer analyzer, PolicyEngine observer) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        this.observer = observer;
    }

    /**
     * Decisions of {@code policy}: its {@linkplain Policy#enforcedPart() part in force} decides, and when
     * parts of it are in observe mode ({@code enforcement: observe}) the whole policy is consulted too, so
     * that an allowed statement it would deny carries that {@linkplain Decision#wouldBe() would-be} denial
     * to the audit ({@code would_deny}).
     */
    public static PolicyDecisions of(Policy policy, SqlAnalyzer analyzer) {
        return of(policy, new InMemoryApprovalStore(), analyzer);
    }

    /**
     * As {@link #of(Policy, SqlAnalyzer)}, approval requests kept in {@code approvals}. The whole policy's
     * engine, which only tells what observed parts would have decided, keeps its requests apart (in memory):
     * an observed approval rule never puts a request in front of approvers.
     */
    public static PolicyDecisions of(Policy policy, ApprovalStore approvals, SqlAnalyzer analyzer) {
        return of(policy, approvals, analyzer, java.util.Set.of());
    }

    /**
     * As {@link #of(Policy, ApprovalStore, SqlAnalyzer)}, every statement that reads or writes one of {@code recordTables}
     * (the {@code jdbc:} audit sink's table) or of the approval store's own tables refused.
     */
    public static PolicyDecisions of(Policy policy, ApprovalStore approvals, SqlAnalyzer analyzer,
                                     java.util.Set<String> recordTables) {
        return policy.observes()
                ? new PolicyDecisions(new PolicyEngine(policy.enforcedPart(), approvals, recordTables), analyzer,
                        new PolicyEngine(policy, new InMemoryApprovalStore(), recordTables))
                : new PolicyDecisions(new PolicyEngine(policy, approvals, recordTables), analyzer);
    }

    public PolicyEngine engine() {
        return engine;
    }

    /** The engine of the whole policy, its parts in observe mode included, or {@code null} when none is observed. */
    public PolicyEngine observer() {
        return observer;
    }

    public SqlAnalyzer analyzer() {
        return analyzer;
    }

    /**
     * Decides; a decision the engine calls {@linkplain PolicyEngine#reusable reusable} is remembered
     * on the statement's text, so a prepared statement run again by the same identity is not decided
     * again (a decision that uses up an approval is made anew every time).
     */
    @Override
    public Decision decide(GateRequest request) {
        SqlText sql = request.analysedSql();
        NameResolver names = request.currentNames();
        Decision decision = sql.rememberedDecision(this, request.identity(), names, request.routines());
        if (decision == null) {
            String shadowed = request.routines().shadowedBuiltInIn(sql.sql());
            if (shadowed != null) {
                // remembered like any refusal that depends only on the text and the connection's catalog
                decision = Decision.deny(List.of(), "The statement names " + shadowed + ": a built-in function or "
                        + "operator that a function or operator outside pg_catalog also defines or overloads, a domain "
                        + "whose constraint runs user code, or a type (or a relation or function holding values of "
                        + "one) that a cast of user code converts, so the database may run that code where the "
                        + "analysis sees a built-in, a cast or a column: call a built-in function as "
                        + "pg_catalog.name(...) or a user routine by its schema (which needs a call permission), and "
                        + "replace a cast of user code by a function the statements call by name");
                sql.rememberDecision(this, request.identity(), names, request.routines(), decision);
                return decision;
            }
            DecisionContext context = DecisionContext.of(names).withRoutines(request.routines()).withBinding(request.binding());
            SqlAnalysis analysis = sql.analysis(analyzer, request.dialect());
            decision = request.runs()
                    ? engine.decide(request.identity(), analysis, context)
                    : engine.check(request.identity(), analysis, context); // prepared or batched, not run: none used up
            boolean reusable = engine.reusable(decision, analysis, context);
            if (observer != null && decision.allowed()) {
                Decision wouldBe = observer.check(request.identity(), analysis, context);
                reusable &= observer.reusable(wouldBe, analysis, context);
                if (wouldBe.effect() == Decision.Effect.DENY) {
                    decision = decision.withWouldBe(wouldBe);
                }
            }
            if (reusable) {
                sql.rememberDecision(this, request.identity(), names, request.routines(), decision);
            }
        }
        return decision;
    }
}
