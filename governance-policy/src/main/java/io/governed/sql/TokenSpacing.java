package io.governed.sql;

/**
 * The canonical spacing of normalised SQL: tokens are separated by one space, except where SQL is
 * conventionally written without one ({@code f(x)}, {@code t.c}, {@code a, b}, {@code x::int}).
 * Because spacing depends only on the tokens, texts that differ only in whitespace or comments are
 * written identically.
 */
final class TokenSpacing {

    /** What kind of token was written last. */
    enum Kind { NONE, WORD, QUOTED, LITERAL, PARAMETER, SYMBOL }

    private TokenSpacing() {
    }

    static boolean spaceBetween(Kind previousKind, String previous, Kind kind, String current) {
        if (previousKind == Kind.NONE) {
            return false;
        }
        if (kind == Kind.SYMBOL) {
            switch (current) {
                case ",": case ")": case ".": case ";": case "]": case "::":
                    return false;
                case "(": case "[":
                    return !(previousKind == Kind.WORD || previousKind == Kind.QUOTED
                            || ")".equals(previous) || "]".equals(previous));
                default:
                    break;
            }
        }
        if (previousKind == Kind.SYMBOL) {
            switch (previous) {
                case "(": case ".": case "::": case "[":
                    return false;
                default:
                    break;
            }
        }
        return true;
    }
}
