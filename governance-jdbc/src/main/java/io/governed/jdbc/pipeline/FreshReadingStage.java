package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.gate.SqlText;
import io.governed.jdbc.session.SessionState;
import io.governed.policy.engine.PolicyEngine;
import io.governed.sql.Dialect;
import io.governed.sql.RoutineCatalog;

import java.sql.SQLException;

/**
 * Stage 1, before anything reads the session for the statement: a statement of a caller a mask, a row filter or a
 * limit applies to is judged on the catalog as it is when the statement runs, never on a
 * reading kept from earlier statements. The connection's reading of its session (search path, relations, views'
 * definitions, columns) is kept for up to {@value SessionState#MAXIMUM_AGE_SECONDS} seconds, and the database's reading
 * of user code under built-in names for up to a second (and for the whole of a transaction): meanwhile another session
 * may create a view in a schema searched first ({@code earlier.customers}, its columns swapped or every tenant's rows
 * under the caller's tenant), replace a view in place ({@code CREATE OR REPLACE VIEW v}, under a statement kept by
 * name or a kept {@code PreparedStatement}), or make {@code public.lower(int)}, which PostgreSQL picks for
 * {@code lower(1)}. So on PostgreSQL and MariaDB such a statement takes a reading of the session made since it entered
 * ({@link Execution#readAfresh}: on PostgreSQL one catalog round trip when it names tables, one more for the views it
 * names; on MariaDB one query, the database with what the relations it names are), and on PostgreSQL one
 * that may reach user code ({@link #mayReachUserCode}: it names a relation or routine, calls, casts or applies an
 * operator as its tokens tell, or is anything but a query, a transaction's control, {@code SHOW} or {@code SET}) a
 * reading of user code made since too: one more query, sent with the session's reading in its round trip when the
 * statement names relations ({@link SessionState#readAfreshWithUserCode}), else in one of its own; inside a transaction
 * under a savepoint set and released in that round trip. An operator, a cast between system types, a domain with a
 * CHECK made a moment ago is seen. A caller no mask, row filter or limit applies to is spared both, so
 * that its kept point select stays one round trip: for it the readings' ages stand (a permit of some relations only is
 * judged on a reading up to that old; user code made less than a second ago, a trigger, default or domain check less
 * than {@value SessionState#MAXIMUM_AGE_SECONDS} seconds ago, may run for its queries and writes unseen), except that
 * its statements that define, alter or drop ({@link #definesOrDrops}) are judged on a reading of user code made since
 * they entered too. A check that runs nothing ({@code prepareStatement}'s) takes
 * the reading in force: each run of the statement is judged again, on a reading of its own.
 *
 * <p>On PostgreSQL a {@code REPEATABLE READ} or {@code SERIALIZABLE} transaction's catalog queries see the catalog of
 * its snapshot, while the database resolves names and expands views on the newest one: once such a transaction is
 * open, a limited caller's statement that names a relation, calls or casts is judged on a reading made on a connection
 * beside the transaction ({@link SessionState#readBeside}: opened on first need with the physical connection's
 * settings, in auto-commit, with the session's search path), and refused when that reading is not shown to see what
 * the statement will (the transaction wrote, a temporary schema, a role set, no connection can be opened, a statement
 * kept by name). One query inside a transaction, under a savepoint set and released in its round trip: the isolation,
 * and with it what the reading beside needs of the session ({@link SessionState#transactionSnapshotMayPredate}). On H2 the reading is renewed when the database's meta modification id moved
 * ({@link SessionState#currentReadSince}).
 */
public final class FreshReadingStage extends PipelineStage {
    private final PolicyEngine engine;
    /** Whether the policy has a mask, a row filter or a limit (otherwise no caller is limited). */
    private final boolean limitsAnyone;
    /** The last identity asked about and whether the policy limits it: a connection's statements are mostly one identity's. */
    private volatile Limited last;

    private record Limited(Identity identity, boolean limited) {
    }

    /** @param engine the policy's engine; {@code null}: nothing is read afresh (no policy resolves names) */
    public FreshReadingStage(PolicyEngine engine) {
        this.engine = engine;
        this.limitsAnyone = limitsAnyone(engine);
    }

    /**
     * Whether the stage belongs in the pipeline: wherever there is a policy. On PostgreSQL every caller's statement
     * that defines, alters or drops is judged on a reading of user code made as it runs ({@link #definesOrDrops}),
     * limited or not; elsewhere the stage only freshens the readings of callers a mask, row filter or limit applies to
     * ({@link #runsOn}).
     */
    public static boolean needed(PolicyEngine engine) {
        return engine != null;
    }

    /** Whether the policy can limit anyone: it has a mask, a row filter or a limit. */
    private static boolean limitsAnyone(PolicyEngine engine) {
        return engine != null && (engine.maskPlanner().masksAnyone() || RowFilterStage.needed(engine.policy())
                || LimitStage.needed(engine.policy()));
    }

    /**
     * The session is read afresh only where the driver reads it at all: on PostgreSQL always (a definition, alteration
     * or drop of any caller takes a reading of user code), on MariaDB and H2 only when the policy can limit someone,
     * since otherwise {@link #limits} is false for every identity and every hook returns at once.
     */
    @Override
    boolean runsOn(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL || dialect.catalogRead() && limitsAnyone;
    }

    @Override
    public void enter(Execution execution) throws SQLException {
        if (engine == null || !execution.runs() || !(execution.names() instanceof SessionState session)
                || !execution.dialect().catalogRead()) {
            return;
        }
        if (!limits(execution.identity())) {
            if (execution.dialect() == Dialect.POSTGRESQL && execution.sessionTraits().definesOrDrops) {
                execution.withRoutines(routinesReadSince(session, execution.routines(), System.nanoTime()));
            }
            return;
        }
        long since = System.nanoTime();
        RoutineCatalog routines = execution.routines();
        SessionState.InTransaction inTransaction = execution.dialect() == Dialect.POSTGRESQL && readsCatalog(execution)
                ? snapshotMayPredate(session) : null;
        if (inTransaction != null) {
            // the transaction's own catalog queries would see its snapshot's catalog: the reading is made beside it,
            // where what the same query read of the session shows it to see what the statement will
            String why = queriesOrWritesOnly(execution) ? session.readBeside(inTransaction)
                    : "only a query or a write of rows is judged beside it (a statement kept by name, EXECUTE, is looked"
                    + " up on the session itself)";
            if (why != null) {
                throw GovernanceException.failedClosed("The statement was refused: it runs in a REPEATABLE READ or"
                        + " SERIALIZABLE transaction that took its snapshot before it, whose own reading of the catalog"
                        + " does not show what its names denote (views, relations, functions other sessions may have"
                        + " made or replaced since) as the database will use them, for a caller a mask, row filter or"
                        + " limit applies to, and the catalog cannot be read beside the transaction: " + why + "; run it"
                        + " in a READ COMMITTED transaction, in auto-commit, or as the first statement of its transaction",
                        GovernanceException.SQLSTATE_DENIED, null);
            }
            if (mayReachUserCode(execution)) {
                try {
                    routines = session.routinesReadBeside(routines, since);
                } catch (SQLException e) {
                    throw GovernanceException.failedClosed("The statement was refused: what the database's own code"
                            + " defines beside its built-ins could not be read beside the transaction (SQLState "
                            + e.getSQLState() + "); run it again, or in a READ COMMITTED transaction",
                            GovernanceException.SQLSTATE_DENIED, e);
                }
            }
            execution.readAfresh(since, routines);
            return;
        }
        if (execution.dialect() == Dialect.POSTGRESQL && mayReachUserCode(execution)) {
            // the session's reading and the user code's in one round trip where the statement names relations
            RoutineCatalog both = readAfreshWithUserCode(session, since, execution, routines);
            routines = both != null ? both : routinesReadSince(session, routines, since);
        }
        execution.readAfresh(since, routines);
    }

    /**
     * {@link SessionState#readAfreshWithUserCode} for the relations the statement names (and the routines it calls that
     * are no built-in of {@code routines}, the reading in force): the user code read since {@code since}, the session's
     * reading made with it; {@code null} when they are not read together (the user code is then read on its own).
     * Refused (failed closed) as {@link #routinesReadSince} refuses.
     */
    private static RoutineCatalog readAfreshWithUserCode(SessionState session, long since, Execution execution,
                                                         RoutineCatalog routines) throws SQLException {
        SessionTraits traits = execution.sessionTraits();
        java.util.Set<String> names = traits.relationNames;
        if (!traits.routinesCalled.isEmpty()) {
            io.governed.sql.RoutineCatalog listed = io.governed.sql.BuiltInRoutines.of(Dialect.POSTGRESQL);
            java.util.Set<String> withRoutines = new java.util.HashSet<>(names);
            for (io.governed.sql.TableRef routine : traits.routinesCalled) {
                if (!listed.isBuiltIn(routine) && !routines.isBuiltIn(routine)) {
                    withRoutines.add(routine.name());
                }
            }
            names = withRoutines;
        }
        if (names.isEmpty()) {
            return null;
        }
        try {
            return session.readAfreshWithUserCode(since, names, routines);
        } catch (SQLException e) {
            throw userCodeUnread(e);
        }
    }

    /**
     * The names {@code statement} uses as the session's lookups ask them (the name resolution its unqualified ones, the
     * following of views every relation's name): relations' names into {@code relations}, schema-qualified or not, and
     * the unqualified routines into {@code routines} (those that are no built-in are looked up too).
     */
    static void namesUsed(io.governed.sql.StatementAnalysis statement, java.util.Set<String> relations,
                          java.util.List<io.governed.sql.TableRef> routines) {
        statement.tablesRead().forEach(t -> named(t, relations));
        statement.tablesWritten().forEach(t -> named(t, relations));
        statement.columns().forEach(c -> named(c.table(), relations));
        for (io.governed.sql.TableRef routine : statement.routines()) {
            if (routine != null && routine.schema() == null) {
                routines.add(routine);
            }
        }
        for (java.util.List<io.governed.sql.ResultColumn> columns
                : java.util.List.of(statement.resultColumns(), statement.copiedColumns())) {
            for (io.governed.sql.ResultColumn column : columns) {
                column.sources().forEach(source -> named(source.table(), relations));
                column.allColumnsOf().forEach(t -> named(t, relations));
            }
        }
    }

    private static void named(io.governed.sql.TableRef table, java.util.Set<String> names) {
        if (table != null) {
            names.add(table.name()); // a qualified one's name too: the views' lookup asks it by name
        }
    }

    /**
     * The database's user code read since {@code since} ({@link SessionState#routinesReadSince}); refused (failed
     * closed) when it cannot be read.
     */
    private static RoutineCatalog routinesReadSince(SessionState session, RoutineCatalog routines, long since)
            throws SQLException {
        try {
            return session.routinesReadSince(routines, since);
        } catch (SQLException e) {
            throw userCodeUnread(e);
        }
    }

    /**
     * The refusal of a statement whose reading of user code failed with {@code e}: in an aborted transaction as the
     * database would refuse it (25P02, saying to roll back), else as not read (42501, failed closed).
     */
    private static GovernanceException userCodeUnread(SQLException e) {
        if ("25P02".equals(e.getSQLState())) {
            // the database would refuse the statement too: say so with its state, as it would
            return GovernanceException.failedClosed("The statement was not run: the transaction is aborted by an"
                    + " earlier error, and commands are ignored until it ends; roll it back (or back to a"
                    + " savepoint) first", "25P02", e);
        }
        return GovernanceException.failedClosed("The statement was refused: what the database's own code defines"
                + " beside its built-ins could not be read again for it (" + e.getMessage() + "); run it again",
                GovernanceException.SQLSTATE_DENIED, e);
    }

    /**
     * Whether the statement defines, alters or drops something, or is not known to do none (not parsed, or of a kind
     * other than a query, a write, a transaction's control, {@code SHOW}, {@code SET}, {@code EXPLAIN} or {@code LOCK}):
     * for every caller it is judged on a reading of user code made since it entered ({@code DROP DOMAIN} of a domain
     * with a CHECK made a moment ago, {@code ALTER TABLE … TYPE} to one, which runs the CHECK on every row). Such
     * statements are rare beside queries and writes, whose readings for a caller the policy does not limit keep their
     * ages. Asked of the analysis alone: {@link SessionTraits} keeps the answer per analysis.
     */
    static boolean definesOrDrops(io.governed.sql.SqlAnalysis analysis) {
        if (analysis == null || !analysis.parsed()) {
            return true;
        }
        for (io.governed.sql.StatementAnalysis statement : analysis.statements()) {
            switch (statement.action()) {
                case SELECT, INSERT, UPDATE, DELETE, MERGE, COPY, TRANSACTION, TWO_PHASE_COMMIT, SHOW, SET, EXPLAIN, LOCK -> {
                }
                default -> {
                    return true;
                }
            }
        }
        return false;
    }

    private static SessionState.InTransaction snapshotMayPredate(SessionState session) throws SQLException {
        try {
            return session.transactionSnapshotMayPredate();
        } catch (SQLException e) {
            throw GovernanceException.failedClosed("The statement was refused: the transaction's isolation could not"
                    + " be read for it (" + e.getMessage() + "); run it again", GovernanceException.SQLSTATE_DENIED, e);
        }
    }

    /**
     * Whether what the statement does may depend on the catalog: it names a relation or a routine, calls or casts
     * ({@link io.governed.sql.UserCodeReach#callsOrCasts} of the text as sent, {@link Execution#sql()}), holds code, or
     * was not parsed. A transaction's {@code COMMIT}, {@code ROLLBACK}, {@code SAVEPOINT} or {@code SELECT 1} does not,
     * nor does any other transaction's control, whose tokens may look like a cast ({@code PREPARE TRANSACTION 'id'},
     * {@code COMMIT PREPARED 'id'}: a word before a string) where nothing is cast.
     * Read from what is kept per text and per analysis ({@link SqlText#userCodeReach}, {@link SessionTraits}): nothing is
     * scanned at each run.
     */
    static boolean readsCatalog(Execution execution) {
        SessionTraits traits = execution.sessionTraits();
        return traits.namesCatalog || !traits.transactionControlOnly && execution.sql().userCodeReach().callsOrCasts();
    }

    /** {@link SessionTraits#transactionControlOnly}: worked out once per analysis. */
    static boolean transactionControlOnly(io.governed.sql.SqlAnalysis analysis) {
        if (analysis == null || !analysis.parsed() || analysis.statements().isEmpty()) {
            return false;
        }
        for (io.governed.sql.StatementAnalysis statement : analysis.statements()) {
            if (statement.action() != io.governed.sql.Action.TRANSACTION
                    && statement.action() != io.governed.sql.Action.TWO_PHASE_COMMIT || !statement.tablesRead().isEmpty()
                    || !statement.tablesWritten().isEmpty() || !statement.routines().isEmpty() || statement.code() != null) {
                return false;
            }
        }
        return true;
    }

    /** {@link SessionTraits#namesCatalog}: worked out once per analysis. */
    static boolean namesCatalog(io.governed.sql.SqlAnalysis analysis) {
        if (analysis == null || !analysis.parsed()) {
            return true;
        }
        for (io.governed.sql.StatementAnalysis statement : analysis.statements()) {
            if (!statement.tablesRead().isEmpty() || !statement.tablesWritten().isEmpty()
                    || !statement.routines().isEmpty() || statement.code() != null) {
                return true;
            }
        }
        return false;
    }

    /** {@link SessionTraits#queriesOrControlOnly}: worked out once per analysis. */
    static boolean queriesOrControlOnly(io.governed.sql.SqlAnalysis analysis) {
        if (analysis == null || !analysis.parsed()) {
            return false;
        }
        for (io.governed.sql.StatementAnalysis statement : analysis.statements()) {
            switch (statement.action()) {
                case SELECT, TRANSACTION, TWO_PHASE_COMMIT, SHOW, SET -> {
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether a mask, a row filter or a limit ({@code max-rows}, {@code max-statements}, a timeout) applies to
     * {@code identity} (an unknown one counts as limited): what such a caller sees depends on which relation a name
     * denotes and what it holds now.
     */
    private boolean limits(Identity identity) {
        if (identity == null) {
            return true;
        }
        Limited known = last;
        if (known != null && known.identity().equals(identity)) {
            return known.limited();
        }
        boolean limited = engine.maskPlanner().masksAnythingFor(identity) || engine.rowFiltersApplyTo(identity)
                || !engine.policy().limitsFor(identity).none();
        last = new Limited(identity, limited);
        return limited;
    }

    /**
     * Whether the statement may reach user code the database holds beside its built-ins, so that the reading of that
     * code must be made since the statement entered: it calls or casts, applies an operator ({@code name + name} runs
     * {@code public.+(text, text)} made a moment ago; {@link io.governed.sql.UserCodeReach#mayApplyOperators}, of the
     * text's tokens as sent, {@link Execution#sql()}), names a relation or a routine (a write fires triggers, defaults
     * and domain checks; a relation may hold a value of a type a cast of user code converts, which a comparison applies
     * unnamed), holds code, was not parsed, or is anything but a query, a transaction's control, a {@code SHOW} or a
     * {@code SET} ({@code DROP DOMAIN} of a domain with a CHECK made a moment ago). {@code SELECT 1}, {@code COMMIT},
     * {@code SAVEPOINT s}, {@code SHOW work_mem} do not. Every part is kept per text or per analysis: nothing is scanned
     * at each run.
     */
    static boolean mayReachUserCode(Execution execution) {
        return execution.sql().userCodeReach().mayApplyOperators() || readsCatalog(execution)
                || !execution.sessionTraits().queriesOrControlOnly;
    }

    /**
     * Whether the statement is parsed and each of its statements a query or a write of rows ({@code SELECT},
     * {@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code MERGE}) and no {@code EXECUTE} of a statement kept by name:
     * those alone are judged on a reading beside a transaction that took its snapshot.
     */
    static boolean queriesOrWritesOnly(Execution execution) {
        io.governed.sql.SqlAnalysis analysis = execution.analysis();
        if (analysis == null || !analysis.parsed() || startsWithExecute(execution.sql().sql())) {
            return false;
        }
        for (io.governed.sql.StatementAnalysis statement : analysis.statements()) {
            switch (statement.action()) {
                case SELECT, INSERT, UPDATE, DELETE, MERGE -> {
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether {@code sql} begins with {@code EXECUTE} (after blanks and semicolons): it runs a statement kept by name. */
    static boolean startsWithExecute(String sql) {
        int i = 0;
        while (i < sql.length() && (Character.isWhitespace(sql.charAt(i)) || sql.charAt(i) == ';')) {
            i++;
        }
        return sql.regionMatches(true, i, "EXECUTE", 0, 7);
    }
}
