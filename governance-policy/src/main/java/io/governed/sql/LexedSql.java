package io.governed.sql;

import java.util.Arrays;

/**
 * The result of one lexer pass over a SQL text: its fingerprint and the literal-free text that is
 * handed to the parser.
 *
 * <p>The parse text holds the same tokens as the fingerprint, except that numbers become {@code 0},
 * strings of every kind become {@code ''}, SQL Server {@code [x]} identifiers become {@code "x"}
 * and JDBC escapes are translated. Parsing it instead of the original means an analysis can only
 * depend on what the fingerprint (the cache key) holds, never on a literal's value.
 *
 * @param fingerprint        literals replaced by {@code ?}, comments dropped, canonical spacing
 * @param parseText          what the parser reads
 * @param problem            what was left unterminated, or {@code null}
 * @param jdbcCallStatements for each top-level statement (by index), whether it came as a JDBC call escape
 * @param statementEnds      offsets in the parse text of each top-level {@code ;}
 * @param maxNestingDepth    the deepest nesting of parentheses and CASE expressions
 * @param parseOffsets       sorted offsets of tokens in the parse text ...
 * @param sourceOffsets      ... and where each started in the original text
 * @param doubleBar          whether the code (not a string or comment) holds the operator {@code ||}
 * @param doubleQuotedString whether the code holds a MariaDB {@code "…"} string
 */
record LexedSql(String fingerprint, String parseText, LexicalProblem problem, boolean[] jdbcCallStatements,
                int[] statementEnds, int maxNestingDepth, int[] parseOffsets, int[] sourceOffsets, boolean doubleBar,
                boolean doubleQuotedString) {

    /** Whether the statement at {@code index} (0-based) came as {@code {call …}} or {@code {? = call …}}. */
    boolean jdbcCall(int index) {
        return index < jdbcCallStatements.length && jdbcCallStatements[index];
    }

    /** Where the token at (or just before) a parse-text offset started in the original text. */
    int sourceOffset(int parseOffset) {
        int i = Arrays.binarySearch(parseOffsets, parseOffset);
        if (i < 0) {
            i = Math.max(0, -i - 2);
        }
        return parseOffsets.length == 0 ? 0 : sourceOffsets[Math.min(i, sourceOffsets.length - 1)];
    }

    /** Lexes {@code sql} once, producing both the fingerprint and the parse text. */
    static LexedSql of(String sql, Dialect dialect) {
        LexedSqlBuilder builder = new LexedSqlBuilder(true);
        LexicalProblem problem = SqlLexer.lex(sql, dialect, builder);
        return builder.build(problem);
    }
}
