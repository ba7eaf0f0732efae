package io.governed.sql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the statements that prepare, run and drop SQL statements by name, each as one whole statement text, for a
 * connection that keeps what it prepared by name: PostgreSQL's {@code PREPARE name [(types)] AS statement},
 * {@code EXECUTE name [(arguments)]}, {@code DEALLOCATE [PREPARE] name | ALL}; MariaDB's {@code PREPARE s FROM '…'},
 * {@code EXECUTE s [USING …]}, {@code {DEALLOCATE | DROP} PREPARE s}.
 *
 * <p>Names are folded as the database folds them: PostgreSQL lower-cases an unquoted name and keeps a quoted one as
 * written; MariaDB's names are case-insensitive (lower-cased here). A name that cannot be told for certain (not plain
 * ASCII, longer than the database keeps, a Unicode escape) is not read: {@link #UNKNOWN_NAME}. Fails closed: a form not
 * read exactly (more tokens than it has, an argument other than a constant or a user variable, a text from a variable
 * or an expression) answers {@code null} or {@link #UNKNOWN_NAME}, so that nothing is remembered for it.
 */
public final class PreparedStatementNames {

    /** A name that is there but could not be read for certain. */
    public static final String UNKNOWN_NAME = "\u0000unknown";
    /** What {@link #deallocated} answers for {@code DEALLOCATE [PREPARE] ALL}. */
    public static final String ALL = "\u0000all";

    /** PostgreSQL keeps the first 63 bytes of a name (NAMEDATALEN - 1). */
    private static final int POSTGRESQL_NAME_BYTES = 63;
    /** MariaDB's longest identifier. */
    private static final int MARIADB_NAME_CHARS = 64;

    private PreparedStatementNames() {
    }

    /**
     * A {@code PREPARE}: the name it prepares (folded, or {@link #UNKNOWN_NAME}) and the text of the statement it
     * prepares, or {@code null} when that text is not read (MariaDB's {@code FROM @v} or an expression, a string that
     * is not one plain quoted literal, a PostgreSQL body with JDBC {@code ?} markers a driver would rewrite).
     */
    public record Prepare(String name, String statement) {
    }

    /**
     * Whether {@code sql}, after ASCII white space, begins with an ASCII letter other than {@code first} (either case):
     * then its first word is not one that begins with {@code first}, and the text need not be read into tokens (every
     * statement of a session passes here). Anything else (a comment, a quote, a parenthesis, another character) is read
     * in full.
     */
    private static boolean beginsWithAnotherWord(String sql, char first) {
        int n = sql.length();
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                continue;
            }
            return (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') && (char) (c | 0x20) != first;
        }
        return false;
    }

    /** The {@code PREPARE} {@code sql} is, or {@code null} when it is none. */
    public static Prepare prepare(String sql, Dialect dialect) {
        if (dialect != Dialect.POSTGRESQL && dialect != Dialect.MARIADB) {
            return null;
        }
        if (beginsWithAnotherWord(sql, 'p')) {
            return null;
        }
        sql = withoutTrailingSemicolon(sql);
        Tokens tokens = Tokens.of(sql, dialect);
        if (!tokens.isWord(0, "prepare") || !tokens.get(1).isName()) {
            return null;
        }
        String name = name(sql, tokens.get(1), dialect);
        if (dialect == Dialect.POSTGRESQL) {
            int as = 2;
            if (tokens.get(as).kind() == TokenSpacing.Kind.SYMBOL && tokens.get(as).text().equals("(")) {
                as = closing(tokens, as) + 1;
                if (as == 0) {
                    return new Prepare(name, null);
                }
            }
            if (!tokens.isWord(as, "as") || as + 1 >= tokens.size()) {
                return new Prepare(name, null);
            }
            for (int i = as + 1; i < tokens.size(); i++) {
                Tokens.Token t = tokens.get(i);
                if ((t.kind() == TokenSpacing.Kind.PARAMETER || t.kind() == TokenSpacing.Kind.SYMBOL)
                        && t.text().indexOf('?') >= 0) {
                    return new Prepare(name, null); // pgjdbc would number it: the server's text is another
                }
            }
            return new Prepare(name, sql.substring(tokens.get(as + 1).offset()).strip());
        }
        if (!tokens.isWord(2, "from") || tokens.size() != 4 || tokens.get(3).kind() != TokenSpacing.Kind.LITERAL) {
            return new Prepare(name, null);
        }
        return new Prepare(name, plainString(sql, tokens.get(3).offset()));
    }

    /**
     * The name {@code sql} runs ({@code EXECUTE name [(constants)]}; MariaDB {@code EXECUTE s [USING @v | constant, …]}),
     * {@link #UNKNOWN_NAME} when the name cannot be read for certain, or {@code null} when {@code sql} is no such
     * statement or passes an argument that is not a constant or a user variable (an expression could call a routine).
     */
    public static String executed(String sql, Dialect dialect) {
        if (dialect != Dialect.POSTGRESQL && dialect != Dialect.MARIADB) {
            return null;
        }
        if (beginsWithAnotherWord(sql, 'e')) {
            return null;
        }
        sql = withoutTrailingSemicolon(sql);
        Tokens tokens = Tokens.of(sql, dialect);
        if (!tokens.isWord(0, "execute") || !tokens.get(1).isName() || tokens.isWord(1, "immediate")) {
            return null;
        }
        int i = 2;
        if (dialect == Dialect.POSTGRESQL) {
            if (i < tokens.size()) {
                if (!tokens.get(i).text().equals("(") || closing(tokens, i) != tokens.size() - 1
                        || !constants(tokens, i + 1, tokens.size() - 1, false)) {
                    return null;
                }
            }
        } else if (i < tokens.size()) {
            if (!tokens.isWord(i, "using") || !constants(tokens, i + 1, tokens.size(), true)) {
                return null;
            }
        }
        return name(sql, tokens.get(1), dialect);
    }

    /**
     * The name {@code sql} runs when it is an {@code EXECUTE name …} whatever follows the name (arguments that are
     * expressions, several of them, anything {@link #executed} does not read), {@link #UNKNOWN_NAME} when the name cannot
     * be read for certain, or {@code null} when {@code sql} does not begin so (MariaDB's {@code EXECUTE IMMEDIATE} is no
     * such statement). For a check that must treat every run of a name it does not read exactly as SQL it does not see,
     * rather than as a text it cannot read.
     */
    public static String executedAnyhow(String sql, Dialect dialect) {
        if (dialect != Dialect.POSTGRESQL && dialect != Dialect.MARIADB) {
            return null;
        }
        if (beginsWithAnotherWord(sql, 'e')) {
            return null;
        }
        sql = withoutTrailingSemicolon(sql);
        Tokens tokens = Tokens.of(sql, dialect);
        if (tokens.size() < 2 || !tokens.isWord(0, "execute") || tokens.isWord(1, "immediate")) {
            return null;
        }
        return tokens.get(1).isName() ? name(sql, tokens.get(1), dialect) : UNKNOWN_NAME;
    }

    /**
     * The values of the arguments {@code sql} passes to the statement it runs by name, in order ({@code EXECUTE
     * name(constants)}; MariaDB {@code EXECUTE s USING @v | constant, …}): a {@link String} for a plain quoted string, a
     * {@link java.math.BigDecimal} for a number, a {@link Boolean}, {@code null} for {@code NULL}, and
     * {@link #UNKNOWN_VALUE} for a value not told here (a user variable, a string with escapes or a prefix, a number
     * not read as one). Empty when it passes none; {@code null} when {@code sql} is no {@code EXECUTE} that
     * {@link #executed} reads.
     */
    public static List<Object> arguments(String sql, Dialect dialect) {
        if (executed(sql, dialect) == null) {
            return null;
        }
        String text = withoutTrailingSemicolon(sql);
        Tokens tokens = Tokens.of(text, dialect);
        int from = 3; // EXECUTE name ( …  or  EXECUTE name USING …
        int to = dialect == Dialect.POSTGRESQL ? tokens.size() - 1 : tokens.size();
        List<Object> values = new ArrayList<>();
        boolean negative = false;
        for (int i = from; i < to; i++) {
            Tokens.Token t = tokens.get(i);
            if (t.kind() == TokenSpacing.Kind.SYMBOL && t.text().equals(",")) {
                continue;
            }
            if (t.kind() == TokenSpacing.Kind.SYMBOL && (t.text().equals("-") || t.text().equals("+"))) {
                negative ^= t.text().equals("-");
                continue;
            }
            values.add(value(text, t, dialect, negative));
            negative = false;
        }
        return java.util.Collections.unmodifiableList(values);
    }

    /** What {@link #arguments} gives for a value it does not tell. */
    public static final Object UNKNOWN_VALUE = new Object() {
        @Override
        public String toString() {
            return "a value not told";
        }
    };

    /** The value of one constant (or user variable) token of an {@code EXECUTE}'s arguments. */
    private static Object value(String sql, Tokens.Token t, Dialect dialect, boolean negative) {
        if (t.isWord("null")) {
            return null;
        }
        if (t.isWord("true") || t.isWord("false")) {
            return t.isWord("true");
        }
        if (t.kind() != TokenSpacing.Kind.LITERAL || t.offset() < 0 || t.offset() >= sql.length()) {
            return UNKNOWN_VALUE;
        }
        char first = sql.charAt(t.offset());
        if (first == '\'') {
            String string = quotedString(sql, t.offset());
            return string == null || negative ? UNKNOWN_VALUE : string;
        }
        int end = t.offset();
        while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '.'
                || sql.charAt(end) == '_')) {
            end++;
        }
        String number = sql.substring(t.offset(), end); // as written: the token's text may be another form of it
        if (!number.matches("[0-9]+(\\.[0-9]*)?|\\.[0-9]+")) {
            return UNKNOWN_VALUE;
        }
        java.math.BigDecimal value = new java.math.BigDecimal(number);
        return negative ? value.negate() : value;
    }

    /**
     * The value of the single-quoted string starting at {@code offset}: with no backslash (read either way depending on
     * the database's settings) and no other quoting than a doubled quote; {@code null} otherwise.
     */
    private static String quotedString(String sql, int offset) {
        return quoted(sql, offset, null);
    }

    /**
     * {@link #quotedString}, with the index just past its closing quote put in {@code end[0]} ({@code end} may be
     * {@code null}).
     */
    private static String quoted(String sql, int offset, int[] end) {
        StringBuilder value = new StringBuilder();
        int i = offset + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\') {
                return null;
            }
            if (c == '\'') {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                    value.append('\'');
                    i += 2;
                    continue;
                }
                if (end != null) {
                    end[0] = i + 1;
                }
                return value.toString();
            }
            value.append(c);
            i++;
        }
        return null;
    }

    /**
     * The name {@code sql} drops ({@code DEALLOCATE [PREPARE] name}; MariaDB {@code {DEALLOCATE | DROP} PREPARE s}),
     * {@link #ALL} for PostgreSQL's {@code DEALLOCATE [PREPARE] ALL}, {@link #UNKNOWN_NAME} when the name cannot be read
     * for certain, {@code null} when {@code sql} is no such statement.
     */
    public static String deallocated(String sql, Dialect dialect) {
        if (dialect != Dialect.POSTGRESQL && dialect != Dialect.MARIADB) {
            return null;
        }
        if (beginsWithAnotherWord(sql, 'd')) { // DEALLOCATE, MariaDB's DROP PREPARE
            return null;
        }
        sql = withoutTrailingSemicolon(sql);
        Tokens tokens = Tokens.of(sql, dialect);
        boolean drop = tokens.isWord(0, "drop") && dialect == Dialect.MARIADB;
        if (!tokens.isWord(0, "deallocate") && !drop) {
            return null;
        }
        int at = tokens.isWord(1, "prepare") ? 2 : 1;
        if (dialect == Dialect.MARIADB && at != 2) {
            return null;
        }
        if (tokens.size() != at + 1 || !tokens.get(at).isName()) {
            return UNKNOWN_NAME;
        }
        if (dialect == Dialect.POSTGRESQL && tokens.isWord(at, "all")) {
            return ALL;
        }
        return name(sql, tokens.get(at), dialect);
    }

    /** {@code sql} without trailing spaces and one trailing semicolon. */
    private static String withoutTrailingSemicolon(String sql) {
        String text = sql.stripTrailing();
        return text.endsWith(";") ? text.substring(0, text.length() - 1).stripTrailing() : text;
    }

    /** Whether the tokens {@code [from, to)} are constants (and, where {@code variables}, user variables) between commas. */
    private static boolean constants(Tokens tokens, int from, int to, boolean variables) {
        if (from >= to) {
            return false;
        }
        boolean value = true;
        for (int i = from; i < to; i++) {
            Tokens.Token t = tokens.get(i);
            if (value) {
                if (t.kind() == TokenSpacing.Kind.SYMBOL && (t.text().equals("-") || t.text().equals("+"))
                        && tokens.get(i + 1).kind() == TokenSpacing.Kind.LITERAL) {
                    continue;
                }
                boolean constant = t.kind() == TokenSpacing.Kind.LITERAL || t.isWord("null") || t.isWord("true")
                        || t.isWord("false") || variables && t.kind() == TokenSpacing.Kind.WORD
                        && t.text().startsWith("@") && !t.text().startsWith("@@") && t.text().length() > 1;
                if (!constant) {
                    return false;
                }
                value = false;
            } else {
                if (t.kind() != TokenSpacing.Kind.SYMBOL || !t.text().equals(",")) {
                    return false;
                }
                value = true;
            }
        }
        return !value;
    }

    /** The index of the parenthesis closing the one at {@code open}, or -1. */
    private static int closing(Tokens tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            Tokens.Token t = tokens.get(i);
            if (t.kind() == TokenSpacing.Kind.SYMBOL && t.text().equals("(")) {
                depth++;
            } else if (t.kind() == TokenSpacing.Kind.SYMBOL && t.text().equals(")") && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** A name token as the database folds it, or {@link #UNKNOWN_NAME}. */
    private static String name(String sql, Tokens.Token token, Dialect dialect) {
        String name;
        if (token.kind() == TokenSpacing.Kind.QUOTED) {
            String written = token.text();
            char quote = dialect == Dialect.POSTGRESQL ? '"' : '`';
            int at = token.offset();
            if (at < 0 || at >= sql.length() || sql.charAt(at) != quote
                    || at > 0 && sql.charAt(at - 1) == '&') {
                return UNKNOWN_NAME; // U&"…" with its escapes, say
            }
            if (written.length() < 3 || written.charAt(0) != quote || written.charAt(written.length() - 1) != quote) {
                return UNKNOWN_NAME;
            }
            name = written.substring(1, written.length() - 1).replace("" + quote + quote, "" + quote);
            if (dialect == Dialect.MARIADB) {
                name = name.toLowerCase(java.util.Locale.ROOT);
            }
        } else {
            name = token.text(); // lower case already
            if (name.startsWith("@") || !name.matches("[a-z_][a-z0-9_$]*")) {
                return UNKNOWN_NAME;
            }
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return UNKNOWN_NAME; // folding and truncation of other characters are not told here
            }
        }
        if (dialect == Dialect.POSTGRESQL && name.getBytes(StandardCharsets.UTF_8).length > POSTGRESQL_NAME_BYTES
                || dialect == Dialect.MARIADB && name.length() > MARIADB_NAME_CHARS) {
            return UNKNOWN_NAME;
        }
        return name;
    }

    /**
     * The value of the single-quoted string starting at {@code offset}, which must end the text (but for spaces and a
     * semicolon), hold no backslash (read either way depending on the SQL mode) and no other quoting than a doubled
     * quote; {@code null} otherwise.
     */
    private static String plainString(String sql, int offset) {
        if (offset < 0 || offset >= sql.length() || sql.charAt(offset) != '\'') {
            return null;
        }
        int[] end = new int[1];
        String value = quoted(sql, offset, end);
        return value != null && sql.substring(end[0]).isBlank() ? value : null;
    }
}
