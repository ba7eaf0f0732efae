package io.governed.sql;

/**
 * Thrown by a walker that meets a form it does not read (PostgreSQL 18's {@code RETURNING old.*}, say): the analysis
 * refuses the statement with {@link SqlAnalyzer#UNREAD_FORM} and this message, which says what to write instead and
 * names no value.
 */
final class UnreadForm extends RuntimeException {

    UnreadForm(String message) {
        super(message, null, false, false);
    }
}
