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
import io.governed.sql.names.NameResolver;
import io.governed.policy.engine.DecisionContext;
import io.governed.policy.engine.PolicyEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * Stage 1, last part: statements prepared by name through the governed connection, and run by name. PostgreSQL's
 * {@code PREPARE name [(types)] AS statement} and MariaDB's {@code PREPARE s FROM '…'} (one plain string) are decided
 * on the statement they prepare, which the analysis reads; once such a {@code PREPARE} succeeded, the session's
 * {@link PreparedNames} keeps the name with that statement's text and its names as the session resolved them then. An
 * {@code EXECUTE name [(constants)]} (MariaDB {@code EXECUTE s [USING @v | constant, …]}) of a name kept there is from
 * then on the statement the name holds ({@link Execution#runsByName}): decided for the identity that runs it now, its
 * rows filtered (or refused where a filter would have to rewrite it), its results masked by that statement's lineage,
 * a masked value among its arguments written back refused as a bound one is ({@link MaskedWriteBackStage}), approvals
 * bound to it, and audited as {@code EXECUTE p(?) -- prepared as: …}. An {@code EXECUTE} of a name not kept (prepared
 * past governance, from a variable, before the session was reset), one in a batch or a call that cannot run a name as
 * its statement, and one whose arguments are not all constants or user variables (MariaDB takes expressions of
 * built-ins after {@code USING}) is read as {@code EXECUTE name}: SQL the analysis does not see, which the policy
 * refuses to every caller it does not allow everything alike, never a text the parser cannot read, which
 * {@code on-unparseable: allow} would let run.
 *
 * <p>What a name's text means when it runs. PostgreSQL parses the statement at {@code PREPARE}, keeping the relations
 * it found, and analyses it again from its text before an {@code EXECUTE} when DDL changed a relation it uses, when
 * its planner statistics changed, or when {@code search_path} is not what it was at its last use (the manual's
 * {@code PREPARE}, Notes); a relation created since under a schema searched first is found only once the statement is
 * analysed again, which the connection cannot see coming. So an {@code EXECUTE} is the statement the name holds only
 * while its text resolves, as the session resolves names now, to what it resolved to at its {@code PREPARE}: then the
 * database runs those relations whichever reading it uses. Otherwise (a {@code SET search_path} or {@code setSchema}
 * that redirects it) the name is not used: its {@code EXECUTE} is SQL the analysis does not see, refused to a caller a
 * mask applies to, until the search path resolves its text as at its {@code PREPARE} again or it is prepared again.
 * The session's reading of names is kept for some seconds and does not show a relation another session created since
 * under a schema searched first (or one in the session's temporary schema), while the database analyses the statement
 * again on it as soon as anything invalidates its plan: so for every caller the policy does not allow every statement
 * on every relation alike (a mask, a row filter, an approval, a forbid, a permit of some tables only: what it may do
 * depends on which relation a name denotes), the text's names are also resolved on the session at each
 * {@code EXECUTE} (one query, for that statement's names alone), and the name is not used unless they resolve as at
 * its {@code PREPARE}. DDL on the session itself forgets every name
 * (below). MariaDB parses the statement again with the database and SQL mode of
 * its {@code PREPARE}; {@code USE} and server variables forget every name.
 *
 * <p>Placed after {@link SessionLeftoversStage}, whose reset of the session for another identity forgets every name.
 * Forgetting, in {@link BeforeRun} (after every stage that may refuse the statement, before it runs): the name a
 * {@code DEALLOCATE [PREPARE] name} drops (every name for {@code ALL} or a name not read for certain), on MariaDB the
 * name a {@code PREPARE} is about to replace (MariaDB drops it first, and keeps none when the new one fails), and every
 * name before any statement not shown to leave the names and what their texts mean as they were ({@link #keepsNames}):
 * anything but a query or row change calling built-ins only and reaching no code through its relations, a setting
 * (not a role, a session authorization, and on MariaDB not a server variable, whose SQL mode changes how texts read,
 * nor a user variable given anything but a constant),
 * {@code SHOW}, transaction control and PostgreSQL's {@code DISCARD PLANS} (which plans again, deallocating nothing).
 * DDL forgets them all (it fires event triggers, which may prepare a name again), as do a routine, a trigger, a view
 * calling one, dynamic SQL, a batch, {@code USE}. Fail closed: forgetting a name only refuses its {@code EXECUTE} to a
 * caller the policy does not allow everything alike.
 */
public final class PreparedNamesStage extends PipelineStage {
    private static final Logger log = LoggerFactory.getLogger(PreparedNamesStage.class);

    /** The policy's engine, which resolves names as the session does; {@code null} when there is none. */
    private final PolicyEngine engine;
    /** The policy's mask planner, telling whom a mask applies to; {@code null} when there is none. */
    private final io.governed.policy.masking.MaskPlanner masks;

    /** @param engine the policy's engine, or {@code null}: then names are not resolved, and nothing is masked either */
    public PreparedNamesStage(PolicyEngine engine) {
        this(engine, null);
    }

    /**
     * @param engine the policy's engine, or {@code null}: then names are not resolved, and nothing is masked either
     * @param masks  the policy's mask planner, or {@code null}: then every caller counts as one a mask may apply to
     */
    public PreparedNamesStage(PolicyEngine engine, io.governed.policy.masking.MaskPlanner masks) {
        this.engine = engine;
        this.masks = masks;
    }

    /** A {@code SET CONSTRAINTS} (which runs deferred triggers), as the word stands in a fingerprint. */
    private static final java.util.regex.Pattern CONSTRAINTS = java.util.regex.Pattern.compile("(^|[^a-z0-9_$])constraints($|[^a-z0-9_$])");
    /**
     * MariaDB's {@code SET @v = constant[, @w = constant …]}, as its fingerprint reads (constants as {@code ?}): user
     * variables given constants, which change nothing a kept statement's text means (an argument of its
     * {@code EXECUTE … USING @v}).
     */
    private static final java.util.regex.Pattern USER_VARIABLES_TO_CONSTANTS = java.util.regex.Pattern.compile(
            "\\s*set\\s+@[a-z0-9_$.]+\\s*:?=\\s*[-+]?\\s*\\?(\\s*,\\s*@[a-z0-9_$.]+\\s*:?=\\s*[-+]?\\s*\\?)*\\s*;?\\s*");
    /** PostgreSQL's {@code DISCARD PLANS}, as its fingerprint reads. */
    private static final java.util.regex.Pattern DISCARD_PLANS = java.util.regex.Pattern.compile("\\s*discard\\s+plans\\s*;?\\s*");

    /** The statements PostgreSQL's {@code PREPARE} takes, and the only ones kept here on either database. */
    private static final Set<Action> PREPARABLE = Set.of(Action.SELECT, Action.INSERT, Action.UPDATE, Action.DELETE,
            Action.MERGE);

    /** Statements prepared by name are kept on PostgreSQL and MariaDB only: every hook returns at once elsewhere. */
    @Override
    boolean runsOn(Dialect dialect) {
        return byNameDialect(dialect);
    }

    @Override
    public void enter(Execution execution) {
        if (!(execution.names() instanceof SessionState session) || !byNameDialect(execution.dialect())
                || readAsQueriesAndRowChanges(execution)) {
            return; // no EXECUTE nor PREPARE as written, and read: nothing to run by name, nothing to read otherwise
        }
        if (!substitutable(execution)) {
            // an entry of a batch (whose run forgets every name first), a call with generated keys or updatable
            // results: never the statement a name holds, and an EXECUTE among them is SQL the analysis does not see
            String anyhow = PreparedStatementNames.executedAnyhow(execution.sql().sql(), execution.dialect());
            if (anyhow != null) {
                readAsExecute(execution, anyhow);
            }
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
        if (name == null) {
            // arguments other than constants and user variables (MariaDB takes expressions of built-ins after USING,
            // PostgreSQL any expression but a subquery), or another form not read exactly: not the statement the name
            // holds with values told, and never a text the analysis cannot read that on-unparseable: allow would run
            String anyhow = PreparedStatementNames.executedAnyhow(execution.sql().sql(), execution.dialect());
            if (anyhow != null) {
                readAsExecute(execution, anyhow);
            }
            return;
        }
        PreparedNames.Entry prepared = name.equals(PreparedStatementNames.UNKNOWN_NAME) ? null
                : session.preparedNames().find(name);
        if (prepared == null) {
            readAsExecute(execution, name);
            return;
        }
        if (prepared.resolved() != null
                && !prepared.resolved().equals(resolved(execution, prepared.statement()))) {
            // the database may run the relations of its PREPARE or those the text names now: neither is known here
            log.debug("statement prepared by name {} resolves its names otherwise than when prepared: not run as it",
                    name);
            readAsExecute(execution, name);
            return;
        }
        if (prepared.resolved() != null && namesDecideFor(execution) && !resolvesNowAsPrepared(execution, session, prepared)) {
            // a relation created since in a schema searched first (by another session, or this one's temporary
            // schema), which the session's reading does not show yet: the database may analyse the text on it
            log.debug("statement prepared by name {} resolves its names on the session now otherwise than when"
                    + " prepared: not run as it", name);
            readAsExecute(execution, name);
            return;
        }
        execution.runsByName(prepared);
    }

    /**
     * An {@code EXECUTE} of a name not run as a kept statement is SQL the analysis does not see: where the parser does
     * not read the text as written (MariaDB's {@code EXECUTE s USING @v, …}), it is analysed as {@code EXECUTE name},
     * which is that ({@link Trait#DYNAMIC_SQL}), rather than as a text the analysis cannot read, which a policy with
     * {@code on-unparseable: allow} would let run unseen.
     */
    private static void readAsExecute(Execution execution, String name) {
        if (execution.analysis().parsed()) {
            return;
        }
        String quoted = name.equals(PreparedStatementNames.UNKNOWN_NAME) ? "unknown_name" : name;
        execution.analysedAs(new SqlText("EXECUTE " + (execution.dialect() == Dialect.MARIADB
                ? "`" + quoted.replace("`", "``") + "`" : "\"" + quoted.replace("\"", "\"\"") + "\"")));
    }

    /**
     * Whether what the caller may do depends on which relations a statement's names find: anyone the policy does not
     * allow every statement on every relation alike ({@link PolicyEngine#allowsEverythingTo}: a mask, a row filter, an
     * approval, a forbid or a permit of some tables only), or whose identity is not known. Fail closed: such a caller's
     * decision on a kept text is only as good as the relations it was made on, so its names are looked up on the
     * session again at each {@code EXECUTE}. Only a caller the policy allows everything alike is spared that query: the
     * database may run the name on another relation than the one the session's reading shows, but every decision for
     * that caller would be the same on it, so the lookup could change nothing.
     */
    private boolean namesDecideFor(Execution execution) {
        io.governed.identity.Identity identity = execution.identity();
        if (identity == null || masks == null || engine == null) {
            return true;
        }
        return !engine.allowsEverythingTo(identity);
    }

    /**
     * Whether the kept statement's names resolve, as the database resolves them at this moment (one query on the
     * session for that statement's names: {@link SessionState#currentAfresh}), to what they resolved to at its
     * {@code PREPARE}. The session's reading, kept for some seconds, does not show a relation another session created
     * since under a schema searched first, while PostgreSQL analyses the statement again on it as soon as anything
     * invalidates its plan (a statistics update, DDL on what it reads), which the connection cannot see coming. True
     * where the session is not read so (not PostgreSQL: MariaDB reads the text again in the database of its
     * {@code PREPARE}).
     */
    private boolean resolvesNowAsPrepared(Execution execution, SessionState session, PreparedNames.Entry prepared) {
        NameResolver now = session.currentAfresh();
        if (now == null) {
            return true;
        }
        SqlAnalysis analysis = execution.analysisOf(prepared.statement());
        return prepared.resolved().equals(engine.resolved(analysis, DecisionContext.of(now)));
    }

    /** A {@code PREPARE} whose statement the analysis read ran: its name is kept with that statement. */
    @Override
    public void completed(Execution execution) {
        if (!execution.runs() || !(execution.names() instanceof SessionState session)
                || !byNameDialect(execution.dialect()) || execution.byName() != null
                || execution.callKind() == CallKind.BATCH || readAsQueriesAndRowChanges(execution)) {
            return; // a query or row change as written is no PREPARE: nothing to keep
        }
        PreparedStatementNames.Prepare prepare = singlePrepare(execution);
        if (prepare == null || prepare.statement() == null || prepare.name().equals(PreparedStatementNames.UNKNOWN_NAME)) {
            return;
        }
        SqlText statement = new SqlText(prepare.statement());
        if (preparable(execution.analysisOf(statement))) {
            session.preparedNames().prepared(prepare.name(), statement, resolved(execution, statement));
        }
    }

    /** The forgetting part, placed after every stage that may still refuse the statement. */
    public static final class BeforeRun extends PipelineStage {
        @Override
        boolean runsOn(Dialect dialect) {
            return byNameDialect(dialect);
        }

        @Override
        public void enter(Execution execution) {
            if (!execution.runs() || !(execution.names() instanceof SessionState session)
                    || !byNameDialect(execution.dialect())) {
                return;
            }
            PreparedNames names = session.preparedNames();
            // the usual statement (as written, queries and row changes only, calling built-ins only) is no PREPARE or
            // DEALLOCATE, which the analysis reads otherwise: its text is not read for them, and keepsNames holds for
            // it at once, so only what its relations may run is left to ask, below
            if (execution.byName() == null && execution.callKind() != CallKind.BATCH
                    && !readAsQueriesAndRowChanges(execution)) {
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
            if (execution.callKind() == CallKind.BATCH || !keepsNames(execution, names)
                    || execution.analysis().namesRelations() && execution.mayRunCodeThroughRelations(session)) {
                names.forgetAll(); // code the analysis does not see could drop and prepare a name again
            }
        }

        /**
         * Whether the statement is shown to leave every name prepared on the session, and what each name's text
         * resolves to, as it was: every statement of it a query or row change, a setting, {@code SHOW} or transaction
         * control that calls no routine but known built-ins and runs no dynamic SQL (a search path it sets is seen at
         * the next {@code EXECUTE}, which compares how the text resolves then), or PostgreSQL's {@code DISCARD PLANS}.
         */
        static boolean keepsNames(Execution execution, PreparedNames names) {
            SqlAnalysis analysis = execution.analysis();
            if (analysis.queriesAndRowChangesOnly()) {
                return true; // what the loop below finds of every such statement, worked out once per analysis
            }
            if (!analysis.parsed() || analysis.statements().isEmpty()) {
                return false;
            }
            boolean single = analysis.statements().size() == 1;
            // the text as the analysis normalised it: lower case, comments and literals out
            String fingerprint = analysis.fingerprint();
            for (StatementAnalysis statement : analysis.statements()) {
                if (!statement.routines().isEmpty() || statement.code() != null || statement.has(Trait.DYNAMIC_SQL)
                        || statement.has(Trait.TEMPORARY) || statement.has(Trait.PRIVILEGE_CHANGE)
                        || statement.has(Trait.UNREAD_BODY)) {
                    return false;
                }
                boolean keeps = switch (statement.action()) {
                    case SELECT, INSERT, UPDATE, DELETE, MERGE -> true;
                    case SHOW -> single;
                    // the end of a transaction runs the deferred triggers of code that ran in it
                    case TRANSACTION, TWO_PHASE_COMMIT -> single && !names.codeRanInTransaction();
                    // SET CONSTRAINTS runs deferred triggers; on MariaDB a server variable (the SQL mode, say) may
                    // change how a text reads again, a user variable does not
                    case SET -> single && !CONSTRAINTS.matcher(fingerprint).find() && (execution.dialect() != Dialect.MARIADB
                            || (!statement.has(Trait.KEEPS_VALUE) || USER_VARIABLES_TO_CONSTANTS.matcher(fingerprint).matches())
                            && !statement.has(Trait.UNLISTED_SETTING) && !statement.has(Trait.SERVER_SETTING));
                    case OTHER -> single && execution.dialect() == Dialect.POSTGRESQL
                            && DISCARD_PLANS.matcher(fingerprint).matches();
                    default -> false;
                };
                if (!keeps) {
                    return false;
                }
            }
            return true;
        }

        private static void forget(PreparedNames names, String name) {
            if (name.equals(PreparedStatementNames.ALL) || name.equals(PreparedStatementNames.UNKNOWN_NAME)) {
                names.forgetAll();
            } else {
                names.forget(name);
            }
        }
    }

    /**
     * Whether the statement is analysed as its text as written (not as a statement prepared by name, nor as a MariaDB
     * {@code PREPARE}'s string), and that analysis is of queries and row changes only
     * ({@link SqlAnalysis#queriesAndRowChangesOnly}: read, calling built-ins only, no dynamic SQL, no privilege change,
     * no temporary object, no unread body). Such a text is no {@code PREPARE}, {@code EXECUTE} or {@code DEALLOCATE}
     * (the analysis reads the first two as {@link Action#EXECUTE} with {@link Trait#DYNAMIC_SQL}, the last as
     * {@link Action#OTHER}, MariaDB's {@code DROP PREPARE} as {@link Action#DROP}), and {@link BeforeRun#keepsNames}
     * holds for it whatever the session: one fact of the cached analysis, asked instead of reading the text again.
     */
    static boolean readAsQueriesAndRowChanges(Execution execution) {
        return execution.analysedSql() == execution.analysedAsWritten() && execution.analysis().queriesAndRowChangesOnly();
    }

    /**
     * {@code statement}'s analysis with its names resolved as the session resolves them for this execution (remembered
     * on the text), or {@code null} without a policy engine.
     */
    private SqlAnalysis resolved(Execution execution, SqlText statement) {
        if (engine == null) {
            return null;
        }
        SqlAnalysis analysis = execution.analysisOf(statement);
        NameResolver current = execution.currentNames();
        SqlAnalysis resolved = statement.rememberedResolution(engine, analysis, current);
        if (resolved == null) {
            resolved = engine.resolved(analysis, DecisionContext.of(current));
            statement.rememberResolution(engine, analysis, current, resolved);
        }
        return resolved;
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
