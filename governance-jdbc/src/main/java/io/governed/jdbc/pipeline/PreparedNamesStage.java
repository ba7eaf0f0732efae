package io.governed.jdbc.pipeline;

import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.SqlText;
import io.governed.jdbc.session.PreparedNames;
import io.governed.jdbc.session.SessionState;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.PreparedStatementNames;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.Trait;

import java.util.Set;

/**
 * Stage 1, last part: statements prepared by name through the governed connection, and run by name. PostgreSQL's
 * {@code PREPARE name [(types)] AS statement} and MariaDB's {@code PREPARE s FROM '…'} (one plain string) are decided
 * on the statement they prepare, which the analysis reads; once such a {@code PREPARE} succeeded, the session's
 * {@link PreparedNames} keeps the name with that statement's text. An {@code EXECUTE name [(constants)]} (MariaDB
 * {@code EXECUTE s [USING @v | constant, …]}) of a name kept there is from then on the statement the name holds
 * ({@link Execution#runsByName}): decided for the identity that runs it now, its rows filtered (or refused where a
 * filter would have to rewrite it), its results masked by that statement's lineage, approvals bound to it, and audited
 * as {@code EXECUTE p -- prepared as: …}. An {@code EXECUTE} of a name not kept (prepared past governance, from a
 * variable, before the session was reset) is left as it is: SQL the analysis does not see.
 *
 * <p>Placed after {@link SessionLeftoversStage}, whose reset of the session for another identity forgets every name.
 * Forgetting, in {@link BeforeRun} (after every stage that may refuse the statement, before it runs): the name a
 * {@code DEALLOCATE [PREPARE] name} drops (every name for {@code ALL} or a name not read for certain), on MariaDB the
 * name a {@code PREPARE} is about to replace (MariaDB drops it first, and keeps none when the new one fails), and every
 * name before any statement that may leave something in the session or run code the analysis does not see (a routine,
 * a trigger, a view calling one, dynamic SQL, a batch), which could prepare a name again. Fail closed: forgetting a name
 * only refuses its {@code EXECUTE} to a caller a mask applies to.
 */
public final class PreparedNamesStage extends PipelineStage {

    /** The statements PostgreSQL's {@code PREPARE} takes, and the only ones kept here on either database. */
    private static final Set<Action> PREPARABLE = Set.of(Action.SELECT, Action.INSERT, Action.UPDATE, Action.DELETE,
            Action.MERGE);

    @Override
    public void enter(Execution execution) {
        if (!(execution.names() instanceof SessionState session) || !byNameDialect(execution.dialect())
                || !substitutable(execution)) {
            return;
        }
        if (execution.dialect() == Dialect.MARIADB) {
            PreparedStatementNames.Prepare prepare = singlePrepare(execution);
            if (prepare != null && prepare.statement() != null
                    && !prepare.name().equals(PreparedStatementNames.UNKNOWN_NAME)) {
                // decided as the statement its string holds, which the analysis of the text as written never sees
                execution.analysedAs(new SqlText("PREPARE `" + prepare.name().replace("`", "``") + "` AS "
                        + prepare.statement()));
                return;
            }
        }
        String name = PreparedStatementNames.executed(execution.sql().sql(), execution.dialect());
        if (name == null || name.equals(PreparedStatementNames.UNKNOWN_NAME)) {
            return;
        }
        PreparedNames.Entry prepared = session.preparedNames().find(name);
        if (prepared != null) {
            execution.runsByName(prepared);
        }
    }

    /** A {@code PREPARE} whose statement the analysis read ran: its name is kept with that statement. */
    @Override
    public void completed(Execution execution) {
        if (!execution.runs() || !(execution.names() instanceof SessionState session)
                || !byNameDialect(execution.dialect()) || execution.byName() != null
                || execution.callKind() == CallKind.BATCH) {
            return;
        }
        PreparedStatementNames.Prepare prepare = singlePrepare(execution);
        if (prepare == null || prepare.statement() == null || prepare.name().equals(PreparedStatementNames.UNKNOWN_NAME)) {
            return;
        }
        SqlText statement = new SqlText(prepare.statement());
        if (preparable(execution.analysisOf(statement))) {
            session.preparedNames().prepared(prepare.name(), statement);
        }
    }

    /** The forgetting part, placed after every stage that may still refuse the statement. */
    public static final class BeforeRun extends PipelineStage {
        @Override
        public void enter(Execution execution) {
            if (!execution.runs() || !(execution.names() instanceof SessionState session)
                    || !byNameDialect(execution.dialect())) {
                return;
            }
            PreparedNames names = session.preparedNames();
            if (execution.byName() == null && execution.callKind() != CallKind.BATCH) {
                PreparedStatementNames.Prepare prepare = singlePrepare(execution);
                if (prepare != null) {
                    if (execution.dialect() == Dialect.MARIADB) {
                        forget(names, prepare.name()); // MariaDB drops the name first, and keeps none if this fails
                    }
                    return; // PostgreSQL's PREPARE of a name there is fails, and the name keeps its statement
                }
                String dropped = single(execution) ? PreparedStatementNames.deallocated(execution.sql().sql(),
                        execution.dialect()) : null;
                if (dropped != null) {
                    forget(names, dropped);
                    return;
                }
            }
            if (execution.callKind() == CallKind.BATCH || SessionLeftoversStage.leaves(execution.analysis())
                    || execution.mayRunCodeThroughRelations(session)) {
                names.forgetAll(); // code the analysis does not see could drop and prepare a name again
            }
        }

        private static void forget(PreparedNames names, String name) {
            if (name.equals(PreparedStatementNames.ALL) || name.equals(PreparedStatementNames.UNKNOWN_NAME)) {
                names.forgetAll();
            } else {
                names.forget(name);
            }
        }
    }

    private static boolean byNameDialect(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL || dialect == Dialect.MARIADB;
    }

    /**
     * Whether the call can run a statement by name as the statement it holds: a statement run or prepared as written
     * (not a batch, a call, a row write of an updatable result set), without generated keys or updatable results,
     * whose SQL as analysed would be another than what runs.
     */
    private static boolean substitutable(Execution execution) {
        CallKind kind = execution.callKind();
        return (kind == CallKind.QUERY || kind == CallKind.UPDATE || kind == CallKind.EXECUTE || kind == CallKind.PREPARE)
                && !execution.generatedKeys().requested() && !execution.resultsUpdatable() && execution.rowWrite() == null;
    }

    /** Whether the text as written is one statement the analysis read. */
    private static boolean single(Execution execution) {
        SqlAnalysis written = execution.analysisOf(execution.analysedAsWritten());
        return written.parsed() && !written.multiStatement();
    }

    /** The {@code PREPARE} the text is, when it is one statement, or {@code null}. */
    private static PreparedStatementNames.Prepare singlePrepare(Execution execution) {
        PreparedStatementNames.Prepare prepare = PreparedStatementNames.prepare(execution.sql().sql(), execution.dialect());
        return prepare != null && single(execution) ? prepare : null;
    }

    /** Whether a statement prepared by name is one query or row change the analysis read, the only ones kept. */
    private static boolean preparable(SqlAnalysis analysis) {
        if (!analysis.parsed() || analysis.statements().isEmpty() || analysis.multiStatement()) {
            return false;
        }
        StatementAnalysis first = analysis.statements().get(0);
        return PREPARABLE.contains(first.action()) && !first.has(Trait.NESTED);
    }
}
