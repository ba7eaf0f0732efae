package io.governed.sql;

/**
 * Something in the text the lexer could not read to the end: an unterminated string, quoted
 * identifier or comment, or a construct the analysis refuses to guess at.
 *
 * @param description  what is wrong, as the start of a sentence ("Unterminated string literal", …)
 * @param sourceOffset where it starts in the text
 */
record LexicalProblem(String description, int sourceOffset) {
}
