package io.governed.sql;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Builds the fingerprint and (optionally) the parse text of a {@link LexedSql} from the tokens of one
 * lexer pass. JDBC escapes ({@code {call …}}, {@code {? = call …}}, {@code {fn …}}, {@code {d …}},
 * {@code {t …}}, {@code {ts …}}, {@code {oj …}}, {@code {escape …}}, {@code {limit …}}) are kept as
 * written in the fingerprint and translated to plain SQL in the parse text.
 */
final class LexedSqlBuilder implements TokenSink {

    private enum EscapeState { NONE, BRACE, BRACE_PARAM, BRACE_PARAM_EQUALS }

    private final StringBuilder fingerprint = new StringBuilder();
    private final StringBuilder parseText;
    private TokenSpacing.Kind fingerprintLastKind = TokenSpacing.Kind.NONE;
    private String fingerprintLast = "";
    /** The token before {@link #fingerprintLast} (a word only when it is {@code current_setting}). */
    private String fingerprintBeforeLast = "";
    private static final String CURRENT_SETTING = "current_setting";
    private TokenSpacing.Kind parseLastKind = TokenSpacing.Kind.NONE;
    private String parseLast = "";

    private EscapeState escapeState = EscapeState.NONE;
    /** For each open brace in the parse text: true when it opened a JDBC escape (and is dropped). */
    private final Deque<Boolean> braces = new ArrayDeque<>();
    private boolean[] jdbcCalls = new boolean[4];
    private int statementIndex;
    private int[] statementEnds = new int[4];
    private int depth;
    private int maxDepth;
    /** Consecutive NOT words just read: each nests the next (the parser recurses into NOT NOT …). */
    private int notRun;
    /** Open CASE expressions (an END closes one). */
    private int cases;
    private int sourceOffset;
    private int[] parseOffsets = new int[64];
    private int[] sourceOffsets = new int[64];
    private int tokenCount;
    /** Whether a {@code ||} operator stood in the code (outside strings and comments). */
    private boolean doubleBar;
    /** Whether a MariaDB {@code "…"} string stood in the code. */
    private boolean doubleQuotedString;

    LexedSqlBuilder(boolean withParseText) {
        this.parseText = withParseText ? new StringBuilder() : null;
    }

    @Override
    public void at(int offset) {
        this.sourceOffset = offset;
    }

    /**
     * Fingerprint-only building appends an ASCII word's characters lower-cased in place, without the
     * two strings per word {@link #word(String)} needs; other words take that path, so that the
     * result is always what {@code toLowerCase(Locale.ROOT)} gives.
     */
    @Override
    public void word(String sql, int start, int end) {
        if (parseText != null || !ascii(sql, start, end)) {
            TokenSink.super.word(sql, start, end);
            return;
        }
        // spacing reads the previous token's text only for symbols, never for a word
        if (TokenSpacing.spaceBetween(fingerprintLastKind, fingerprintLast, TokenSpacing.Kind.WORD, null)) {
            fingerprint.append(' ');
        }
        for (int i = start; i < end; i++) {
            char c = sql.charAt(i);
            fingerprint.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        fingerprintLastKind = TokenSpacing.Kind.WORD;
        fingerprintBeforeLast = fingerprintLast;
        // only this word is looked back at (listedSettingName): no other needs a string
        fingerprintLast = end - start == CURRENT_SETTING.length() && sql.regionMatches(true, start, CURRENT_SETTING, 0,
                CURRENT_SETTING.length()) ? CURRENT_SETTING : null;
    }

    private static boolean ascii(String sql, int start, int end) {
        for (int i = start; i < end; i++) {
            if (sql.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void word(String lowerCase) {
        toFingerprint(TokenSpacing.Kind.WORD, lowerCase);
        if (parseText == null) {
            return;
        }
        // NOT NOT … nests without a parenthesis: each NOT of a run counts as one level.
        if (lowerCase.equals("not")) {
            notRun++;
            maxDepth = Math.max(maxDepth, depth + notRun);
        } else {
            notRun = 0;
        }
        // CASE … END nests like a parenthesis (the parser recurses into it), so it counts towards the depth.
        if (lowerCase.equals("case")) {
            depth++;
            cases++;
            maxDepth = Math.max(maxDepth, depth);
        } else if (lowerCase.equals("end") && cases > 0) {
            depth = Math.max(0, depth - 1);
            cases--;
        }
        if (escapeState == EscapeState.BRACE) {
            escapeState = EscapeState.NONE;
            switch (lowerCase) {
                case "call":
                    openEscape();
                    markJdbcCall();
                    toParseText(TokenSpacing.Kind.WORD, lowerCase);
                    return;
                case "fn": case "oj": case "d": case "t": case "ts":
                    openEscape();
                    return;
                case "escape": case "limit":
                    openEscape();
                    toParseText(TokenSpacing.Kind.WORD, lowerCase);
                    return;
                default:
                    keepBrace();
                    break;
            }
        } else if (escapeState == EscapeState.BRACE_PARAM_EQUALS && lowerCase.equals("call")) {
            escapeState = EscapeState.NONE;
            openEscape();
            markJdbcCall();
            toParseText(TokenSpacing.Kind.WORD, lowerCase);
            return;
        } else {
            flushEscape();
        }
        toParseText(TokenSpacing.Kind.WORD, lowerCase);
    }

    @Override
    public void quotedIdentifier(String asWritten) {
        notRun = 0;
        toFingerprint(TokenSpacing.Kind.QUOTED, asWritten);
        if (parseText == null) {
            return;
        }
        flushEscape();
        if (asWritten.charAt(0) == '[') {
            String inner = asWritten.substring(1, asWritten.length() - 1).replace("]]", "]");
            toParseText(TokenSpacing.Kind.QUOTED, '"' + inner.replace("\"", "\"\"") + '"');
        } else {
            toParseText(TokenSpacing.Kind.QUOTED, asWritten);
        }
    }

    @Override
    public void literal(boolean numeric) {
        notRun = 0;
        toFingerprint(TokenSpacing.Kind.LITERAL, "?");
        if (parseText == null) {
            return;
        }
        flushEscape();
        toParseText(TokenSpacing.Kind.LITERAL, numeric ? "0" : "''");
    }

    /**
     * A listed setting's name ({@link TokenSink#listedSettingName}) right after {@code current_setting(} is kept as written
     * in the fingerprint and the parse text, so that {@code current_setting('server_version')} and
     * {@code current_setting('app.api_key')} differ in both: the analysis of the one shows its value in clear, of the
     * other redacted. Anywhere else it is a literal like any other.
     */
    @Override
    public void listedSettingName(String lowerCaseName) {
        if (!"(".equals(fingerprintLast) || !CURRENT_SETTING.equals(fingerprintBeforeLast)) {
            literal(false);
            return;
        }
        notRun = 0;
        String quoted = "'" + lowerCaseName + "'";
        toFingerprint(TokenSpacing.Kind.LITERAL, quoted);
        if (parseText == null) {
            return;
        }
        flushEscape();
        toParseText(TokenSpacing.Kind.LITERAL, quoted);
    }

    @Override
    public void parameter(String marker) {
        notRun = 0;
        toFingerprint(TokenSpacing.Kind.PARAMETER, marker);
        if (parseText == null) {
            return;
        }
        flushEscape();
        toParseText(TokenSpacing.Kind.PARAMETER, marker);
    }

    @Override
    public void doubleQuotedString() {
        doubleQuotedString = true;
    }

    @Override
    public void symbol(String symbol) {
        notRun = 0;
        if (symbol.equals("||")) {
            doubleBar = true;
        }
        toFingerprint(TokenSpacing.Kind.SYMBOL, symbol);
        if (parseText == null) {
            return;
        }
        if (escapeState == EscapeState.BRACE && symbol.equals("?")) {
            escapeState = EscapeState.BRACE_PARAM;
            return;
        }
        if (escapeState == EscapeState.BRACE_PARAM && symbol.equals("=")) {
            escapeState = EscapeState.BRACE_PARAM_EQUALS;
            return;
        }
        flushEscape();
        switch (symbol) {
            case "{":
                escapeState = EscapeState.BRACE;
                return;
            case "}":
                if (!braces.isEmpty() && braces.pop()) {
                    return;
                }
                break;
            case "(":
                depth++;
                maxDepth = Math.max(maxDepth, depth);
                break;
            case ")":
                depth = Math.max(0, depth - 1);
                break;
            case ";":
                if (statementIndex >= statementEnds.length) {
                    statementEnds = Arrays.copyOf(statementEnds, statementEnds.length * 2);
                }
                statementEnds[statementIndex++] = parseText.length();
                break;
            default:
                break;
        }
        toParseText(TokenSpacing.Kind.SYMBOL, symbol);
    }

    @Override
    public void separator() {
        // Spacing is canonical (see TokenSpacing): what separated two tokens does not matter.
    }

    LexedSql build(LexicalProblem problem) {
        if (parseText != null) {
            flushEscape();
        }
        return new LexedSql(fingerprint.toString(), parseText == null ? null : parseText.toString(), problem,
                Arrays.copyOf(jdbcCalls, statementIndex + 1), Arrays.copyOf(statementEnds, statementIndex),
                maxDepth, Arrays.copyOf(parseOffsets, tokenCount), Arrays.copyOf(sourceOffsets, tokenCount), doubleBar,
                doubleQuotedString);
    }

    String fingerprint() {
        return fingerprint.toString();
    }

    private void openEscape() {
        braces.push(Boolean.TRUE);
    }

    private void keepBrace() {
        braces.push(Boolean.FALSE);
        toParseText(TokenSpacing.Kind.SYMBOL, "{");
    }

    /** A brace (and {@code ?}, {@code ?=}) that turned out not to open a JDBC escape is written as it was. */
    private void flushEscape() {
        EscapeState state = escapeState;
        if (state == EscapeState.NONE) {
            return;
        }
        escapeState = EscapeState.NONE;
        keepBrace();
        if (state != EscapeState.BRACE) {
            toParseText(TokenSpacing.Kind.SYMBOL, "?");
        }
        if (state == EscapeState.BRACE_PARAM_EQUALS) {
            toParseText(TokenSpacing.Kind.SYMBOL, "=");
        }
    }

    private void markJdbcCall() {
        if (statementIndex >= jdbcCalls.length) {
            jdbcCalls = Arrays.copyOf(jdbcCalls, Math.max(jdbcCalls.length * 2, statementIndex + 1));
        }
        jdbcCalls[statementIndex] = true;
    }

    private void toFingerprint(TokenSpacing.Kind kind, String token) {
        if (TokenSpacing.spaceBetween(fingerprintLastKind, fingerprintLast, kind, token)) {
            fingerprint.append(' ');
        }
        fingerprint.append(token);
        fingerprintLastKind = kind;
        fingerprintBeforeLast = fingerprintLast;
        fingerprintLast = token;
    }

    private void toParseText(TokenSpacing.Kind kind, String token) {
        if (TokenSpacing.spaceBetween(parseLastKind, parseLast, kind, token)) {
            parseText.append(' ');
        }
        if (tokenCount == parseOffsets.length) {
            parseOffsets = Arrays.copyOf(parseOffsets, tokenCount * 2);
            sourceOffsets = Arrays.copyOf(sourceOffsets, tokenCount * 2);
        }
        parseOffsets[tokenCount] = parseText.length();
        sourceOffsets[tokenCount] = sourceOffset;
        tokenCount++;
        parseText.append(token);
        parseLastKind = kind;
        parseLast = token;
    }
}
