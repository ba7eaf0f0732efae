package io.governed.jdbc.pipeline;

import io.governed.jdbc.GovernanceException;
import io.governed.policy.Decision;
import io.governed.policy.engine.PolicyEngine;
import io.governed.sql.RowFilterRewriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Row filters: after the decision, a statement of a caller some row filters restrict is rewritten so that
 * every reference to a filtered table sees only the rows the filters admit ({@link RowFilterRewriter}); the
 * identity's values are bound as parameters. The wrapper runs the rewrite in place of the SQL, as a prepared
 * statement; the decision (and so the audit event) names the filters applied.
 *
 * <p>Fails closed: a statement on a filtered table that cannot be rewritten for certain, that needs an identity
 * attribute the caller lacks, or that comes through a JDBC call that cannot run a rewrite yet (a prepared
 * statement, {@code execute}, a batch, generated keys, an updatable result's row write) is denied, naming the filter.
 */
public final class RowFilterStage implements StatementStage {
    private final PolicyEngine engine;

    public RowFilterStage(PolicyEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    @Override
    public void enter(Execution execution) throws GovernanceException {
        List<RowFilterRewriter.Filter> filters = engine.rowFiltersFor(execution.identity(), execution.dialect());
        if (filters.isEmpty()) {
            return;
        }
        RowFilterRewriter.Rewrite rewrite;
        try {
            rewrite = RowFilterRewriter.rewrite(execution.analysedSql().sql(), execution.dialect(), filters,
                    execution.identity());
        } catch (RowFilterRewriter.RefusedException refused) {
            throw denied(refused.filters(), "it touches a row-filtered table and " + refused.getMessage()
                    + "; nothing was sent to the database");
        }
        if (rewrite == null) {
            return;
        }
        if (!execution.acceptsRewrite()) {
            throw denied(rewrite.filters(), "row-filtered statements run through Statement.executeQuery, executeUpdate and "
                    + "executeLargeUpdate (without generated keys) for now, not through " + execution.callKind()
                    + "; nothing was sent to the database");
        }
        Decision allowed = execution.decision();
        List<String> rules = new ArrayList<>(allowed.rules());
        rewrite.filters().stream().filter(id -> !rules.contains(id)).forEach(rules::add);
        execution.decision(Decision.allow(rules, allowed.reason()));
        execution.rowFilterRewrite(rewrite);
    }

    private static GovernanceException denied(List<String> filters, String why) {
        return new GovernanceException(Decision.deny(filters, "Statement denied by row filter"
                + (filters.size() == 1 ? " " : "s ") + String.join(", ", filters) + ": " + why));
    }
}
