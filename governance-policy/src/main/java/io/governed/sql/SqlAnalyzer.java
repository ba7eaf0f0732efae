package io.governed.sql;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import net.sf.jsqlparser.statement.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analyses SQL text for the policy engine: what each statement does, to which tables and columns,
 * how its UPDATE or DELETE is bounded, and where its result columns come from.
 *
 * <p>Analyses are cached by (dialect, fingerprint). Because texts that differ only in literals share
 * an entry, an analysis never depends on a literal's value: the parser reads a literal-free form of
 * the text (see {@link LexedSql}), and a WHERE made of literals alone counts as always true. The one
 * exception is the code a PostgreSQL {@code DO} runs, a string read from the text itself
 * ({@link StatementAnalysis#code}): an analysis holding a {@code DO} is never cached.
 *
 * <p>{@link #analyze} never throws for bad SQL: text it cannot read gives
 * {@link SqlAnalysis#unparseable} with a message saying what could not be read and where. Thread-safe.
 */
public final class SqlAnalyzer {

    /** Entries the default cache holds. */
    public static final long DEFAULT_MAXIMUM_CACHE_SIZE = 10_000;
    /**
     * Longest fingerprint whose analysis is cached, in characters. Longer texts (generated bulk
     * statements, say) are analysed every time, so that the cache's memory stays bounded too.
     */
    public static final int MAXIMUM_CACHED_FINGERPRINT_LENGTH = 64 * 1024;
    /** Deepest nesting analysed by default: deeper text is refused (the parser's time grows steeply with depth). */
    public static final int MAXIMUM_NESTING_DEPTH = AnalysisLimits.DEFAULT_MAX_DEPTH;
    /** Longest text analysed by default, in characters (1 MiB). */
    public static final int DEFAULT_MAXIMUM_SQL_LENGTH = AnalysisLimits.DEFAULT_MAX_LENGTH;
    /** The first words of the message for text holding a {@code U&"…"} name, which is never analysed. */
    public static final String UNICODE_ESCAPED_IDENTIFIER = "Unicode-escaped identifier";
    /**
     * The first words of every refusal of text whose meaning depends on session state the analyser does
     * not know (MariaDB's {@code ||}): refused whatever the policy's {@code on-unparseable}.
     */
    public static final String SESSION_DEPENDENT = "The statement is refused because its meaning depends on the session";
    /**
     * The first words of every refusal of text the database or its driver would read otherwise than the analysis
     * (a {@code '}'} inside a comment within a JDBC escape, a Unicode space, an H2 {@code $tag$}): refused whatever the
     * policy's {@code on-unparseable}.
     */
    public static final String READ_OTHERWISE = "The statement is refused because the database would read it otherwise "
            + "than it was checked";
    /**
     * The first words of the parse error of a statement of a form known to stay unread (PostgreSQL's {@code UPDATE
     * ONLY t}, MariaDB's {@code ALTER IGNORE TABLE}): what follows says why and what to write instead, naming no value.
     */
    public static final String UNREAD_FORM = "The statement uses a form that is not read";
    /** The first words of every refusal for exceeding a limit. */
    public static final String UNANALYSABLE = "The statement is refused as unanalysable";

    private static final Logger LOG = LoggerFactory.getLogger(SqlAnalyzer.class);

    /**
     * The cache key: texts with one fingerprint share an analysis only if both were lexically complete, or neither, and
     * only if both, or neither, would be read otherwise by the database.
     */
    private record CacheKey(Dialect dialect, String fingerprint, boolean complete, boolean misread) {
    }

    private final Cache<CacheKey, SqlAnalysis> cache;
    private final AnalysisLimits limits;

    /** An analyser with a cache of {@value #DEFAULT_MAXIMUM_CACHE_SIZE} entries. */
    public SqlAnalyzer() {
        this(DEFAULT_MAXIMUM_CACHE_SIZE);
    }

    /** An analyser whose cache holds at most {@code maximumCacheSize} analyses. */
    public SqlAnalyzer(long maximumCacheSize) {
        this(maximumCacheSize, DEFAULT_MAXIMUM_SQL_LENGTH);
    }

    /**
     * @param maximumCacheSize how many analyses the cache holds at most (0 disables caching)
     * @param maximumSqlLength texts longer than this many characters are refused as unparseable
     */
    public SqlAnalyzer(long maximumCacheSize, int maximumSqlLength) {
        this(maximumCacheSize, AnalysisLimits.DEFAULTS.withMaxLength(checkLength(maximumSqlLength)));
    }

    /**
     * @param maximumCacheSize how many analyses the cache holds at most (0 disables caching)
     * @param limits           depth, length and time beyond which a text is refused as unanalysable
     */
    public SqlAnalyzer(long maximumCacheSize, AnalysisLimits limits) {
        if (maximumCacheSize < 0) {
            throw new IllegalArgumentException("maximumCacheSize must be 0 or more, got " + maximumCacheSize);
        }
        this.cache = Caffeine.newBuilder().maximumSize(maximumCacheSize).recordStats().executor(Runnable::run).build();
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    private static int checkLength(int maximumSqlLength) {
        if (maximumSqlLength < 1) {
            throw new IllegalArgumentException("maximumSqlLength must be at least 1, got " + maximumSqlLength);
        }
        return maximumSqlLength;
    }

    /** The limits beyond which a text is refused as unanalysable. */
    public AnalysisLimits limits() {
        return limits;
    }

    /** The analysis of {@code sql} as {@code dialect} reads it; never {@code null}, never throws for bad SQL. */
    public SqlAnalysis analyze(String sql, Dialect dialect) {
        Objects.requireNonNull(dialect, "dialect");
        if (sql == null) {
            return SqlAnalysis.unparseable("", dialect, "No SQL text was given (it is null): pass the statement to run.");
        }
        if (sql.length() > limits.maxLength()) {
            return SqlAnalysis.unparseable(SqlFingerprint.of(sql.substring(0, 200), dialect) + " …", dialect,
                    UNANALYSABLE + ": its text is " + sql.length() + " characters long, over the analyser's limit of "
                            + limits.maxLength() + " (governed.analysis.max-length): split it into smaller statements "
                            + "or raise the limit.");
        }
        long deadline = System.nanoTime() + limits.maxTime().toNanos();
        LexedSqlBuilder fingerprint = new LexedSqlBuilder(false);
        LexicalProblem problem = SqlLexer.lex(sql, dialect, fingerprint);
        String fingerprintText = fingerprint.fingerprint();
        if (fingerprintText.length() > MAXIMUM_CACHED_FINGERPRINT_LENGTH) {
            return analyzeUncached(sql, dialect, deadline);
        }
        CacheKey key = new CacheKey(dialect, fingerprintText, problem == null, problem != null && problem.misread());
        SqlAnalysis[] unkept = new SqlAnalysis[1];
        SqlAnalysis analysis = cache.get(key, k -> {
            SqlAnalysis analysed = analyzeUncached(sql, dialect, deadline);
            if (analysed.statements().stream().anyMatch(s -> s.code() != null)) {
                // an analysis of a DO holds the code of its body, a literal that texts of its fingerprint do not share
                unkept[0] = analysed;
                return null;
            }
            return analysed;
        });
        if (analysis == null) {
            return unkept[0] != null ? unkept[0] : analyzeUncached(sql, dialect, deadline);
        }
        if (overTime(analysis)) {
            cache.invalidate(key); // a refusal for time may not recur on a less busy machine: not kept
        }
        return analysis;
    }

    /**
     * {@code analysis} of {@code sql} with the code each of its {@code DO} statements runs read from the text
     * ({@link DoBlocks}), on PostgreSQL; every other dialect's {@code DO} (and one whose text cannot be matched to it)
     * stays {@link CodeBlock#UNREAD}.
     */
    private static SqlAnalysis withCode(SqlAnalysis analysis, String sql, Dialect dialect) {
        if (dialect != Dialect.POSTGRESQL || !analysis.parsed()
                || analysis.statements().stream().allMatch(s -> s.code() == null)) {
            return analysis;
        }
        List<CodeBlock> blocks = DoBlocks.of(sql);
        long blocksAnalysed = analysis.statements().stream().filter(s -> s.code() != null).count();
        if (blocks == null || blocks.size() != blocksAnalysed) {
            return analysis; // which code belongs to which DO cannot be told: none read
        }
        List<StatementAnalysis> statements = new ArrayList<>(analysis.statements().size());
        int next = 0;
        for (StatementAnalysis s : analysis.statements()) {
            statements.add(s.code() == null ? s : s.withCode(blocks.get(next++)));
        }
        return new SqlAnalysis(analysis.fingerprint(), analysis.dialect(), statements, analysis.parseError());
    }

    /**
     * Whether {@code sql} means the same however a session of {@code dialect} reads backslashes in plain strings:
     * PostgreSQL as characters ({@code standard_conforming_strings = on}, the default, which the analysis assumes) or
     * as escapes ({@code off}); MariaDB as escapes (the default) or as characters (the {@code NO_BACKSLASH_ESCAPES}
     * SQL mode). True when the text holds no backslash, when the dialect has one reading, or when both readings lex
     * it to the same tokens starting at the same places, each string ending where it ended the other way (and leave it
     * complete or unterminated alike), so that the statements analysed are the ones the session runs either way and
     * only the characters a backslash escapes may differ; false when a string ends elsewhere, even where a comment
     * then hides the difference from the tokens (a role or setting name would be read differently).
     */
    public static boolean stringsReadAlikeEitherWay(String sql, Dialect dialect) {
        if (!SqlLexer.stringEscapesVary(dialect) || sql.indexOf('\\') < 0) {
            return true;
        }
        TokenPlaces usual = new TokenPlaces();
        TokenPlaces other = new TokenPlaces();
        boolean usualComplete = SqlLexer.lex(sql, dialect, usual) == null;
        boolean otherComplete = SqlLexer.lex(sql, dialect, other, true) == null;
        return usualComplete == otherComplete && usual.sameAs(other);
    }

    /** The statements of the parse text that are not blank, split at its top-level semicolons. */
    private static List<String> pieces(String text, int[] ends) {
        List<String> pieces = new ArrayList<>(ends.length + 1);
        int start = 0;
        for (int i = 0; i <= ends.length; i++) {
            int end = i < ends.length ? ends[i] : text.length();
            String piece = text.substring(start, end);
            if (!piece.isBlank()) {
                pieces.add(piece);
            }
            start = end + 1;
        }
        return pieces;
    }

    private static boolean overTime(SqlAnalysis analysis) {
        return !analysis.parsed() && analysis.parseError().startsWith(UNANALYSABLE + ": its analysis took longer");
    }

    /** Thrown between steps when the analysis has used up its time. */
    private static final class OverTime extends RuntimeException {
        OverTime() {
            super(null, null, false, false);
        }
    }

    private static void checkTime(long deadline) {
        if (System.nanoTime() - deadline > 0) {
            throw new OverTime();
        }
    }

    /** Statistics of the analysis cache so far. */
    public AnalysisCacheStats cacheStats() {
        CacheStats stats = cache.stats();
        return new AnalysisCacheStats(stats.hitCount(), stats.missCount(), stats.evictionCount(),
                cache.estimatedSize(), stats.hitRate());
    }

    /** The underlying Caffeine cache, for binding to a metrics registry. */
    public Cache<?, ?> cache() {
        return cache;
    }

    private SqlAnalysis analyzeUncached(String sql, Dialect dialect, long deadline) {
        LexedSql lexed = LexedSql.of(sql, dialect);
        String fingerprint = lexed.fingerprint();
        if (lexed.problem() != null) {
            LexicalProblem p = lexed.problem();
            if (p.description().equals(SqlLexer.SANDBOX_LINE)) {
                return SqlAnalysis.unparseable(fingerprint, dialect, UNREAD_FORM + ": " + p.description() + ".");
            }
            if (p.misread()) {
                return SqlAnalysis.unparseable(fingerprint, dialect, READ_OTHERWISE + ": " + p.description() + " (at "
                        + position(sql, p.sourceOffset()) + ").");
            }
            return SqlAnalysis.unparseable(fingerprint, dialect, p.description() + " at "
                    + position(sql, p.sourceOffset()) + ": correct the text, or check that it is "
                    + displayName(dialect) + " SQL.");
        }
        if (lexed.parseText().isBlank()) {
            return SqlAnalysis.unparseable(fingerprint, dialect,
                    "No SQL statement: the text is empty or holds only comments.");
        }
        if (dialect == Dialect.MARIADB && lexed.doubleQuotedString()) {
            // a string under MariaDB's default sql_mode, a name under ANSI_QUOTES (or ANSI), which a session may set:
            // SELECT "ssn" FROM t reads the column there, where the analysis saw a constant no mask follows
            return SqlAnalysis.unparseable(fingerprint, dialect, SESSION_DEPENDENT + ": on MariaDB, \"…\" is a string,"
                    + " or a name when the session's sql_mode holds ANSI_QUOTES or ANSI, and which one applies cannot be"
                    + " known for certain. Write strings in single quotes ('…') and names in backticks (`…`).");
        }
        if (dialect == Dialect.MARIADB && lexed.doubleBar()) {
            // OR under MariaDB's default sql_mode, concatenation under PIPES_AS_CONCAT or ANSI, which a session
            // may set: WHERE id = 1 || 1 bounds nothing under the first reading. Neither is assumed.
            return SqlAnalysis.unparseable(fingerprint, dialect, SESSION_DEPENDENT + ": on MariaDB, || means OR, "
                    + "or joins strings when the session's sql_mode holds PIPES_AS_CONCAT or ANSI, and which one "
                    + "applies cannot be known for certain. Write OR for a condition, or CONCAT(…) to join strings.");
        }
        if (lexed.maxNestingDepth() > limits.maxDepth()) {
            return SqlAnalysis.unparseable(fingerprint, dialect, UNANALYSABLE + ": it nests parentheses, subqueries or "
                    + "CASE expressions " + lexed.maxNestingDepth() + " levels deep, over the analyser's limit of "
                    + limits.maxDepth() + " (governed.analysis.max-depth): simplify the statement or raise the limit.");
        }
        try {
            checkTime(deadline);
            return withCode(analyzeParseText(sql, lexed, dialect, deadline), sql, dialect);
        } catch (OverTime e) {
            return SqlAnalysis.unparseable(fingerprint, dialect, UNANALYSABLE + ": its analysis took longer than the "
                    + "analyser's limit of " + limits.maxTime().toMillis() + " ms (governed.analysis.max-time): "
                    + "simplify the statement or raise the limit.");
        } catch (StackOverflowError e) {
            return SqlAnalysis.unparseable(fingerprint, dialect, UNANALYSABLE + ": it nests too deeply for the "
                    + "analyser's stack: simplify the statement or lower governed.analysis.max-depth.");
        } catch (UnreadForm e) {
            return SqlAnalysis.unparseable(fingerprint, dialect, UNREAD_FORM + ": " + e.getMessage());
        } catch (MisreadStatement e) {
            return SqlAnalysis.unparseable(fingerprint, dialect, READ_OTHERWISE + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // A parse tree shape the walker does not expect: fail closed, but say so.
            LOG.warn("SQL analysis failed for fingerprint hash {}: {}", fingerprint.hashCode(), e.toString());
            return SqlAnalysis.unparseable(fingerprint, dialect, "The statement could not be analysed ("
                    + e.getClass().getSimpleName() + "); it is treated as unreadable.");
        }
    }

    /**
     * The quoted names of {@code text} that hold a dot ({@code "a.b"}, MariaDB's {@code `a.b`}), normalised: the parser
     * splits them at the dot in many statements ({@link QueryWalker#tableRef}).
     */
    private static Set<String> dottedNames(String text, Dialect dialect) {
        if (text.indexOf('"') < 0 && text.indexOf('`') < 0) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        Tokens tokens = Tokens.of(text, dialect);
        for (int i = 0; i < tokens.size(); i++) {
            Tokens.Token token = tokens.get(i);
            if (token.kind() == TokenSpacing.Kind.QUOTED && token.text().indexOf('.') >= 0) {
                names.add(dialect.normalizeIdentifier(token.text()));
            }
        }
        return names;
    }

    private SqlAnalysis analyzeParseText(String sql, LexedSql lexed, Dialect dialect, long deadline) {
        String text = lexed.parseText();
        StatementWalker walker = new StatementWalker(dialect, dottedNames(text, dialect));
        StatementParser.Result whole = StatementParser.parse(text, lexed.maxNestingDepth());
        List<StatementAnalysis> statements = new ArrayList<>();
        int[] ends = lexed.statementEnds();
        if (dialect == Dialect.MARIADB) {
            // a routine's, trigger's or event's BEGIN … END body holds top-level ';' of its own, and the parser reads
            // a definition to the text's end, with the statements after it: where the body ends is matched here
            ends = MariaDbDefinitionEnds.statementEnds(text, ends);
            if (ends == null) {
                return SqlAnalysis.unparseable(lexed.fingerprint(), dialect, "The text holds a routine, trigger or "
                        + "event definition whose body's end could not be read for certain, and statements may follow "
                        + "it: send the definition as a statement of its own, or check its syntax for MariaDB.");
            }
        }
        List<PostgresDefinitionEnds.Body> bodies = new ArrayList<>();
        if (dialect == Dialect.POSTGRESQL) {
            // a routine's SQL-standard body (BEGIN ATOMIC stmt; … END) holds top-level ';' of its own: where it ends is
            // matched here, and the definition is read as one statement, the statements after its END as their own
            ends = PostgresDefinitionEnds.statementEnds(text, ends, bodies);
            if (ends == null) {
                return SqlAnalysis.unparseable(lexed.fingerprint(), dialect, "The text holds a routine definition "
                        + "whose BEGIN ATOMIC body's end could not be read for certain, and statements may follow it: "
                        + "send the definition as a statement of its own, or check its syntax for PostgreSQL.");
            }
        }
        List<String> wholePieces = whole.parsed() && bodies.isEmpty() ? pieces(text, ends) : List.of();
        if (whole.parsed() && bodies.isEmpty() && !whole.statements().isEmpty()
                && wholePieces.size() == whole.statements().size()) {
            // every top-level ';' (on MariaDB, outside a definition's body) ends a statement; the parser reads a
            // CREATE FUNCTION's body to the text's end, with the statements after it (CREATE FUNCTION …; CREATE
            // TRIGGER …, CREATE PROCEDURE …; DROP TABLE …), which would go unseen: such a text is read piece by piece
            // below
            List<Statement> parsed = whole.statements();
            List<String> pieces = wholePieces;
            checkTime(deadline);
            for (int i = 0; i < parsed.size(); i++) {
                String source = pieces.size() == parsed.size() ? pieces.get(i) : null;
                addStatement(statements, walker.analyze(parsed.get(i), source), lexed.jdbcCall(lexerIndex(ends, i,
                        lexed.statementEnds())));
                checkTime(deadline);
            }
            return new SqlAnalysis(lexed.fingerprint(), dialect, statements, null);
        }
        // Read statement by statement, so that a statement on the fallback list can be analysed from its tokens.
        UnparsedStatementFallback fallback = new UnparsedStatementFallback(dialect, piece -> {
            StatementParser.Result r = StatementParser.parse(piece, lexed.maxNestingDepth());
            if (!r.parsed() || r.statements().size() != 1) {
                return null;
            }
            return walker.analyze(r.statements().get(0));
        });
        int start = 0;
        int index = 0;
        for (int i = 0; i <= ends.length; i++) {
            int end = i < ends.length ? ends[i] : text.length();
            String piece = withoutAtomicBody(text, start, end, bodies);
            if (!piece.isBlank()) {
                StatementParser.Result r = StatementParser.parse(piece, lexed.maxNestingDepth());
                List<StatementAnalysis> analysed = null;
                checkTime(deadline);
                String read = piece;
                if (!(r.parsed() && r.statements().size() == 1)) {
                    // a name the parser takes for a keyword (INSERT INTO t (settings) …): read again with the names
                    // that stand where only a name may stand quoted as the database folds them (KeywordNames)
                    String requoted = KeywordNames.requoted(piece, dialect);
                    if (requoted != null) {
                        StatementParser.Result again = StatementParser.parse(requoted, lexed.maxNestingDepth());
                        checkTime(deadline);
                        if (again.parsed() && again.statements().size() == 1) {
                            r = again;
                            read = requoted;
                        }
                    }
                }
                if (r.parsed() && r.statements().size() == 1) {
                    analysed = walker.analyze(r.statements().get(0), read);
                } else {
                    analysed = fallback.analyze(piece);
                }
                checkTime(deadline);
                if (analysed == null && dialect == Dialect.MARIADB && MariaDbTableOptions.mayHoldUnionOption(piece, dialect)) {
                    throw new MisreadStatement("an ALTER or CREATE TABLE that may carry a UNION table option (which makes"
                            + " a MERGE table a second name for the tables it lists) could not be read, so which tables it"
                            + " exposes cannot be checked; write the option first (ALTER TABLE t UNION=(a, b) ENGINE=MERGE)"
                            + " or after a comma (ENGINE=MERGE, UNION=(a, b))");
                }
                if (analysed == null) {
                    String refused = UnparsedStatementFallback.refusedForm(piece, dialect);
                    if (refused != null) {
                        return SqlAnalysis.unparseable(lexed.fingerprint(), dialect, UNREAD_FORM
                                + (ends.length > 0 ? " (statement " + (index + 1) + ")" : "") + ": " + refused + ".");
                    }
                    return unreadable(sql, lexed, dialect, index, ends.length > 0, start, r);
                }
                addStatement(statements, analysed, lexed.jdbcCall(lexerIndex(ends, i, lexed.statementEnds())));
                index++;
            }
            start = end + 1;
        }
        if (statements.isEmpty()) {
            return SqlAnalysis.unparseable(lexed.fingerprint(), dialect,
                    "No SQL statement: the text holds only semicolons.");
        }
        return new SqlAnalysis(lexed.fingerprint(), dialect, statements, null);
    }

    /**
     * The statement of the parse text from {@code start} to {@code end}, its {@code BEGIN ATOMIC … END} body, when it
     * holds one, replaced by {@code AS ''}: a routine with a SQL-standard body is judged as the same routine with its
     * body quoted ({@code AS $$…$$}) is, its body read from the catalog where a call runs it.
     */
    private static String withoutAtomicBody(String text, int start, int end, List<PostgresDefinitionEnds.Body> bodies) {
        for (PostgresDefinitionEnds.Body body : bodies) {
            if (body.start() >= start && body.end() <= end) {
                return text.substring(start, body.start()) + "AS ''" + text.substring(body.end(), end);
            }
        }
        return text.substring(start, end);
    }

    /** The lexer's index of the statement ending at {@code ends[i]} (or the last): its count of ';' before it. */
    private static int lexerIndex(int[] ends, int i, int[] lexerEnds) {
        if (ends == lexerEnds) {
            return i;
        }
        int start = i == 0 ? 0 : ends[i - 1] + 1;
        int index = 0;
        for (int end : lexerEnds) {
            if (end < start) {
                index++;
            }
        }
        return index;
    }

    private static void addStatement(List<StatementAnalysis> statements, List<StatementAnalysis> analysed,
                                     boolean jdbcCall) {
        StatementAnalysis first = analysed.get(0);
        if (jdbcCall && first.action() == Action.CALL) {
            Set<Trait> traits = EnumSet.of(Trait.JDBC_ESCAPE);
            traits.addAll(first.traits());
            first = first.withTraits(traits);
        }
        statements.add(first);
        statements.addAll(analysed.subList(1, analysed.size()));
    }

    private static SqlAnalysis unreadable(String sql, LexedSql lexed, Dialect dialect, int index, boolean several,
                                          int pieceStart, StatementParser.Result result) {
        int offset = result.parsed() ? pieceStart : pieceStart + Math.max(0, result.errorOffset());
        String found = result.parsed() || result.unexpected().isEmpty() ? "" : "'" + result.unexpected() + "' ";
        String which = several ? "Statement " + (index + 1) + " could not be read" : "The statement could not be read";
        String message = which + ": parsing stopped at " + found + "(" + position(sql, lexed.sourceOffset(offset)) + ")"
                + ". Check its syntax for " + displayName(dialect)
                + ", or the statement uses syntax the analyser does not support.";
        LOG.debug("Unparseable SQL ({}): {}", dialect, message);
        return SqlAnalysis.unparseable(lexed.fingerprint(), dialect, message);
    }

    private static String position(String sql, int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset && i < sql.length(); i++) {
            if (sql.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return "line " + line + ", column " + column;
    }

    /** The dialect's name as messages give it ("PostgreSQL", "SQL Server", …). */
    static String displayName(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> "PostgreSQL";
            case MARIADB -> "MariaDB";
            case H2, H2_LOWER_CASE -> "H2";
            case SQLSERVER -> "SQL Server";
            case ORACLE -> "Oracle";
            case GENERIC -> "standard";
        };
    }
}
