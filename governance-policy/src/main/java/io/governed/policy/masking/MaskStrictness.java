package io.governed.policy.masking;

/**
 * Which mask wins when several cover one column: the one that reveals least. From strictest:
 * {@code redact} and {@code null} (nothing), {@code default} (a fixed value), {@code hash} (which
 * values are equal), {@code bucket} and {@code year} (a range), {@code partial} and {@code email}
 * (part of the value), then functions from policy jars, whose strictness is unknown. Between masks
 * of equal strictness the one written first in the policy wins.
 */
final class MaskStrictness {
    private MaskStrictness() {
    }

    /** Higher is stricter. */
    static int of(String function) {
        return switch (function) {
            case "redact", "null" -> 5;
            case "default" -> 4;
            case "hash" -> 3;
            case "bucket", "year" -> 2;
            case "partial", "email" -> 1;
            default -> 0;
        };
    }
}
