package io.governed.sql;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The tokens of a procedural routine body (PL/pgSQL, MariaDB's compound statements) and a cursor over them, shared by
 * {@link PlpgsqlBody} and {@link MariaDbRoutineBody}: each lexes the body as its database does and reads the tokens
 * with its own grammar.
 */
final class ProceduralTokens {

    private ProceduralTokens() {
    }

    /** The body holds something not read for certain. */
    static final class NotKnown extends RuntimeException {
        NotKnown() {
            super(null, null, false, false);
        }
    }

    enum Kind { WORD, QUOTED, LITERAL, NUMBER, PARAMETER, SYMBOL }

    /**
     * One token of the body: its kind, where it stands in the body, and for a word or quoted identifier the name it
     * stands for (as the body's database compares the names of variables and labels).
     */
    record Token(Kind kind, int start, int end, String name, String symbol) {
        boolean isWord(String lowerCase) {
            return kind == Kind.WORD && name.equals(lowerCase);
        }

        boolean isSymbol(String s) {
            return kind == Kind.SYMBOL && symbol.equals(s);
        }

        /** A name: a word or a quoted identifier, not a MariaDB user variable ({@code @v}, which no other lexer makes). */
        boolean isName() {
            return (kind == Kind.WORD && !name.startsWith("@")) || kind == Kind.QUOTED;
        }
    }

    /**
     * Collects the lexer's tokens with their places in the body: words folded to lower case, a double-quoted identifier
     * without its quotes, literals and numbers without their values, parameter markers and symbols. A dialect whose
     * quoted identifiers or markers read otherwise overrides {@link #quotedIdentifier} or {@link #parameter}.
     */
    static class Tokenizer implements TokenSink {
        final String body;
        final List<Token> tokens = new ArrayList<>();
        int start;
        private boolean numeric;

        Tokenizer(String body) {
            this.body = body;
        }

        @Override
        public void at(int sourceOffset) {
            start = sourceOffset;
        }

        @Override
        public void word(String lowerCase) {
            tokens.add(new Token(Kind.WORD, start, start + lowerCase.length(), lowerCase, null));
        }

        @Override
        public void word(String sql, int from, int to) {
            tokens.add(new Token(Kind.WORD, from, to, sql.substring(from, to).toLowerCase(Locale.ROOT), null));
        }

        @Override
        public void quotedIdentifier(String asWritten) {
            String name = asWritten.substring(1, asWritten.length() - 1).replace("\"\"", "\"");
            tokens.add(new Token(Kind.QUOTED, start, start + asWritten.length(), name, null));
        }

        @Override
        public void literal(boolean numeric) {
            this.numeric = numeric;
        }

        @Override
        public void literalEnd(int sourceOffset) {
            if (numeric && body.charAt(start) == '.' && !tokens.isEmpty()) {
                Token previous = tokens.get(tokens.size() - 1);
                if (previous.isSymbol(".") && previous.end() == start) {
                    // 1..10 lexes as 1, '.', .10: a FOR loop's range operator '..' stands there
                    tokens.add(new Token(Kind.SYMBOL, start, start + 1, null, "."));
                    tokens.add(new Token(Kind.NUMBER, start + 1, sourceOffset, null, null));
                    return;
                }
            }
            tokens.add(new Token(numeric ? Kind.NUMBER : Kind.LITERAL, start, sourceOffset, null, null));
        }

        @Override
        public void parameter(String marker) {
            tokens.add(new Token(Kind.PARAMETER, start, start + marker.length(), null, marker));
        }

        @Override
        public void symbol(String symbol) {
            tokens.add(new Token(Kind.SYMBOL, start, start + symbol.length(), null, symbol));
        }

        @Override
        public void separator() {
        }
    }

    /**
     * A position in a body's tokens, the moves every grammar makes over them (anything else is not known), the
     * variables in scope, and the texts collected for the analysis.
     */
    abstract static class Cursor {
        final String body;
        final List<Token> tokens;
        final List<String> texts = new ArrayList<>();
        /** The variables of each open scope (block, loop, handler, cursor query), innermost last. */
        final Deque<Set<String>> variables = new ArrayDeque<>();
        int at;

        Cursor(String body, List<Token> tokens) {
            this.body = body;
            this.tokens = tokens;
        }

        /** How {@code t} changes the bracket depth: +1 opening, -1 closing, 0 otherwise. */
        abstract int nesting(Token t);

        /** The tokens {@code from} to {@code to} as text for the analysis, each reference to a variable replaced. */
        abstract String text(int from, int to);

        boolean isVariable(String name) {
            for (Set<String> scope : variables) {
                if (scope.contains(name)) {
                    return true;
                }
            }
            return false;
        }

        /** Declares {@code name} a variable of the innermost scope; not known when it is no name. */
        void declare(Token name) {
            if (!name.isName()) {
                throw new NotKnown();
            }
            variables.getLast().add(name.name());
        }

        /** An expression: {@code SELECT expression}. */
        void expression(int from, int to) {
            if (from >= to) {
                throw new NotKnown();
            }
            texts.add("SELECT " + text(from, to));
        }

        /** A query or statement, given as written (as SQL reads it). */
        void query(int from, int to) {
            if (from >= to) {
                throw new NotKnown();
            }
            texts.add(text(from, to));
        }

        Token peek() {
            return peek(0);
        }

        Token peek(int ahead) {
            int i = at + ahead;
            if (i >= tokens.size()) {
                return new Token(Kind.SYMBOL, body.length(), body.length(), null, "");
            }
            return tokens.get(i);
        }

        Token next() {
            if (at >= tokens.size()) {
                throw new NotKnown();
            }
            return tokens.get(at++);
        }

        boolean acceptWord(String word) {
            if (peek().isWord(word)) {
                at++;
                return true;
            }
            return false;
        }

        void expectWord(String word) {
            if (!acceptWord(word)) {
                throw new NotKnown();
            }
        }

        void expectSymbol(String symbol) {
            if (!peek().isSymbol(symbol)) {
                throw new NotKnown();
            }
            at++;
        }

        /** The index of the {@code ;} ending the statement that starts here; not known when there is none. */
        int statementEnd() {
            int depth = 0;
            for (int i = at; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (t.isSymbol(";")) {
                    if (depth != 0) {
                        throw new NotKnown();
                    }
                    return i;
                }
                depth += nesting(t);
                if (depth < 0) {
                    throw new NotKnown();
                }
            }
            throw new NotKnown();
        }

        /** The index of the bracket closing the one at {@code open}, before {@code end}; not known when there is none. */
        int matching(int open, int end) {
            int depth = 0;
            for (int i = open; i < end; i++) {
                depth += nesting(tokens.get(i));
                if (depth == 0) {
                    return i;
                }
            }
            throw new NotKnown();
        }
    }
}
