package io.governed.sql;

import java.util.Locale;

/**
 * Receives the tokens of one {@link SqlLexer} pass, in order. Whitespace and comments are reported
 * as {@link #separator()} so a sink can keep tokens apart without seeing what separated them.
 */
interface TokenSink {

    /** An unquoted keyword or identifier, already folded to lower case. */
    void word(String lowerCase);

    /**
     * A word, as the characters {@code start} to {@code end} of {@code sql}, not yet lower-cased: a
     * sink that only appends it can do so without making strings of it.
     */
    default void word(String sql, int start, int end) {
        word(sql.substring(start, end).toLowerCase(Locale.ROOT));
    }

    /** A quoted identifier exactly as written, quotes included ({@code "x"}, {@code `x`}, {@code [x]}). */
    void quotedIdentifier(String asWritten);

    /** A literal whose value the sink must not see: a number, or a string of any kind. */
    void literal(boolean numeric);

    /**
     * The literal that follows is a MariaDB {@code "…"} string, which a session with {@code ANSI_QUOTES} in its SQL
     * mode reads as a name instead.
     */
    default void doubleQuotedString() {
    }

    /**
     * A plain string literal that spells the name of a built-in setting on the dialect's safe list ({@link SafeSettings}),
     * in lower case: a name of the server's, never a value of the user's. A sink that keeps such a name where it follows
     * {@code current_setting(} lets the analysis tell a listed setting's reading from any other's; every other sink reads
     * it as any string literal.
     */
    default void listedSettingName(String lowerCaseName) {
        literal(false);
    }

    /** The literal just reported ends (exclusive) at this offset of the source text. */
    default void literalEnd(int sourceOffset) {
    }

    /** A parameter marker other than {@code ?}: {@code $1}, {@code :name}. */
    void parameter(String marker);

    /** An operator or punctuation token ({@code (}, {@code ::}, {@code ->>}, {@code ?}, …). */
    void symbol(String symbol);

    /** Whitespace or a comment stood here. */
    void separator();

    /** Called before each token with the offset in the source text where it starts. */
    default void at(int sourceOffset) {
    }
}
