package io.governed.sql;

/**
 * Thrown by a walker that finds a parse tree the database would not build from the same text: the parser read a
 * construct as something else (the query {@code (TABLE t)} as a table named {@code TABLE} with the alias {@code t}, say).
 * The analysis refuses the statement as read otherwise than checked ({@link SqlAnalyzer#READ_OTHERWISE}), with this
 * message, which names no value.
 */
final class MisreadStatement extends RuntimeException {

    MisreadStatement(String message) {
        super(message, null, false, false);
    }
}
