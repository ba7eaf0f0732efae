package io.governed.policy.model;

import io.governed.identity.Identity;

import java.util.List;

/**
 * The bounds in force for one caller: of every {@link Limit} that applies to it, the tightest of each
 * kind, with the id of the limit it comes from (for the audit). A bound of 0 is not set.
 *
 * @param maxRows           rows one result hands out at most; 0: unbounded
 * @param maxRowsLimit      the id of the limit {@code maxRows} comes from, or {@code null}
 * @param onMaxRows         what reading past {@code maxRows} does
 * @param maxStatements     statements a minute at most; 0: unbounded
 * @param maxStatementsLimit the id of the limit {@code maxStatements} comes from, or {@code null}
 * @param timeoutSeconds    seconds one statement may run; 0: unbounded
 * @param timeoutLimit      the id of the limit {@code timeoutSeconds} comes from, or {@code null}
 */
public record AppliedLimits(long maxRows, String maxRowsLimit, Limit.OnMaxRows onMaxRows, int maxStatements,
                            String maxStatementsLimit, int timeoutSeconds, String timeoutLimit) {

    /** No bound at all. */
    public static final AppliedLimits NONE = new AppliedLimits(0, null, Limit.OnMaxRows.TRUNCATE, 0, null, 0, null);

    /** Whether nothing is bounded. */
    public boolean none() {
        return maxRows == 0 && maxStatements == 0 && timeoutSeconds == 0;
    }

    /**
     * The bounds of {@code limits} for {@code identity}: the tightest of each kind among those that
     * apply; where two are as tight, the first written wins, and {@code refuse} wins over {@code truncate}.
     */
    public static AppliedLimits of(List<Limit> limits, Identity identity) {
        long rows = 0;
        String rowsBy = null;
        Limit.OnMaxRows onRows = Limit.OnMaxRows.TRUNCATE;
        int statements = 0;
        String statementsBy = null;
        int timeout = 0;
        String timeoutBy = null;
        for (Limit limit : limits) {
            if (!limit.appliesTo(identity)) {
                continue;
            }
            if (limit.maxRows() > 0 && (rows == 0 || limit.maxRows() < rows
                    || limit.maxRows() == rows && limit.onMaxRows() == Limit.OnMaxRows.REFUSE && onRows != Limit.OnMaxRows.REFUSE)) {
                rows = limit.maxRows();
                rowsBy = limit.id();
                onRows = limit.onMaxRows();
            }
            if (limit.maxStatementsPerMinute() > 0 && (statements == 0 || limit.maxStatementsPerMinute() < statements)) {
                statements = limit.maxStatementsPerMinute();
                statementsBy = limit.id();
            }
            if (limit.statementTimeout() != null) {
                long seconds = Math.min(Integer.MAX_VALUE, limit.statementTimeout().toSeconds());
                if (timeout == 0 || seconds < timeout) {
                    timeout = (int) seconds;
                    timeoutBy = limit.id();
                }
            }
        }
        if (rowsBy == null && statementsBy == null && timeoutBy == null) {
            return NONE;
        }
        return new AppliedLimits(rows, rowsBy, onRows, statements, statementsBy, timeout, timeoutBy);
    }
}
