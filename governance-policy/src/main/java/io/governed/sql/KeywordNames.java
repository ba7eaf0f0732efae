package io.governed.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.ParserKeywordsUtils;

/**
 * A second reading of a statement the parser could not read because a name in it is one of the parser's keywords
 * ({@code INSERT INTO t (settings) VALUES (1)}, {@code CREATE TABLE t (id int, settings text)}): each bare word that
 * stands where the database's grammar admits nothing but a name is written as the quoted name the database folds it
 * to ({@code "settings"} on PostgreSQL, {@code "SETTINGS"} on H2, {@code `settings`} on MariaDB), and the parser reads
 * that text instead. The database still runs the original text.
 *
 * <p>The places are enumerated, never guessed from where the parser stopped, and each is one where a database reads a
 * bare word as that name or refuses the statement: so the quoted text names, for the database, exactly the relations,
 * columns and routines the original names (a quoted name in the folded case is the bare name), and the analysis of
 * it is the analysis of the original. They are
 * <ul>
 *   <li>a word after a qualified name's dot, not followed by a parenthesis ({@code COMMENT ON COLUMN t.settings}: a
 *       quoted routine's name is never a built-in's);</li>
 *   <li>the items of a parenthesised list made of names alone that follows {@code INSERT INTO t}, {@code INSERT} (a
 *       MERGE's), {@code ON CONFLICT}, {@code PRIMARY KEY}, {@code UNIQUE}, {@code FOREIGN KEY}, {@code KEY name},
 *       {@code INDEX name}, {@code REFERENCES t}, {@code INCLUDE}, {@code CREATE TABLE t}, {@code CREATE VIEW v}, or
 *       {@code ON t} and {@code USING method} in a {@code CREATE INDEX} (an index's items may carry {@code ASC},
 *       {@code DESC}, {@code NULLS FIRST|LAST});</li>
 *   <li>the target of an assignment ({@code settings = …}) first in, or after a top-level comma of, the {@code SET}
 *       list of an UPDATE, INSERT or MERGE, or the {@code ON DUPLICATE KEY UPDATE} list;</li>
 *   <li>an item of a {@code RETURNING} list that is a bare word alone (followed by a comma, {@code AS} or the end);</li>
 *   <li>a column's name in a {@code CREATE TABLE}'s list when a type's name follows it, and in an {@code ALTER TABLE}
 *       action: {@code ADD [COLUMN] name type}, {@code DROP [COLUMN] name}, {@code ALTER [COLUMN] name},
 *       {@code RENAME [COLUMN] name TO name}, {@code CHANGE [COLUMN] name name}, {@code MODIFY [COLUMN] name}
 *       ({@code IF [NOT] EXISTS} allowed), the word not being one that starts another action or element
 *       ({@code CONSTRAINT}, {@code PRIMARY}, {@code LIKE}, {@code PARTITION}, {@code SYSTEM}, …).</li>
 * </ul>
 * Only the parser's keywords are quoted, never a word the databases read bare as something else than a column (a
 * session value, a pseudo-column, a sequence's value: {@code current_user}, {@code rowid}, {@code nextval}), and only on
 * PostgreSQL, MariaDB and H2.
 */
final class KeywordNames {

    /**
     * Words that name a row's identity or a value where a list of names stands in some database ({@code _rowid_},
     * {@code default}): never quoted, even in a list that holds names only.
     */
    private static final Set<String> NEVER_IN_NAME_LISTS = Set.of("rowid", "_rowid", "_rowid_", "oid", "ctid", "xmin",
            "xmax", "cmin", "cmax", "tableoid", "default", "null", "true", "false");

    /** A place where the databases admit a name alone. */
    private static final byte NAME = 1;
    /** A place where a name stands, but where a word of the database's own may stand too (an expression, an action). */
    private static final byte NAME_OR_WORD = 2;

    private static final Pattern TOKEN = Pattern.compile("<K_([A-Z0-9_]+)>|\"([A-Za-z_][A-Za-z0-9_]*)\"");

    /** Every keyword of the parser (its token list and its list of non-reserved keywords), in lower case. */
    static final Set<String> PARSER_KEYWORDS = parserKeywords();

    /**
     * Words that stand for something else than a column in some database where an expression or an ALTER TABLE action
     * may stand (a session value, a pseudo-column, an operator, a clause): never quoted there (a RETURNING item, a word
     * after a dot, ADD, DROP or ALTER without COLUMN).
     */
    static final Set<String> NEVER = Set.of("rowid", "_rowid", "_rowid_", "oid", "ctid", "xmin", "xmax",
            "cmin", "cmax", "tableoid", "rownum", "level", "nextval", "currval", "lastval", "sysdate", "systimestamp",
            "systime", "today", "now", "current", "user", "current_user", "session_user", "system_user", "current_role",
            "current_schema", "current_catalog", "current_path", "current_date", "current_time", "current_timestamp",
            "localtime", "localtimestamp", "uid", "value", "default", "identity", "prior", "connect_by_root",
            "row_number", "row_count", "found_rows", "last_insert_id", "null", "true", "false", "unknown", "all",
            "distinct", "not", "and", "or", "xor", "is", "in", "like", "ilike", "between", "exists", "case", "when",
            "then", "else", "end", "as", "to", "on", "set", "select", "values", "from", "where", "with", "returning",
            "into", "if", "nulls", "asc", "desc");

    private KeywordNames() {
    }

    private static Set<String> parserKeywords() {
        Set<String> words = new TreeSet<>();
        for (String image : CCJSqlParserConstants.tokenImage) {
            Matcher m = TOKEN.matcher(image);
            if (m.matches()) {
                words.add((m.group(1) != null ? m.group(1) : m.group(2)).toLowerCase(Locale.ROOT));
            }
        }
        for (Object word : ParserKeywordsUtils.getNonReservedKeywords()) {
            words.add(word.toString().toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(words);
    }

    /**
     * {@code text} (one statement of a parse text) with every parser keyword that stands bare in one of the places
     * this class lists written as the quoted name the dialect folds it to, or {@code null} when no such word stands
     * there (or the dialect is not one this reading is proven for).
     */
    static String requoted(String text, Dialect dialect) {
        if (dialect != Dialect.POSTGRESQL && dialect != Dialect.MARIADB && !dialect.isH2()) {
            return null;
        }
        Tokens tokens = Tokens.of(text, dialect);
        int n = tokens.size();
        if (n == 0 || tokens.get(0).kind() != TokenSpacing.Kind.WORD) {
            return null;
        }
        int[] depth = new int[n];
        int[] close = new int[n];
        int[] open = new int[n];
        java.util.Arrays.fill(close, -1);
        java.util.Arrays.fill(open, -1);
        List<Integer> stack = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            depth[i] = stack.size();
            if (isSymbol(tokens, i, "(")) {
                stack.add(i);
            } else if (isSymbol(tokens, i, ")")) {
                if (stack.isEmpty()) {
                    return null;
                }
                int o = stack.remove(stack.size() - 1);
                close[o] = i;
                open[i] = o;
                depth[i] = stack.size();
            }
        }
        if (!stack.isEmpty()) {
            return null;
        }
        byte[] slot = new byte[n];
        String first = tokens.get(0).text();
        boolean writes = first.equals("insert") || first.equals("replace") || first.equals("update")
                || first.equals("merge") || first.equals("with");
        boolean createsIndex = first.equals("create") && createsIndex(tokens);
        boolean createsTable = first.equals("create") && creates(tokens, "table");
        boolean createsView = first.equals("create") && creates(tokens, "view");
        boolean altersTable = first.equals("alter") && tokens.isWord(1, "table");
        for (int i = 1; i < n; i++) {
            // a qualified name's part
            if (isSymbol(tokens, i - 1, ".") && i >= 2 && tokens.get(i - 2).isName() && !isSymbol(tokens, i + 1, "(")) {
                slot[i] = NAME_OR_WORD;
            }
            if (isSymbol(tokens, i, "(") && close[i] > i && nameListContext(tokens, i, writes, createsIndex,
                    createsTable || altersTable || createsView)) {
                markNameList(tokens, i, close[i], slot, createsIndex || createsTable || altersTable);
            }
        }
        if (writes) {
            markAssignments(tokens, depth, slot);
            markReturning(tokens, depth, slot);
        }
        if (createsTable) {
            markTableElements(tokens, close, slot);
        }
        if (altersTable) {
            markAlterActions(tokens, depth, slot);
        }
        if (reads(first)) {
            markReadNames(tokens, slot);
        }
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i < n; i++) {
            Tokens.Token t = tokens.get(i);
            if (slot[i] == 0 || t.kind() != TokenSpacing.Kind.WORD || !PARSER_KEYWORDS.contains(t.text())
                    || NEVER_IN_NAME_LISTS.contains(t.text()) || slot[i] == NAME_OR_WORD && (NEVER.contains(t.text())
                    || ColumnResolver.nonColumnWords(dialect).contains(t.text()))
                    || !text.startsWith(t.text(), t.offset())) {
                continue;
            }
            String quoted = dialect.quoted(folded(t.text(), dialect));
            if (!dialect.normalizeIdentifier(quoted).equals(dialect.normalizeIdentifier(t.text()))) {
                continue; // not the same name: left bare
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16);
            }
            out.append(text, copied, t.offset()).append(quoted);
            copied = t.offset() + t.text().length();
        }
        if (out == null) {
            return null;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /**
     * The name a bare word stands for in the dialect: PostgreSQL folds it to lower case, H2 to upper case (to lower case
     * with {@code DATABASE_TO_LOWER}).
     */
    static String folded(String word, Dialect dialect) {
        return dialect == Dialect.H2 ? word.toUpperCase(Locale.ROOT)
                : dialect == Dialect.H2_LOWER_CASE ? word.toLowerCase(Locale.ROOT) : dialect.normalizeIdentifier(word);
    }

    private static boolean isSymbol(Tokens tokens, int i, String symbol) {
        Tokens.Token t = tokens.get(i);
        return t.kind() == TokenSpacing.Kind.SYMBOL && t.text().equals(symbol);
    }

    /** Whether a CREATE statement creates an object of this kind ({@code CREATE [OR REPLACE] [TEMPORARY …] TABLE}). */
    private static boolean creates(Tokens tokens, String kind) {
        int i = 1;
        while (Set.of("or", "replace", "temporary", "temp", "global", "local", "unlogged", "recursive")
                .contains(tokens.get(i).text()) && tokens.get(i).kind() == TokenSpacing.Kind.WORD) {
            i++;
        }
        return tokens.isWord(i, kind);
    }

    private static boolean createsIndex(Tokens tokens) {
        int i = 1;
        if (tokens.isWord(i, "unique")) {
            i++;
        }
        return tokens.isWord(i, "index");
    }

    /** The index of the first token of the qualified name ending at {@code end}, or -1 when none ends there. */
    private static int nameStart(Tokens tokens, int end) {
        if (end < 0 || !tokens.get(end).isName()) {
            return -1;
        }
        int i = end;
        while (i >= 2 && isSymbol(tokens, i - 1, ".") && tokens.get(i - 2).isName()) {
            i -= 2;
        }
        return i;
    }

    /** Whether the parenthesis at {@code open} opens a list the databases read as a list of names when it holds names. */
    private static boolean nameListContext(Tokens tokens, int open, boolean writes, boolean createsIndex,
                                           boolean definesTable) {
        int before = open - 1;
        Tokens.Token previous = tokens.get(before);
        if (previous.kind() != TokenSpacing.Kind.WORD && previous.kind() != TokenSpacing.Kind.QUOTED) {
            return false;
        }
        if (writes && (previous.isWord("conflict") || previous.isWord("insert"))) {
            return true;
        }
        if (definesTable && (previous.isWord("include") || previous.isWord("unique")
                || (previous.isWord("key") && (tokens.isWord(before - 1, "primary") || tokens.isWord(before - 1, "foreign")
                || tokens.isWord(before - 1, "unique"))))) {
            return true;
        }
        if (createsIndex && previous.isWord("include")) {
            return true;
        }
        int start = nameStart(tokens, before);
        if (start < 0) {
            return false;
        }
        Tokens.Token head = tokens.get(start - 1);
        if (writes) {
            if (head.isWord("into")) {
                return true;
            }
            // INSERT INTO t AS a (…)
            if (start == before && head.isWord("as")) {
                int table = nameStart(tokens, start - 2);
                return table > 0 && tokens.isWord(table - 1, "into");
            }
            return false;
        }
        if (createsIndex) {
            return head.isWord("on") || (start == before && head.isWord("using"));
        }
        if (definesTable) {
            return head.isWord("table") || head.isWord("view") || head.isWord("exists") || head.isWord("references")
                    || ((head.isWord("key") || head.isWord("index")) && start == before);
        }
        return false;
    }

    /**
     * Marks the items of the list from {@code open} to {@code close} when every item is one name (a bare or quoted word,
     * for an index's column followed by {@code ASC}, {@code DESC}, {@code NULLS FIRST|LAST}); nothing otherwise.
     */
    private static void markNameList(Tokens tokens, int open, int close, byte[] slot, boolean indexItems) {
        List<Integer> names = new ArrayList<>();
        int i = open + 1;
        while (i < close) {
            if (!tokens.get(i).isName()) {
                return;
            }
            names.add(i);
            i++;
            if (indexItems) {
                if (tokens.isWord(i, "asc") || tokens.isWord(i, "desc")) {
                    i++;
                }
                if (tokens.isWord(i, "nulls") && (tokens.isWord(i + 1, "first") || tokens.isWord(i + 1, "last"))) {
                    i += 2;
                }
            }
            if (i == close) {
                break;
            }
            if (!isSymbol(tokens, i, ",")) {
                return;
            }
            i++;
            if (i == close) {
                return;
            }
        }
        names.forEach(k -> slot[k] = NAME);
    }

    /** Whether a statement starting with this word is one whose relations and expressions are marked as read. */
    private static boolean reads(String first) {
        return first.equals("select") || first.equals("with") || first.equals("insert") || first.equals("replace")
                || first.equals("update") || first.equals("delete");
    }

    /**
     * Words that may follow {@code FROM} or {@code JOIN} and are no relation's name there in some database
     * ({@code FROM LATERAL (…)}, {@code FROM ONLY t}, {@code ROWS FROM (…)}, MariaDB's {@code DUAL}).
     */
    private static final Set<String> NOT_A_RELATION = Set.of("lateral", "only", "rows", "table", "values", "select",
            "with", "dual", "unnest", "ignore", "low_priority", "delayed", "high_priority", "quick", "natural");

    /** Symbols and words before which an operand stands alone in an expression ({@code where settings = 0}). */
    private static final Set<String> BEFORE_OPERAND = Set.of("select", "distinct", "where", "and", "or", "on", "having",
            "by", "not", "when", "then", "else", ",", "(", "=", "<>", "!=", "<", ">", "<=", ">=");
    /** Symbols and words after which an operand stood alone in an expression. */
    private static final Set<String> AFTER_OPERAND = Set.of(",", ")", ";", "=", "<>", "!=", "<", ">", "<=", ">=", "from",
            "and", "or", "is", "in", "like", "where", "group", "order", "having", "limit", "asc", "desc", "then", "else",
            "end", "when");

    /**
     * Marks the names a query reads: the relation after {@code FROM} or {@code JOIN} (not followed by a parenthesis or a
     * dot) or {@code INSERT [IGNORE] INTO} (not followed by a dot), and an operand standing alone in an expression: a bare word between one of
     * {@link #BEFORE_OPERAND} and one of {@link #AFTER_OPERAND} ({@code SELECT settings FROM t}, {@code WHERE settings
     * = 0}, {@code VALUES(settings)}); never a word followed by a parenthesis (a call), a string (a typed literal) or a
     * dot, nor a word after {@code (} followed by {@code FROM} ({@code EXTRACT(year FROM d)}, {@code TRIM(both FROM s)}).
     * Such a word is a name the database reads bare or quoted alike (a column, a relation, a routine's parameter); the
     * words that name something of the database's own there are never quoted ({@link #NEVER}).
     */
    private static void markReadNames(Tokens tokens, byte[] slot) {
        for (int i = 1; i < tokens.size(); i++) {
            Tokens.Token t = tokens.get(i);
            if (t.kind() != TokenSpacing.Kind.WORD || slot[i] != 0) {
                continue;
            }
            Tokens.Token previous = tokens.get(i - 1);
            Tokens.Token next = tokens.get(i + 1);
            boolean ends = next.kind() == TokenSpacing.Kind.NONE;
            String after = ends ? ";" : next.text();
            if (previous.isWord("into") && (tokens.isWord(i - 2, "insert") || tokens.isWord(i - 2, "replace")
                    || tokens.isWord(i - 2, "ignore")) && !isSymbol(tokens, i + 1, ".")
                    && !NOT_A_RELATION.contains(t.text())) {
                slot[i] = NAME_OR_WORD; // INSERT INTO settings (a) …: the relation, its column list after it
                continue;
            }
            if (isSymbol(tokens, i + 1, "(") || isSymbol(tokens, i + 1, ".") || next.kind() == TokenSpacing.Kind.LITERAL) {
                continue;
            }
            if ((previous.isWord("from") || previous.isWord("join")) && !NOT_A_RELATION.contains(t.text())) {
                slot[i] = NAME_OR_WORD;
                continue;
            }
            String before = previous.text();
            if ((previous.kind() == TokenSpacing.Kind.WORD || previous.kind() == TokenSpacing.Kind.SYMBOL)
                    && BEFORE_OPERAND.contains(before) && (next.kind() == TokenSpacing.Kind.WORD
                    || next.kind() == TokenSpacing.Kind.SYMBOL || ends) && AFTER_OPERAND.contains(after)
                    && !(before.equals("(") && after.equals("from"))) {
                slot[i] = NAME_OR_WORD;
            }
        }
    }

    /** Words ending a SET list or a RETURNING list when they stand at its level. */
    private static final Set<String> CLAUSE_WORDS = Set.of("where", "from", "returning", "values", "value", "select",
            "order", "limit", "on", "join", "using", "into", "group", "having", "window", "union", "except", "intersect",
            "when", "then", "insert", "update", "delete", "merge", "with", "for", "offset", "fetch", "set", "key",
            "duplicate", "do", "table");

    /** Marks the names assigned in a SET (or ON DUPLICATE KEY UPDATE) list: {@code SET a = …, b = …}. */
    private static void markAssignments(Tokens tokens, int[] depth, byte[] slot) {
        for (int i = 1; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).kind() != TokenSpacing.Kind.WORD || !isSymbol(tokens, i + 1, "=")) {
                continue;
            }
            if (listStartsAt(tokens, depth, i, "set") || listStartsAt(tokens, depth, i, "update")
                    && tokens.isWord(anchor(tokens, depth, i) - 1, "key")) {
                slot[i] = NAME;
            }
        }
    }

    /** Marks a RETURNING list's items that are one bare word alone. */
    private static void markReturning(Tokens tokens, int[] depth, byte[] slot) {
        for (int i = 1; i < tokens.size(); i++) {
            if (tokens.get(i).kind() != TokenSpacing.Kind.WORD) {
                continue;
            }
            Tokens.Token next = tokens.get(i + 1);
            boolean alone = next.kind() == TokenSpacing.Kind.NONE || isSymbol(tokens, i + 1, ",")
                    || isSymbol(tokens, i + 1, ";") || next.isWord("as");
            if (alone && listStartsAt(tokens, depth, i, "returning")) {
                slot[i] = NAME_OR_WORD;
            }
        }
    }

    /**
     * Whether the token at {@code i} starts an item of a list that the word {@code keyword} opens: it follows the
     * keyword, or a comma at the keyword's level after which, back to the keyword, no clause word stands at that level.
     */
    private static boolean listStartsAt(Tokens tokens, int[] depth, int i, String keyword) {
        int a = anchor(tokens, depth, i);
        return a >= 0 && tokens.isWord(a, keyword);
    }

    /** The clause word whose list the item at {@code i} belongs to, or -1. */
    private static int anchor(Tokens tokens, int[] depth, int i) {
        Tokens.Token previous = tokens.get(i - 1);
        if (previous.kind() == TokenSpacing.Kind.WORD) {
            return CLAUSE_WORDS.contains(previous.text()) && depth[i - 1] == depth[i] ? i - 1 : -1;
        }
        if (!isSymbol(tokens, i - 1, ",")) {
            return -1;
        }
        for (int k = i - 2; k >= 0; k--) {
            if (depth[k] < depth[i]) {
                return -1;
            }
            if (depth[k] == depth[i] && tokens.get(k).kind() == TokenSpacing.Kind.WORD
                    && CLAUSE_WORDS.contains(tokens.get(k).text()) && !isSymbol(tokens, k + 1, "=")) {
                return k; // a word followed by '=' is an earlier assignment's target (SET delete = 0, a = 1)
            }
            if (isSymbol(tokens, k, ";")) {
                return -1;
            }
        }
        return -1;
    }

    /** Words that start an element of a table's definition other than a column, or an ALTER TABLE action on no column. */
    private static final Set<String> NOT_A_COLUMN = Set.of("constraint", "primary", "unique", "foreign", "check", "key",
            "index", "fulltext", "spatial", "like", "exclude", "period", "system", "partition", "including", "excluding",
            "references", "column", "if", "to", "as", "default", "vector");

    /** Marks the column names of a CREATE TABLE's list: the first word of an element when a type's name follows. */
    private static void markTableElements(Tokens tokens, int[] close, byte[] slot) {
        for (int i = 1; i < tokens.size(); i++) {
            if (!isSymbol(tokens, i, "(") || close[i] < 0) {
                continue;
            }
            int start = nameStart(tokens, i - 1);
            if (start < 0 || !(tokens.isWord(start - 1, "table") || tokens.isWord(start - 1, "exists")
                    && tokens.isWord(start - 2, "not") && tokens.isWord(start - 3, "if") && tokens.isWord(start - 4, "table"))) {
                continue;
            }
            int element = i + 1;
            int level = 0;
            for (int k = i + 1; k < close[i]; k++) {
                if (k == element) {
                    markColumnDefinition(tokens, k, slot);
                }
                if (isSymbol(tokens, k, "(")) {
                    level++;
                } else if (isSymbol(tokens, k, ")")) {
                    level--;
                } else if (level == 0 && isSymbol(tokens, k, ",")) {
                    element = k + 1;
                }
            }
            return; // the table's own list only
        }
    }

    /** Marks the word at {@code i} when it names a column being defined: a word not starting another element, a type after it. */
    private static void markColumnDefinition(Tokens tokens, int i, byte[] slot) {
        Tokens.Token word = tokens.get(i);
        Tokens.Token type = tokens.get(i + 1);
        if (word.kind() == TokenSpacing.Kind.WORD && !NOT_A_COLUMN.contains(word.text())
                && (type.kind() == TokenSpacing.Kind.WORD || type.kind() == TokenSpacing.Kind.QUOTED)) {
            slot[i] = NAME;
        }
    }

    /** Marks the column names of ALTER TABLE's actions (each after the table's name or a top-level comma). */
    private static void markAlterActions(Tokens tokens, int[] depth, byte[] slot) {
        int i = 2;
        if (tokens.isWord(i, "if") && tokens.isWord(i + 1, "exists")) {
            i += 2;
        }
        if (tokens.isWord(i, "only")) {
            i++;
        }
        int name = i;
        while (tokens.get(i).isName() && isSymbol(tokens, i + 1, ".")) {
            i += 2;
        }
        if (!tokens.get(i).isName() || i < name) {
            return;
        }
        int action = i + 1;
        while (action < tokens.size()) {
            markAlterAction(tokens, action, slot);
            int next = -1;
            for (int k = action; k < tokens.size(); k++) {
                if (depth[k] == 0 && isSymbol(tokens, k, ",")) {
                    next = k + 1;
                    break;
                }
            }
            if (next < 0) {
                return;
            }
            action = next;
        }
    }

    private static void markAlterAction(Tokens tokens, int action, byte[] slot) {
        Tokens.Token verb = tokens.get(action);
        if (verb.kind() != TokenSpacing.Kind.WORD) {
            return;
        }
        String v = verb.text();
        if (!Set.of("add", "drop", "alter", "rename", "change", "modify").contains(v)) {
            return;
        }
        int i = action + 1;
        boolean column = tokens.isWord(i, "column");
        if (column) {
            i++;
        }
        if (tokens.isWord(i, "if") && tokens.isWord(i + 1, "not") && tokens.isWord(i + 2, "exists")) {
            i += 3;
        } else if (tokens.isWord(i, "if") && tokens.isWord(i + 1, "exists")) {
            i += 2;
        }
        Tokens.Token word = tokens.get(i);
        if (word.kind() != TokenSpacing.Kind.WORD || (!column && NOT_A_COLUMN.contains(word.text()))) {
            return;
        }
        byte kind = column ? NAME : NAME_OR_WORD;
        Tokens.Token next = tokens.get(i + 1);
        boolean typed = next.kind() == TokenSpacing.Kind.WORD || next.kind() == TokenSpacing.Kind.QUOTED;
        switch (v) {
            case "add", "modify" -> {
                if (typed) {
                    slot[i] = kind;
                }
            }
            case "drop" -> {
                if (next.kind() == TokenSpacing.Kind.NONE || isSymbol(tokens, i + 1, ",")
                        || isSymbol(tokens, i + 1, ";") || next.isWord("cascade") || next.isWord("restrict")) {
                    slot[i] = kind;
                }
            }
            case "alter" -> {
                if (column || next.isWord("set") || next.isWord("drop") || next.isWord("type")) {
                    slot[i] = kind;
                }
            }
            case "rename" -> {
                if (next.isWord("to") && tokens.get(i + 2).kind() == TokenSpacing.Kind.WORD) {
                    slot[i] = kind;
                    slot[i + 2] = kind;
                }
            }
            case "change" -> {
                if (typed && tokens.get(i + 2).isName()) {
                    slot[i] = kind;
                    slot[i + 1] = kind;
                }
            }
            default -> {
            }
        }
    }
}
