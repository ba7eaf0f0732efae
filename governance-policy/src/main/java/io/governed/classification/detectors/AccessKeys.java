package io.governed.classification.detectors;

/**
 * Recognises credentials that grant access by themselves: AWS access key ids ({@code AKIA} or
 * {@code ASIA} and 16 upper-case letters or digits), Google API keys ({@code AIza} and 35 letters,
 * digits, {@code -} or {@code _}), Stripe secret and restricted keys ({@code sk_live_},
 * {@code rk_live_}, {@code sk_test_}, {@code rk_test_} and at least 24 letters or digits), and
 * PEM private-key blocks ({@code -----BEGIN … PRIVATE KEY-----} … {@code -----END … PRIVATE KEY-----}).
 */
public final class AccessKeys {
    private AccessKeys() {
    }

    /** Whether the text is, or for a PEM block contains, an access key. */
    public static boolean isValid(String text) {
        return isAwsAccessKeyId(text) || isGoogleApiKey(text) || isStripeKey(text) || containsPrivateKeyBlock(text);
    }

    static boolean isAwsAccessKeyId(String s) {
        if (s.length() != 20 || !(s.startsWith("AKIA") || s.startsWith("ASIA"))) {
            return false;
        }
        for (int i = 4; i < 20; i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    static boolean isGoogleApiKey(String s) {
        return s.length() == 39 && s.startsWith("AIza") && Chars.allOf(s, 4, s.length(), Chars.Alphabet.ALNUM_DASH_UNDERSCORE);
    }

    static boolean isStripeKey(String s) {
        return s.length() >= 8 + 24 && s.length() <= 8 + 247
                && (s.startsWith("sk_live_") || s.startsWith("rk_live_") || s.startsWith("sk_test_") || s.startsWith("rk_test_"))
                && Chars.allOf(s, 8, s.length(), Chars.Alphabet.ALNUM);
    }

    static boolean containsPrivateKeyBlock(String s) {
        int begin = s.indexOf("-----BEGIN ");
        if (begin < 0) {
            return false;
        }
        int beginEnd = s.indexOf("PRIVATE KEY-----", begin);
        int lineEnd = s.indexOf('\n', begin);
        if (beginEnd < 0 || (lineEnd >= 0 && beginEnd > lineEnd)) {
            return false;
        }
        int end = s.indexOf("-----END ", beginEnd);
        return end > 0 && s.indexOf("PRIVATE KEY-----", end) > 0;
    }
}
