package io.governed.classification.detectors;

/**
 * Recognises payment card numbers: 13 to 19 digits, optionally grouped by single spaces or dashes,
 * starting with an issuer prefix of a known card scheme at a length that scheme issues, and passing
 * the Luhn check.
 *
 * <p>Schemes: Visa (4; 13, 16, 19 digits), Mastercard (51–55, 2221–2720; 16), American Express
 * (34, 37; 15), Discover (6011, 644–649, 65, 622126–622925; 16–19), JCB (3528–3589; 16–19),
 * Diners Club (300–305, 36, 38, 39; 14–19), UnionPay (62; 16–19), Maestro (5018, 5020, 5038, 5893,
 * 6304, 6759, 6761–6763; 13–19), Mir (2200–2204; 16–19).
 */
public final class CardNumbers {
    private static final int MAX_DIGITS = 19;

    private CardNumbers() {
    }

    /** Whether the text is a valid card number. */
    public static boolean isValid(String text) {
        int len = text.length();
        if (len < 13 || len > 19 + 6) {
            return false;
        }
        int[] digits = new int[MAX_DIGITS];
        int n = 0;
        char separator = 0;
        for (int i = 0; i < len; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (n == MAX_DIGITS) {
                    return false;
                }
                digits[n++] = c - '0';
            } else if ((c == ' ' || c == '-') && i > 0 && i < len - 1 && isDigit(text.charAt(i - 1))
                    && (separator == 0 || separator == c)) {
                separator = c;
            } else {
                return false;
            }
        }
        return n >= 13 && knownScheme(digits, n) && luhn(digits, n);
    }

    /** The Luhn (mod 10) check over the first {@code n} digits. */
    static boolean luhn(int[] digits, int n) {
        int sum = 0;
        boolean twice = false;
        for (int i = n - 1; i >= 0; i--) {
            int d = digits[i];
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    private static boolean knownScheme(int[] d, int n) {
        int p2 = d[0] * 10 + d[1];
        int p3 = p2 * 10 + d[2];
        int p4 = p3 * 10 + d[3];
        int p6 = p4 * 100 + d[4] * 10 + d[5];
        boolean long16to19 = n >= 16;
        if (d[0] == 4) {
            return n == 13 || n == 16 || n == 19;                               // Visa
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return n == 16;                                                     // Mastercard
        }
        if (p2 == 34 || p2 == 37) {
            return n == 15;                                                     // American Express
        }
        if (p4 >= 2200 && p4 <= 2204) {
            return long16to19;                                                  // Mir
        }
        if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 || (p6 >= 622126 && p6 <= 622925)) {
            return long16to19;                                                  // Discover
        }
        if (p4 >= 3528 && p4 <= 3589) {
            return long16to19;                                                  // JCB
        }
        if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) {
            return n >= 14;                                                     // Diners Club
        }
        if (p2 == 62) {
            return long16to19;                                                  // UnionPay
        }
        return p4 == 5018 || p4 == 5020 || p4 == 5038 || p4 == 5893 || p4 == 6304 || p4 == 6759
                || (p4 >= 6761 && p4 <= 6763);                                  // Maestro
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
