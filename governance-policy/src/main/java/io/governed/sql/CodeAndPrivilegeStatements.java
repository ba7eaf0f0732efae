package io.governed.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Classifies, from their tokens, the statements that define code the database runs later, change
 * privileges or the session's role, change server settings, or reach files and other databases,
 * whether the parser could read them or not. Everything here fails closed: a {@code CREATE} or
 * {@code ALTER} of a kind not known to be plain data definition is looked at word by word before
 * it may pass as an ordinary {@code create}.
 *
 * <ul>
 *   <li>{@code CREATE [OR REPLACE] … FUNCTION|PROCEDURE|TRIGGER|RULE|EVENT [TRIGGER]|EXTENSION|POLICY|
 *       ALIAS|AGGREGATE|OPERATOR|CAST|LANGUAGE|TRANSFORM|CONVERSION|PACKAGE|ACCESS METHOD|FOREIGN|SERVER},
 *       the same with {@code ALTER}, and {@code DO}: {@link Action#DEFINE_CODE} ({@code DO} with
 *       {@link Trait#DYNAMIC_SQL} and the code it runs, {@link StatementAnalysis#code});</li>
 *   <li>{@code SET ROLE}, {@code SET SESSION AUTHORIZATION}, {@code SET PASSWORD}, {@code SET DEFAULT ROLE},
 *       {@code RESET ALL|ROLE|SESSION AUTHORIZATION}, {@code CREATE/ALTER/DROP ROLE|USER|GROUP},
 *       {@code RENAME USER}, {@code REASSIGN OWNED}, {@code DROP OWNED}, {@code ALTER DEFAULT PRIVILEGES},
 *       {@code … OWNER TO}: {@link Trait#PRIVILEGE_CHANGE};</li>
 *   <li>{@code ALTER SYSTEM}, MariaDB {@code SET GLOBAL|PERSIST|@@global.x} and {@code RESET}, {@code ALTER DATABASE|ROLE|USER … SET},
 *       and every H2 {@code SET} but a few session settings: {@link Trait#SERVER_SETTING};</li>
 *   <li>a PostgreSQL or MariaDB {@code SET} (or PostgreSQL {@code RESET}) of a setting {@link SessionSettings} does
 *       not list, or whose settings cannot be read for certain: {@link Trait#UNLISTED_SETTING};</li>
 *   <li>H2 {@code SCRIPT}, {@code RUNSCRIPT}, {@code BACKUP}, {@code CREATE LINKED TABLE}:
 *       {@link Trait#FILE_ACCESS} (SCRIPT without a file returns every table's rows: a read of every table; SCRIPT
 *       is COPY on every table).</li>
 * </ul>
 */
final class CodeAndPrivilegeStatements {

    /** Words after CREATE/ALTER [OR REPLACE …] that name code the database runs later. */
    private static final Set<String> CODE_KINDS = Set.of(
            "function", "procedure", "routine", "trigger", "rule", "event", "extension", "policy", "alias", "aggregate",
            "operator", "cast", "language", "transform", "conversion", "package", "access", "foreign", "server",
            "library", "type_body");
    /** Words after CREATE that name plain data definitions (or roles): the scan for a code kind stops there. */
    private static final Set<String> DATA_KINDS = Set.of(
            "table", "view", "index", "unique", "sequence", "schema", "database", "domain", "type", "materialized",
            "tablespace", "publication", "subscription", "synonym", "statistics", "collation", "temporary", "temp",
            "unlogged", "global", "local", "memory", "cached", "fulltext", "spatial", "constant", "recursive");
    private static final Set<String> ROLE_KINDS = Set.of("role", "user", "group");
    /** Words before the kind that CREATE may carry: OR REPLACE, OR ALTER, DEFINER = x, SQL SECURITY x, … */
    private static final Set<String> CREATE_MODIFIERS = Set.of(
            "or", "replace", "alter", "definer", "sql", "security", "invoker", "trusted", "procedural", "constraint",
            "aggregate", "force", "noforce", "editionable", "noneditionable", "current_user", "if", "not", "exists",
            "algorithm", "undefined", "merge", "temptable");
    /** H2 SET commands that change only the session (every other H2 SET changes the database). */
    private static final Set<String> H2_SESSION_SETTINGS = Set.of(
            "schema", "schema_search_path", "lock_timeout", "query_timeout", "autocommit", "time", "non_keywords",
            "lazy_query_execution", "throttle", "variable_binary", "session", "catalog", "trace_level_system_out",
            "default_null_ordering", "truncate_large_length");

    private CodeAndPrivilegeStatements() {
    }

    /**
     * Classifies the statement whose tokens are given into {@code out} when it is one of the kinds
     * above; answers whether it was (when not, {@code out} is unchanged).
     */
    static boolean classify(Tokens tokens, Dialect dialect, StatementBuilder out) {
        if (tokens.size() == 0 || tokens.get(0).kind() != TokenSpacing.Kind.WORD) {
            return false;
        }
        String head = tokens.get(0).text();
        return switch (head) {
            case "create" -> create(tokens, dialect, out, Action.CREATE);
            case "alter" -> alter(tokens, dialect, out);
            case "drop" -> dropRole(tokens, out);
            case "do" -> dialect != Dialect.MARIADB && doBlock(out); // MariaDB's DO evaluates expressions
            case "set" -> set(tokens, dialect, out);
            case "reset" -> reset(tokens, dialect, out);
            case "rename" -> tokens.isWord(1, "user") && set(out, Action.RENAME, Trait.PRIVILEGE_CHANGE);
            case "reassign" -> set(out, Action.ALTER, Trait.PRIVILEGE_CHANGE);
            case "script" -> h2Script(tokens, dialect, out);
            case "runscript" -> dialect.isH2() && set(out, Action.EXECUTE, Trait.FILE_ACCESS)
                    && set(out, Action.EXECUTE, Trait.DYNAMIC_SQL);
            case "backup" -> dialect.isH2() && set(out, Action.COPY, Trait.FILE_ACCESS);
            default -> false;
        };
    }

    /**
     * {@code DO …}: code run at once, judged as a call of a routine with that body ({@link StatementAnalysis#code});
     * its body is read from the text itself ({@link DoBlocks}), never from this literal-free form.
     */
    private static boolean doBlock(StatementBuilder out) {
        out.code = CodeBlock.UNREAD;
        return set(out, Action.DEFINE_CODE, Trait.DYNAMIC_SQL);
    }

    private static boolean set(StatementBuilder out, Action action, Trait trait) {
        out.action = action;
        if (trait != null) {
            out.trait(trait);
        }
        return true;
    }

    /**
     * Whether the modifiers before the kind word at {@code kind} hold a {@code DEFINER = d} whose {@code d} is not
     * {@code CURRENT_USER} (an account or a role), or a {@code DEFINER} that cannot be read.
     */
    static boolean otherDefiner(Tokens tokens, int kind) {
        for (int i = 1; i < kind; i++) {
            if (tokens.isWord(i, "definer") && tokens.get(i + 1).text().equals("=")) {
                return !tokens.isWord(i + 2, "current_user") || UnparsedStatementFallback.definerEnd(tokens, i + 2) < 0;
            }
        }
        return false;
    }

    /** The index of the kind word after CREATE/ALTER and its modifiers, or -1. */
    private static int kindAt(Tokens tokens, int from) {
        for (int i = from; i < tokens.size() && i < from + 16; i++) {
            Tokens.Token t = tokens.get(i);
            if (t.kind() != TokenSpacing.Kind.WORD) {
                continue; // DEFINER = 'u'@'h', `u`@`h`
            }
            String word = t.text();
            if (CODE_KINDS.contains(word) || DATA_KINDS.contains(word) || ROLE_KINDS.contains(word)
                    || word.equals("linked") || word.equals("system") || word.equals("default")) {
                return i;
            }
            if (!CREATE_MODIFIERS.contains(word) && !word.startsWith("@") && !tokens.get(i - 1).text().equals("=")
                    && !tokens.get(i + 1).text().equals("@") && !tokens.get(i - 1).text().equals("@")) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean create(Tokens tokens, Dialect dialect, StatementBuilder out, Action plain) {
        int kind = kindAt(tokens, 1);
        if (kind < 0) {
            // A CREATE of a kind this list does not know: neither plain data definition nor permitted as such (a text
            // search parser's functions, say, run in other sessions' statements)
            return set(out, Action.OTHER, Trait.ATTACHES_CODE);
        }
        String word = tokens.get(kind).text();
        if (CODE_KINDS.contains(word)) {
            out.action = Action.DEFINE_CODE;
            if (CALLED_KINDS.contains(word)) {
                refuseBuiltInName(tokens.nameAt(afterKindWords(tokens, kind)), dialect);
            }
            codeObject(tokens, kind, dialect, out);
            foreignTable(tokens, kind, out);
            if (dialect == Dialect.MARIADB && otherDefiner(tokens, kind)) {
                // the code runs with the privileges of the account it names, not the caller's
                out.trait(Trait.PRIVILEGE_CHANGE);
            }
            if (!newRoutine(tokens, kind, word)) {
                out.trait(Trait.ATTACHES_CODE);
            }
            return true;
        }
        if (ROLE_KINDS.contains(word)) {
            return set(out, plain, Trait.PRIVILEGE_CHANGE);
        }
        if (word.equals("linked") && dialect.isH2()) {
            out.action = plain;
            out.trait(Trait.FILE_ACCESS);
            // its rows are those of a table or query of any database, this one's too, under a name of its own
            out.tablesRead.add(new TableRef("*", "*"));
            List<String> name = tokens.nameAt(kind + 2);
            if (!name.isEmpty()) {
                out.tablesWritten.add(ref(name, dialect));
            }
            return true;
        }
        return false;
    }

    /**
     * {@code CREATE OR REPLACE} of a data definition replaces what may already exist: a table, database, schema or
     * sequence is dropped with everything in it (MariaDB), a view loses its definition (and with it, say, the
     * condition that kept rows out), an index is built anew. Such a statement, classified as a {@code create},
     * becomes a {@code drop} (table, database, schema, sequence) or an {@code alter} (a view's also
     * {@link Trait#DROPS_PART}, as {@code ALTER VIEW … AS} is), with the trait {@link Trait#REPLACES}, which makes it a
     * {@code create} too ({@code Access}): it is allowed only where each is.
     */
    static void markReplace(Tokens tokens, StatementBuilder out) {
        if (out.action != Action.CREATE || tokens.size() < 4 || !tokens.isWord(1, "or") || !tokens.isWord(2, "replace")) {
            return;
        }
        Action replaced = Action.ALTER;
        for (int i = 3; i < tokens.size() && i < 3 + 16; i++) {
            if (tokens.isWord(i, "table") || tokens.isWord(i, "database") || tokens.isWord(i, "schema")
                    || tokens.isWord(i, "sequence")) {
                replaced = Action.DROP;
                break;
            }
            if (tokens.isWord(i, "view")) {
                out.trait(Trait.DROPS_PART);
                break;
            }
            if (tokens.isWord(i, "index")) {
                break;
            }
        }
        out.action = replaced;
        out.trait(Trait.REPLACES);
    }

    /**
     * The text of the statements a PostgreSQL {@code CREATE [OR REPLACE] RULE … DO [ALSO | INSTEAD] action} runs (its
     * parentheses removed, {@code ;} between several), or {@code null} for another statement or {@code DO … NOTHING}.
     */
    static String ruleActions(Tokens tokens, String text) {
        int rule = tokens.isWord(1, "or") && tokens.isWord(2, "replace") ? 3 : 1;
        if (!tokens.isWord(0, "create") || !tokens.isWord(rule, "rule")) {
            return null;
        }
        int doAt = tokens.indexOfWord("do", rule + 1);
        if (doAt < 0) {
            return null;
        }
        int from = tokens.isWord(doAt + 1, "also") || tokens.isWord(doAt + 1, "instead") ? doAt + 2 : doAt + 1;
        if (from >= tokens.size() || tokens.isWord(from, "nothing")) {
            return null;
        }
        String actions = text.substring(tokens.get(from).offset()).strip();
        if (actions.endsWith(";")) {
            actions = actions.substring(0, actions.length() - 1).strip();
        }
        if (actions.startsWith("(") && actions.endsWith(")")) {
            actions = actions.substring(1, actions.length() - 1);
        }
        return actions;
    }

    /** The words a MariaDB event's body may start with for the analysis to read it: one plain SQL statement. */
    private static final Set<String> EVENT_BODY_STARTS = Set.of(
            "select", "insert", "update", "delete", "replace", "with", "truncate", "call", "create", "alter", "drop",
            "rename", "set", "values", "table");

    /**
     * The body of a MariaDB {@code CREATE [OR REPLACE] [DEFINER = u] EVENT … DO body} or {@code ALTER … EVENT … DO body},
     * which the server's event scheduler runs as the event's definer. {@code null} for another statement or an event
     * without {@code DO} ({@code ALTER EVENT e DISABLE}); otherwise the texts of the one statement it runs, or of the
     * statements and expressions of its {@code BEGIN [NOT ATOMIC] … END} block as {@link MariaDbRoutineBody} reads a
     * routine's (none for an empty block), or {@link EventBody#UNREAD} when the body cannot be read for certain: a
     * statement that is not a plain SQL statement, a block that routine reading does not know, or no body at all.
     */
    static EventBody eventBody(Tokens tokens, String text) {
        if (!tokens.isWord(0, "create") && !tokens.isWord(0, "alter")) {
            return null;
        }
        int kind = kindAt(tokens, 1);
        if (kind < 0 || !tokens.isWord(kind, "event") || tokens.isWord(kind + 1, "trigger")) {
            return null;
        }
        int doAt = tokens.indexOfWord("do", kind + 1);
        if (doAt < 0) {
            return null;
        }
        int from = doAt + 1;
        int to = tokens.size();
        while (to > from && tokens.get(to - 1).kind() == TokenSpacing.Kind.SYMBOL && tokens.get(to - 1).text().equals(";")) {
            to--;
        }
        if (tokens.isWord(from, "begin")) {
            int inner = from + 1;
            if (tokens.isWord(inner, "not") && tokens.isWord(inner + 1, "atomic")) {
                inner += 2;
            }
            if (inner + 1 == to && tokens.isWord(inner, "end")) {
                return new EventBody(List.of());
            }
            if (!tokens.isWord(to - 1, "end")) {
                return EventBody.UNREAD;
            }
            // a block of plain SQL statements, each read as a statement the event runs; anything else in it (a
            // declaration, a condition, a loop, a label, a nested block) carries values no statement shows
            List<String> block = new ArrayList<>();
            int start = inner;
            int depth = 0;
            for (int i = inner; i < to - 1; i++) {
                Tokens.Token t = tokens.get(i);
                boolean symbol = t.kind() == TokenSpacing.Kind.SYMBOL;
                if (symbol && t.text().equals("(")) {
                    depth++;
                } else if (symbol && t.text().equals(")")) {
                    depth--;
                } else if (symbol && t.text().equals(";")) {
                    if (depth != 0 || i == start || tokens.get(start).kind() != TokenSpacing.Kind.WORD
                            || !EVENT_BODY_STARTS.contains(tokens.get(start).text())
                            || tokens.get(start + 1).kind() == TokenSpacing.Kind.SYMBOL
                            && tokens.get(start + 1).text().equals(":")) {
                        return EventBody.UNREAD;
                    }
                    block.add(text.substring(tokens.get(start).offset(), t.offset()).strip());
                    start = i + 1;
                }
            }
            if (start != to - 1) {
                return EventBody.UNREAD; // the block's last statement ends with ';' before its END
            }
            return new EventBody(block);
        }
        if (from >= to || tokens.get(from).kind() != TokenSpacing.Kind.WORD
                || !EVENT_BODY_STARTS.contains(tokens.get(from).text())
                || tokens.get(from + 1).kind() == TokenSpacing.Kind.SYMBOL && tokens.get(from + 1).text().equals(":")) {
            return EventBody.UNREAD;
        }
        int end = to < tokens.size() ? tokens.get(to).offset() : text.length();
        String body = text.substring(tokens.get(from).offset(), end).strip();
        while (body.endsWith(";")) {
            body = body.substring(0, body.length() - 1).strip();
        }
        return new EventBody(List.of(body));
    }

    /**
     * What a MariaDB event runs ({@link #eventBody}).
     *
     * @param statements the texts of its statements and expressions (none for an empty block), or {@code null} when
     *                   it cannot be read
     */
    record EventBody(List<String> statements) {
        static final EventBody UNREAD = new EventBody(null);

        boolean read() {
            return statements != null;
        }
    }

    /** Routine kinds a plain CREATE defines, to run only where a statement calls them by name. */
    private static final Set<String> ROUTINE_KINDS = Set.of("function", "procedure", "alias");

    /**
     * Whether the CREATE whose kind word is at {@code kind} defines a routine and nothing else: {@code CREATE FUNCTION},
     * {@code PROCEDURE} or H2's {@code ALIAS}, with no {@code OR REPLACE} or {@code OR ALTER} (which change a routine
     * that may exist, and run wherever it is called or attached). Everything else counts as {@link Trait#ATTACHES_CODE}.
     */
    private static boolean newRoutine(Tokens tokens, int kind, String word) {
        if (!ROUTINE_KINDS.contains(word) || !tokens.isWord(0, "create")) {
            return false;
        }
        for (int i = 1; i < kind; i++) {
            if (tokens.isWord(i, "replace") || tokens.isWord(i, "or") && tokens.isWord(i + 1, "alter")) {
                return false;
            }
        }
        return true;
    }

    /** Index options whose parenthesised lists call no routine: {@code USING gin (…)}, {@code INCLUDE (…)}, {@code WITH (…)}. */
    private static final Set<String> INDEX_WORDS = Set.of("include", "with", "on", "using", "where", "and", "or", "not",
            "is", "in", "between", "like", "as", "cast", "case", "when", "then", "else", "exists", "any", "all", "some",
            "array", "row", "values", "collate", "nulls", "concurrently", "only", "desc", "asc");

    /**
     * Notes the routines a {@code CREATE [UNIQUE] INDEX … ON t (…) [WHERE …]} calls in its expressions and predicate,
     * which the database runs on every write of the table and over every stored row as it builds the index.
     */
    static void indexCalls(Tokens tokens, Dialect dialect, StatementBuilder out) {
        if (!tokens.isWord(0, "create")) {
            return;
        }
        int index = tokens.indexOfWord("index", 1);
        if (index < 0 || index > 4) {
            return;
        }
        int on = tokens.indexOfWord("on", index + 1);
        if (on < 0) {
            return;
        }
        int from = on + 1 + Math.max(1, tokens.nameAt(on + 1).size() * 2 - 1);
        for (int j = from; j < tokens.size(); j++) {
            Tokens.Token t = tokens.get(j);
            if (!t.isName() || tokens.get(j - 1).text().equals(".") || tokens.isWord(j - 1, "using")) {
                continue;
            }
            List<String> name = tokens.nameAt(j);
            int after = j + name.size() * 2 - 1;
            if (after < tokens.size() && tokens.get(after).kind() == TokenSpacing.Kind.SYMBOL
                    && tokens.get(after).text().equals("(")
                    && !(name.size() == 1 && t.kind() == TokenSpacing.Kind.WORD
                    && (INDEX_WORDS.contains(t.text()) || SIZED_TYPES.contains(t.text())))
                    && !(dialect == Dialect.MARIADB && name.size() == 1 && prefixLength(tokens, after))) {
                RoutineCalls.note(name, dialect, out);
            }
        }
    }

    /**
     * MariaDB's prefix length of an index item ({@code name(10)}) at the parenthesis {@code open}: a literal alone in
     * it. MariaDB has no index items of expressions, so such an item is a column, never a call (a string there is
     * refused by the server).
     */
    private static boolean prefixLength(Tokens tokens, int open) {
        return open + 2 < tokens.size() && tokens.get(open + 1).kind() == TokenSpacing.Kind.LITERAL
                && tokens.get(open + 2).kind() == TokenSpacing.Kind.SYMBOL && tokens.get(open + 2).text().equals(")");
    }

    /**
     * Marks {@link Trait#ATTACHES_CODE} on a data definition ({@code out} already walked) that attaches code to an object
     * it does not create, or changes the code one runs: a PostgreSQL {@code ALTER TABLE … ENABLE [ALWAYS|REPLICA]
     * TRIGGER|RULE}, {@code ENABLE|FORCE ROW LEVEL SECURITY}; a domain's check or default; a type with functions of its
     * own (a base type's, a range's); a definition calling a routine off the lists of built-ins on anything but a table,
     * view or other relation it creates itself (a partition of a table is another table's rows).
     */
    static void markAttachedCode(Tokens tokens, StatementBuilder out) {
        if (out.action == Action.DEFINE_CODE || tokens.size() < 2 || !tokens.isWord(0, "create") && !tokens.isWord(0, "alter")) {
            return;
        }
        int kind = kindAt(tokens, 1);
        String word = kind < 0 ? "" : tokens.get(kind).text();
        boolean attaches = false;
        if (tokens.isWord(0, "alter") && word.equals("table")) {
            for (int i = kind + 1; i < tokens.size(); i++) {
                if (tokens.isWord(i, "enable") && (tokens.isWord(i + 1, "trigger") || tokens.isWord(i + 1, "rule")
                        || tokens.isWord(i + 1, "always") || tokens.isWord(i + 1, "replica") || tokens.isWord(i + 1, "row"))
                        || tokens.isWord(i, "force") && tokens.isWord(i + 1, "row")) {
                    attaches = true;
                }
            }
        }
        if (word.equals("domain") && (tokens.containsWord("check") || tokens.containsWord("default"))) {
            attaches = true;
        }
        if (word.equals("type")) {
            int open = -1;
            for (int i = kind + 1; i < tokens.size() && open < 0; i++) {
                if (tokens.get(i).kind() == TokenSpacing.Kind.SYMBOL && tokens.get(i).text().equals("(")) {
                    open = i;
                }
            }
            attaches = tokens.containsWord("range") || tokens.containsWord("multirange")
                    || open > 0 && !tokens.isWord(open - 1, "as") && !tokens.isWord(open - 1, "enum");
        }
        if (!out.routines.isEmpty()) {
            boolean newRelation = out.action == Action.CREATE && tokens.isWord(0, "create") && !out.traits.contains(Trait.REPLACES)
                    && !word.equals("index") && !word.equals("unique") && !word.equals("statistics")
                    && !(tokens.containsWord("partition") && tokens.containsWord("of"));
            attaches |= !newRelation;
        }
        if (attaches) {
            out.trait(Trait.ATTACHES_CODE);
        }
    }

    /** Kinds of code a statement calls by name, as it calls a built-in: routines, H2's aliases, aggregates. */
    private static final Set<String> CALLED_KINDS = Set.of("function", "procedure", "routine", "alias", "aggregate");

    /**
     * Refuses a definition (or a rename) giving a routine a name the analysis lists as a built-in of the dialect
     * ({@link BuiltInRoutines}), in any case and schema: the analysis reads every unqualified call of the name as the
     * built-in (no {@code call} permission, no body read, a result derived from its arguments alone), while the
     * database runs the user's routine wherever it lacks a built-in of the name (MariaDB's and H2's {@code IIF},
     * PostgreSQL's {@code nvl}) or chooses it by its arguments' types; on PostgreSQL the driver refuses statements
     * naming such a routine only once its reading of the catalog shows it, which is not taken again within a
     * transaction or a text.
     */
    private static void refuseBuiltInName(List<String> name, Dialect dialect) {
        if (name.isEmpty()) {
            return;
        }
        String bare = name.get(name.size() - 1);
        if (bare.length() >= 2 && "\"`[".indexOf(bare.charAt(0)) >= 0) {
            bare = bare.substring(1, bare.length() - 1); // "IIF", `iif`: the name within the quotes
        }
        if (BuiltInRoutines.of(dialect).listsName(bare)) {
            throw new MisreadStatement("it gives a routine the name " + bare + ", which the analysis takes for the"
                    + " database's built-in wherever it is called, so calls of it would run the routine unchecked (no"
                    + " call permission, its body unread, its result taken as derived from its arguments alone); give the"
                    + " routine another name");
        }
    }

    /** The index of the name after a code kind's word and the words that may follow it ({@code IF NOT EXISTS}, …). */
    private static int afterKindWords(Tokens tokens, int kind) {
        int i = kind + 1;
        // a word before '(' or '.' is the name itself (CREATE FUNCTION if(…), which MariaDB refuses, names if)
        while (tokens.get(i).kind() == TokenSpacing.Kind.WORD
                && Set.of("trigger", "method", "data", "wrapper", "table", "function", "procedure", "if", "not", "exists",
                "body").contains(tokens.get(i).text())
                && !(tokens.get(i + 1).kind() == TokenSpacing.Kind.SYMBOL
                        && (tokens.get(i + 1).text().equals("(") || tokens.get(i + 1).text().equals(".")))
                && !(tokens.isWord(i, "if") && !tokens.isWord(i + 1, "not") && !tokens.isWord(i + 1, "exists"))
                && !(tokens.isWord(i, "not") && !tokens.isWord(i + 1, "exists"))) {
            i++;
        }
        return i;
    }

    /** The object a code definition creates (and for a trigger, rule or policy, the table it is on). */
    private static void codeObject(Tokens tokens, int kind, Dialect dialect, StatementBuilder out) {
        int i = afterKindWords(tokens, kind);
        List<String> name = tokens.nameAt(i);
        if (!name.isEmpty()) {
            out.tablesWritten.add(ref(name, dialect));
        }
        String word = tokens.get(kind).text();
        if (word.equals("trigger") || word.equals("rule") || word.equals("policy")) {
            for (int on = tokens.indexOfWord("on", i); on >= 0; on = -1) {
                List<String> table = tokens.nameAt(on + 1);
                if (!table.isEmpty() && !tokens.isWord(on + 1, "schedule")) {
                    out.tablesWritten.add(ref(table, dialect));
                }
            }
            int to = word.equals("rule") ? tokens.indexOfWord("to", i) : -1;
            if (to >= 0 && !tokens.nameAt(to + 1).isEmpty()) {
                out.tablesWritten.add(ref(tokens.nameAt(to + 1), dialect));
            }
        }
    }

    /**
     * An {@code ALTER} of code that gives it another name or schema ({@code ALTER FUNCTION f(text) RENAME TO g},
     * {@code … SET SCHEMA s}): the trait {@link Trait#RENAMES}, and the name it gets written too, after the one it had
     * (in the old name's schema for a rename, as the database puts it), so that what the name may shadow is judged.
     */
    private static void renamedCode(Tokens tokens, Dialect dialect, StatementBuilder out) {
        TableRef old = out.tablesWritten.isEmpty() ? null : out.tablesWritten.iterator().next();
        int rename = tokens.indexOfWord("rename", 2);
        if (rename > 0 && tokens.isWord(rename + 1, "to")) {
            List<String> name = tokens.nameAt(rename + 2);
            out.trait(Trait.RENAMES);
            if (old != null && name.size() == 1) {
                out.tablesWritten.add(new TableRef(old.schema(), ref(name, dialect).name()));
            } else {
                out.tablesWritten.add(new TableRef("*", "*")); // a name the analysis cannot read: any
            }
        }
        int set = tokens.indexOfWord("set", 2);
        if (set > 0 && tokens.isWord(set + 1, "schema")) {
            List<String> schema = tokens.nameAt(set + 2);
            out.trait(Trait.RENAMES);
            if (old != null && schema.size() == 1) {
                out.tablesWritten.add(new TableRef(ref(schema, dialect).name(), old.name()));
            } else {
                out.tablesWritten.add(new TableRef("*", "*"));
            }
        }
    }

    /**
     * PostgreSQL's {@code CREATE} or {@code ALTER FOREIGN TABLE}: the table's rows are those of a table of another
     * database, or of this one (through a server that points back at it), under names of its own ({@code OPTIONS
     * (table_name 'customers')}, a column's {@code column_name}, a rename): a read of any table, handed across
     * another database's connection.
     */
    private static void foreignTable(Tokens tokens, int kind, StatementBuilder out) {
        if (tokens.isWord(kind, "foreign") && tokens.isWord(kind + 1, "table")) {
            out.trait(Trait.FILE_ACCESS);
            out.tablesRead.add(new TableRef("*", "*"));
        }
    }

    private static boolean alter(Tokens tokens, Dialect dialect, StatementBuilder out) {
        int kind = kindAt(tokens, 1);
        String word = kind < 0 ? "" : tokens.get(kind).text();
        if (word.equals("system")) {
            return set(out, Action.SET, Trait.SERVER_SETTING);
        }
        if (word.equals("default") && tokens.isWord(kind + 1, "privileges")) {
            return set(out, Action.GRANT, Trait.PRIVILEGE_CHANGE);
        }
        if (CODE_KINDS.contains(word)) {
            out.action = Action.DEFINE_CODE;
            out.trait(Trait.ATTACHES_CODE); // an ALTER of code changes what runs where it is called or attached
            codeObject(tokens, kind, dialect, out);
            int rename = tokens.indexOfWord("rename", kind + 1);
            if (CALLED_KINDS.contains(word) && rename > 0 && tokens.isWord(rename + 1, "to")) {
                refuseBuiltInName(tokens.nameAt(rename + 2), dialect);
            }
            renamedCode(tokens, dialect, out);
            foreignTable(tokens, kind, out);
            markOwnerChange(tokens, out);
            if (dialect == Dialect.MARIADB && otherDefiner(tokens, kind)) {
                // ALTER DEFINER = account EVENT …: the event runs with that account's privileges from then on
                out.trait(Trait.PRIVILEGE_CHANGE);
            }
            return true;
        }
        if (word.equals("type") && tokens.containsWord("rename") && tokens.containsWord("attribute")
                && tokens.containsWord("cascade")) {
            // PostgreSQL renames the attribute in every typed table of the type (CREATE TABLE t OF type) too: a
            // column rename in tables the statement does not name (without CASCADE, it refuses when there are any)
            out.action = Action.ALTER;
            List<String> name = tokens.nameAt(kind + 1);
            if (!name.isEmpty()) {
                out.tablesWritten.add(ref(name, dialect));
            }
            out.tablesWritten.add(new TableRef("*", "*"));
            out.trait(Trait.RENAMES);
            out.trait(Trait.CASCADE);
            return true;
        }
        if (ROLE_KINDS.contains(word)) {
            out.action = Action.ALTER;
            out.trait(Trait.PRIVILEGE_CHANGE);
            if (tokens.containsWord("set") || tokens.containsWord("reset")) {
                out.trait(Trait.SERVER_SETTING);
            }
            return true;
        }
        if (word.equals("database") && (tokens.containsWord("set") || tokens.containsWord("reset"))) {
            out.action = Action.ALTER;
            out.trait(Trait.SERVER_SETTING);
            markOwnerChange(tokens, out);
            return true;
        }
        return false;
    }

    /** {@code … OWNER TO x}: the object changes hands, and with it every privilege on it. */
    static void markOwnerChange(Tokens tokens, StatementBuilder out) {
        int owner = tokens.indexOfWord("owner", 1);
        if (owner > 0 && tokens.isWord(owner + 1, "to")) {
            out.trait(Trait.PRIVILEGE_CHANGE);
        }
    }

    private static boolean dropRole(Tokens tokens, StatementBuilder out) {
        if (tokens.isWord(1, "owned")) {
            // DROP OWNED BY r drops every object r owns, tables of any schema among them, and revokes its privileges:
            // the objects are not listed, so it writes any table, judged as a CASCADE whose reach is unknown (a drop
            // and an alter of any table: every forbid of either refuses it, only a permit of both on every table
            // permits it)
            out.trait(Trait.CASCADE);
            out.tablesWritten.add(new TableRef("*", "*"));
            return set(out, Action.DROP, Trait.PRIVILEGE_CHANGE);
        }
        if (ROLE_KINDS.contains(tokens.get(1).text())) {
            return set(out, Action.DROP, Trait.PRIVILEGE_CHANGE);
        }
        return false;
    }

    private static boolean set(Tokens tokens, Dialect dialect, StatementBuilder out) {
        int i = 1;
        if (tokens.isWord(i, "session") && tokens.isWord(i + 1, "authorization")) {
            return set(out, Action.SET, Trait.PRIVILEGE_CHANGE);
        }
        if (tokens.isWord(i, "session") || tokens.isWord(i, "local")) {
            i++;
        }
        Tokens.Token setting = tokens.get(i);
        String word = setting.kind() == TokenSpacing.Kind.WORD ? setting.text() : "";
        if (word.equals("role") || word.equals("password") || (word.equals("default") && tokens.isWord(i + 1, "role"))
                || (word.equals("session") && tokens.isWord(i + 1, "authorization"))) {
            return set(out, Action.SET, Trait.PRIVILEGE_CHANGE);
        }
        if (dialect == Dialect.MARIADB || dialect == Dialect.GENERIC) {
            for (int t = 1; t < tokens.size(); t++) {
                String w = tokens.get(t).kind() == TokenSpacing.Kind.WORD ? tokens.get(t).text() : "";
                if (w.equals("global") || w.equals("persist") || w.equals("persist_only") || w.equals("@@global")
                        || w.equals("@@persist") || w.equals("@@persist_only")) {
                    return set(out, Action.SET, Trait.SERVER_SETTING);
                }
            }
        }
        if (dialect.isH2()) {
            if (SessionSettings.exactForm(tokens, dialect)) {
                return false; // SET SESSION CHARACTERISTICS AS TRANSACTION …: this session's isolation level
            }
            if (!word.startsWith("@") && !H2_SESSION_SETTINGS.contains(word) && setting.kind() != TokenSpacing.Kind.SYMBOL) {
                return set(out, Action.SET, Trait.SERVER_SETTING);
            }
            return false;
        }
        if (!SessionSettings.listedSet(tokens, i, dialect)) {
            return set(out, Action.SET, Trait.UNLISTED_SETTING);
        }
        return false;
    }

    private static boolean reset(Tokens tokens, Dialect dialect, StatementBuilder out) {
        if (tokens.isWord(1, "all") || tokens.isWord(1, "role")
                || tokens.isWord(1, "session") && tokens.isWord(2, "authorization")) {
            return set(out, Action.SET, Trait.PRIVILEGE_CHANGE);
        }
        if (dialect == Dialect.MARIADB) {
            // MariaDB has no RESET of a session variable: RESET MASTER|SLAVE|QUERY CACHE act on the server.
            return set(out, Action.SET, Trait.SERVER_SETTING);
        }
        if (!dialect.isH2() && !SessionSettings.listedReset(tokens, dialect)) {
            return set(out, Action.SET, Trait.UNLISTED_SETTING);
        }
        return false;
    }

    /** H2 {@code SCRIPT [… ] [TO 'file']}: every table's definition and rows, to the client or to a file. */
    private static boolean h2Script(Tokens tokens, Dialect dialect, StatementBuilder out) {
        if (!dialect.isH2() && dialect != Dialect.GENERIC) {
            return false;
        }
        out.action = Action.COPY;
        out.tablesRead.add(new TableRef("*", "*"));
        out.tablesWritten.add(new TableRef("*", "*")); // a copy of every table: a permit of copy on some does not cover it
        if (tokens.containsWord("to")) {
            out.trait(Trait.FILE_ACCESS);
        }
        return true;
    }

    /** Type names that take a parenthesised size, so that {@code varchar(10)} in a default is not a call. */
    private static final Set<String> SIZED_TYPES = Set.of(
            "varchar", "char", "character", "varying", "nvarchar", "nchar", "numeric", "decimal", "dec", "bit", "varbinary",
            "binary", "timestamp", "time", "interval", "float", "double", "real", "varbit", "vector", "enum", "array",
            "row", "cast", "convert", "extract", "in", "exists", "any", "all", "some", "values", "key", "on", "and", "or",
            "not", "is", "then", "else", "when", "case", "as", "like", "between", "over", "filter", "within", "distinct");

    /**
     * Notes the routine calls in the expressions of a table definition: column defaults, CHECK
     * constraints and generated columns, which the database runs on every insert or update.
     */
    static void definitionCalls(Tokens tokens, Dialect dialect, StatementBuilder out) {
        for (int i = 0; i < tokens.size(); i++) {
            boolean starts = tokens.isWord(i, "default") || tokens.isWord(i, "check")
                    || tokens.isWord(i, "as") && tokens.isWord(i - 1, "always") || tokens.isWord(i, "generated")
                    || tokens.isWord(i, "on") && tokens.isWord(i + 1, "update")
                    // MariaDB's generated column: name type AS (expr) [VIRTUAL | PERSISTENT | STORED]
                    || dialect == Dialect.MARIADB && tokens.isWord(i, "as") && i > 0 && !tokens.isWord(i - 1, "always")
                    && tokens.get(i + 1).text().equals("(");
            if (!starts) {
                continue;
            }
            int depth = 0;
            for (int j = i + 1; j < tokens.size(); j++) {
                String text = tokens.get(j).kind() == TokenSpacing.Kind.SYMBOL ? tokens.get(j).text() : "";
                if (text.equals("(")) {
                    depth++;
                } else if (text.equals(")")) {
                    if (--depth < 0) {
                        break;
                    }
                } else if (text.equals(",") && depth == 0) {
                    break;
                }
                Tokens.Token t = tokens.get(j);
                if (t.isName() && !tokens.get(j - 1).text().equals(".")) {
                    List<String> name = tokens.nameAt(j);
                    int after = j + name.size() * 2 - 1;
                    if (tokens.get(after).text().equals("(") && tokens.get(after).kind() == TokenSpacing.Kind.SYMBOL
                            && !(name.size() == 1 && t.kind() == TokenSpacing.Kind.WORD && SIZED_TYPES.contains(t.text()))
                            && !(tokens.isWord(j, "check") || tokens.isWord(j, "default"))) {
                        RoutineCalls.note(name, dialect, out);
                    }
                }
            }
        }
    }

    private static TableRef ref(List<String> parts, Dialect dialect) {
        String name = dialect.normalizeIdentifier(parts.get(parts.size() - 1));
        String schema = parts.size() > 1 ? dialect.normalizeIdentifier(parts.get(parts.size() - 2)) : null;
        return new TableRef(schema, name);
    }
}
