package io.governed.jdbc.pipeline;

import io.governed.classification.QualifiedColumn;
import io.governed.identity.Identity;
import io.governed.jdbc.masking.ColumnReads;
import io.governed.policy.engine.PolicyEngine;
import io.governed.policy.masking.MaskPlanner;
import io.governed.sql.Clause;
import io.governed.sql.ColumnRef;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;

import java.util.HashSet;
import java.util.Set;

/**
 * Stage 2, before the decision, with auto-detection on: the columns a statement names that auto-detection has not
 * classified yet are classified first, from values the driver reads of them itself ({@link ColumnReads}), so that the
 * decision and the masks know their tags. Otherwise a column is classified only by plain reads of it that choose no
 * rows, and until one comes the column is nothing to the decision: {@code INSERT INTO notes SELECT replace(email, '@',
 * ' at ') FROM customers} would copy every address, re-encoded, into a table whose plain reads then settle as holding
 * none; {@code WHERE email LIKE 'a%'} would test a column the mask's {@code deny-inference} covers once it is tagged.
 * Each column is read once while it stays unsettled per {@value ColumnReads#AGAIN_AFTER_SECONDS} seconds at most, and
 * never once it is settled; statements of callers no mask applies to read nothing.
 */
public final class ColumnClassificationStage extends PipelineStage {
    private final PolicyEngine engine;
    private final MaskPlanner planner;

    /** @param engine the policy's engine; the stage is registered only when its masks detect values ({@link #needed}) */
    public ColumnClassificationStage(PolicyEngine engine) {
        this.engine = engine;
        this.planner = engine.maskPlanner();
    }

    /** Whether a policy with this engine needs the stage: it masks someone and auto-detects. */
    public static boolean needed(PolicyEngine engine) {
        return engine != null && engine.maskPlanner().masksAnyone() && engine.maskPlanner().detectsValues();
    }

    @Override
    public void enter(Execution execution) {
        Identity identity = execution.identity();
        if (identity == null || !planner.masksAnythingFor(identity)) {
            return;
        }
        if (execution.analysis() == null || !execution.analysis().parsed()) {
            return;
        }
        // the names as the decision will see them (the resolution is remembered for it): a name the session cannot place
        // for certain is each relation it could be, each of whose columns is read
        SqlAnalysis analysis = execution.names() == null ? execution.analysis() : SessionStage.resolved(engine, execution);
        Set<QualifiedColumn> seen = null;
        for (StatementAnalysis statement : analysis.statements()) {
            for (ColumnRef ref : statement.columns()) {
                if (ref.allColumns() || ref.clause() == Clause.INSERT || ref.clause() == Clause.SET) {
                    continue; // a whole row is redacted as it is; the columns a write names as its targets carry no value yet
                }
                if (ref.table() != null) {
                    if (statement.tablesRead().contains(ref.table()) || statement.tablesWritten().contains(ref.table())) {
                        seen = classify(execution, MaskPlanner.qualified(ref.table(), ref.column(), null), seen);
                    }
                    continue;
                }
                // a name the analysis could not place: a column of any table the statement reads that may have it (a
                // table the catalog shows without it holds nothing of it, and a failed read of it would count as a
                // column whose values could not be read)
                for (TableRef table : statement.tablesRead()) {
                    if (mayHave(execution, table, ref.column())) {
                        seen = classify(execution, MaskPlanner.qualified(table, ref.column(), null), seen);
                    }
                }
            }
        }
    }

    /** Whether the table may have a column of that name: unless the session's catalog lists its columns without it. */
    private static boolean mayHave(Execution execution, TableRef table, String column) {
        if (execution.names() == null || table.schema() == null) {
            return true;
        }
        Set<String> columns = execution.names().current().columns(table.schema(), table.name());
        if (columns == null) {
            return true;
        }
        for (String name : columns) {
            if (execution.dialect().sameName(name, column)) {
                return true;
            }
        }
        return false;
    }

    private Set<QualifiedColumn> classify(Execution execution, QualifiedColumn column, Set<QualifiedColumn> seen) {
        if (planner.sampler(column, execution.dialect()).isSettled()) {
            return seen;
        }
        if (seen == null) {
            seen = new HashSet<>();
        }
        if (seen.add(column)) {
            ColumnReads.classify(planner, execution.dialect(), column, execution.columnValues());
        }
        return seen;
    }
}
