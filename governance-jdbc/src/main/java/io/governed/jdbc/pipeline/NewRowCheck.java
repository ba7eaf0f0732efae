package io.governed.jdbc.pipeline;

import io.governed.sql.RowFilterRewriter;

import java.sql.SQLException;
import java.util.List;

/**
 * Runs the checks that an INSERT's new rows pass the row filters of its table ({@link RowFilterRewriter.RowCheck}) on
 * the statement's own connection, with the values the application gave bound as parameters: the wrapper that runs the
 * statement supplies it, for every entry the run inserts (each entry of a batch).
 */
@FunctionalInterface
public interface NewRowCheck {

    /**
     * The ids of the filters that some new row does not pass (the condition is false or NULL for it), in the order of
     * {@code checks}; empty when every row passes.
     *
     * @throws Unchecked    when a value cannot be bound again for the check (not set, or set as a stream)
     * @throws SQLException when the database cannot evaluate the check
     */
    List<String> failing(List<RowFilterRewriter.RowCheck> checks) throws SQLException, Unchecked;

    /** The rows cannot be checked, for the reason given (no value in it). */
    final class Unchecked extends Exception {
        public Unchecked(String message) {
            super(message);
        }
    }
}
