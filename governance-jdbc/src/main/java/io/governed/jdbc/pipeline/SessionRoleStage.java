package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
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
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stage 1, fourth part: the role of the session. A statement with the trait {@code privilege-change} ({@code SET ROLE},
 * {@code SET SESSION AUTHORIZATION}, {@code set_config('role', …)}, …) that ran leaves its role in the physical
 * connection's session ({@link SessionState#roleChangedBy}), for whoever runs the next statement there: the next
 * borrower of a pooled connection, or, with the identity taken per statement, another caller on the same connection.
 * A statement of another identity is refused (42501) until the session is reset: by a statement that resets it
 * ({@code RESET ROLE}, {@code SET ROLE NONE}, {@code RESET SESSION AUTHORIZATION}), which any identity may run, or by
 * the governed connection when a borrowing ends. A statement that runs code the analysis does not see into (a routine
 * that is not a built-in, a {@code DO} block, SQL given as text, a view, trigger or row security policy of a relation
 * it names) may change the role too: the role is then reset when
 * the borrowing ends, but other identities' statements are not refused for it. Ordinary statements cost a read of one
 * field here and a look at their traits once they ran. H2 has no session roles: nothing is recorded there.
 *
 * <p>A query whose {@code set_config} calls all name a custom setting by a literal with a dot
 * ({@code set_config('app.tenant', ?, false)}) is not a role change: the value it leaves is
 * {@link SessionLeftoversStage}'s to keep from other identities, which resets the session for them rather than
 * refusing them.
 */
public final class SessionRoleStage extends PipelineStage {

    /** What a statement does to the session's role, from its text. */
    enum Reset {
        /** Sets the role and the session authorization back to those the session was opened with. */
        FULL,
        /** Sets the role back to the session authorization's. */
        ROLE,
        /** Nothing known: a change of the role only ({@code SET ROLE r}). */
        SETS_ROLE,
        /** Nothing known: a change that may reach past the role. */
        NONE
    }

    /**
     * Not on H2: its statements are never recorded ({@link #record}), so no session of H2 has a role another identity
     * set ({@link SessionState#roleChangedBy} stays {@code null}), and every hook returns at once.
     */
    @Override
    boolean runsOn(Dialect dialect) {
        return !dialect.isH2();
    }

    @Override
    public void enter(Execution execution) throws SQLException {
        if (!(execution.names() instanceof SessionState session)) {
            return;
        }
        Identity changedBy = session.roleChangedBy();
        if (changedBy == null || !execution.runs() || changedBy.equals(execution.identity())) {
            return;
        }
        Reset reset = reset(execution.analysedSql().sql(), execution.dialect());
        if (reset == Reset.FULL || reset == Reset.ROLE) {
            return; // setting the role back is what the session needs, whoever asks
        }
        throw GovernanceException.failedClosed("Statement refused: the database session of connection "
                + execution.connectionId() + " has a role or session authorization that another identity's statement "
                + "set (SET ROLE, SET SESSION AUTHORIZATION or set_config('role', …)) and did not reset, so this "
                + "statement would run with that identity's database privileges. Reset it in the borrowing that set it "
                + "(RESET ROLE, or RESET SESSION AUTHORIZATION, run in auto-commit: one inside a transaction does not count, "
                + "since a rollback may undo it) before the connection is used by another identity, or "
                + "borrow connections through GovernedDataSource, which resets it when a borrowing ends",
                GovernanceException.SQLSTATE_DENIED, null);
    }

    @Override
    public void completed(Execution execution) {
        record(execution, true);
    }

    /**
     * A statement that failed may still have changed the role (a part of a multi-statement text, say): counted as one
     * that ran; a reset that failed did not reset anything.
     */
    @Override
    public SQLException failed(Execution execution, SQLException failure) {
        record(execution, false);
        return failure;
    }

    /**
     * The recording part, placed after every stage that may still refuse the statement: a statement that may change the
     * role is recorded before it runs, not only once it completed, which for a query ({@code SELECT set_config('role',
     * …)}) is when its results are read to the end or closed, maybe after another identity's statements on the same
     * session ran. Resets are recorded only once they ran.
     */
    public static final class BeforeRun extends PipelineStage {
        @Override
        boolean runsOn(Dialect dialect) {
            return !dialect.isH2();
        }

        @Override
        public void enter(Execution execution) {
            record(execution, false); // a reset counts once it ran
        }
    }

    /**
     * Records in the session what the statement does to its role: a change, or a statement that may change it out of
     * the analysis' sight; and, when {@code resets}, a reset, which counts once it ran.
     */
    private static void record(Execution execution, boolean resets) {
        if (!execution.runs() || execution.dialect().isH2()
                || !(execution.names() instanceof SessionState session)) {
            return;
        }
        if (execution.analysis().queriesAndRowChangesOnly()) {
            // the usual statement, one fact of the cached analysis: no privilege change, no routine beyond the
            // built-ins, no dynamic SQL (so neither changesPrivileges nor runsUnseenCode): only its relations may run code
            if ((execution.dialect() == Dialect.POSTGRESQL || execution.dialect() == Dialect.MARIADB)
                    && execution.mayRunCodeThroughRelations(session)) {
                session.roleMayHaveChanged();
            }
            return;
        }
        SessionTraits traits = execution.sessionTraits(); // worked out once per analysis, kept on the text
        if (traits.analysis == null) {
            return;
        }
        if (!traits.changesPrivileges) {
            // where the driver knows how to reset the role: elsewhere a reset would mean aborting the connection
            if ((execution.dialect() == Dialect.POSTGRESQL || execution.dialect() == Dialect.MARIADB)
                    && (traits.runsUnseenCode || execution.mayRunCodeThroughRelations(session))) {
                session.roleMayHaveChanged();
            }
            return;
        }
        Identity identity = execution.identity();
        if (identity == null) {
            return; // refused before the identity was known: nothing ran
        }
        switch (traits.reset) {
            // a reset inside a transaction is undone by its rollback (or a rollback to a savepoint before it), which the
            // driver may not see (a ROLLBACK statement, a failed commit): only a reset that ran outside one counts
            case FULL -> {
                if (resets && !session.insideTransaction()) {
                    session.roleReset();
                }
            }
            case ROLE -> {
                if (resets && !session.insideTransaction()) {
                    session.roleOnlyReset();
                }
            }
            case SETS_ROLE -> session.roleChanged(identity, false);
            case NONE -> session.roleChanged(identity, true);
        }
    }

    /**
     * Whether any statement of the text has the trait privilege-change, a query's from {@code set_config} calls that
     * all name a custom setting aside; a text not parsed may have.
     */
    static boolean changesPrivileges(SqlAnalysis analysis, String sql) {
        if (!analysis.parsed()) {
            return true;
        }
        List<StatementAnalysis> statements = analysis.statements();
        for (int i = 0; i < statements.size(); i++) { // indexed: no iterator per run
            StatementAnalysis statement = statements.get(i);
            if (statement.has(Trait.PRIVILEGE_CHANGE)
                    && !(statement.action() == Action.SELECT && setsOnlyCustomSettings(sql))) {
                return true;
            }
        }
        return false;
    }

    /** {@code set_config(} followed by a quoted name with a dot in it, and a comma: an application's custom setting. */
    private static final Pattern CUSTOM_SETTING = Pattern.compile(
            "set_config\\s*\\(\\s*'[a-z_][a-z0-9_$]*(\\.[a-z_][a-z0-9_$]*)+'\\s*,");

    /**
     * Whether every {@code set_config} call in the text sets a custom setting, named by a literal with a dot
     * ({@code set_config('app.tenant', ?, false)}): such a setting holds an application's value (which
     * {@link SessionLeftoversStage} keeps from other identities), never the role or the session authorization. Read from
     * the text, fail closed: a text with a quoted or escaped identifier ({@code "set_config"}, {@code U&"…"}) anywhere,
     * or one call whose name is not such a literal (a parameter, an expression, a cast, a named argument, a string
     * written otherwise), does not count, nor does a text in which no call is found.
     */
    static boolean setsOnlyCustomSettings(String sql) {
        if (sql.length() > 4096 || sql.indexOf('"') >= 0 || sql.indexOf('&') >= 0) {
            return false;
        }
        String text = sql.toLowerCase(Locale.ROOT);
        int found = 0;
        for (int at = text.indexOf("set_config"); at >= 0; at = text.indexOf("set_config", at + 1)) {
            Matcher call = CUSTOM_SETTING.matcher(text).region(at, text.length());
            if (!call.lookingAt()) {
                return false;
            }
            found++;
        }
        return found > 0;
    }

    /** Whether a statement of the text runs code the analysis does not see into: a routine not a built-in, SQL as text. */
    static boolean runsUnseenCode(SqlAnalysis analysis) {
        List<StatementAnalysis> statements = analysis.statements();
        for (int i = 0; i < statements.size(); i++) { // indexed: no iterator per run
            StatementAnalysis statement = statements.get(i);
            if (!statement.routines().isEmpty() || statement.has(Trait.DYNAMIC_SQL)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the text does to the session's role, read from its words: only a single statement exactly of one of the
     * reset forms counts as a reset; anything else (comments, several statements) is a change.
     */
    static Reset reset(String sql, Dialect dialect) {
        String words = SqlText.words(sql, 64);
        if (words == null) {
            return Reset.NONE;
        }
        switch (words) {
            case "reset session authorization", "set session authorization default" -> {
                return dialect == Dialect.POSTGRESQL ? Reset.FULL : Reset.NONE;
            }
            case "reset role", "set role none", "set session role none" -> {
                if (dialect == Dialect.MARIADB) {
                    return words.equals("set role none") ? Reset.FULL : Reset.NONE; // no session authorization there
                }
                return dialect == Dialect.POSTGRESQL ? Reset.ROLE : Reset.NONE;
            }
            default -> {
                return words.startsWith("set role ") || words.startsWith("set session role ")
                        || words.startsWith("set local role ") ? Reset.SETS_ROLE : Reset.NONE;
            }
        }
    }
}
