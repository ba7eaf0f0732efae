package io.governed.sql;

import io.governed.sql.ProceduralTokens.Kind;
import io.governed.sql.ProceduralTokens.NotKnown;
import io.governed.sql.ProceduralTokens.Token;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where the statements of a MariaDB text end when it holds a stored routine, trigger or event definition: MariaDB
 * reads such a definition's body as one statement (ending at its first top-level {@code ;}) or as a compound statement
 * ({@code [label:] BEGIN … END [label]}, {@code IF … END IF}, {@code CASE … END CASE}, {@code LOOP}, {@code WHILE},
 * {@code REPEAT}, {@code FOR}), whose own statements end with {@code ;} as well; the statements after the body are
 * statements of their own, which a multi-statement text (Connector/J's {@code allowMultiQueries}) runs.
 *
 * <p>The body's compound statements are matched over the lexer's tokens: {@code BEGIN}, {@code IF}, {@code CASE},
 * {@code LOOP}, {@code WHILE}, {@code REPEAT} and {@code FOR} open one only where a statement starts, a {@code CASE}
 * elsewhere is an expression closed by a bare {@code END}, and each {@code END} must close what is open with its own
 * word and label. Anything else not read for certain makes the answer not known.
 */
final class MariaDbDefinitionEnds {

    private static final Set<String> KINDS = Set.of("function", "procedure", "trigger", "event");
    private static final Set<String> TYPE_WORDS = Set.of("unsigned", "signed", "zerofill", "binary", "ascii",
            "unicode", "byte", "national", "varying", "precision");
    private static final Set<String> LOOPS = Set.of("loop", "while", "repeat", "for");

    private MariaDbDefinitionEnds() {
    }

    /**
     * The offsets in {@code text} of the {@code ;} that end its statements, a subset of {@code ends} (its top-level
     * {@code ;}): those inside a definition's body are left out. {@code ends} itself when the text holds no definition
     * followed by a further {@code ;}; {@code null} when a definition's body end is not known for certain.
     */
    static int[] statementEnds(String text, int[] ends) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (ends.length == 0 || !lower.contains("create") && !lower.contains("alter")) {
            return ends;
        }
        Tokenizer tokenizer = new Tokenizer(text);
        if (SqlLexer.lex(text, Dialect.MARIADB, tokenizer) != null) {
            return null;
        }
        return DefinitionEnds.statementEnds(tokenizer.tokens, ends, new DefinitionEnds.Grammar() {
            @Override
            public int bodyStart(List<Token> tokens, int at) {
                return MariaDbDefinitionEnds.bodyStart(tokens, at);
            }

            @Override
            public int bodyEnd(List<Token> tokens, int from) {
                return new Matcher(tokens).body(from);
            }
        }, null);
    }

    /** The index of the next ';' outside parentheses from {@code at}, or the token count. */
    private static int nextSemicolon(List<Token> tokens, int at) {
        int depth = 0;
        for (int i = at; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (t.isSymbol(";") && depth <= 0) {
                return i;
            }
        }
        return tokens.size();
    }

    /**
     * Where the body of the definition starting at {@code at} starts; -1 when no routine, trigger or event definition
     * starts there; not known when its header is not read for certain.
     */
    private static int bodyStart(List<Token> tokens, int at) {
        Cursor c = new Cursor(tokens, at);
        boolean alter = c.accept("alter");
        if (!alter && !c.accept("create")) {
            return -1;
        }
        int limit = nextSemicolon(tokens, at);
        if (!alter) {
            c.accept("or");
            c.accept("replace");
        }
        if (c.accept("definer")) {
            if (!c.peek().isSymbol("=")) {
                throw new NotKnown();
            }
            c.at++;
            c.definer();
        }
        c.accept("aggregate");
        Token word = c.peek();
        if (word.kind() != Kind.WORD || !KINDS.contains(word.name())) {
            if (c.peek(-1).isWord("aggregate")) {
                throw new NotKnown();
            }
            return -1;
        }
        String kind = word.name();
        c.at++;
        if (alter && !kind.equals("event")) {
            return -1; // ALTER FUNCTION|PROCEDURE changes characteristics only; MariaDB has no ALTER TRIGGER
        }
        if (!alter && c.accept("if")) {
            c.expect("not");
            c.expect("exists");
        }
        c.name();
        switch (kind) {
            case "function", "procedure" -> {
                if (!c.peek().isSymbol("(")) {
                    throw new NotKnown(); // a loadable function (RETURNS … SONAME …) or not known
                }
                c.skipParentheses();
                if (kind.equals("function")) {
                    c.expect("returns");
                    c.type();
                }
                c.characteristics();
            }
            case "trigger" -> {
                int i = c.at;
                while (i + 2 < limit && !(tokens.get(i).isWord("for") && tokens.get(i + 1).isWord("each")
                        && tokens.get(i + 2).isWord("row"))) {
                    i++;
                }
                if (i + 2 >= limit) {
                    throw new NotKnown();
                }
                c.at = i + 3;
                if (c.accept("follows") || c.accept("precedes")) {
                    c.name();
                }
            }
            default -> { // event: … DO body
                int depth = 0;
                int i = c.at;
                for (; i < limit; i++) {
                    Token t = tokens.get(i);
                    if (t.isSymbol("(")) {
                        depth++;
                    } else if (t.isSymbol(")")) {
                        depth--;
                    } else if (depth == 0 && t.isWord("do")) {
                        break;
                    }
                }
                if (i >= limit) {
                    if (alter) {
                        return -1; // ALTER EVENT without a new body
                    }
                    throw new NotKnown();
                }
                c.at = i + 1;
            }
        }
        if (c.at >= tokens.size()) {
            throw new NotKnown();
        }
        return c.at;
    }

    /** A position in the tokens and the header's small grammar. */
    private static final class Cursor {
        final List<Token> tokens;
        int at;

        Cursor(List<Token> tokens, int at) {
            this.tokens = tokens;
            this.at = at;
        }

        Token peek() {
            return peek(0);
        }

        Token peek(int ahead) {
            int i = at + ahead;
            return i < tokens.size() ? tokens.get(i) : new Token(Kind.SYMBOL, 0, 0, null, "");
        }

        boolean accept(String word) {
            if (peek().isWord(word)) {
                at++;
                return true;
            }
            return false;
        }

        void expect(String word) {
            if (!accept(word)) {
                throw new NotKnown();
            }
        }

        /** A definer: {@code CURRENT_USER[()]}, a role, or {@code user@host}, each part a name or a string. */
        void definer() {
            if (accept("current_user")) {
                if (peek().isSymbol("(") && peek(1).isSymbol(")")) {
                    at += 2;
                }
                return;
            }
            Token user = peek();
            if (!user.isName() && user.kind() != Kind.LITERAL) {
                throw new NotKnown();
            }
            at++;
            Token host = peek();
            if (host.isSymbol("@") || host.isWord("@")) {
                at++;
                Token name = peek();
                if (!name.isName() && name.kind() != Kind.LITERAL) {
                    throw new NotKnown();
                }
                at++;
                return;
            }
            if (host.kind() == Kind.WORD && host.name().startsWith("@")) {
                at++; // u@host, 'u'@host
            }
        }

        void name() {
            if (!peek().isName()) {
                throw new NotKnown();
            }
            at++;
            if (peek().isSymbol(".")) {
                at++;
                if (!peek().isName()) {
                    throw new NotKnown();
                }
                at++;
            }
        }

        void skipParentheses() {
            int depth = 0;
            do {
                Token t = peek();
                if (at >= tokens.size() || t.isSymbol(";")) {
                    throw new NotKnown();
                }
                if (t.isSymbol("(")) {
                    depth++;
                } else if (t.isSymbol(")")) {
                    depth--;
                }
                at++;
            } while (depth > 0);
        }

        /** A data type: a name, its sizes, its modifiers, character set and collation. */
        void type() {
            Token t = peek();
            if (t.kind() != Kind.WORD || t.isWord("row") || t.isWord("type") || t.isWord("table")) {
                throw new NotKnown();
            }
            at++;
            while (true) {
                Token n = peek();
                if (n.isSymbol("(")) {
                    skipParentheses();
                } else if (n.kind() == Kind.WORD && TYPE_WORDS.contains(n.name())) {
                    at++;
                } else if (n.isWord("character") && peek(1).isWord("set") || n.isWord("char") && peek(1).isWord("set")) {
                    at += 2;
                    charsetName();
                } else if (n.isWord("charset") || n.isWord("collate")) {
                    at++;
                    charsetName();
                } else {
                    return;
                }
            }
        }

        private void charsetName() {
            Token n = peek();
            if (!n.isName() && n.kind() != Kind.LITERAL) {
                throw new NotKnown();
            }
            at++;
        }

        /** A routine's characteristics, before its body. */
        void characteristics() {
            while (true) {
                if (accept("language")) {
                    expect("sql");
                } else if (peek().isWord("not") && peek(1).isWord("deterministic")) {
                    at += 2;
                } else if (accept("deterministic")) {
                    continue;
                } else if (accept("contains") || peek().isWord("no") && peek(1).isWord("sql")) {
                    accept("no");
                    expect("sql");
                } else if (accept("reads") || accept("modifies")) {
                    expect("sql");
                    expect("data");
                } else if (peek().isWord("sql") && peek(1).isWord("security")) {
                    at += 2;
                    if (!accept("definer") && !accept("invoker")) {
                        throw new NotKnown();
                    }
                } else if (accept("comment")) {
                    if (peek().kind() != Kind.LITERAL) {
                        throw new NotKnown();
                    }
                    at++;
                } else {
                    return;
                }
            }
        }
    }

    private enum Frame { BLOCK, IF, CASE_STATEMENT, LOOP, WHILE, REPEAT, FOR, CASE_EXPRESSION, PARENTHESIS }

    /** One open construct: what it is, its label, whether its header (a condition) is being read. */
    private static final class Open {
        final Frame frame;
        final String label;
        boolean header;
        boolean until;

        Open(Frame frame, String label, boolean header) {
            this.frame = frame;
            this.label = label;
            this.header = header;
        }
    }

    /** Matches a body's compound statements. */
    private static final class Matcher {
        private final List<Token> tokens;
        private final Deque<Open> open = new ArrayDeque<>();
        private int at;
        private boolean atStart = true;

        Matcher(List<Token> tokens) {
            this.tokens = tokens;
        }

        private Token peek(int ahead) {
            int i = at + ahead;
            return i < tokens.size() ? tokens.get(i) : new Token(Kind.SYMBOL, 0, 0, null, "");
        }

        private boolean topIs(Frame frame) {
            return !open.isEmpty() && open.peek().frame == frame;
        }

        /** The index of the ';' (or the token count) ending the body starting at {@code from}. */
        int body(int from) {
            at = from;
            boolean started = false;
            while (at < tokens.size()) {
                if (started && open.isEmpty() && atStart) {
                    // the body's one statement or compound statement has ended: at its ';'
                    return at;
                }
                Token t = tokens.get(at);
                if (atStart) {
                    start(t);
                } else {
                    within(t);
                }
                started = true;
            }
            if (!open.isEmpty() || !started) {
                throw new NotKnown();
            }
            return at;
        }

        /** A token where a statement starts. */
        private void start(Token t) {
            String label = null;
            if (t.isName() && peek(1).isSymbol(":")) {
                label = t.name();
                at += 2;
                t = peek(0);
                if (!t.isWord("begin") && !(t.kind() == Kind.WORD && LOOPS.contains(t.name()))) {
                    throw new NotKnown();
                }
            }
            if (t.kind() != Kind.WORD) {
                if (t.isSymbol(";")) {
                    throw new NotKnown(); // an empty statement
                }
                atStart = false;
                within(t);
                return;
            }
            switch (t.name()) {
                case "begin" -> {
                    open.push(new Open(Frame.BLOCK, label, false));
                    at++;
                    if (peek(0).isWord("not")) {
                        if (!peek(1).isWord("atomic")) {
                            throw new NotKnown();
                        }
                        at += 2;
                    }
                }
                case "if" -> opens(Frame.IF, label, true);
                case "case" -> opens(Frame.CASE_STATEMENT, label, true);
                case "loop" -> opens(Frame.LOOP, label, false);
                case "while" -> opens(Frame.WHILE, label, true);
                case "repeat" -> opens(Frame.REPEAT, label, false);
                case "for" -> opens(Frame.FOR, label, true);
                case "end" -> close();
                case "else" -> {
                    if (!topIs(Frame.IF) && !topIs(Frame.CASE_STATEMENT)) {
                        throw new NotKnown();
                    }
                    at++;
                }
                case "elseif" -> {
                    if (!topIs(Frame.IF)) {
                        throw new NotKnown();
                    }
                    open.peek().header = true;
                    atStart = false;
                    at++;
                }
                case "when" -> {
                    if (!topIs(Frame.CASE_STATEMENT)) {
                        throw new NotKnown();
                    }
                    open.peek().header = true;
                    atStart = false;
                    at++;
                }
                case "until" -> {
                    if (!topIs(Frame.REPEAT)) {
                        throw new NotKnown();
                    }
                    open.peek().until = true;
                    open.peek().header = true;
                    atStart = false;
                    at++;
                }
                case "then", "do", "elsif", "exception", "package", "goto" -> throw new NotKnown();
                case "declare" -> {
                    atStart = false;
                    if ((peek(1).isWord("continue") || peek(1).isWord("exit") || peek(1).isWord("undo"))
                            && peek(2).isWord("handler")) {
                        if (!peek(3).isWord("for")) {
                            throw new NotKnown();
                        }
                        at += 4;
                        handlerConditions();
                        atStart = true; // the handler's statement
                    } else {
                        at++;
                    }
                }
                default -> {
                    atStart = false;
                    within(t);
                }
            }
        }

        private void opens(Frame frame, String label, boolean header) {
            if (label != null && (frame == Frame.IF || frame == Frame.CASE_STATEMENT)) {
                throw new NotKnown();
            }
            open.push(new Open(frame, label, header));
            atStart = !header;
            at++;
        }

        /** {@code condition [, condition …]} of a handler, up to its statement. */
        private void handlerConditions() {
            while (true) {
                Token t = peek(0);
                if (t.isWord("sqlstate")) {
                    at++;
                    if (peek(0).isWord("value")) {
                        at++;
                    }
                    if (peek(0).kind() != Kind.LITERAL) {
                        throw new NotKnown();
                    }
                    at++;
                } else if (t.isWord("not")) {
                    if (!peek(1).isWord("found")) {
                        throw new NotKnown();
                    }
                    at += 2;
                } else if (t.kind() == Kind.NUMBER || t.isName()) {
                    at++;
                } else {
                    throw new NotKnown();
                }
                if (!peek(0).isSymbol(",")) {
                    return;
                }
                at++;
            }
        }

        /** {@code END}, where a statement starts: closes the innermost compound statement. */
        private void close() {
            if (open.isEmpty()) {
                throw new NotKnown();
            }
            Open o = open.pop();
            at++;
            switch (o.frame) {
                case BLOCK -> endLabel(o);
                case IF -> expectWord("if");
                case CASE_STATEMENT -> expectWord("case");
                case LOOP -> {
                    expectWord("loop");
                    endLabel(o);
                }
                case WHILE -> {
                    expectWord("while");
                    endLabel(o);
                }
                case FOR -> {
                    expectWord("for");
                    endLabel(o);
                }
                default -> throw new NotKnown(); // REPEAT ends after UNTIL; an expression does not start a statement
            }
            statementEnd();
        }

        /** After a compound statement's end: its ';', or the text's end when it is the body itself. */
        private void statementEnd() {
            if (peek(0).isSymbol(";")) {
                atStart = true;
                if (!open.isEmpty()) {
                    at++;
                }
                return;
            }
            if (at >= tokens.size() && open.isEmpty()) {
                atStart = true;
                return;
            }
            throw new NotKnown();
        }

        private void expectWord(String word) {
            if (!peek(0).isWord(word)) {
                throw new NotKnown();
            }
            at++;
        }

        private void endLabel(Open o) {
            Token t = peek(0);
            if (t.isSymbol(";") || at >= tokens.size()) {
                return;
            }
            if (o.label == null || !t.isName() || !t.name().equals(o.label)) {
                throw new NotKnown();
            }
            at++;
        }

        /** A token inside a statement or a condition. */
        private void within(Token t) {
            at++;
            if (t.isSymbol("(")) {
                open.push(new Open(Frame.PARENTHESIS, null, false));
            } else if (t.isSymbol(")")) {
                if (!topIs(Frame.PARENTHESIS)) {
                    throw new NotKnown();
                }
                open.pop();
            } else if (t.isSymbol(";")) {
                if (!open.isEmpty() && (open.peek().header || open.peek().frame == Frame.PARENTHESIS
                        || open.peek().frame == Frame.CASE_EXPRESSION)) {
                    throw new NotKnown();
                }
                atStart = true;
                if (open.isEmpty()) {
                    at--; // the body's one statement ends here
                }
            } else if (t.isWord("case")) {
                open.push(new Open(Frame.CASE_EXPRESSION, null, false));
            } else if (t.isWord("end")) {
                if (topIs(Frame.CASE_EXPRESSION)) {
                    open.pop();
                } else if (topIs(Frame.REPEAT) && open.peek().until) {
                    Open o = open.pop();
                    expectWord("repeat");
                    endLabel(o);
                    statementEnd();
                } else {
                    throw new NotKnown();
                }
            } else if (t.isWord("then")) {
                if ((topIs(Frame.IF) || topIs(Frame.CASE_STATEMENT)) && open.peek().header) {
                    open.peek().header = false;
                    atStart = true;
                }
            } else if (t.isWord("do")) {
                if ((topIs(Frame.WHILE) || topIs(Frame.FOR)) && open.peek().header) {
                    open.peek().header = false;
                    atStart = true;
                }
            } else if (t.isWord("when")) {
                if (topIs(Frame.CASE_STATEMENT)) {
                    open.peek().header = true;
                }
            } else if (t.isWord("elseif") || t.isWord("until") || t.isWord("else")
                    && (topIs(Frame.IF) || topIs(Frame.CASE_STATEMENT))) {
                throw new NotKnown();
            }
        }
    }

    /** The lexer's tokens, a label's ':' apart from the word after it. */
    private static final class Tokenizer extends ProceduralTokens.Tokenizer {
        Tokenizer(String text) {
            super(text);
        }

        @Override
        public void quotedIdentifier(String asWritten) {
            String name = asWritten.substring(1, asWritten.length() - 1);
            tokens.add(new Token(Kind.QUOTED, start, start + asWritten.length(), name.toLowerCase(Locale.ROOT), null));
        }

        @Override
        public void parameter(String marker) {
            if (marker.startsWith(":") && marker.length() > 1) {
                tokens.add(new Token(Kind.SYMBOL, start, start + 1, null, ":"));
                tokens.add(new Token(Kind.WORD, start + 1, start + marker.length(),
                        marker.substring(1).toLowerCase(Locale.ROOT), null));
            } else {
                super.parameter(marker);
            }
        }
    }
}
