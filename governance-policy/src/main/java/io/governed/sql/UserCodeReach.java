package io.governed.sql;

import java.util.Set;

/**
 * What the tokens of a PostgreSQL text tell of the user code it may reach without naming a relation or routine: whether
 * it may call or cast ({@link #callsOrCasts}), and whether it may apply an operator besides ({@link #mayApplyOperators}).
 * Read from the lexer's tokens (literals, quoted names and comments are not code), under both ways a session may read
 * backslashes in plain strings; a text the lexer cannot read to its end may do anything. Worked out once per text by
 * its caller and kept: the answers depend on the text alone.
 */
public final class UserCodeReach {
    /** The text may do anything: not read to its end. */
    public static final UserCodeReach ANY = new UserCodeReach(true, true);

    /** The symbols no operator, call or cast is made of: a list's comma, a statement's end, a qualifier's dot. */
    private static final Set<String> PUNCTUATION = Set.of(",", ";", ".");

    /**
     * The words a string literal may follow without the two being a typed literal ({@code checked_text 'x'}, a cast
     * written without {@code ::}): the keywords a value follows. Any other word before a string counts as a type.
     */
    private static final Set<String> BEFORE_A_VALUE = Set.of("select", "to", "is", "like", "ilike", "as", "then", "else",
            "when", "in", "values", "and", "or", "not", "by", "escape", "returning", "where", "having", "on", "from",
            "set", "local", "session", "distinct", "all", "case", "between", "symmetric", "asymmetric");

    /**
     * The words PostgreSQL turns into an operator it looks up by name on the search path: {@code LIKE} ({@code ~~}),
     * {@code ILIKE} ({@code ~~*}), {@code SIMILAR TO} ({@code ~}), {@code BETWEEN} ({@code >=}, {@code <=}),
     * {@code IS DISTINCT FROM} and {@code CASE x WHEN y} ({@code =}); {@code DISTINCT} is taken whatever stands before it.
     */
    private static final Set<String> OPERATOR_WORDS = Set.of("like", "ilike", "similar", "between", "distinct", "when");

    private final boolean callsOrCasts;
    private final boolean operators;

    private UserCodeReach(boolean callsOrCasts, boolean operators) {
        this.callsOrCasts = callsOrCasts;
        this.operators = operators;
    }

    /**
     * Whether the text may call a routine or cast: a {@code (} or {@code [} (a call, a subscript, a row), a {@code ::} (any symbol with a colon),
     * a {@code {} (a JDBC escape the driver turns into a call), a word or quoted name directly before a string literal
     * (a typed literal), or the word {@code execute} (a statement kept by name, whose text may); or it was not read.
     */
    public boolean callsOrCasts() {
        return callsOrCasts;
    }

    /**
     * Whether the text may reach user code through an operator besides: any symbol other than a comma, a semicolon, a
     * dot or a closing parenthesis ({@code name + name} runs {@code public.+(text, text)} made a moment ago), a word
     * PostgreSQL reads as such an operator ({@code LIKE}, {@code BETWEEN}, {@code IS DISTINCT FROM}, …), or it calls or
     * casts ({@link #callsOrCasts}).
     */
    public boolean mayApplyOperators() {
        return operators;
    }

    /** What {@code sql}'s tokens tell, on PostgreSQL. */
    public static UserCodeReach of(String sql) {
        Sink usual = new Sink();
        if (SqlLexer.lex(sql, Dialect.POSTGRESQL, usual) != null) {
            return ANY;
        }
        if (sql.indexOf('\\') < 0) {
            return usual.reach();
        }
        Sink other = new Sink();
        if (SqlLexer.lex(sql, Dialect.POSTGRESQL, other, true) != null) {
            return ANY;
        }
        UserCodeReach a = usual.reach();
        UserCodeReach b = other.reach();
        return new UserCodeReach(a.callsOrCasts || b.callsOrCasts, a.operators || b.operators);
    }

    @Override
    public String toString() {
        return callsOrCasts ? "calls or casts" : operators ? "applies operators" : "reaches no user code by itself";
    }

    /** Reads the tokens. */
    private static final class Sink implements TokenSink {
        boolean callsOrCasts;
        boolean operators;
        /** The token before was a word (not {@link #BEFORE_A_VALUE}) or a quoted name, with nothing between. */
        boolean afterAType;

        UserCodeReach reach() {
            return new UserCodeReach(callsOrCasts, callsOrCasts || operators);
        }

        @Override
        public void word(String lowerCase) {
            if (lowerCase.equals("execute")) {
                callsOrCasts = true;
            } else if (OPERATOR_WORDS.contains(lowerCase)) {
                operators = true;
            }
            afterAType = !BEFORE_A_VALUE.contains(lowerCase);
        }

        @Override
        public void quotedIdentifier(String asWritten) {
            afterAType = true;
        }

        @Override
        public void literal(boolean numeric) {
            if (!numeric && afterAType) {
                callsOrCasts = true;
            }
            afterAType = false;
        }

        @Override
        public void parameter(String marker) {
            afterAType = false;
            if (!marker.startsWith("$")) {
                callsOrCasts = true; // not PostgreSQL's own marker: read as the lexer's other dialects' (":name")
            }
        }

        @Override
        public void symbol(String symbol) {
            afterAType = false;
            if (symbol.equals("(") || symbol.equals("[") || symbol.indexOf(':') >= 0 || symbol.equals("{")) {
                callsOrCasts = true;
            } else if (!symbol.equals(")") && !PUNCTUATION.contains(symbol)) {
                operators = true;
            }
        }

        @Override
        public void separator() {
            // a blank or comment between a type and a string still makes a typed literal: afterAType stands
        }
    }
}
