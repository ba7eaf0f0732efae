package io.governed.jdbc.pipeline;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.gate.SqlText;
import io.governed.jdbc.session.SessionState;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.Trait;

import java.sql.SQLException;
import java.util.List;

/**
 * Stage 1, fifth part: what a statement leaves in the physical connection's session past itself, for whoever runs the
 * next statement there. PostgreSQL keeps custom settings ({@code set_config('app.tenant', …, false)}, {@code SET
 * app.tenant}, which views and row security read with {@code current_setting}), statements prepared by name, cursors
 * declared {@code WITH HOLD}, temporary tables, {@code LISTEN}s and advisory locks; MariaDB user variables, statements
 * prepared by name, temporary tables and named locks; H2 user variables ({@code SET @v = …}, {@code SET(@v, …)}), local
 * temporary tables, the schema, search path and time zone.
 *
 * <p>Fail closed by construction: every statement that ran counts as leaving something
 * ({@link SessionState#left}) unless each statement of its text is a query or a row change that calls no routine
 * but the analysis' known built-ins and keeps no value ({@link Trait#KEEPS_VALUE}), creates no temporary table, runs
 * no SQL given as text and changes no privilege, and the relations it names run no code the text does not show (a
 * view calling a function, a trigger, row security: {@link SessionState#mayRunCodeThroughRelations}). Then:
 * <ul>
 *   <li>when a borrowing ends, the governed connection resets the session ({@code DISCARD ALL};
 *       MariaDB's {@code COM_RESET_CONNECTION}; on H2 back to the state read before the first such statement, see
 *       {@link io.governed.jdbc.session.SessionReset}), or aborts the physical connection when it cannot;</li>
 *   <li>before a statement of another identity on the same session (the identity taken per statement), the session is
 *       reset first ({@link SessionState#resetForAnother}); where that cannot be done (a transaction with statements in
 *       it, a MariaDB connection without {@code useResetConnection=true}, an H2 session with a local temporary
 *       table) the statement is refused (42501).</li>
 * </ul>
 * The statement is recorded by the stage's second part, {@link BeforeRun}, which comes after every stage that may
 * refuse it. A text that only sets the role or sets it back is {@link SessionRoleStage}'s to keep. A {@code DISCARD ALL} the
 * application runs itself is let through for any identity and clears the mark. Ordinary
 * statements cost the read of one field here, and a look at their analysis just before they run; on H2 the first
 * statement that may leave something after the session was opened or reset costs a read of its state. Recorded on
 * PostgreSQL, MariaDB and H2, the databases whose sessions the driver knows how to reset.
 */
public final class SessionLeftoversStage extends PipelineStage {

    @Override
    public void enter(Execution execution) throws SQLException {
        if (!(execution.names() instanceof SessionState session) || !session.leftByAnother(execution.identity())
                || !execution.runs()) {
            return;
        }
        if (execution.dialect() == Dialect.POSTGRESQL && discardsAll(execution.analysedSql().sql())) {
            return; // what the session needs, whoever asks
        }
        try {
            session.resetForAnother();
        } catch (SQLException | RuntimeException notReset) {
            throw GovernanceException.failedClosed("Statement refused: another identity's statements left things in "
                    + "the database session of connection " + execution.connectionId() + " (settings such as "
                    + "set_config('app.…', …, false) or SET app.…, user variables, statements prepared by name, cursors, "
                    + "temporary tables, locks or LISTENs; on H2 a local temporary table, which only the end of the "
                    + "session or the identity that created it drops) that this statement would inherit, and the "
                    + "session could not "
                    + "be reset for it (" + notReset.getMessage() + "). Run it in a transaction of its own, end the "
                    + "request (Connection.endRequest) or DISCARD ALL before the connection is used by another identity, "
                    + "connect MariaDB with useResetConnection=true, or borrow connections through GovernedDataSource, "
                    + "which resets the session when a borrowing ends",
                    GovernanceException.SQLSTATE_DENIED, null);
        }
    }

    /** The application's own {@code DISCARD ALL} ran: nothing is left in the session. */
    /** {@link #completed} does something on PostgreSQL alone (a {@code DISCARD ALL} ran): elsewhere it is not called. */
    @Override
    boolean completesOn(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL;
    }

    @Override
    public void completed(Execution execution) {
        if (execution.runs() && execution.dialect() == Dialect.POSTGRESQL
                && execution.names() instanceof SessionState session && discardsAll(execution)) {
            session.wasReset();
        }
    }

    /**
     * The recording part, placed after every stage that may still refuse the statement (the decision, row filters,
     * masks, limits, the application's stages): a statement that is about to run is recorded before it runs, not once
     * it completed, which for a query is when its results are read to the end or closed, maybe after another
     * identity's statements on the same session ran.
     */
    public static final class BeforeRun extends PipelineStage {
        @Override
        public void enter(Execution execution) {
            if (!execution.runs() || !(execution.names() instanceof SessionState session)) {
                return;
            }
            session.ran(); // on every database: the end of the transaction it opens is audited
            if (!execution.dialect().catalogRead()) {
                return;
            }
            SessionTraits traits = execution.sessionTraits();
            if (traits.discardsAll) {
                return; // counted as a reset once it ran
            }
            if ((traits.leaves || execution.mayRunCodeThroughRelations(session)) && !traits.roleStageKeeps) {
                session.leaving(execution.identity());
            }
        }
    }

    /** Whether the execution's text is exactly PostgreSQL's {@code DISCARD ALL}, on PostgreSQL ({@link SessionTraits}). */
    private static boolean discardsAll(Execution execution) {
        return execution.sessionTraits().discardsAll;
    }

    /**
     * Whether running the text may leave something in the session past itself: it was not analysed, or one of its
     * statements is not a query or row change, calls a routine that is not a known built-in, or has a trait that keeps
     * something (a value, a temporary table, SQL given as text, a new table, a privilege).
     */
    static boolean leaves(SqlAnalysis analysis) {
        if (analysis == null || !analysis.parsed() || analysis.statements().isEmpty()) {
            return true;
        }
        List<StatementAnalysis> statements = analysis.statements();
        for (int i = 0; i < statements.size(); i++) { // indexed: no iterator per run
            StatementAnalysis statement = statements.get(i);
            Action action = statement.action();
            if ((action != Action.SELECT && action != Action.INSERT && action != Action.UPDATE
                    && action != Action.DELETE && action != Action.MERGE)
                    || !statement.routines().isEmpty() || statement.has(Trait.KEEPS_VALUE)
                    || statement.has(Trait.TEMPORARY) || statement.has(Trait.DYNAMIC_SQL)
                    || statement.has(Trait.COPIES_DATA) || statement.has(Trait.PRIVILEGE_CHANGE)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the text is exactly PostgreSQL's {@code DISCARD ALL} (a trailing semicolon allowed, nothing else). */
    static boolean discardsAll(String sql) {
        if (sql.length() > 32 || sql.length() < 11) {
            return false;
        }
        String text = sql.strip();
        if (text.isEmpty() || (text.charAt(0) != 'd' && text.charAt(0) != 'D')) {
            return false; // what nearly every statement is found to be at the first character
        }
        return "discard all".equals(SqlText.words(text, 32));
    }
}
