package io.governed.classification.detectors;

/**
 * Recognises bearer tokens: JSON Web Tokens (see {@link JsonWebTokens}), GitHub tokens
 * ({@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_}, {@code ghr_} and 36 letters or digits;
 * {@code github_pat_} and 82 letters, digits or {@code _}) and Slack tokens ({@code xoxb-},
 * {@code xoxp-}, {@code xoxa-}, {@code xoxs-} followed by at least two dash-separated parts, the
 * first of at least 6 digits, 20 characters or more in all).
 */
public final class Tokens {
    private Tokens() {
    }

    /** Whether the text is a bearer token. */
    public static boolean isValid(String text) {
        return isGitHubToken(text) || isSlackToken(text) || JsonWebTokens.isValid(text);
    }

    static boolean isGitHubToken(String s) {
        if (s.length() == 40 && s.startsWith("gh") && s.charAt(3) == '_' && "pousr".indexOf(s.charAt(2)) >= 0) {
            return Chars.allOf(s, 4, 40, Chars.Alphabet.ALNUM);
        }
        return s.length() == 11 + 82 && s.startsWith("github_pat_") && Chars.allOf(s, 11, s.length(), Chars.Alphabet.ALNUM_UNDERSCORE);
    }

    static boolean isSlackToken(String s) {
        if (s.length() < 5 + 20 || s.length() > 5 + 250 || !s.startsWith("xox") || s.charAt(4) != '-'
                || "bpas".indexOf(s.charAt(3)) < 0) {
            return false;
        }
        int parts = 1;
        int firstPartDigits = 0;
        boolean inFirst = true;
        char prev = '-';
        for (int i = 5; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '-') {
                if (prev == '-') {
                    return false;
                }
                parts++;
                inFirst = false;
            } else if (inFirst) {
                if (c < '0' || c > '9') {
                    return false;
                }
                firstPartDigits++;
            } else if (!Chars.isAsciiAlnum(c)) {
                return false;
            }
            prev = c;
        }
        return prev != '-' && parts >= 2 && firstPartDigits >= 6;
    }
}
