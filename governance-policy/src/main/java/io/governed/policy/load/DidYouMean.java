package io.governed.policy.load;

import java.util.Collection;
import java.util.Locale;

/** Suggests the known word a misspelt one was probably meant to be. */
final class DidYouMean {

    private DidYouMean() {
    }

    /**
     * {@code : did you mean 'x'?} for the closest known word within a small edit distance, or
     * {@code : expected one of a, b, c} when none is close.
     */
    static String hint(String written, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String plain = simplify(written);
        for (String candidate : known) {
            int distance = distance(plain, simplify(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int allowed = Math.max(1, Math.min(3, written.length() / 3));
        if (best != null && bestDistance <= allowed) {
            return ": did you mean '" + best + "'?";
        }
        return ": expected one of " + String.join(", ", known);
    }

    private static String simplify(String word) {
        return word.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
