package io.governed.policy.pattern;

/** Matching of a name against a pattern in which {@code *} stands for any run of characters. */
final class Wildcards {

    private Wildcards() {
    }

    /**
     * Whether {@code name} matches {@code pattern}, where every {@code *} in the pattern matches any
     * run of characters (none included) and every other character matches itself.
     */
    static boolean matches(String pattern, String name, boolean ignoreCase) {
        int p = 0;
        int n = 0;
        int starAt = -1;
        int nameAtStar = 0;
        while (n < name.length()) {
            if (p < pattern.length() && pattern.charAt(p) != '*' && same(pattern.charAt(p), name.charAt(n), ignoreCase)) {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starAt = p++;
                nameAtStar = n;
            } else if (starAt >= 0) {
                p = starAt + 1;
                n = ++nameAtStar;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || ignoreCase && (Character.toLowerCase(a) == Character.toLowerCase(b)
                || Character.toUpperCase(a) == Character.toUpperCase(b));
    }
}
