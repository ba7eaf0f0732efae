package io.governed.jdbc.gate;

import io.governed.policy.Decision;
import io.governed.jdbc.session.SessionNames;
import io.governed.policy.engine.DecisionContext;
import io.governed.sql.names.NameResolver;
import io.governed.policy.engine.PolicyEngine;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;

import java.util.Objects;

/**
 * Decides with a policy: the statement is analysed (once per {@link SqlText}, and across texts that
 * differ only in literals by the analyser's cache) and the policy engine decides on the analysis;
 * a reusable decision is remembered per text and identity.
 */
public final class PolicyDecisions implements DecisionFunction {
    private final PolicyEngine engine;
    private final SqlAnalyzer analyzer;

    public PolicyDecisions(PolicyEngine engine, SqlAnalyzer analyzer) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
    }

    public PolicyEngine engine() {
        return engine;
    }

    public SqlAnalyzer analyzer() {
        return analyzer;
    }

    /** Whether the call runs the statement now (an approval is used up) or only prepares or translates it. */
    private static boolean runsNow(CallKind callKind) {
        return callKind != CallKind.PREPARE && callKind != CallKind.PREPARE_CALL && callKind != CallKind.NATIVE_SQL;
    }

    /**
     * Decides; a decision the engine calls {@linkplain PolicyEngine#reusable reusable} is remembered
     * on the statement's text, so a prepared statement run again by the same identity is not decided
     * again (a decision that uses up an approval is made anew every time).
     */
    @Override
    public Decision decide(GateRequest request) {
        SqlText sql = request.analysedSql();
        SessionNames session = request.names();
        NameResolver names = session == null ? NameResolver.unknown() : session.current();
        DecisionContext context = DecisionContext.of(names).withRoutines(request.routines()).withBinding(request.binding());
        Decision decision = sql.rememberedDecision(this, request.identity(), names);
        SqlAnalysis analysis = sql.memoize(analyzer, text -> analyzer.analyze(text, request.dialect()));
        if (decision == null) {
            decision = runsNow(request.callKind())
                    ? engine.decide(request.identity(), analysis, context)
                    : engine.check(request.identity(), analysis, context); // prepared, not run: no approval used up
            if (engine.reusable(decision, analysis, context)) {
                sql.rememberDecision(this, request.identity(), names, decision);
            }
        }
        return decision;
    }
}
