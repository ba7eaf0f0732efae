package io.governed.sql;

import java.time.Duration;
import java.util.Objects;

/**
 * How much work the analyser spends on one SQL text before refusing it as unanalysable: the policy
 * engine then denies it as it denies unparseable text ({@code on-unparseable}), with a message that
 * names the limit.
 *
 * @param maxDepth  deepest nesting of parentheses and CASE expressions (nested subqueries, deep
 *                  expressions); deeper text is refused before it is parsed
 * @param maxLength longest text, in characters; longer text is refused before it is read
 * @param maxTime   longest time spent analysing one text; text whose analysis takes longer is refused
 *                  (checked between the analyser's steps: reading, parsing and walking each statement)
 */
public record AnalysisLimits(int maxDepth, int maxLength, Duration maxTime) {

    /** Nesting depth analysed by default. */
    public static final int DEFAULT_MAX_DEPTH = 128;
    /** Longest text analysed by default, in characters (1 MiB). */
    public static final int DEFAULT_MAX_LENGTH = 1 << 20;
    /** Longest analysis by default. */
    public static final Duration DEFAULT_MAX_TIME = Duration.ofSeconds(10);

    /** The defaults: depth 128, 1 MiB, 10 seconds. */
    public static final AnalysisLimits DEFAULTS = new AnalysisLimits(DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, DEFAULT_MAX_TIME);

    public AnalysisLimits {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("the analysis depth limit must be at least 1, got " + maxDepth);
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException("the analysis length limit must be at least 1 character, got " + maxLength);
        }
        Objects.requireNonNull(maxTime, "maxTime");
        if (maxTime.isNegative() || maxTime.isZero()) {
            throw new IllegalArgumentException("the analysis time limit must be positive, got " + maxTime);
        }
    }

    public AnalysisLimits withMaxDepth(int depth) {
        return new AnalysisLimits(depth, maxLength, maxTime);
    }

    public AnalysisLimits withMaxLength(int length) {
        return new AnalysisLimits(maxDepth, length, maxTime);
    }

    public AnalysisLimits withMaxTime(Duration time) {
        return new AnalysisLimits(maxDepth, maxLength, time);
    }
}
