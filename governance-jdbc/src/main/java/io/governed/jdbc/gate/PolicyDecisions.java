package io.governed.jdbc.gate;

import io.governed.policy.Decision;
import io.governed.policy.engine.DecisionContext;
import io.governed.policy.engine.PolicyEngine;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;

import java.util.Objects;

/**
 * Decides with a policy: the statement is analysed (once per {@link SqlText}, and across texts that
 * differ only in literals by the analyser's cache) and the policy engine decides on the analysis.
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

    @Override
    public Decision decide(GateRequest request) {
        SqlAnalysis analysis = request.sql().memoize(analyzer, sql -> analyzer.analyze(sql, request.dialect()));
        DecisionContext context = request.defaultSchema() == null
                ? DecisionContext.none() : DecisionContext.defaultSchema(request.defaultSchema());
        return engine.decide(request.identity(), analysis, context);
    }
}
