package io.governed.classification.detectors;

/** Character-class checks shared by the value checks; ASCII only, no regex. */
final class Chars {
    /** The alphabets tokens and keys are written in. */
    enum Alphabet {
        ALNUM, ALNUM_UNDERSCORE, ALNUM_DASH_UNDERSCORE
    }

    private Chars() {
    }

    static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** Whether every character of {@code s} from {@code from} to {@code to} is in the alphabet. */
    static boolean allOf(String s, int from, int to, Alphabet alphabet) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = isAsciiAlnum(c)
                    || (alphabet == Alphabet.ALNUM_DASH_UNDERSCORE && (c == '-' || c == '_'))
                    || (alphabet == Alphabet.ALNUM_UNDERSCORE && c == '_');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
