package io.governed.sql;

/**
 * Something in the text the lexer could not read to the end: an unterminated string, quoted
 * identifier or comment, or a construct the analysis refuses to guess at.
 *
 * @param description  what is wrong, as the start of a sentence ("Unterminated string literal", …)
 * @param sourceOffset where it starts in the text
 * @param misread      the database or its driver would read the text otherwise than the analysis did (a
 *                     {@code '}'} ending a JDBC escape inside a comment, a Unicode space, an H2 {@code $}): refused
 *                     whatever the policy's {@code on-unparseable} says
 */
record LexicalProblem(String description, int sourceOffset, boolean misread) {

    LexicalProblem(String description, int sourceOffset) {
        this(description, sourceOffset, false);
    }
}
