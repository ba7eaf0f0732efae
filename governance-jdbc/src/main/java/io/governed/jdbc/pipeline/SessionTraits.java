package io.governed.jdbc.pipeline;

import io.governed.jdbc.gate.SqlText;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;

/**
 * What {@link SessionRoleStage}, {@link SessionLeftoversStage} and {@link FreshReadingStage} ask of a statement's text
 * and analysis before and after it runs: answers that depend on nothing else (not the identity, the policy, the session
 * or the database's catalog), worked out once per analysis and dialect and kept on the text
 * ({@link SqlText#rememberedTraits}), so that every run
 * of a kept prepared statement reads them rather than working them out again. What depends on the session (whether
 * the relations a statement names run code, {@link Execution#mayRunCodeThroughRelations}) is asked per run, as before.
 *
 * <p>Kept under the very analysis object and dialect they were worked out from: a text analysed again (by another
 * analyser, or read as another statement) has another analysis, and its answers are worked out anew.
 */
final class SessionTraits {
    /** The analysis the answers were worked out from (compared by reference). */
    final SqlAnalysis analysis;
    final Dialect dialect;
    /** The text is exactly PostgreSQL's {@code DISCARD ALL} on a PostgreSQL connection. */
    final boolean discardsAll;
    /** {@link SessionLeftoversStage#leaves}. */
    final boolean leaves;
    /** The text only sets the role or sets it back: {@link SessionRoleStage}'s to keep. */
    final boolean roleStageKeeps;
    /** Some statement of the text has the trait privilege-change ({@link SessionRoleStage#changesPrivileges}). */
    final boolean changesPrivileges;
    /** Some statement runs code the analysis does not see into ({@link SessionRoleStage#runsUnseenCode}). */
    final boolean runsUnseenCode;
    /** What the text does to the session's role ({@link SessionRoleStage#reset}). */
    final SessionRoleStage.Reset reset;
    /** Some statement defines, alters or drops, or the text was not parsed ({@link FreshReadingStage#definesOrDrops}). */
    final boolean definesOrDrops;

    /**
     * Some statement names a relation or a routine or holds code, or the text was not parsed: what it does may depend on
     * the catalog ({@link FreshReadingStage#readsCatalog}, beside what the text's tokens tell).
     */
    final boolean namesCatalog;
    /**
     * Every statement is a query, a transaction's control, a {@code SHOW} or a {@code SET} (parsed): one of another kind
     * may reach user code ({@link FreshReadingStage#mayReachUserCode}).
     */
    final boolean queriesOrControlOnly;
    /**
     * Every statement is a transaction's control (parsed): it names, calls and casts nothing, whatever its tokens look
     * like ({@code PREPARE TRANSACTION 'id'} reads as a typed literal; {@link FreshReadingStage#readsCatalog}).
     */
    final boolean transactionControlOnly;
    /**
     * The names of the relations the statements use, qualified or not, as the session's lookups ask them: looked up
     * with the reading made as a limited caller's statement runs ({@link FreshReadingStage#namesUsed}).
     */
    final java.util.Set<String> relationNames;
    /** The unqualified routines the statements call: those that are no built-in are looked up with them. */
    final java.util.List<io.governed.sql.TableRef> routinesCalled;

    private SessionTraits(SqlAnalysis analysis, Dialect dialect, String sql) {
        this.analysis = analysis;
        this.dialect = dialect;
        this.discardsAll = dialect == Dialect.POSTGRESQL && SessionLeftoversStage.discardsAll(sql);
        this.leaves = SessionLeftoversStage.leaves(analysis);
        this.reset = SessionRoleStage.reset(sql, dialect);
        this.roleStageKeeps = sql.indexOf(',') < 0 && sql.indexOf('@') < 0 && sql.indexOf('(') < 0
                && reset != SessionRoleStage.Reset.NONE;
        this.changesPrivileges = analysis == null || SessionRoleStage.changesPrivileges(analysis, sql);
        this.runsUnseenCode = analysis == null || SessionRoleStage.runsUnseenCode(analysis);
        this.definesOrDrops = FreshReadingStage.definesOrDrops(analysis);
        this.namesCatalog = FreshReadingStage.namesCatalog(analysis);
        this.queriesOrControlOnly = FreshReadingStage.queriesOrControlOnly(analysis);
        this.transactionControlOnly = FreshReadingStage.transactionControlOnly(analysis);
        java.util.Set<String> relations = new java.util.LinkedHashSet<>();
        java.util.List<io.governed.sql.TableRef> routines = new java.util.ArrayList<>();
        if (analysis != null && analysis.parsed()) {
            for (io.governed.sql.StatementAnalysis statement : analysis.statements()) {
                FreshReadingStage.namesUsed(statement, relations, routines);
            }
        }
        this.relationNames = java.util.Set.copyOf(relations);
        this.routinesCalled = java.util.List.copyOf(routines);
    }

    /**
     * The answers for {@code text} analysed as {@code analysis} on a connection of {@code dialect}:
     * those kept on the text when they were worked out from this very analysis and dialect, else worked out and kept.
     */
    static SessionTraits of(SqlText text, SqlAnalysis analysis, Dialect dialect) {
        if (analysis == null) {
            return new SessionTraits(null, dialect, text.sql()); // not analysed: it may do anything; nothing kept
        }
        SessionTraits kept = text.rememberedTraits(analysis);
        if (kept != null && kept.dialect == dialect) {
            return kept;
        }
        SessionTraits traits = new SessionTraits(analysis, dialect, text.sql());
        text.rememberTraits(analysis, traits);
        return traits;
    }
}
