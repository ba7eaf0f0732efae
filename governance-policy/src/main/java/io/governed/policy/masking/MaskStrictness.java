package io.governed.policy.masking;

/**
 * Which mask wins when several cover one column: the one that reveals least. From strictest:
 * {@code redact} and {@code null} (nothing), {@code default} (a fixed value), {@code hash} and {@code token}
 * (which values are equal), {@code bucket} and {@code year} (a range), {@code partial} and {@code email}
 * (part of the value), then functions from policy jars, whose strictness is unknown. Between masks
 * of equal strictness the one written first in the policy wins.
 *
 * <p>A result column computed from a masked column ({@code substring(ssn, 2, 5)}, {@code max(email)},
 * a CASE) is redacted whatever the mask's function: sliding a partial view or a hash over computed
 * pieces would give the original value away piece by piece.
 */
final class MaskStrictness {
    /** From this strictness on, a function shows nothing of the value (redact, null, default). */
    static final int HIDES_ALL = 4;

    private MaskStrictness() {
    }

    /** Higher is stricter. */
    static int of(String function) {
        return switch (function) {
            case "redact", "null" -> 5;
            case "default" -> 4;
            case "hash", "token" -> 3;
            case "bucket", "year" -> 2;
            case "partial", "email" -> 1;
            default -> 0;
        };
    }
}
