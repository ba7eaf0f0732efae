package io.governed.settings;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The known word a misspelt one was probably meant to be: a policy key, an action, a mask function,
 * a {@code governed.*} setting. Case and {@code _} versus {@code -} do not count as differences;
 * otherwise a word is close when it is a few edits away (an insertion, a deletion, a substitution or
 * a swap of neighbours each count as one), at most one per three characters written, and never more
 * than three.
 */
public final class DidYouMean {

    private DidYouMean() {
    }

    /** The known word closest to {@code written}, when it is close enough to be a typo of it. */
    public static Optional<String> closest(String written, Collection<String> known) {
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
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /**
     * {@code : did you mean 'x'?} for the {@linkplain #closest closest} known word, or
     * {@code : expected one of a, b, c} (sorted) when none is close.
     */
    public static String hint(String written, Collection<String> known) {
        return closest(written, known).map(best -> ": did you mean '" + best + "'?")
                .orElseGet(() -> ": expected one of " + String.join(", ", new TreeSet<>(known)));
    }

    private static String simplify(String word) {
        return word.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Edits from {@code a} to {@code b}, an insertion, deletion, substitution or swap of neighbours each counting one. */
    static int distance(String a, String b) {
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
