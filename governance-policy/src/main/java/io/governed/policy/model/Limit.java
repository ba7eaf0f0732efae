package io.governed.policy.model;

import io.governed.identity.Identity;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what the callers it names may do, whatever the rules allow: how many rows one statement
 * hands out, how many statements they run a minute, and how long one statement may run. A bound of
 * 0 (or a {@code null} timeout) is not set; a limit sets at least one.
 *
 * @param id                       unique in the policy; audit events of a limit that bit name it
 * @param principals               whom it bounds ({@link PrincipalCriteria#ANYONE}: every caller)
 * @param maxRows                  the rows one result hands out at most ({@code max-rows}); 0: unbounded
 * @param onMaxRows                what happens at row {@code maxRows + 1} ({@code on-max-rows})
 * @param maxStatementsPerMinute   the statements one principal runs in any 60 seconds, per process
 *                                 ({@code max-statements}); 0: unbounded
 * @param statementTimeout         how long one statement may run ({@code statement-timeout}), whole
 *                                 seconds; {@code null}: unbounded
 */
public record Limit(String id, PrincipalCriteria principals, long maxRows, OnMaxRows onMaxRows, int maxStatementsPerMinute,
                    Duration statementTimeout) {

    /** The largest {@code max-statements}: each principal's window keeps one time per statement. */
    public static final int MAX_STATEMENTS = 100_000;

    /** What a result does when a caller reads past its {@code max-rows}. */
    public enum OnMaxRows {
        /** The result ends there, and its {@code getWarnings()} says why ({@code truncate}). */
        TRUNCATE,
        /** Reading past the bound fails with SQLState 42501 ({@code refuse}). */
        REFUSE;

        /** The name written in policies: {@code truncate} or {@code refuse}. */
        public String externalName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Limit {
        Rule.requireId(id);
        Objects.requireNonNull(principals, "principals");
        Objects.requireNonNull(onMaxRows, "onMaxRows");
        if (maxRows < 0 || maxStatementsPerMinute < 0 || maxStatementsPerMinute > MAX_STATEMENTS) {
            throw new IllegalArgumentException("limit '" + id + "': max-rows must be at least 1, and max-statements from 1 to "
                    + MAX_STATEMENTS);
        }
        if (statementTimeout != null && (statementTimeout.isNegative() || statementTimeout.isZero()
                || statementTimeout.toNanos() % 1_000_000_000L != 0)) {
            throw new IllegalArgumentException("limit '" + id + "': statement-timeout must be a whole number of seconds "
                    + "of at least 1s (JDBC query timeouts count seconds), like 30s");
        }
        if (maxRows == 0 && maxStatementsPerMinute == 0 && statementTimeout == null) {
            throw new IllegalArgumentException("limit '" + id + "' sets no bound: give max-rows, max-statements or statement-timeout");
        }
    }

    /** Whether the limit bounds {@code identity}. */
    public boolean appliesTo(Identity identity) {
        return principals.matches(identity);
    }
}
