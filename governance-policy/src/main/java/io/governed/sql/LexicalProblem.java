package io.governed.sql;

/**
 * Something the lexer could not close before the end of the text: an unterminated string, quoted
 * identifier or comment.
 *
 * @param what         what was left open, in words ("string literal", "block comment", …)
 * @param sourceOffset where it started in the text
 */
record LexicalProblem(String what, int sourceOffset) {
}
