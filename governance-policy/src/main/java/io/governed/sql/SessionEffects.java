package io.governed.sql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which statements may change how the session resolves unqualified names (its search path, current
 * schema or current database, the relations it can see), so that whatever was known about that
 * before must be found out again.
 *
 * <p>Fail closed: only statements proven not to are exempt. Those are queries and row changes
 * ({@code SELECT}, {@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code MERGE}) in a text that calls
 * no routine other than a known built-in. Everything else may: {@code SET}/{@code RESET} (a
 * {@code search_path}, a role), {@code USE}, DDL (a relation created, dropped or renamed),
 * {@code CALL}, {@code DO}, transaction ends (a rolled-back or committed {@code SET LOCAL}), and
 * statements that could not be analysed. A routine that is not a known built-in may call
 * {@code set_config('search_path', …)}, so a text calling one counts too.
 *
 * <p>A name is a known built-in only as the rest of the analysis decides it for the text's dialect
 * ({@link BuiltInRoutines#isBuiltIn}): a name of the pure functions' list that the dialect's server has no built-in of
 * ({@code MD5}, {@code VERSION} or {@code INITCAP} on H2, where {@code CREATE ALIAS} may take the name; {@code mask} or
 * {@code crc32} on PostgreSQL, a function any schema may hold; {@code INITCAP} on MariaDB) may be a user routine that
 * runs {@code SET SCHEMA} or {@code SET search_path}, and counts. So does a name the server has only as a table of the
 * {@code FROM} clause ({@code SYSTEM_RANGE}, {@code JSON_TABLE}) called anywhere but right after {@code FROM} or
 * {@code JOIN}, and a function of the session's compatibility mode on H2, which the static list does not hold.
 */
public final class SessionEffects {

    private static final Set<Action> ROW_ACTIONS = Set.of(Action.SELECT, Action.INSERT, Action.UPDATE, Action.DELETE,
            Action.MERGE);

    /** Words that stand before a parenthesis without being a routine's name. */
    private static final Set<String> NOT_ROUTINES = Set.of(
            "in", "values", "exists", "as", "over", "any", "all", "some", "using", "on", "and", "or", "not", "filter",
            "within", "group", "row", "array", "cast", "try_cast", "when", "then", "else", "select", "from", "where",
            "by", "having", "with", "recursive", "lateral", "into", "table", "union", "except", "intersect", "distinct",
            "returning", "set", "conflict", "key", "default", "is", "like", "ilike", "between", "case", "limit",
            "offset", "fetch", "partition", "range", "rows", "groups", "join", "update", "insert", "delete", "merge",
            "matched", "do", "tablesample", "escape", "similar", "to", "of", "for", "unnest", "extract", "substring",
            "position", "overlay", "trim", "coalesce", "nullif", "greatest", "least", "exclude", "window", "order",
            "only", "nulls", "first", "last", "sets", "cube", "rollup", "grouping", "primary", "unique", "check",
            "references", "varchar", "char", "character", "numeric", "decimal", "timestamp", "time", "interval",
            "bit", "varbinary", "binary", "float", "double", "precision", "collate", "at", "zone", "mod", "left",
            "right", "if", "ifnull", "nvl", "convert", "user", "current_user", "session_user", "localtime",
            "localtimestamp", "current_timestamp", "current_time", "lock", "share", "nowait", "skip", "locked");

    /**
     * Built-ins that leave the session's name resolution alone though their results do not derive from
     * their arguments alone (so {@link KnownFunctions} does not list them): sequences, clocks, the
     * session's own identity and settings read (never written).
     */
    private static final Set<String> SESSION_NEUTRAL = Set.of("nextval", "currval", "setval", "lastval",
            "clock_timestamp", "statement_timestamp", "transaction_timestamp", "timeofday", "version",
            "current_setting", "current_database", "current_schema", "current_schemas", "current_catalog",
            "pg_backend_pid", "gen_random_uuid", "random_uuid", "uuid", "txid_current", "last_insert_id",
            "database", "schema", "identity", "scope_identity", "sys_guid", "newid", "uuid_short");

    /**
     * Symbols after which a name followed by a parenthesis is a type or a table, not a call; after a closing
     * parenthesis, an alias with its column list ({@code generate_series(1, 3) x(n)}, as PostgreSQL prints views).
     */
    private static final Set<String> TYPE_OR_TABLE_BEFORE = Set.of("::", "into", "table", "as", "update",
            "references", "only", "with", "recursive", ")");

    /**
     * Words right before a call that make it a table of the {@code FROM} clause, where the names the server has only
     * there are its own ({@link BuiltInRoutines#fromOnly}); after a comma or anything else it counts as an expression.
     */
    private static final Set<String> FROM_ITEM_BEFORE = Set.of("from", "join");

    /** Whether a text calls a routine that is not a known built-in, per dialect and fingerprint: lexing it once is enough. */
    private static final Cache<RoutineKey, Boolean> CALLS_UNKNOWN_ROUTINE = Caffeine.newBuilder().maximumSize(10_000).executor(Runnable::run).build();

    /**
     * A text by dialect and fingerprint: looked up only when {@link #RECENTLY_ASKED} does not hold the fingerprint
     * object, which answers a statement run again, so a record's equality is enough here.
     */
    private record RoutineKey(Dialect dialect, String fingerprint) {
    }

    private SessionEffects() {
    }

    /**
     * Whether running this statement may change how later statements' names resolve.
     *
     * @param analysis the analysis of the whole text (its routine calls count for every statement in it)
     */
    public static boolean mayChangeNameResolution(SqlAnalysis analysis, StatementAnalysis statement) {
        return !ROW_ACTIONS.contains(statement.action()) || statement.has(Trait.DYNAMIC_SQL)
                || statement.has(Trait.COPIES_DATA) || callsUnknownRoutine(analysis);
    }

    /** Whether running the text may change how later statements' names resolve: any of its statements may, or it could not be analysed. */
    public static boolean mayChangeNameResolution(SqlAnalysis analysis) {
        if (!analysis.parsed() || analysis.statements().isEmpty()) {
            return true;
        }
        List<StatementAnalysis> statements = analysis.statements();
        for (int i = 0; i < statements.size(); i++) { // indexed: no iterator per run
            StatementAnalysis statement = statements.get(i);
            if (mayChangeNameResolution(analysis, statement)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the text calls a routine that is not a known built-in ({@code set_config}, a user function,
     * a schema-qualified name outside {@code pg_catalog}), or could not be read well enough to tell.
     */
    public static boolean callsUnknownRoutine(SqlAnalysis analysis) {
        if (!analysis.parsed()) {
            return true;
        }
        String fingerprint = analysis.fingerprint();
        if (fingerprint.length() > SqlAnalyzer.MAXIMUM_CACHED_FINGERPRINT_LENGTH) {
            return lexesToUnknownRoutine(fingerprint, analysis.dialect());
        }
        return RECENTLY_ASKED[analysis.dialect().ordinal()].get(fingerprint);
    }

    /**
     * The answers for the texts asked about lately (short enough to be cached), per dialect, by their fingerprint
     * object: every analysis of a text, the session's resolutions of it on every connection included, hands on the
     * same fingerprint, so a statement run again, kept or prepared again, finds its answer without a cache lookup.
     */
    private static final IdentityMemo<String, Boolean>[] RECENTLY_ASKED = recentlyAsked();

    @SuppressWarnings("unchecked")
    private static IdentityMemo<String, Boolean>[] recentlyAsked() {
        Dialect[] dialects = Dialect.values();
        IdentityMemo<String, Boolean>[] memos = new IdentityMemo[dialects.length];
        for (Dialect dialect : dialects) {
            memos[dialect.ordinal()] = new IdentityMemo<>(512, fingerprint -> callsUnknownRoutine(dialect, fingerprint));
        }
        return memos;
    }

    private static boolean callsUnknownRoutine(Dialect dialect, String fingerprint) {
        RoutineKey key = new RoutineKey(dialect, fingerprint);
        Boolean known = CALLS_UNKNOWN_ROUTINE.getIfPresent(key);
        if (known == null) {
            known = lexesToUnknownRoutine(fingerprint, dialect);
            CALLS_UNKNOWN_ROUTINE.put(key, known);
        }
        return known;
    }

    /**
     * Whether an SQL expression (a column default or a check constraint as the database prints it)
     * calls a routine that is not a known built-in, or could not be read.
     */
    public static boolean expressionCallsUnknownRoutine(String expression, Dialect dialect) {
        return expression != null && lexesToUnknownRoutine("SELECT " + expression, dialect);
    }

    /**
     * Whether an SQL expression (a column default, a check constraint) may leave something in the session past the
     * statement that runs it: it calls a routine that is not a known built-in, a built-in that keeps its arguments (an
     * advisory lock, {@code setval}, MariaDB's {@code LAST_INSERT_ID(x)}), or could not be read. A sequence's
     * {@code nextval} (a serial column's default) does not count.
     */
    public static boolean expressionMayLeaveSomething(String expression, Dialect dialect) {
        return expression != null && textMayLeaveSomething("SELECT " + expression, dialect);
    }

    /**
     * Whether SQL text (a view's definition, several separated by semicolons) may leave something in the session past
     * the statement that runs it, read as {@link #expressionMayLeaveSomething} reads an expression.
     */
    public static boolean textMayLeaveSomething(String sql, Dialect dialect) {
        if (sql == null) {
            return false;
        }
        RoutineFinder finder = new RoutineFinder(true, dialect);
        return SqlLexer.lex(sql, dialect, finder) != null || finder.found;
    }

    private static boolean lexesToUnknownRoutine(String fingerprint, Dialect dialect) {
        RoutineFinder finder = new RoutineFinder(false, dialect);
        LexicalProblem problem = SqlLexer.lex(fingerprint, dialect, finder);
        return problem != null || finder.found;
    }

    /** Finds a name followed by {@code (} that is not a keyword, a type, a table or a known built-in. */
    private static final class RoutineFinder implements TokenSink {
        /** Significant tokens so far: words lower-cased, quoted identifiers as written, symbols; literals as "?". */
        private final List<String> tokens = new ArrayList<>();
        private final List<Boolean> quoted = new ArrayList<>();
        /** Whether a known built-in that keeps its arguments counts as found too. */
        private final boolean keepingCounts;
        private final Dialect dialect;
        boolean found;

        RoutineFinder(boolean keepingCounts, Dialect dialect) {
            this.keepingCounts = keepingCounts;
            this.dialect = dialect;
        }

        @Override
        public void word(String lowerCase) {
            add(lowerCase, false);
        }

        @Override
        public void quotedIdentifier(String asWritten) {
            add(asWritten, true);
        }

        @Override
        public void literal(boolean numeric) {
            add("?", false);
        }

        @Override
        public void parameter(String marker) {
            add("?", false);
        }

        @Override
        public void symbol(String symbol) {
            if (symbol.equals("(") && !found) {
                found = callBefore();
            }
            add(symbol, false);
        }

        @Override
        public void separator() {
        }

        private void add(String token, boolean isQuoted) {
            tokens.add(token);
            quoted.add(isQuoted);
        }

        /** Whether the tokens before a {@code (} end in the name of a routine that is not a known built-in. */
        private boolean callBefore() {
            int last = tokens.size() - 1;
            if (last < 0 || !isName(last)) {
                return false;
            }
            String name = tokens.get(last);
            int start = last;
            while (start >= 2 && tokens.get(start - 1).equals(".") && isName(start - 2)) {
                start -= 2;
            }
            String before = start == 0 ? "" : tokens.get(start - 1);
            if (TYPE_OR_TABLE_BEFORE.contains(before)) {
                return false; // a type, an INSERT's or a CTE's table with its column list
            }
            boolean qualified = start < last;
            if (qualified) {
                String schema = tokens.get(last - 2);
                if (!(schema.equals("pg_catalog") && !quoted.get(last))) {
                    return true; // a routine of some schema: user code, or the same name as a built-in elsewhere
                }
            }
            if (quoted.get(last)) {
                return true;
            }
            if (NOT_ROUTINES.contains(name)) {
                return false;
            }
            if (keepingCounts && KnownFunctions.keepsArguments(name)) {
                return true;
            }
            if (!KnownFunctions.derivesOnlyFromArguments(name) && !SESSION_NEUTRAL.contains(name)) {
                return true;
            }
            // fail closed: a name the dialect's server has no built-in of (where it stands) may be a user routine's
            return !builtInOfTheDialect(name, qualified ? "pg_catalog" : null, FROM_ITEM_BEFORE.contains(before));
        }

        /**
         * Whether the dialect's list of built-ins ({@link BuiltInRoutines}) takes the unquoted {@code name} (lower case),
         * unqualified or in {@code schema}, for the server's own: as a table of the {@code FROM} clause when {@code
         * fromItem}, where the FROM-only names are too.
         */
        private boolean builtInOfTheDialect(String name, String schema, boolean fromItem) {
            BuiltInRoutines listed = BuiltInRoutines.of(dialect);
            TableRef routine = new TableRef(schema, dialect.normalizeIdentifier(name));
            return fromItem ? listed.isBuiltInInFrom(routine) : listed.isBuiltIn(routine);
        }

        private boolean isName(int index) {
            if (quoted.get(index)) {
                return true;
            }
            String token = tokens.get(index);
            return !token.isEmpty() && (Character.isLetter(token.charAt(0)) || token.charAt(0) == '_');
        }
    }
}
