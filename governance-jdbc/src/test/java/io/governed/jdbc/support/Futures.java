package io.governed.jdbc.support;

import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for work a test ran on a thread of its own, its failure thrown as the work threw it. */
public final class Futures {
    private Futures() {
    }

    /**
     * The result of {@code future}; a {@link SQLException}, {@link RuntimeException} or {@link Error} the work threw is
     * rethrown as it was, anything else wrapped; {@code work} names the work in the message of an interruption.
     */
    public static <T> T result(Future<T> future, String work) throws SQLException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + work, e);
        }
    }
}
