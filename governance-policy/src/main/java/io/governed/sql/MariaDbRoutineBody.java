package io.governed.sql;

import io.governed.sql.ProceduralTokens.Kind;
import io.governed.sql.ProceduralTokens.NotKnown;
import io.governed.sql.ProceduralTokens.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The SQL statements and expressions of a MariaDB stored routine or trigger body, as texts the MariaDB analysis reads
 * one by one: together they read and write the tables, and call the routines, that the body's statements and
 * expressions do.
 *
 * <p>The body is lexed as MariaDB lexes it ({@link SqlLexer}) and its compound statements are read as MariaDB reads
 * them: a {@code DECLARE} default becomes {@code SELECT expr}, a cursor's {@code FOR query} that query, a handler its
 * statement, an assignment's ({@code SET} of a local variable, or of {@code NEW.col} in a trigger), condition's, loop
 * bound's, {@code RETURN}'s, {@code SIGNAL}'s and {@code RESIGNAL}'s expressions {@code SELECT expr}, a
 * {@code SELECT … INTO} local variables that statement without its {@code INTO} part, and any other SQL statement
 * ({@code CALL}, a {@code SET} of a session, global or user variable) itself. {@code OPEN}, {@code FETCH},
 * {@code CLOSE}, {@code LEAVE}, {@code ITERATE}, {@code GET DIAGNOSTICS} and condition declarations read no table and
 * give nothing.
 *
 * <p>A reference to a local variable, a parameter or, in a trigger, {@code NEW.col} and {@code OLD.col} becomes
 * {@code NULL}: in a routine MariaDB reads a name that is both a local variable and a column as the variable, so no
 * column or table is hidden by the replacement, and a variable named like a table it would stand in for leaves a text
 * that does not parse. User variables ({@code @x}) and system variables ({@code @@x}) are left as written. The answer
 * is {@code null} (not known) for a body holding dynamic SQL ({@code PREPARE}, {@code EXECUTE},
 * {@code DEALLOCATE}), anything unbalanced or not recognised for certain, a lexical problem, strings a session's
 * {@code NO_BACKSLASH_ESCAPES} could read otherwise, or a text the analysis cannot parse.
 */
public final class MariaDbRoutineBody {

    /** Parses each text given to check that the analysis can read it; a small cache, as bodies are few. */
    private static final SqlAnalyzer CHECK = new SqlAnalyzer(512);

    /** Words ending a list of statements (a block, a branch, a loop, a handler). */
    private static final Set<String> STATEMENT_LIST_ENDS = Set.of("end", "else", "elseif", "when", "until");

    private MariaDbRoutineBody() {
    }

    /**
     * The statements of {@code body} as texts for the MariaDB analysis (see the class comment); {@code null} when not
     * known.
     *
     * @param body          the routine's body, as {@code information_schema.ROUTINES.ROUTINE_DEFINITION} or a
     *                      trigger's {@code ACTION_STATEMENT} holds it
     * @param variableNames the names of the routine's parameters (empty or {@code null} names are skipped)
     * @param trigger       whether it is a trigger's body, which has {@code NEW} and {@code OLD}
     */
    public static List<String> statements(String body, Collection<String> variableNames, boolean trigger) {
        if (body == null || body.isBlank()) {
            return null;
        }
        if (!SqlAnalyzer.stringsReadAlikeEitherWay(body, Dialect.MARIADB)) {
            return null;
        }
        Tokenizer tokens = new Tokenizer(body);
        if (SqlLexer.lex(body, Dialect.MARIADB, tokens) != null || tokens.unknown
                || body.toLowerCase(Locale.ROOT).contains("governed trigger")) {
            return null;
        }
        Set<String> outer = new HashSet<>();
        if (variableNames != null) {
            for (String name : variableNames) {
                if (name != null && !name.isEmpty()) {
                    outer.add(name.toLowerCase(Locale.ROOT));
                }
            }
        }
        if (trigger) {
            outer.add("new");
            outer.add("old");
        }
        List<Token> list = tokens.tokens;
        if (list.isEmpty()) {
            return null;
        }
        if (!list.get(list.size() - 1).isSymbol(";")) {
            list.add(new Token(Kind.SYMBOL, body.length(), body.length(), null, ";"));
        }
        List<String> texts;
        try {
            Reader reader = new Reader(body, list, trigger);
            texts = reader.read(outer);
        } catch (NotKnown e) {
            return null;
        }
        for (String text : texts) {
            SqlAnalysis analysis = CHECK.analyze(text, Dialect.MARIADB);
            if (!analysis.parsed() || analysis.statements().size() != 1) {
                return null;
            }
            StatementAnalysis statement = analysis.statements().get(0);
            List<TableRef> named = new ArrayList<>(statement.tablesRead());
            named.addAll(statement.tablesWritten());
            named.addAll(statement.routines());
            for (TableRef ref : named) {
                if ("null".equalsIgnoreCase(ref.name()) || "null".equalsIgnoreCase(ref.schema())) {
                    return null; // a variable stood where a table or routine is named: MariaDB reads the name there
                }
            }
        }
        return List.copyOf(texts);
    }

    /** Collects the lexer's tokens as MariaDB reads them: names quoted with backticks, {@code lbl:BEGIN} a label. */
    private static final class Tokenizer extends ProceduralTokens.Tokenizer {
        private boolean unknown;

        Tokenizer(String body) {
            super(body);
        }

        @Override
        public void quotedIdentifier(String asWritten) {
            if (!asWritten.startsWith("`")) {
                unknown = true; // MariaDB quotes names with backticks only (ANSI_QUOTES is refused before)
                return;
            }
            String name = asWritten.substring(1, asWritten.length() - 1).replace("``", "`");
            tokens.add(new Token(Kind.QUOTED, start, start + asWritten.length(), name.toLowerCase(Locale.ROOT), null));
        }

        @Override
        public void parameter(String marker) {
            // lbl:BEGIN lexes as lbl and :begin; MariaDB has no named parameters, so a ':' before a word is a label's
            if (marker.startsWith(":") && marker.length() > 1) {
                tokens.add(new Token(Kind.SYMBOL, start, start + 1, null, ":"));
                tokens.add(new Token(Kind.WORD, start + 1, start + marker.length(),
                        marker.substring(1).toLowerCase(Locale.ROOT), null));
            } else {
                super.parameter(marker);
            }
        }
    }

    /** Reads the body's tokens as MariaDB does, collecting the texts for the analysis. */
    private static final class Reader extends ProceduralTokens.Cursor {
        private final boolean trigger;
        /** The labels open, innermost last. */
        private final Deque<String> labels = new ArrayDeque<>();

        Reader(String body, List<Token> tokens, boolean trigger) {
            super(body, tokens);
            this.trigger = trigger;
        }

        List<String> read(Set<String> outer) {
            for (Token t : tokens) {
                if (t.kind() == Kind.PARAMETER || t.isSymbol("?")) {
                    throw new NotKnown();
                }
                // dynamic SQL wherever it stands (SET STATEMENT … FOR EXECUTE s, a handler's statement, …)
                if (t.isWord("execute") || t.isWord("prepare")) {
                    throw new NotKnown();
                }
            }
            variables.addLast(new HashSet<>(outer));
            statement();
            if (at != tokens.size()) {
                throw new NotKnown();
            }
            return texts;
        }

        // ---- tokens

        @Override
        int nesting(Token t) {
            if (t.isSymbol("(")) {
                return 1;
            }
            return t.isSymbol(")") ? -1 : 0;
        }

        /**
         * The index of the first of {@code words} from here outside parentheses and {@code CASE … END} expressions;
         * not known when a {@code ;} or the end comes first.
         */
        private int expressionEnd(Set<String> words) {
            int depth = 0;
            for (int i = at; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (depth == 0 && t.kind() == Kind.WORD && words.contains(t.name())) {
                    return i;
                }
                if (t.isSymbol(";")) {
                    throw new NotKnown();
                }
                if (t.isWord("case")) {
                    depth++;
                } else if (t.isWord("end")) {
                    depth--;
                } else {
                    depth += nesting(t);
                }
                if (depth < 0) {
                    throw new NotKnown();
                }
            }
            throw new NotKnown();
        }

        // ---- scopes

        // ---- statements

        /** Statements, each ending with its {@code ;}, up to a word ending the list. */
        private void statements() {
            while (!(peek().kind() == Kind.WORD && STATEMENT_LIST_ENDS.contains(peek().name()))) {
                if (at >= tokens.size()) {
                    throw new NotKnown();
                }
                statement();
            }
        }

        /** One statement with its {@code ;}. */
        private void statement() {
            String label = null;
            if (peek().isName() && peek(1).isSymbol(":")) {
                label = next().name();
                at++;
                Token kind = peek();
                if (!kind.isWord("begin") && !kind.isWord("loop") && !kind.isWord("while") && !kind.isWord("repeat")
                        && !kind.isWord("for")) {
                    throw new NotKnown();
                }
            }
            Token first = peek();
            if (first.kind() != Kind.WORD) {
                if (first.isSymbol("(")) {
                    sqlStatement();
                    return;
                }
                throw new NotKnown();
            }
            switch (first.name()) {
                case "begin" -> compound(label, this::block, null);
                case "loop" -> compound(label, () -> {
                    at++;
                    statements();
                }, "loop");
                case "while" -> compound(label, this::whileLoop, "while");
                case "repeat" -> compound(label, this::repeatLoop, "repeat");
                case "for" -> compound(label, this::forLoop, "for");
                case "if" -> ifStatement();
                case "case" -> caseStatement();
                case "declare" -> throw new NotKnown(); // only at a block's start
                case "set" -> setStatement();
                case "leave", "iterate" -> labelJump();
                case "return" -> {
                    at++;
                    int end = statementEnd();
                    expression(at, end);
                    at = end + 1;
                }
                case "open" -> openStatement();
                case "close" -> namesOnly(1);
                case "fetch" -> fetchStatement();
                case "signal", "resignal" -> signal();
                case "get" -> diagnostics();
                case "prepare", "execute", "deallocate", "end", "else", "elseif", "when", "until", "then", "do",
                     "goto", "exception", "exit", "continue", "package", "handler", "cursor", "condition" ->
                        throw new NotKnown();
                default -> sqlStatement();
            }
        }

        /** A labelled compound statement: its body, {@code END [word]} (the word {@code endWord} when given), its label. */
        private void compound(String label, Runnable inner, String endWord) {
            if (label != null && labels.contains(label)) {
                throw new NotKnown();
            }
            if (label != null) {
                labels.addLast(label);
            }
            variables.addLast(new HashSet<>());
            try {
                inner.run();
                expectWord("end");
                if (endWord != null) {
                    expectWord(endWord);
                }
                if (!peek().isSymbol(";")) {
                    Token name = next();
                    if (label == null || !name.isName() || !name.name().equals(label)) {
                        throw new NotKnown();
                    }
                }
                expectSymbol(";");
            } finally {
                variables.removeLast();
                if (label != null) {
                    labels.removeLast();
                }
            }
        }

        /** {@code BEGIN [NOT ATOMIC] [declarations] statements}, before its {@code END}. */
        private void block() {
            expectWord("begin");
            if (acceptWord("not")) {
                expectWord("atomic");
            }
            while (peek().isWord("declare")) {
                declaration();
            }
            statements();
        }

        private void declaration() {
            expectWord("declare");
            Token name = next();
            if (!name.isName()) {
                throw new NotKnown();
            }
            if (name.isWord("continue") || name.isWord("exit") || name.isWord("undo")) {
                if (peek().isWord("handler")) {
                    handler();
                    return;
                }
            }
            if (peek().isWord("condition")) {
                at++;
                int end = statementEnd();
                expectWord("for");
                for (int i = at; i < end; i++) {
                    Token t = tokens.get(i);
                    if (!t.isWord("sqlstate") && !t.isWord("value") && t.kind() != Kind.LITERAL
                            && t.kind() != Kind.NUMBER) {
                        throw new NotKnown();
                    }
                }
                at = end + 1;
                return;
            }
            if (peek().isWord("cursor")) {
                at++;
                cursor(name);
                return;
            }
            List<Token> names = new ArrayList<>();
            names.add(name);
            while (peek().isSymbol(",")) {
                at++;
                Token more = next();
                if (!more.isName()) {
                    throw new NotKnown();
                }
                names.add(more);
            }
            int end = statementEnd();
            int defaultAt = -1;
            for (int i = at; i < end; i++) {
                Token t = tokens.get(i);
                if (t.isWord("default")) {
                    defaultAt = i;
                    break;
                }
                // a type: words, sizes, a character set or collation named; TYPE OF and ROW TYPE OF are not read
                if (t.isWord("of") || t.isWord("type") || t.isWord("row")) {
                    throw new NotKnown();
                }
                if (!t.isName() && t.kind() != Kind.NUMBER && t.kind() != Kind.LITERAL && !t.isSymbol("(")
                        && !t.isSymbol(")") && !t.isSymbol(",")) {
                    throw new NotKnown();
                }
            }
            if (defaultAt == at || end == at) {
                throw new NotKnown(); // no type
            }
            if (defaultAt >= 0) {
                expression(defaultAt + 1, end);
            }
            for (Token declared : names) {
                declare(declared);
            }
            at = end + 1;
        }

        /** {@code c CURSOR [(parameters)] FOR query}: the query, where the cursor's parameters are variables. */
        private void cursor(Token name) {
            int end = statementEnd();
            Set<String> parameters = new HashSet<>();
            if (peek().isSymbol("(")) {
                int close = matching(at, end);
                for (int[] part : split(at + 1, close)) {
                    if (part[0] >= part[1] || !tokens.get(part[0]).isName()) {
                        throw new NotKnown();
                    }
                    parameters.add(tokens.get(part[0]).name());
                }
                at = close + 1;
            }
            expectWord("for");
            variables.addLast(parameters);
            try {
                query(at, end);
            } finally {
                variables.removeLast();
            }
            if (!name.isName()) {
                throw new NotKnown();
            }
            at = end + 1;
        }

        /** {@code HANDLER FOR condition [, …] statement}. */
        private void handler() {
            expectWord("handler");
            expectWord("for");
            while (true) {
                if (acceptWord("sqlstate")) {
                    acceptWord("value");
                    if (next().kind() != Kind.LITERAL) {
                        throw new NotKnown();
                    }
                } else if (acceptWord("not")) {
                    expectWord("found");
                } else if (peek().kind() == Kind.NUMBER || peek().isName()) {
                    at++;
                } else {
                    throw new NotKnown();
                }
                if (!peek().isSymbol(",")) {
                    break;
                }
                at++;
            }
            statement();
        }

        /** {@code WHILE cond DO statements}, before its {@code END}. */
        private void whileLoop() {
            expectWord("while");
            int end = expressionEnd(Set.of("do"));
            expression(at, end);
            at = end + 1;
            statements();
        }

        /** {@code REPEAT statements UNTIL cond}, before its {@code END}. */
        private void repeatLoop() {
            expectWord("repeat");
            statements();
            expectWord("until");
            int end = expressionEnd(Set.of("end"));
            expression(at, end);
            at = end;
        }

        /**
         * {@code FOR v IN [REVERSE] low .. high DO}, {@code FOR r IN cursor [(arguments)] DO} or
         * {@code FOR r IN (query) DO}, then statements before the {@code END}; {@code v} and {@code r} are variables
         * of the loop.
         */
        private void forLoop() {
            expectWord("for");
            Token variable = next();
            if (!variable.isName()) {
                throw new NotKnown();
            }
            expectWord("in");
            int doAt = expressionEnd(Set.of("do"));
            if (peek().isSymbol("(") && matching(at, doAt) == doAt - 1
                    && (peek(1).isWord("select") || peek(1).isWord("with") || peek(1).isWord("values"))) {
                query(at + 1, doAt - 1);
            } else {
                acceptWord("reverse");
                int range = -1;
                int depth = 0;
                for (int i = at; i < doAt; i++) {
                    Token t = tokens.get(i);
                    if (depth == 0 && t.isSymbol(".") && i + 1 < doAt && tokens.get(i + 1).isSymbol(".")
                            && tokens.get(i + 1).start() == t.end()) {
                        if (range >= 0) {
                            throw new NotKnown();
                        }
                        range = i;
                    }
                    depth += nesting(t);
                }
                if (range < 0) {
                    throw new NotKnown(); // a cursor loop, or a range written another way: not read
                }
                expression(at, range);
                expression(range + 2, doAt);
            }
            at = doAt + 1;
            declare(variable);
            statements();
        }

        /** {@code IF cond THEN statements [ELSEIF cond THEN statements]… [ELSE statements] END IF}. */
        private void ifStatement() {
            expectWord("if");
            while (true) {
                int then = expressionEnd(Set.of("then"));
                expression(at, then);
                at = then + 1;
                statements();
                if (!acceptWord("elseif")) {
                    break;
                }
            }
            if (acceptWord("else")) {
                statements();
            }
            expectWord("end");
            expectWord("if");
            expectSymbol(";");
        }

        /** {@code CASE [value] WHEN x THEN statements … [ELSE statements] END CASE}. */
        private void caseStatement() {
            expectWord("case");
            if (!peek().isWord("when")) {
                int when = expressionEnd(Set.of("when"));
                expression(at, when);
                at = when;
            }
            if (!peek().isWord("when")) {
                throw new NotKnown();
            }
            while (acceptWord("when")) {
                int then = expressionEnd(Set.of("then"));
                expression(at, then);
                at = then + 1;
                statements();
            }
            if (acceptWord("else")) {
                statements();
            }
            expectWord("end");
            expectWord("case");
            expectSymbol(";");
        }

        /** {@code LEAVE label} or {@code ITERATE label}, of a label open here. */
        private void labelJump() {
            at++;
            Token label = next();
            if (!label.isName() || !labels.contains(label.name())) {
                throw new NotKnown();
            }
            expectSymbol(";");
        }

        /** {@code OPEN c [(arguments)]}: the arguments are expressions. */
        private void openStatement() {
            at++;
            int end = statementEnd();
            Token cursor = next();
            if (!cursor.isName()) {
                throw new NotKnown();
            }
            if (at < end) {
                if (!peek().isSymbol("(") || matching(at, end) != end - 1) {
                    throw new NotKnown();
                }
                if (at + 1 < end - 1) {
                    expression(at + 1, end - 1);
                }
            }
            at = end + 1;
        }

        /** {@code FETCH [[NEXT] FROM] c INTO target [, …]}. */
        private void fetchStatement() {
            at++;
            int end = statementEnd();
            acceptWord("next");
            acceptWord("from");
            Token cursor = next();
            if (!cursor.isName()) {
                throw new NotKnown();
            }
            expectWord("into");
            if (at >= end) {
                throw new NotKnown();
            }
            for (int[] part : split(at, end)) {
                if (target(part[0], part[1]) != part[1]) {
                    throw new NotKnown();
                }
            }
            at = end + 1;
        }

        /** A statement of names only after its first {@code words} words (such as {@code CLOSE c}). */
        private void namesOnly(int words) {
            at += words;
            int end = statementEnd();
            if (end != at + 1 || !peek().isName()) {
                throw new NotKnown();
            }
            at = end + 1;
        }

        /** {@code SIGNAL|RESIGNAL [SQLSTATE [VALUE] 'x' | condition] [SET item = expr [, …]]}. */
        private void signal() {
            boolean resignal = next().isWord("resignal");
            int end = statementEnd();
            if (acceptWord("sqlstate")) {
                acceptWord("value");
                if (next().kind() != Kind.LITERAL) {
                    throw new NotKnown();
                }
            } else if (peek().isName() && !peek().isWord("set")) {
                at++;
            } else if (!resignal) {
                throw new NotKnown();
            }
            if (acceptWord("set")) {
                for (int[] part : split(at, end)) {
                    if (part[1] - part[0] < 3 || !tokens.get(part[0]).isName()
                            || !tokens.get(part[0] + 1).isSymbol("=")) {
                        throw new NotKnown();
                    }
                    expression(part[0] + 2, part[1]);
                }
                at = end;
            }
            if (at != end) {
                throw new NotKnown();
            }
            at = end + 1;
        }

        /** {@code GET [CURRENT | STACKED] DIAGNOSTICS …}: names, numbers and user variables only. */
        private void diagnostics() {
            at++;
            int end = statementEnd();
            if (!acceptWord("current")) {
                acceptWord("stacked");
            }
            expectWord("diagnostics");
            for (int i = at; i < end; i++) {
                Token t = tokens.get(i);
                if (t.kind() != Kind.WORD && t.kind() != Kind.QUOTED && t.kind() != Kind.NUMBER && !t.isSymbol(",")
                        && !t.isSymbol("=")) {
                    throw new NotKnown();
                }
            }
            at = end + 1;
        }

        /**
         * {@code SET target = expr [, …]}: each expression {@code SELECT expr} when every target is a local variable
         * (or {@code NEW.col} in a trigger); the statement as written when no target is one (a session, global, user
         * or other server setting, which the analysis judges); not known when both are mixed.
         */
        private void setStatement() {
            int end = statementEnd();
            int start = at;
            at++;
            List<int[]> parts = split(at, end);
            int local = 0;
            for (int[] part : parts) {
                int assign = -1;
                for (int i = part[0]; i < part[1]; i++) {
                    if (tokens.get(i).isSymbol("=") || tokens.get(i).isSymbol(":=")) {
                        assign = i;
                        break;
                    }
                }
                if (assign > part[0] && target(part[0], assign) == assign && isLocalTarget(part[0])) {
                    local++;
                }
            }
            if (local == 0) {
                at = start;
                sqlStatement();
                return;
            }
            if (local != parts.size()) {
                throw new NotKnown();
            }
            for (int[] part : parts) {
                int assign = target(part[0], part[1]);
                if (!tokens.get(assign).isSymbol("=") && !tokens.get(assign).isSymbol(":=")) {
                    throw new NotKnown();
                }
                expression(assign + 1, part[1]);
            }
            at = end + 1;
        }

        private boolean isLocalTarget(int from) {
            Token first = tokens.get(from);
            return first.isName() && isVariable(first.name());
        }

        /**
         * A target starting at {@code from}: a local variable, or {@code NEW.col} / {@code OLD.col} in a trigger, or
         * (where it is a user variable) {@code @x}; where it ends, or {@code from} when there is none.
         */
        private int target(int from, int end) {
            if (from >= end) {
                return from;
            }
            Token first = tokens.get(from);
            if (first.kind() == Kind.WORD && first.name().startsWith("@") && !first.name().startsWith("@@")) {
                return from + 1;
            }
            if (!first.isName() || !isVariable(first.name())) {
                return from;
            }
            if (trigger && (first.isWord("new") || first.isWord("old"))) {
                if (from + 2 < end && tokens.get(from + 1).isSymbol(".")
                        && tokens.get(from + 2).isName()) {
                    return from + 3;
                }
                return from;
            }
            return from + 1;
        }

        /**
         * Any other SQL statement, up to its {@code ;}: given as written, but for an {@code INTO} of local variables
         * in a {@code SELECT} (taken out). An {@code INTO} of user variables, {@code OUTFILE} or {@code DUMPFILE} is
         * left for the analysis to judge.
         */
        private void sqlStatement() {
            int end = statementEnd();
            Token first = peek();
            boolean query = first.isWord("select") || first.isWord("with") || first.isSymbol("(");
            int into = -1;
            int intoEnd = -1;
            int depth = 0;
            for (int i = at; i < end; i++) {
                Token t = tokens.get(i);
                if (t.isWord("into") && query) {
                    if (depth != 0 || into >= 0) {
                        throw new NotKnown();
                    }
                    Token following = i + 1 < end ? tokens.get(i + 1) : null;
                    if (following != null && (following.isWord("outfile") || following.isWord("dumpfile"))) {
                        continue;
                    }
                    int k = i + 1;
                    boolean allLocal = true;
                    boolean anyLocal = false;
                    while (true) {
                        int after = target(k, end);
                        if (after == k) {
                            throw new NotKnown();
                        }
                        boolean user = tokens.get(k).name() != null && tokens.get(k).name().startsWith("@");
                        allLocal &= !user;
                        anyLocal |= !user;
                        k = after;
                        if (k < end && tokens.get(k).isSymbol(",")) {
                            k++;
                        } else {
                            break;
                        }
                    }
                    if (anyLocal && !allLocal) {
                        throw new NotKnown();
                    }
                    if (allLocal) {
                        into = i;
                        intoEnd = k;
                    }
                    i = k - 1;
                    continue;
                }
                depth += nesting(t);
            }
            if (into < 0) {
                texts.add(text(at, end));
            } else {
                String before = text(at, into);
                String after = text(intoEnd, end);
                texts.add(after.isEmpty() ? before : before + " " + after);
            }
            at = end + 1;
        }

        /** The ranges of the comma-separated parts of the tokens {@code from} to {@code to}. */
        private List<int[]> split(int from, int to) {
            List<int[]> parts = new ArrayList<>();
            int depth = 0;
            int start = from;
            for (int i = from; i < to; i++) {
                Token t = tokens.get(i);
                if (depth == 0 && t.isSymbol(",")) {
                    parts.add(new int[] {start, i});
                    start = i + 1;
                }
                depth += nesting(t);
                if (t.isWord("case")) {
                    depth++;
                } else if (t.isWord("end")) {
                    depth--;
                }
            }
            parts.add(new int[] {start, to});
            return parts;
        }

        // ---- texts

        /**
         * The tokens {@code from} to {@code to} as text, each reference to a variable replaced by {@code NULL}: a name
         * (with a field, {@code v.f}, {@code NEW.col}) not after a {@code .} or {@code AS} and not before a {@code (}
         * (a function's name), that is a variable.
         */
        @Override
        String text(int from, int to) {
            StringBuilder out = new StringBuilder();
            int previousEnd = -1;
            for (int i = from; i < to; i++) {
                Token t = tokens.get(i);
                int chainEnd = i + 1;
                String replacement = null;
                if (t.isName() && !afterQualifierOrAlias(i, from)) {
                    while (chainEnd + 1 < to && tokens.get(chainEnd).isSymbol(".")
                            && (tokens.get(chainEnd + 1).isName() || tokens.get(chainEnd + 1).isSymbol("*"))) {
                        boolean star = tokens.get(chainEnd + 1).isSymbol("*");
                        chainEnd += 2;
                        if (star) {
                            break;
                        }
                    }
                    boolean call = chainEnd < to && tokens.get(chainEnd).isSymbol("(");
                    if (isVariable(t.name()) && !call) {
                        replacement = "NULL";
                        if (trigger && ("new".equals(t.name()) || "old".equals(t.name())) && chainEnd == i + 3
                                && tokens.get(i + 2).isName()) {
                            // the row written, a column of which the analysis sees (PlpgsqlBody#TRIGGER_ROW)
                            Token field = tokens.get(i + 2);
                            replacement = "(SELECT " + body.substring(field.start(), field.end())
                                    + " FROM `governed trigger`.`row`)";
                        }
                    } else {
                        chainEnd = i + 1;
                    }
                }
                if (previousEnd >= 0 && t.start() != previousEnd) {
                    out.append(' ');
                }
                if (replacement != null) {
                    if (previousEnd >= 0 && t.start() == previousEnd) {
                        out.append(' ');
                    }
                    out.append(replacement).append(' ');
                    previousEnd = -1;
                } else {
                    out.append(body, t.start(), t.end());
                    previousEnd = t.end();
                }
                i = chainEnd - 1;
            }
            return out.toString().strip();
        }

        /** Whether the name at {@code i} follows a {@code .} (a column or field) or {@code AS} (an alias). */
        private boolean afterQualifierOrAlias(int i, int from) {
            if (i == from) {
                return false;
            }
            Token previous = tokens.get(i - 1);
            return previous.isSymbol(".") || previous.isWord("as");
        }
    }
}
