package io.governed.jdbc.pipeline;

import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.SqlText;
import io.governed.jdbc.session.SessionNames;
import io.governed.policy.engine.DecisionContext;
import io.governed.policy.engine.PolicyEngine;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.names.NameResolver;

import java.sql.SQLException;

/**
 * Stage 2b, right after the decision: the session's name resolution. The decision resolved the
 * statement's unqualified names against the connection's session as it stands
 * ({@link io.governed.jdbc.session.SessionState}); this stage keeps that resolved analysis on the
 * {@link Execution} (the masks are planned on it, so they see the same tables as the rules), and,
 * for a statement that runs now, tells the session, which marks itself to be read again when the
 * statement may change it ({@code SET search_path}, {@code USE}, DDL, a routine call, …).
 */
public final class SessionStage extends PipelineStage {
    private final PolicyEngine engine;

    /** @param engine the policy engine that decided, or {@code null} when another decision function decides */
    public SessionStage(PolicyEngine engine) {
        this.engine = engine;
    }

    @Override
    public void enter(Execution execution) {
        SessionNames names = execution.names();
        if (names == null) {
            return;
        }
        SqlAnalysis resolved = engine == null ? execution.analysis() : resolved(engine, execution);
        execution.resolvedAnalysis(resolved);
        if (execution.callKind() == CallKind.BATCH) {
            if (execution.runs()) {
                names.batched(resolved);
            }
            return;
        }
        names.settledThenRunning(resolved, execution.runs()); // a batch before this statement has run, or was abandoned
    }

    /**
     * The statement's analysis with its names resolved by {@code engine} as the session resolves them now, remembered on
     * the statement's text for its next run under the same session state.
     */
    static SqlAnalysis resolved(PolicyEngine engine, Execution execution) {
        SqlText text = execution.analysedSql();
        SqlAnalysis analysis = execution.analysis();
        NameResolver current = execution.currentNames();
        SqlAnalysis resolved = text.rememberedResolution(engine, analysis, current);
        if (resolved == null) {
            resolved = engine.resolved(analysis, DecisionContext.of(current));
            text.rememberResolution(engine, analysis, current, resolved);
        }
        return resolved;
    }

    @Override
    public void completed(Execution execution) {
        settleBatch(execution);
        ran(execution);
        ended(execution);
    }

    @Override
    public SQLException failed(Execution execution, SQLException failure) {
        settleBatch(execution);
        ran(execution);
        ended(execution);
        return failure;
    }

    /**
     * The statement (or batch) ran or failed: a connection open beside a transaction SQL ended is closed
     * ({@link io.governed.jdbc.session.SessionState#statementEnded}).
     */
    private static void ended(Execution execution) {
        if (execution.names() instanceof io.governed.jdbc.session.SessionState session) {
            session.statementEnded();
        }
    }

    /** A statement (not a batch entry) that may have changed the session ran: the session is read again after it. */
    private static void ran(Execution execution) {
        if (execution.callKind() != CallKind.BATCH && execution.names() != null && execution.resolvedAnalysis() != null) {
            execution.names().ran(execution.resolvedAnalysis());
        }
    }

    /**
     * A batch entry refused (by any stage, the decision's included) abandons the batch: nothing of it runs, so the
     * session is as it was, and names resolve again (an entry before it that may change the session had made every
     * name unknown, and the next statement, decided before this stage, would have been judged by that).
     */
    @Override
    public void refused(Execution execution, SQLException refusal) {
        settleBatch(execution);
    }

    private static void settleBatch(Execution execution) {
        if (execution.callKind() == CallKind.BATCH && execution.names() != null) {
            execution.names().settled();
        }
    }
}
