package io.governed.classification.detectors;

/**
 * Recognises e-mail addresses as they are actually used (a pragmatic subset of RFC 5322):
 * {@code local@domain.tld} where the local part is at most 64 characters of letters, digits and
 * {@code !#$%&'*+/=?^_`{|}~-}, with single dots between them; the domain has at least two labels of
 * letters, digits and inner hyphens, each at most 63 characters; the top-level label is letters
 * (at least two) or an internationalised {@code xn--} label; the whole address is at most 254
 * characters. Quoted local parts and address literals ({@code user@[192.0.2.1]}) are not
 * recognised.
 */
public final class EmailAddresses {
    private static final String LOCAL_SPECIALS = "!#$%&'*+/=?^_`{|}~-";

    private EmailAddresses() {
    }

    /** Whether the text is an e-mail address. */
    public static boolean isValid(String text) {
        int len = text.length();
        if (len < 6 || len > 254) {
            return false;
        }
        int at = text.indexOf('@');
        if (at < 1 || at > 64 || text.indexOf('@', at + 1) >= 0) {
            return false;
        }
        return validLocal(text, at) && validDomain(text, at + 1, len);
    }

    private static boolean validLocal(String s, int end) {
        boolean afterDot = true;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (afterDot) {
                    return false;
                }
                afterDot = true;
            } else if (Chars.isAsciiAlnum(c) || LOCAL_SPECIALS.indexOf(c) >= 0) {
                afterDot = false;
            } else {
                return false;
            }
        }
        return !afterDot;
    }

    private static boolean validDomain(String s, int from, int to) {
        if (to - from > 253) {
            return false;
        }
        int labels = 0;
        int labelStart = from;
        for (int i = from; i <= to; i++) {
            if (i == to || s.charAt(i) == '.') {
                if (!validLabel(s, labelStart, i)) {
                    return false;
                }
                labels++;
                if (i == to) {
                    return labels >= 2 && validTopLevel(s, labelStart, i);
                }
                labelStart = i + 1;
            }
        }
        return false;
    }

    private static boolean validLabel(String s, int from, int to) {
        int len = to - from;
        if (len < 1 || len > 63 || s.charAt(from) == '-' || s.charAt(to - 1) == '-') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!Chars.isAsciiAlnum(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean validTopLevel(String s, int from, int to) {
        if (s.regionMatches(true, from, "xn--", 0, 4)) {
            return to - from > 4;
        }
        if (to - from < 2) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }
}
