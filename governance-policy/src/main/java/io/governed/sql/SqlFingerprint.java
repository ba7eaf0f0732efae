package io.governed.sql;

/**
 * The fingerprint of a SQL text: the statement with every literal replaced by {@code ?}, comments
 * dropped, unquoted keywords and identifiers folded to lower case, quoted identifiers kept exactly,
 * and tokens spaced canonically. Texts that differ only in literal values, comments, whitespace or
 * keyword case share a fingerprint; texts that differ in anything else do not.
 *
 * <p>It is computed by one pass of a hand-written lexer and is safe to log: no literal value survives, but for the
 * name of a built-in setting on the safe list right after {@code current_setting(} ({@link SafeSettings}), a name of
 * the server's, kept so that reading a listed setting and reading any other have analyses of their own.
 */
public final class SqlFingerprint {

    private SqlFingerprint() {
    }

    /** The fingerprint of {@code sql} as {@code dialect} reads it; an empty string for empty or comment-only text. */
    public static String of(String sql, Dialect dialect) {
        LexedSqlBuilder builder = new LexedSqlBuilder(false);
        SqlLexer.lex(sql, dialect, builder);
        return builder.fingerprint();
    }
}
