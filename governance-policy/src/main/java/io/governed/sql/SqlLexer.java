package io.governed.sql;

import java.util.Locale;


/**
 * A hand-written, single-pass SQL lexer: one loop over the characters, no regular expressions.
 *
 * <p>It knows what every supported dialect needs to tell code from literals and comments: quoted
 * strings with doubled quotes, backslash escapes (MariaDB strings, PostgreSQL {@code E'…'}),
 * {@code N'…'}, {@code X'…'}, {@code B'…'}, PostgreSQL dollar quotes and nested block comments,
 * MariaDB {@code #} comments, double-quoted strings and executable {@code /*! … *}{@code /} comments
 * (whose content runs as SQL, so it is lexed as code), SQL Server {@code [x]} identifiers and
 * Oracle {@code q'[…]'} strings. Literal values never leave the lexer: a sink learns only that a
 * literal stood there. Unterminated strings, quotes and comments end at the end of the text and are
 * reported as a {@link LexicalProblem} instead of failing.
 *
 * <p>Comments, spaces and dollar signs are read as the database reads them: PostgreSQL and H2 block comments nest,
 * H2 also ends a {@code //} comment at the end of the line and reads a {@code $} before a name as a parameter (its only
 * dollar-quoted strings are {@code $$…$$}), and PostgreSQL and MariaDB read a Unicode space as part of a name (which is
 * reported as a problem). A {@code '}'} inside a string, quoted name or comment within a JDBC
 * escape is reported as a problem: the drivers' escape processing ends an escape at the first {@code '}'} it meets,
 * wherever it stands (pgjdbc copies {@code {d …}}, {@code {oj …}}, {@code {escape …}} and what follows a
 * {@code {fn …}}'s arguments up to it without reading strings or comments), so the database would read another
 * statement than the one analysed.
 */
final class SqlLexer {

    /** Multi-character operators, longest first within a shared prefix. */
    private static final String[] OPERATORS = {
        "->>", "#>>", "<=>", "!~*", "->", "#>", "@>", "<@", "?|", "?&", "||", "<=", ">=", "<>", "!=",
        "::", ":=", "=>", "&&", "~*", "!~", "<<", ">>", "@@",
    };

    /** One-character tokens, so that punctuation allocates nothing. */
    private static final String[] SINGLE_CHARACTERS = new String[128];

    static {
        for (char c = 0; c < SINGLE_CHARACTERS.length; c++) {
            SINGLE_CHARACTERS[c] = String.valueOf(c).intern();
        }
    }

    /**
     * Why a text holding mariadb-dump's first line, {@code /*M!999999\- enable the sandbox mode *}{@code /}, is refused:
     * a command of the mariadb client, which a baseline migration made of the dump must leave out.
     */
    static final String SANDBOX_LINE = "mariadb-dump's first line (/*M!999999\\- enable the sandbox mode */) is a"
            + " command of the mariadb command-line client, not SQL (the client carries it out itself; to a server it is"
            + " a comment whose running depends on the server's version, which the analysis does not read); delete that"
            + " line from the script";

    private final String sql;
    private final Dialect dialect;
    /** Whether backslashes in plain strings are read the other way than the dialect's default session reads them. */
    private final boolean otherStringEscapes;
    private final TokenSink sink;
    private final int length;
    private int pos;
    private int executableCommentDepth;
    /** The {@code ?} read as parameter markers (alone or starting an operator such as {@code ?|}). */
    private int questionMarks;
    /** Whether a {@code ?} came after a {@code ;} in the code: a marker in a statement that another one precedes. */
    private boolean markerAfterSemicolon;
    private boolean sawSemicolon;
    /** Braces open in the code: a JDBC escape ({@code {fn …}}, {@code {d …}}, {@code {oj …}}, …) is open while above 0. */
    private int escapeBraces;
    private LexicalProblem problem;

    private SqlLexer(String sql, Dialect dialect, TokenSink sink, boolean otherStringEscapes) {
        this.sql = sql;
        this.dialect = dialect;
        this.otherStringEscapes = otherStringEscapes;
        this.sink = sink;
        this.length = sql.length();
    }

    /**
     * Lexes {@code sql} into {@code sink}.
     *
     * @return what was left unterminated, or {@code null} when the text was lexically complete
     */
    static LexicalProblem lex(String sql, Dialect dialect, TokenSink sink) {
        return lex(sql, dialect, sink, false);
    }

    /**
     * Lexes {@code sql} into {@code sink}, with {@code otherStringEscapes} reading a backslash in a plain string the
     * other way than a session of the dialect does by default: as an escape on PostgreSQL (as with
     * {@code standard_conforming_strings = off}), as an ordinary character on MariaDB (as with the
     * {@code NO_BACKSLASH_ESCAPES} SQL mode). A session can switch either way, so a text must mean the same both ways.
     *
     * @return what was left unterminated, or {@code null} when the text was lexically complete
     */
    static LexicalProblem lex(String sql, Dialect dialect, TokenSink sink, boolean otherStringEscapes) {
        SqlLexer lexer = new SqlLexer(sql, dialect, sink, otherStringEscapes);
        lexer.run();
        return lexer.problem;
    }

    /** Whether a session of {@code dialect} can switch how backslashes in plain strings are read. */
    static boolean stringEscapesVary(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL || dialect == Dialect.MARIADB;
    }

    private void run() {
        while (pos < length) {
            char c = sql.charAt(pos);
            if (isSpace(c)) {
                skipWhitespace();
            } else if (c > 0x7F && (dialect == Dialect.POSTGRESQL || dialect == Dialect.MARIADB)
                    && (Character.isWhitespace(c) || Character.isSpaceChar(c))) {
                // PostgreSQL and MariaDB read every character beyond ASCII as part of a name: the EM SPACE in
                // DELETE FROM t AS x<U+2003>WHERE<U+2003>id<U+2003>IS<U+2003>NULL glues the WHERE into the alias there
                reportMisread("A Unicode space character (U+" + String.format("%04X", (int) c) + ") outside strings and "
                        + "comments: " + SqlAnalyzer.displayName(dialect) + " reads it as part of a name, not as a space, so the statement "
                        + "would not be the one checked. Write an ASCII space instead", pos);
                pos++;
                sink.separator();
            } else if (c == '-' && peek(1) == '-' && startsLineComment()) {
                skipLineComment();
            } else if (c == '/' && peek(1) == '/' && dialect.isH2()) {
                // H2 ends a // comment at the end of the line: //* starts no block comment there
                skipLineComment();
            } else if (c == '#' && dialect == Dialect.MARIADB) {
                skipLineComment();
            } else if (c == '/' && peek(1) == '*') {
                blockComment();
            } else if (c == '*' && peek(1) == '/' && executableCommentDepth > 0) {
                executableCommentDepth--;
                pos += 2;
                sink.separator();
            } else if (c == '\'') {
                string(pos, pos, backslashEscapes());
            } else if (c == '"') {
                if (dialect == Dialect.MARIADB) {
                    sink.doubleQuotedString();
                    quotedString(pos, pos + 1, '"', backslashEscapes());
                } else {
                    quotedIdentifier('"', '"');
                }
            } else if (c == '`' && backticksQuote()) {
                quotedIdentifier('`', '`');
            } else if (c == '[' && dialect == Dialect.SQLSERVER) {
                quotedIdentifier('[', ']');
            } else if (isPrefixedString(c)) {
                prefixedString(c);
            } else if (isDigit(c) || (c == '.' && isDigit(peek(1)))) {
                number();
            } else if (c == '$' && dollarQuotes()) {
                dollar();
            } else if (isWordStart(c)) {
                word();
            } else if (c == ':' && ((isWordStart(peek(1)) && peek(1) != '$')
                    || (dialect == Dialect.ORACLE && isDigit(peek(1))))) {
                int start = pos;
                pos++;
                while (pos < length && isWordPart(sql.charAt(pos))) {
                    pos++;
                }
                sink.at(start);
                sink.parameter(sql.substring(start, pos));
            } else {
                operator();
            }
        }
        if (dialect == Dialect.MARIADB && markerAfterSemicolon) {
            reportMisread("A '?' in a statement that another statement of the same text precedes: MariaDB Connector/J "
                    + "writes every parameter's value into the whole text before the first statement runs, escaping it "
                    + "for the session's sql_mode as it is then, and a statement before it that switches "
                    + "NO_BACKSLASH_ESCAPES (a SET of sql_mode, a procedure) makes the server read the value's escaped "
                    + "quote as the end of the string and the rest as SQL. Send the statement with parameters on its own", 0);
        }
        if (dialect == Dialect.MARIADB && sql.indexOf('?') >= 0 && readOtherwiseByConnectorJ()) {
            reportMisread("A '?' that MariaDB Connector/J reads as a parameter marker where the server reads a string or "
                    + "comment, or the other way round (inside an executable /*! … */ comment, say, which the driver "
                    + "skips and the server runs): the driver would write a parameter's value into the text at another "
                    + "place than the one checked, and the server would run it as SQL. Take the quotes and '?' out of "
                    + "the executable comment, or write its content as plain SQL", 0);
        }
    }

    /**
     * Whether the {@code --} here starts a comment. In MariaDB it does only when followed by a space
     * or control character (DEL included), or at the text's end: {@code 1--1} is {@code 1 - -1} there, and
     * reading it as a comment would hide whatever follows on the line.
     */
    private boolean startsLineComment() {
        if (dialect != Dialect.MARIADB) {
            return true;
        }
        char next = peek(2);
        return next <= ' ' || next == '\u007F';
    }

    /** Whether a backslash in a plain string escapes the next character (E'…' strings always read it so). */
    private boolean backslashEscapes() {
        return (dialect == Dialect.MARIADB) != (otherStringEscapes && stringEscapesVary(dialect));
    }

    private boolean backticksQuote() {
        return dialect == Dialect.MARIADB || dialect.isH2() || dialect == Dialect.GENERIC;
    }

    private boolean dollarQuotes() {
        return dialect == Dialect.POSTGRESQL || dialect.isH2() || dialect == Dialect.GENERIC;
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < length ? sql.charAt(i) : '\0';
    }

    private void skipWhitespace() {
        while (pos < length && isSpace(sql.charAt(pos))) {
            pos++;
        }
        sink.separator();
    }

    /**
     * Whether {@code c} separates tokens as the database reads it. PostgreSQL and MariaDB know only ASCII white space
     * (space, tab, line feed, carriage return, form feed and, on MariaDB and PostgreSQL 16, vertical tab) and read any
     * other character beyond ASCII as part of a name; H2 and the others take Java's white space.
     */
    private boolean isSpace(char c) {
        if (dialect == Dialect.POSTGRESQL || dialect == Dialect.MARIADB) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
        }
        return Character.isWhitespace(c);
    }

    /**
     * Skips a line comment to the end of its line: a line feed, or on PostgreSQL and H2 a carriage return too. MariaDB
     * ends a {@code #} or {@code -- } comment at a line feed only: in {@code DELETE FROM t # \r WHERE id = 1} its WHERE
     * is part of the comment there.
     */
    private void skipLineComment() {
        int start = pos;
        boolean carriageReturnEnds = dialect != Dialect.MARIADB;
        while (pos < length && sql.charAt(pos) != '\n' && (sql.charAt(pos) != '\r' || !carriageReturnEnds)) {
            pos++;
        }
        checkEscapeEnd(start, pos);
        sink.separator();
    }

    private void blockComment() {
        int start = pos;
        if (dialect == Dialect.MARIADB && (peek(2) == '!' || (peek(2) == 'M' && peek(3) == '!'))) {
            // MariaDB runs the content of /*! … */ and /*M! … */ as SQL: lex it as code.
            boolean mariaDbOnly = peek(2) == 'M';
            pos += mariaDbOnly ? 4 : 3;
            int versionStart = pos;
            while (pos < length && isDigit(sql.charAt(pos))) {
                pos++;
            }
            if (mariaDbOnly && sql.startsWith("999999\\-", versionStart)) {
                // mariadb-dump's first line, /*M!999999\- enable the sandbox mode */: a command of the mariadb client
                report(SANDBOX_LINE, start);
            } else if (mariaDbOnly || !runsOnEveryServer(sql.substring(versionStart, pos))) {
                report("Versioned executable comment (/*!NNNNN … */ or /*M! … */): whether the server runs its content "
                        + "or skips it depends on the server's product and version, which the analysis cannot know for "
                        + "certain; write the content as plain SQL, or leave it out", start);
            }
            executableCommentDepth++;
            sink.separator();
            return;
        }
        // PostgreSQL and H2 nest block comments: /* /* */ … */ is one comment there
        boolean nests = dialect == Dialect.POSTGRESQL || dialect.isH2();
        int depth = 1;
        pos += 2;
        while (pos < length && depth > 0) {
            char c = sql.charAt(pos);
            if (c == '*' && peek(1) == '/') {
                depth--;
                pos += 2;
            } else if (nests && c == '/' && peek(1) == '*') {
                depth++;
                pos += 2;
            } else {
                pos++;
            }
        }
        if (depth > 0) {
            report("Unterminated block comment", start);
        }
        checkEscapeEnd(start, pos);
        sink.separator();
    }

    /**
     * Whether every MariaDB and MySQL server runs the content of an executable comment of {@code version} (its digits
     * after {@code /*!}, perhaps none). Unversioned comments always run, and so do five-digit versions below
     * {@code 50700}; MariaDB skips {@code 50700} and above (MySQL 5.7 syntax) and six-digit versions above its own,
     * older servers skip versions above theirs, and MySQL reads {@code /*M!} as a plain comment.
     */
    private static boolean runsOnEveryServer(String version) {
        return version.isEmpty() || (version.length() == 5 && Integer.parseInt(version) < 50700);
    }

    /** Lexes a single-quoted string whose opening quote is at {@code quote}; {@code start} is where its token starts. */
    private void string(int start, int quote, boolean backslash) {
        pos = quote;
        quotedString(start, quote + 1, '\'', backslash);
    }

    private void quotedString(int start, int contentStart, char quote, boolean backslash) {
        pos = contentStart;
        while (pos < length) {
            char c = sql.charAt(pos);
            if (backslash && c == '\\') {
                pos += 2;
            } else if (c == quote) {
                if (peek(1) == quote) {
                    pos += 2;
                } else {
                    pos++;
                    checkEscapeEnd(start, pos);
                    sink.at(start);
                    String setting = listedSettingName(start, contentStart, quote);
                    if (setting != null) {
                        sink.listedSettingName(setting);
                        sink.literalEnd(pos);
                    } else {
                        literal(false);
                    }
                    return;
                }
            } else {
                pos++;
            }
        }
        pos = length;
        report("Unterminated string literal", start);
        checkEscapeEnd(start, pos);
        sink.at(start);
        literal(false);
    }

    /**
     * The name of a built-in setting on the dialect's safe list ({@link SafeSettings}) that the plain single-quoted
     * string just read spells (in lower case), or {@code null}: a string with a prefix ({@code E'…'}), a quote or a
     * character outside the names' letters, digits and underscores is none.
     */
    private String listedSettingName(int start, int contentStart, char quote) {
        int contentEnd = pos - 1;
        if (quote != '\'' || start != contentStart - 1 || contentEnd - contentStart > 64 || contentEnd <= contentStart) {
            return null;
        }
        for (int i = contentStart; i < contentEnd; i++) {
            char c = sql.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return null;
            }
        }
        String name = sql.substring(contentStart, contentEnd).toLowerCase(Locale.ROOT);
        return SafeSettings.listed(dialect, name) ? name : null;
    }

    private void quotedIdentifier(char open, char close) {
        int start = pos;
        pos++;
        while (pos < length) {
            char c = sql.charAt(pos);
            if (c == close) {
                if (peek(1) == close) {
                    pos += 2;
                } else {
                    pos++;
                    checkEscapeEnd(start, pos);
                    sink.at(start);
                    sink.quotedIdentifier(sql.substring(start, pos));
                    return;
                }
            } else {
                pos++;
            }
        }
        checkEscapeEnd(start, length);
        report("Unterminated quoted identifier", start);
        sink.at(start);
        sink.quotedIdentifier(sql.substring(start) + close);
    }

    private boolean isPrefixedString(char c) {
        char n = peek(1);
        switch (c) {
            case 'n': case 'N': case 'x': case 'X': case 'b': case 'B':
                return n == '\'';
            case 'e': case 'E':
                return n == '\'' && dialect == Dialect.POSTGRESQL;
            case 'u': case 'U':
                // PostgreSQL and H2 read U&'…' and U&"…" (the generic dialect may be either of them).
                return (dialect == Dialect.POSTGRESQL || dialect.isH2() || dialect == Dialect.GENERIC)
                        && n == '&' && (peek(2) == '\'' || peek(2) == '"');
            case 'q': case 'Q':
                return dialect == Dialect.ORACLE && n == '\'' && peek(2) != '\0';
            default:
                return false;
        }
    }

    private void prefixedString(char c) {
        int start = pos;
        switch (c) {
            case 'u': case 'U':
                pos += 2;
                if (sql.charAt(pos) == '"') {
                    // Its escapes would have to be decoded to know the name; refuse rather than guess.
                    report("Unicode-escaped identifier (U&\"…\"): its name cannot be matched against the policy for "
                            + "certain, so it is refused; write the name plainly", start);
                    quotedIdentifier('"', '"');
                } else {
                    string(start, pos, false);
                }
                return;
            case 'q': case 'Q':
                oracleAlternativeQuote(start);
                return;
            case 'e': case 'E':
                string(start, pos + 1, true);
                return;
            default:
                string(start, pos + 1, backslashEscapes());
        }
    }

    /** Oracle {@code q'X…X'}, with {@code [] {} () <>} pairing. */
    private void oracleAlternativeQuote(int start) {
        char open = sql.charAt(pos + 2);
        char close = switch (open) {
            case '[' -> ']';
            case '{' -> '}';
            case '(' -> ')';
            case '<' -> '>';
            default -> open;
        };
        pos += 3;
        while (pos < length) {
            if (sql.charAt(pos) == close && peek(1) == '\'') {
                pos += 2;
                checkEscapeEnd(start, pos);
                sink.at(start);
                literal(false);
                return;
            }
            pos++;
        }
        report("Unterminated string literal", start);
        checkEscapeEnd(start, pos);
        sink.at(start);
        literal(false);
    }

    /** Reports a literal that ends at the current position. */
    private void literal(boolean numeric) {
        sink.literal(numeric);
        sink.literalEnd(pos);
    }

    private void number() {
        int start = pos;
        if (sql.charAt(pos) == '0' && (peek(1) == 'x' || peek(1) == 'X') && isHexDigit(peek(2))) {
            pos += 2;
            while (pos < length && isHexDigit(sql.charAt(pos))) {
                pos++;
            }
        } else if (sql.charAt(pos) == '0' && (peek(1) == 'b' || peek(1) == 'B') && (peek(2) == '0' || peek(2) == '1')) {
            pos += 2;
            while (pos < length && (sql.charAt(pos) == '0' || sql.charAt(pos) == '1')) {
                pos++;
            }
        } else {
            while (pos < length && isDigit(sql.charAt(pos))) {
                pos++;
            }
            if (pos < length && sql.charAt(pos) == '.' && peek(1) != '.') {
                pos++;
                while (pos < length && isDigit(sql.charAt(pos))) {
                    pos++;
                }
            }
            if (pos < length && (sql.charAt(pos) == 'e' || sql.charAt(pos) == 'E')) {
                char n = peek(1);
                if (isDigit(n) || ((n == '+' || n == '-') && isDigit(peek(2)))) {
                    pos += 2;
                    while (pos < length && isDigit(sql.charAt(pos))) {
                        pos++;
                    }
                }
            }
        }
        sink.at(start);
        literal(true);
    }

    /** {@code $1} parameter, {@code $$…$$} or {@code $tag$…$tag$} string, or a lone {@code $}. */
    private void dollar() {
        int start = pos;
        if (isDigit(peek(1))) {
            pos++;
            while (pos < length && isDigit(sql.charAt(pos))) {
                pos++;
            }
            sink.at(start);
            sink.parameter(sql.substring(start, pos));
            return;
        }
        if (dialect.isH2() && peek(1) != '$') {
            // H2 knows only $$…$$ strings: it reads a $ before anything else as a parameter marker, so $a$ … $a$ is no
            // string there but two parameters with the code between them
            reportMisread("A '$' that starts no $$…$$ string or $n parameter: H2 reads it as a parameter marker (and $tag$ "
                    + "quotes no string there), so the statement would not be the one checked. Write ? for a "
                    + "parameter and $$…$$ or '…' for a string", start);
            operator();
            return;
        }
        int tagEnd = pos + 1;
        if (tagEnd < length && sql.charAt(tagEnd) != '$') {
            if (!isTagStart(sql.charAt(tagEnd))) {
                operator();
                return;
            }
            while (tagEnd < length && isTagPart(sql.charAt(tagEnd))) {
                tagEnd++;
            }
            if (tagEnd >= length || sql.charAt(tagEnd) != '$') {
                operator();
                return;
            }
        }
        if (tagEnd >= length) {
            operator();
            return;
        }
        String delimiter = sql.substring(start, tagEnd + 1);
        int close = sql.indexOf(delimiter, tagEnd + 1);
        if (close < 0) {
            pos = length;
            report("Unterminated dollar-quoted string", start);
        } else {
            pos = close + delimiter.length();
        }
        checkEscapeEnd(start, pos);
        sink.at(start);
        literal(false);
    }

    private void word() {
        int start = pos;
        pos++;
        if (sql.charAt(start) == '@' && peek(0) == '@') {
            pos++;
        }
        while (pos < length && isWordPart(sql.charAt(pos))) {
            pos++;
        }
        sink.at(start);
        sink.word(sql, start, pos);
    }

    /**
     * Whether MariaDB Connector/J would find other parameter markers in the text than the analysis read
     * ({@link ConnectorJPlaceholders}). Where the driver's parser cannot be asked (no Connector/J 3 beside this class),
     * a text with an executable comment ({@code /*!}, {@code /*M!}), which that driver reads as a comment and the
     * server as code, counts as read otherwise.
     */
    private boolean readOtherwiseByConnectorJ() {
        int driver = ConnectorJPlaceholders.count(sql, !backslashEscapes());
        return driver < 0 ? sql.contains("/*!") || sql.contains("/*M!") || sql.contains("/*m!") : driver != questionMarks;
    }

    private void operator() {
        int start = pos;
        char c = sql.charAt(pos);
        if (c == '?') {
            questionMarks++;
            markerAfterSemicolon |= sawSemicolon;
        } else if (c == ';') {
            sawSemicolon = true;
        }
        if (isOperatorChar(peek(1))) {
            for (String op : OPERATORS) {
                if (op.charAt(0) == c && sql.startsWith(op, pos)) {
                    pos += op.length();
                    sink.at(start);
                    sink.symbol(op);
                    return;
                }
            }
        }
        pos++;
        if (c == '{') {
            escapeBraces++;
        } else if (c == '}' && escapeBraces > 0) {
            escapeBraces--;
        }
        sink.at(start);
        sink.symbol(c < SINGLE_CHARACTERS.length ? SINGLE_CHARACTERS[c] : String.valueOf(c));
    }

    /**
     * Reports a {@code '}'} among the characters {@code from} to {@code to} of a string, quoted name or comment while a
     * JDBC escape is open: the driver would end the escape there (see the class comment).
     */
    private void checkEscapeEnd(int from, int to) {
        if (escapeBraces == 0) {
            return;
        }
        for (int i = from; i < to; i++) {
            if (sql.charAt(i) == '}') {
                reportMisread("A '}' inside a string, quoted name or comment within a JDBC escape ({fn …}, {d …}, {oj …}, …): "
                        + "the driver ends the escape at the first '}' it meets, even there, so the database would read "
                        + "another statement than the one checked. Move the string or comment out of the escape, or "
                        + "write the statement without the escape", from);
                return;
            }
        }
    }

    private static boolean isOperatorChar(char c) {
        return "-<>=!~*:@#?|&/".indexOf(c) >= 0;
    }

    private void report(String description, int start) {
        if (problem == null) {
            problem = new LexicalProblem(description, start);
        }
    }

    /** Reports text the database or its driver would read otherwise than this lexer (see {@link LexicalProblem}). */
    private void reportMisread(String description, int start) {
        if (problem == null || !problem.misread()) {
            problem = new LexicalProblem(description, start, true);
        }
    }

    private boolean isWordStart(char c) {
        if (c == '_' || Character.isLetter(c)) {
            return true;
        }
        if (c == '@') {
            // H2's user variables (@x) are names; elsewhere in H2 an @ is no part of a word
            return dialect == Dialect.MARIADB || dialect == Dialect.SQLSERVER
                    || dialect.isH2() && sql.charAt(pos) == '@' && isTagStart(peek(1));
        }
        return c == '#' && dialect == Dialect.SQLSERVER;
    }

    private static boolean isWordPart(char c) {
        return c == '_' || c == '$' || Character.isLetterOrDigit(c);
    }

    private static boolean isTagStart(char c) {
        return c == '_' || Character.isLetter(c);
    }

    private static boolean isTagPart(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
