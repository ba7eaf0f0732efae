package io.governed.policy.load;

import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;

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
        return ": expected one of " + String.join(", ", new TreeSet<>(known));
    }

    private static String simplify(String word) {
        return word.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Edit distance counting an insertion, deletion, substitution or swap of neighbours as one edit. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
