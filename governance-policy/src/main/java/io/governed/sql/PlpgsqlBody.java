package io.governed.sql;

import io.governed.sql.ProceduralTokens.Kind;
import io.governed.sql.ProceduralTokens.NotKnown;
import io.governed.sql.ProceduralTokens.Token;
import io.governed.sql.ProceduralTokens.Tokenizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SQL statements and expressions of a PostgreSQL {@code LANGUAGE plpgsql} routine body, as texts the PostgreSQL
 * analysis reads one by one: together they read and write the tables, and call the routines, that the body's
 * statements and expressions do.
 *
 * <p>The body is lexed as PostgreSQL lexes it ({@link SqlLexer}) and its statements are read as PL/pgSQL reads them:
 * a {@code DECLARE} default becomes {@code SELECT expr}, a cursor's {@code FOR query} that query, an assignment's,
 * condition's, loop bound's, {@code RETURN}'s, {@code RAISE}'s or {@code ASSERT}'s expressions {@code SELECT expr},
 * {@code PERFORM query} {@code SELECT query}, {@code RETURN QUERY query} and a loop's query that query, a
 * {@code SELECT … INTO} or {@code … RETURNING … INTO} statement that statement without its {@code INTO} part, and any
 * other SQL statement ({@code CALL} included) itself. Cursor movements, {@code GET DIAGNOSTICS}, {@code NULL},
 * {@code COMMIT} and {@code ROLLBACK} read no table and give nothing.
 *
 * <p>A reference to a PL/pgSQL variable (a parameter, a declared name, a loop variable, a trigger's {@code NEW},
 * {@code OLD} and {@code TG_*}, {@code FOUND}, a handler's {@code SQLSTATE} and {@code SQLERRM}, qualified by a block
 * label or naming a field) becomes {@code NULL}: PostgreSQL refuses a name that is both a variable and a column of a
 * relation in scope (unless {@code plpgsql.variable_conflict} says otherwise, which the caller checks), so no column or
 * table is hidden by the replacement, and a variable named like a table it would stand in for leaves a text that does
 * not parse. The answer is {@code null} (not known) for a body holding dynamic SQL ({@code EXECUTE}, in any of its
 * forms), a setting changed ({@code SET}, {@code RESET}, {@code set_config}: the statements after it would resolve
 * names otherwise), a compiler directive other than {@code #print_strict_params} and {@code #option dump}, anything
 * unbalanced or not recognised for certain, a lexical problem, strings a session's {@code standard_conforming_strings}
 * could read otherwise, or a text the analysis cannot parse.
 */
public final class PlpgsqlBody {

    /** Parses each text given to check that the analysis can read it; a small cache, as bodies are few. */
    private static final SqlAnalyzer CHECK = new SqlAnalyzer(512);

    /** The variables PostgreSQL declares in a trigger function (row and event triggers). */
    private static final List<String> TRIGGER_VARIABLES = List.of("new", "old", "tg_name", "tg_when", "tg_level",
            "tg_op", "tg_relid", "tg_relname", "tg_table_name", "tg_table_schema", "tg_nargs", "tg_argv", "tg_event",
            "tg_tag");

    /**
     * The relation a trigger function's {@code NEW} and {@code OLD} stand for in the texts: {@code NEW.x} becomes
     * {@code (SELECT x FROM "governed trigger"."row")} and the whole row {@code (SELECT * FROM …)}, so that the analysis
     * sees which columns of the row the body reads, to be taken as the columns of the table whose write runs the trigger.
     * A body naming it itself is not read.
     */
    public static final TableRef TRIGGER_ROW = new TableRef("governed trigger", "row");

    private static final String TRIGGER_ROW_TEXT = "\"governed trigger\".\"row\"";

    /** Words ending a list of statements (a block, a branch, a loop, a handler). */
    private static final Set<String> STATEMENT_LIST_ENDS = Set.of("end", "else", "elsif", "elseif", "when", "exception");

    private PlpgsqlBody() {
    }

    /**
     * The statements of {@code body} (a function's {@code prosrc}) as texts for the PostgreSQL analysis, for a routine
     * that is no trigger function and whose name is not used as a label; {@code null} when not known.
     */
    public static List<String> statements(String body, Collection<String> parameterNames) {
        return statements(body, null, parameterNames, false);
    }

    /**
     * The statements of {@code body} (a function's {@code prosrc}) as texts for the PostgreSQL analysis (see the class
     * comment); {@code null} when not known.
     *
     * @param body           the routine's source, as {@code pg_proc.prosrc} holds it
     * @param routineName    the routine's name, which labels its outermost block, or {@code null}
     * @param parameterNames the names of its parameters ({@code proargnames}, output and table columns included;
     *                       empty or {@code null} names are skipped)
     * @param trigger        whether it is a trigger or event trigger function, which has {@code NEW}, {@code OLD} and
     *                       the {@code TG_*} variables
     */
    public static List<String> statements(String body, String routineName, Collection<String> parameterNames,
                                          boolean trigger) {
        if (body == null) {
            return null;
        }
        if (!SqlAnalyzer.stringsReadAlikeEitherWay(body, Dialect.POSTGRESQL)) {
            return null; // a session with standard_conforming_strings off compiles it into other statements
        }
        Tokenizer tokens = new Tokenizer(body);
        if (SqlLexer.lex(body, Dialect.POSTGRESQL, tokens) != null || body.contains("governed trigger")) {
            return null;
        }
        Set<String> outer = new HashSet<>();
        outer.add("found");
        if (parameterNames != null) {
            for (String name : parameterNames) {
                if (name != null && !name.isEmpty()) {
                    outer.add(name);
                }
            }
        }
        if (trigger) {
            outer.addAll(TRIGGER_VARIABLES);
        }
        for (Token token : tokens.tokens) {
            if (token.isWord("set_config")) {
                return null; // a setting changed by a call: as SET above
            }
        }
        Reader reader = new Reader(body, tokens.tokens, trigger);
        List<String> texts;
        try {
            texts = reader.read(outer, routineName);
        } catch (NotKnown e) {
            return null;
        }
        for (String text : texts) {
            if (!CHECK.analyze(text, Dialect.POSTGRESQL).parsed()) {
                return null;
            }
        }
        return List.copyOf(texts);
    }

    /** Reads the body's tokens as PL/pgSQL does, collecting the texts for the analysis. */
    private static final class Reader extends ProceduralTokens.Cursor {
        /** The labels of each open scope, innermost last. */
        private final Deque<Set<String>> labels = new ArrayDeque<>();
        /** The names declared as bound cursors. */
        private final Set<String> cursors = new HashSet<>();
        /** Whether the body is a trigger function's, whose {@code NEW} and {@code OLD} are the row written. */
        private final boolean trigger;

        Reader(String body, List<Token> tokens, boolean trigger) {
            super(body, tokens);
            this.trigger = trigger;
        }

        List<String> read(Set<String> outer, String routineName) {
            while (peek().isSymbol("#")) {
                directive();
            }
            Set<String> routineLabel = new HashSet<>();
            if (routineName != null) {
                routineLabel.add(routineName);
            }
            push(outer, routineLabel);
            block(null);
            if (at < tokens.size() && peek().isSymbol(";")) {
                at++;
            }
            if (at != tokens.size()) {
                throw new NotKnown();
            }
            return texts;
        }

        // ---- tokens

        @Override
        int nesting(Token t) {
            if (t.isSymbol("(") || t.isSymbol("[")) {
                return 1;
            }
            return t.isSymbol(")") || t.isSymbol("]") ? -1 : 0;
        }

        /**
         * The index of the first of {@code words} at parenthesis depth 0 from here, as PL/pgSQL finds the end of an
         * expression (it does not count {@code CASE … END}); not known when a {@code ;} or the end comes first.
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
                depth += nesting(t);
                if (depth < 0) {
                    throw new NotKnown();
                }
            }
            throw new NotKnown();
        }

        // ---- scopes

        private void push(Set<String> names, Set<String> blockLabels) {
            variables.addLast(new HashSet<>(names));
            labels.addLast(new HashSet<>(blockLabels));
        }

        private void pop() {
            variables.removeLast();
            labels.removeLast();
        }

        private boolean isLabel(String name) {
            for (Set<String> scope : labels) {
                if (scope.contains(name)) {
                    return true;
                }
            }
            return false;
        }

        // ---- structure

        private void directive() {
            expectSymbol("#");
            Token option = next();
            if (option.isWord("print_strict_params")) {
                Token value = next();
                if (!value.isWord("on") && !value.isWord("off")) {
                    throw new NotKnown();
                }
            } else if (option.isWord("option")) {
                expectWord("dump");
            } else {
                throw new NotKnown(); // #variable_conflict: names would resolve otherwise than replaced here
            }
        }

        /** An optional {@code <<label>>}; its name, or {@code null}. */
        private String label() {
            if (!peek().isSymbol("<<")) {
                return null;
            }
            at++;
            Token name = next();
            if (!name.isName()) {
                throw new NotKnown();
            }
            expectSymbol(">>");
            return name.name();
        }

        /** {@code [DECLARE …] BEGIN … [EXCEPTION …] END [label]}, after its label. */
        private void block(String label) {
            if (label == null) {
                label = label();
            }
            Set<String> blockLabels = new HashSet<>();
            if (label != null) {
                blockLabels.add(label);
            }
            push(Set.of(), blockLabels);
            if (acceptWord("declare")) {
                declarations();
            }
            expectWord("begin");
            statements();
            if (acceptWord("exception")) {
                handlers();
            }
            expectWord("end");
            endLabel();
            pop();
        }

        private void endLabel() {
            if (peek().isName() && !peek().isSymbol(";")) {
                Token name = next();
                if (!isLabel(name.name())) {
                    throw new NotKnown();
                }
            }
        }

        private void declarations() {
            while (!peek().isWord("begin")) {
                if (acceptWord("declare")) {
                    continue;
                }
                declaration();
            }
        }

        private void declaration() {
            Token name = next();
            if (!name.isName()) {
                throw new NotKnown();
            }
            int end = statementEnd();
            if (peek().isWord("alias")) {
                at++;
                expectWord("for");
                Token target = next();
                if (target.kind() != Kind.PARAMETER && !(target.isName() && isVariable(target.name()))) {
                    throw new NotKnown();
                }
                expectSymbol(";");
                declare(name);
                return;
            }
            int i = at;
            if (tokens.get(i).isWord("no")) {
                i++;
            }
            if (tokens.get(i).isWord("scroll")) {
                i++;
            }
            if (tokens.get(i).isWord("cursor")) {
                at = i + 1;
                cursor(end);
                declare(name);
                cursors.add(name.name());
                return;
            }
            int defaultAt = -1;
            int depth = 0;
            for (int k = at; k < end; k++) {
                Token t = tokens.get(k);
                if (depth == 0 && (t.isWord("default") || t.isSymbol(":=") || t.isSymbol("="))) {
                    defaultAt = k;
                    break;
                }
                depth += nesting(t);
                // the type: names (CONSTANT, NOT NULL, COLLATE "C", t.c%TYPE, r%ROWTYPE) and constant modifiers only
                boolean typePart = depth == 0 ? t.isName() || t.isSymbol(".") || t.isSymbol("%") || t.isSymbol(")")
                        || t.isSymbol("]") : t.kind() == Kind.NUMBER || t.isSymbol(",") || t.isSymbol("(")
                        || t.isSymbol("[");
                if (!typePart) {
                    throw new NotKnown();
                }
            }
            if (defaultAt >= 0) {
                expression(defaultAt + 1, end);
            }
            at = end + 1;
            declare(name); // after its default, which does not see it
        }

        /** A bound cursor's {@code [(arguments)] FOR|IS query}, up to the {@code ;} at {@code end}. */
        private void cursor(int end) {
            Set<String> arguments = new HashSet<>();
            if (peek().isSymbol("(")) {
                at++;
                boolean first = true;
                int depth = 0;
                while (!(depth == 0 && peek().isSymbol(")"))) {
                    Token t = next();
                    if (at > end) {
                        throw new NotKnown();
                    }
                    if (depth == 0 && first) {
                        if (!t.isName()) {
                            throw new NotKnown();
                        }
                        arguments.add(t.name());
                        first = false;
                    } else if (depth == 0 && t.isSymbol(",")) {
                        first = true;
                    }
                    depth += nesting(t);
                }
                at++;
            }
            if (!acceptWord("for") && !acceptWord("is")) {
                throw new NotKnown();
            }
            push(arguments, Set.of());
            query(at, end);
            pop();
            at = end + 1;
        }

        /** Statements up to a word ending a list of statements. */
        private void statements() {
            while (!(peek().kind() == Kind.WORD && STATEMENT_LIST_ENDS.contains(peek().name()))) {
                if (at >= tokens.size()) {
                    throw new NotKnown();
                }
                statement();
            }
        }

        private void handlers() {
            if (!peek().isWord("when")) {
                throw new NotKnown();
            }
            Set<String> handlerVariables = Set.of("sqlstate", "sqlerrm");
            while (acceptWord("when")) {
                int then = expressionEnd(Set.of("then"));
                for (int i = at; i < then; i++) {
                    Token t = tokens.get(i);
                    if (!t.isName() && t.kind() != Kind.LITERAL) {
                        throw new NotKnown();
                    }
                }
                at = then + 1;
                push(handlerVariables, Set.of());
                statements();
                pop();
            }
            if (!peek().isWord("end")) {
                throw new NotKnown();
            }
        }

        private void statement() {
            String label = label();
            Token first = peek();
            if (label != null && !(first.isWord("begin") || first.isWord("declare") || first.isWord("loop")
                    || first.isWord("while") || first.isWord("for") || first.isWord("foreach"))) {
                throw new NotKnown();
            }
            if (first.kind() != Kind.WORD) {
                if (first.isName() && isVariable(first.name())) {
                    assignment();
                    return;
                }
                throw new NotKnown();
            }
            switch (first.name()) {
                case "begin", "declare" -> {
                    block(label);
                    expectSymbol(";");
                }
                case "if" -> ifStatement();
                case "case" -> caseStatement();
                case "loop" -> {
                    at++;
                    loopBody(label, Set.of());
                }
                case "while" -> {
                    at++;
                    int loop = expressionEnd(Set.of("loop"));
                    expression(at, loop);
                    at = loop + 1;
                    loopBody(label, Set.of());
                }
                case "for" -> forStatement(label);
                case "foreach" -> foreachStatement(label);
                case "exit", "continue" -> exitStatement();
                case "return" -> returnStatement();
                case "perform" -> {
                    at++;
                    int end = statementEnd();
                    if (end == at) {
                        throw new NotKnown();
                    }
                    texts.add("SELECT " + text(at, end));
                    at = end + 1;
                }
                case "raise" -> raiseStatement();
                case "assert" -> {
                    at++;
                    int end = statementEnd();
                    expression(at, end);
                    at = end + 1;
                }
                case "open" -> openStatement();
                case "fetch", "move", "close" -> cursorMovement();
                case "get" -> diagnostics();
                case "null" -> {
                    at++;
                    expectSymbol(";");
                }
                case "commit", "rollback" -> transactionEnd();
                case "execute" -> throw new NotKnown(); // dynamic SQL: what it runs cannot be told
                // a setting changed (search_path, role) makes the statements after it resolve their names or run
                // otherwise than the caller's statement would: what they read cannot be told from the texts alone
                case "set", "reset" -> throw new NotKnown();
                default -> {
                    if (isVariable(first.name()) || (isLabel(first.name()) && peek(1).isSymbol("."))) {
                        assignment();
                    } else {
                        sqlStatement();
                    }
                }
            }
        }

        private void ifStatement() {
            at++;
            conditionThenStatements();
            while (peek().isWord("elsif") || peek().isWord("elseif")) {
                at++;
                conditionThenStatements();
            }
            elseAndEnd("if");
        }

        private void caseStatement() {
            at++;
            if (!peek().isWord("when")) {
                int when = expressionEnd(Set.of("when"));
                expression(at, when);
                at = when;
            }
            if (!peek().isWord("when")) {
                throw new NotKnown();
            }
            while (acceptWord("when")) {
                conditionThenStatements();
            }
            elseAndEnd("case");
        }

        /** An {@code IF}'s, {@code ELSIF}'s or {@code WHEN}'s condition, its {@code THEN} and the statements after it. */
        private void conditionThenStatements() {
            int then = expressionEnd(Set.of("then"));
            expression(at, then);
            at = then + 1;
            statements();
        }

        /** {@code [ELSE statements] END <word>;} closing an {@code IF} or a {@code CASE}. */
        private void elseAndEnd(String word) {
            if (acceptWord("else")) {
                statements();
            }
            expectWord("end");
            expectWord(word);
            expectSymbol(";");
        }

        /** {@code LOOP} seen: the statements, {@code END LOOP [label];}, with {@code loopVariables} in scope. */
        private void loopBody(String label, Set<String> loopVariables) {
            push(loopVariables, label == null ? Set.of() : Set.of(label));
            statements();
            expectWord("end");
            expectWord("loop");
            endLabel();
            expectSymbol(";");
            pop();
        }

        private void forStatement(String label) {
            at++;
            Set<String> targets = new HashSet<>();
            do {
                Token target = next();
                if (!target.isName()) {
                    throw new NotKnown();
                }
                targets.add(target.name());
            } while (peek().isSymbol(",") && next() != null);
            expectWord("in");
            if (peek().isWord("execute")) {
                throw new NotKnown();
            }
            int loop = expressionEnd(Set.of("loop"));
            if (targets.size() == 1 && peek().isName() && cursors.contains(peek().name())
                    && isVariable(peek().name()) && !peek(1).isSymbol(".")) {
                // FOR rec IN bound_cursor [(arguments)] LOOP: the cursor's query was read where it was declared
                at++;
                if (at < loop) {
                    if (!peek().isSymbol("(") || !tokens.get(loop - 1).isSymbol(")")) {
                        throw new NotKnown();
                    }
                    arguments(at + 1, loop - 1);
                }
                at = loop + 1;
                loopBody(label, targets);
                return;
            }
            boolean reverse = acceptWord("reverse");
            int range = -1;
            int depth = 0;
            for (int i = at; i < loop; i++) {
                Token t = tokens.get(i);
                if (depth == 0 && t.isSymbol(".") && i + 1 < loop && tokens.get(i + 1).isSymbol(".")
                        && tokens.get(i + 1).start() == t.end()) {
                    range = i;
                    break;
                }
                depth += nesting(t);
            }
            if (range < 0) {
                if (reverse) {
                    throw new NotKnown();
                }
                query(at, loop);
                at = loop + 1;
                loopBody(label, Set.of());
                return;
            }
            if (targets.size() != 1) {
                throw new NotKnown();
            }
            expression(at, range);
            at = range + 2;
            int by = expressionEnd(Set.of("by", "loop"));
            expression(at, by);
            at = by + 1;
            if (tokens.get(by).isWord("by")) {
                expression(at, loop);
                at = loop + 1;
            } else if (by != loop) {
                throw new NotKnown();
            }
            loopBody(label, targets); // the integer loop's variable is its own, declared by the loop
        }

        private void foreachStatement(String label) {
            at++;
            Token target = next();
            if (!target.isName()) {
                throw new NotKnown();
            }
            while (peek().isSymbol(".") || peek().isSymbol(",")) {
                at++;
                if (!next().isName()) {
                    throw new NotKnown();
                }
            }
            if (acceptWord("slice")) {
                if (next().kind() != Kind.NUMBER) {
                    throw new NotKnown();
                }
            }
            expectWord("in");
            expectWord("array");
            int loop = expressionEnd(Set.of("loop"));
            expression(at, loop);
            at = loop + 1;
            loopBody(label, Set.of());
        }

        private void exitStatement() {
            at++;
            if (peek().isName() && !peek().isWord("when")) {
                if (!isLabel(next().name())) {
                    throw new NotKnown();
                }
            }
            if (acceptWord("when")) {
                int end = statementEnd();
                expression(at, end);
                at = end;
            }
            expectSymbol(";");
        }

        private void returnStatement() {
            at++;
            if (acceptWord("query")) {
                if (peek().isWord("execute")) {
                    throw new NotKnown();
                }
                int end = statementEnd();
                query(at, end);
                at = end + 1;
                return;
            }
            acceptWord("next");
            int end = statementEnd();
            if (trigger && end == at + 1 && (rowVariable(peek()) || peek().isWord("null"))) {
                // a trigger hands the row back to be written as it is (or skips it): no value read is given anywhere
                at = end + 1;
                return;
            }
            if (end > at) {
                expression(at, end);
            }
            at = end + 1;
        }

        private void raiseStatement() {
            at++;
            int end = statementEnd();
            if (at == end) {
                at++;
                return; // RAISE; re-raises the error being handled
            }
            if (peek().kind() == Kind.WORD && Set.of("debug", "log", "info", "notice", "warning", "exception")
                    .contains(peek().name())) {
                at++;
            }
            if (peek().kind() == Kind.LITERAL) {
                at++;
                if (peek().isSymbol(",")) {
                    at++;
                    int using = expressionEnd(Set.of("using"), end);
                    expression(at, using);
                    at = using;
                }
            } else if (peek().isWord("sqlstate")) {
                at++;
                if (next().kind() != Kind.LITERAL) {
                    throw new NotKnown();
                }
            } else if (peek().kind() == Kind.WORD && !peek().isWord("using")) {
                at++; // a condition's name
            }
            if (acceptWord("using")) {
                List<int[]> options = split(at, end);
                for (int[] option : options) {
                    Token name = tokens.get(option[0]);
                    if (!name.isName() || option[1] - option[0] < 3) {
                        throw new NotKnown();
                    }
                    Token assign = tokens.get(option[0] + 1);
                    if (!assign.isSymbol("=") && !assign.isSymbol(":=")) {
                        throw new NotKnown();
                    }
                    expression(option[0] + 2, option[1]);
                }
                at = end;
            }
            if (at != end) {
                throw new NotKnown();
            }
            at = end + 1;
        }

        /** Like {@link #expressionEnd(Set)}, but {@code end} when none of {@code words} comes before it. */
        private int expressionEnd(Set<String> words, int end) {
            int depth = 0;
            for (int i = at; i < end; i++) {
                Token t = tokens.get(i);
                if (depth == 0 && t.kind() == Kind.WORD && words.contains(t.name())) {
                    return i;
                }
                depth += nesting(t);
            }
            return end;
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
            }
            parts.add(new int[] {start, to});
            return parts;
        }

        private void openStatement() {
            at++;
            Token cursor = next();
            if (!cursor.isName()) {
                throw new NotKnown();
            }
            int end = statementEnd();
            if (acceptWord("no")) {
                expectWord("scroll");
            } else {
                acceptWord("scroll");
            }
            if (acceptWord("for")) {
                if (peek().isWord("execute")) {
                    throw new NotKnown();
                }
                query(at, end);
            } else if (at < end) {
                if (!peek().isSymbol("(") || !tokens.get(end - 1).isSymbol(")")) {
                    throw new NotKnown();
                }
                arguments(at + 1, end - 1);
            }
            at = end + 1;
        }

        /** A bound cursor's arguments, each an expression ({@code name :=} notation is not read). */
        private void arguments(int from, int to) {
            for (int i = from; i < to; i++) {
                if (tokens.get(i).isSymbol(":=") || tokens.get(i).isSymbol("=>")) {
                    throw new NotKnown();
                }
            }
            expression(from, to);
        }

        /**
         * {@code FETCH}, {@code MOVE}, {@code CLOSE}: names, numbers and a sign only (a count computed by a query is not
         * read: not known).
         */
        private void cursorMovement() {
            at++;
            int end = statementEnd();
            for (int i = at; i < end; i++) {
                Token t = tokens.get(i);
                if (!t.isName() && t.kind() != Kind.NUMBER && !t.isSymbol(",") && !t.isSymbol(".")
                        && !t.isSymbol("-") && !t.isSymbol("+")) {
                    throw new NotKnown();
                }
            }
            at = end + 1;
        }

        /** {@code GET [CURRENT | STACKED] DIAGNOSTICS target = item [, …]}: names only. */
        private void diagnostics() {
            at++;
            int end = statementEnd();
            if (!acceptWord("current")) {
                acceptWord("stacked");
            }
            expectWord("diagnostics");
            for (int i = at; i < end; i++) {
                Token t = tokens.get(i);
                if (!t.isName() && !t.isSymbol(",") && !t.isSymbol(".") && !t.isSymbol("=") && !t.isSymbol(":=")) {
                    throw new NotKnown();
                }
            }
            at = end + 1;
        }

        /** {@code COMMIT} or {@code ROLLBACK} {@code [AND [NO] CHAIN]}. */
        private void transactionEnd() {
            at++;
            int end = statementEnd();
            for (int i = at; i < end; i++) {
                Token t = tokens.get(i);
                if (!t.isWord("and") && !t.isWord("no") && !t.isWord("chain")) {
                    throw new NotKnown();
                }
            }
            at = end + 1;
        }

        /** {@code target := expression;} (or {@code =}); a subscript of the target is an expression too. */
        private void assignment() {
            int end = statementEnd();
            int depth = 0;
            int assign = -1;
            for (int i = at; i < end; i++) {
                Token t = tokens.get(i);
                if (depth == 0 && (t.isSymbol(":=") || t.isSymbol("="))) {
                    assign = i;
                    break;
                }
                if (depth == 0 && !t.isName() && !t.isSymbol(".") && !t.isSymbol("[") && !t.isSymbol("]")) {
                    throw new NotKnown();
                }
                if (depth == 1 && t.isSymbol("[")) {
                    throw new NotKnown();
                }
                if (t.isSymbol("[")) {
                    int close = matching(i, end);
                    for (int k = i + 1; k < close; k++) {
                        if (tokens.get(k).isSymbol(":") && nestingBetween(i + 1, k) == 0) {
                            throw new NotKnown(); // a slice
                        }
                    }
                    expression(i + 1, close);
                    i = close;
                    continue;
                }
                depth += nesting(t);
            }
            if (assign <= at || assign + 1 >= end) {
                throw new NotKnown();
            }
            expression(assign + 1, end);
            at = end + 1;
        }

        private int nestingBetween(int from, int to) {
            int depth = 0;
            for (int i = from; i < to; i++) {
                depth += nesting(tokens.get(i));
            }
            return depth;
        }

        /**
         * Any other SQL statement, up to its {@code ;}: given as written but for its PL/pgSQL {@code INTO} part (which
         * PL/pgSQL takes wherever it stands, except right after {@code INSERT} or {@code MERGE} and in
         * {@code IMPORT FOREIGN SCHEMA}).
         */
        private void sqlStatement() {
            int end = statementEnd();
            int into = -1;
            int intoEnd = -1;
            boolean importing = peek().isWord("import");
            for (int i = at; i < end; i++) {
                Token t = tokens.get(i);
                if (!t.isWord("into") || importing) {
                    continue;
                }
                Token previous = i > at ? tokens.get(i - 1) : null;
                if (previous != null && (previous.isWord("insert") || previous.isWord("merge"))) {
                    continue;
                }
                if (into >= 0) {
                    throw new NotKnown(); // INTO twice: PL/pgSQL refuses the statement
                }
                into = i;
                int k = i + 1;
                if (k < end && tokens.get(k).isWord("strict")) {
                    k++;
                }
                while (true) {
                    k = target(k, end);
                    if (k < end && tokens.get(k).isSymbol(",")) {
                        k++;
                    } else {
                        break;
                    }
                }
                intoEnd = k;
                i = k - 1;
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

        /** A variable (perhaps a field of one, or qualified by a label) starting at {@code from}; where it ends. */
        private int target(int from, int end) {
            if (from >= end || !tokens.get(from).isName()) {
                throw new NotKnown();
            }
            Token first = tokens.get(from);
            int k = from + 1;
            while (k + 1 < end && tokens.get(k).isSymbol(".") && tokens.get(k + 1).isName()) {
                k += 2;
            }
            boolean known = isVariable(first.name())
                    || (isLabel(first.name()) && k > from + 1 && isVariable(tokens.get(from + 2).name()));
            if (!known) {
                throw new NotKnown();
            }
            return k;
        }

        // ---- texts

        /**
         * The tokens {@code from} to {@code to} as text, each reference to a variable replaced by {@code NULL}: a name
         * (with its qualifiers and fields, {@code v}, {@code v.f}, {@code label.v}, {@code v.*}) not after a {@code .},
         * {@code AS}, {@code OF} or {@code ::} and not before a {@code (} (a function's name), whose first part is a
         * variable, or a label whose next part is one; the columns {@link #columnNames} finds are left as written.
         */
        @Override
        String text(int from, int to) {
            boolean[] columnNames = columnNames(from, to);
            StringBuilder out = new StringBuilder();
            int previousEnd = -1;
            for (int i = from; i < to; i++) {
                Token t = tokens.get(i);
                int chainEnd = i + 1;
                String replacement = null;
                if (t.isName() && !afterQualifierOrAlias(i, from) && !columnNames[i - from]) {
                    while (chainEnd + 1 < to && tokens.get(chainEnd).isSymbol(".")
                            && (tokens.get(chainEnd + 1).isName() || tokens.get(chainEnd + 1).isSymbol("*"))) {
                        boolean star = tokens.get(chainEnd + 1).isSymbol("*");
                        chainEnd += 2;
                        if (star) {
                            break;
                        }
                    }
                    boolean call = chainEnd < to && tokens.get(chainEnd).isSymbol("(");
                    boolean variable = isVariable(t.name()) || (chainEnd > i + 2 && isLabel(t.name())
                            && tokens.get(i + 2).isName() && isVariable(tokens.get(i + 2).name()));
                    if (variable && !call) {
                        replacement = trigger ? triggerRow(i, chainEnd) : null;
                        if (replacement == null) {
                            replacement = "NULL";
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

        /** Whether the token names a trigger's {@code NEW} or {@code OLD} (quoted or not, as PL/pgSQL compares names). */
        private static boolean rowVariable(Token t) {
            return t.isName() && ("new".equals(t.name()) || "old".equals(t.name()));
        }

        /**
         * The text standing for a reference to the row a trigger writes (tokens {@code from} to {@code chainEnd}):
         * {@code NEW.x} or {@code OLD.x} (a label before them too) a query of its column {@code x} of
         * {@link #TRIGGER_ROW}, {@code NEW} or {@code NEW.*} one of all of them; {@code null} for another variable.
         */
        private String triggerRow(int from, int chainEnd) {
            int variable = from;
            if (!rowVariable(tokens.get(from)) && chainEnd > from + 2 && isLabel(tokens.get(from).name())) {
                variable = from + 2;
            }
            if (!rowVariable(tokens.get(variable))) {
                return null;
            }
            if (variable + 2 < chainEnd && tokens.get(variable + 2).isName()) {
                Token field = tokens.get(variable + 2);
                return "(SELECT " + body.substring(field.start(), field.end()) + " FROM " + TRIGGER_ROW_TEXT + ")";
            }
            return "(SELECT * FROM " + TRIGGER_ROW_TEXT + ")";
        }

        /**
         * Which of the tokens {@code from} to {@code to} name a written table's columns, where PostgreSQL reads a column
         * and never a variable: an {@code INSERT INTO t (…)} list, and the targets of an {@code UPDATE … SET} (or
         * {@code ON CONFLICT … DO UPDATE SET}) list, {@code SET c = …} and {@code SET (c, d) = …}.
         */
        private boolean[] columnNames(int from, int to) {
            boolean[] columns = new boolean[to - from];
            for (int i = from; i + 1 < to; i++) {
                Token t = tokens.get(i);
                if (t.isWord("insert") && tokens.get(i + 1).isWord("into")) {
                    int k = i + 3;
                    while (k + 1 < to && tokens.get(k).isSymbol(".") && tokens.get(k + 1).isName()) {
                        k += 2;
                    }
                    if (k + 1 < to && tokens.get(k).isWord("as")) {
                        k += 2;
                    }
                    if (k < to && tokens.get(k).isSymbol("(")) {
                        markNames(columns, from, k, Math.min(matching(k, to), to));
                    }
                } else if (t.isWord("set")) {
                    int depth = 0;
                    boolean targetNext = true;
                    for (int k = i + 1; k < to; k++) {
                        Token u = tokens.get(k);
                        if (depth == 0 && u.kind() == Kind.WORD
                                && Set.of("where", "from", "returning").contains(u.name())) {
                            break;
                        }
                        if (depth == 0 && targetNext && u.isSymbol("(")) {
                            int close = matching(k, to);
                            markNames(columns, from, k, close);
                            k = close;
                            targetNext = false;
                            continue;
                        }
                        if (depth == 0 && targetNext && u.isName()) {
                            columns[k - from] = true;
                        }
                        targetNext = depth == 0 && u.isSymbol(",");
                        depth += nesting(u);
                        if (depth < 0) {
                            break;
                        }
                    }
                }
            }
            return columns;
        }

        private void markNames(boolean[] columns, int from, int open, int close) {
            int depth = 0;
            for (int k = open + 1; k < close; k++) {
                Token u = tokens.get(k);
                if (depth == 0 && u.isName()) {
                    columns[k - from] = true;
                }
                depth += nesting(u);
            }
        }

        /**
         * Whether the name at {@code i} follows a {@code .} (a column or field), {@code AS} or {@code ::} (an alias or
         * type), or {@code OF} (a cursor's name in {@code WHERE CURRENT OF}, a relation's in {@code FOR UPDATE OF}).
         */
        private boolean afterQualifierOrAlias(int i, int from) {
            if (i == from) {
                return false;
            }
            Token previous = tokens.get(i - 1);
            return previous.isSymbol(".") || previous.isSymbol("::") || previous.isWord("as") || previous.isWord("of");
        }
    }
}
