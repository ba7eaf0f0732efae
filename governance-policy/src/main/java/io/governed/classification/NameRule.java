package io.governed.classification;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises a kind of column by the words of its name, for detectors to share.
 *
 * <p>A name matches when it contains one of the rule's phrases as whole words, the phrase is
 * followed only by words the rule allows after it (so {@code email_address} is an e-mail column
 * but {@code email_verified} and {@code emailed_at} are not), and the word before it is not one the
 * rule forbids (so {@code ip_address} is not a postal address). A phrase also matches when its
 * words are run together, optionally followed by an allowed word ({@code emailaddress},
 * {@code apikey}, {@code zipcode}). Names that begin with a counting or flag word
 * ({@code num_tokens}, {@code max_tokens}, {@code has_email}, {@code is_mobile}) never match: their
 * values are counts or flags, not the thing named.
 */
public final class NameRule {
    private static final Set<String> COUNT_OR_FLAG_PREFIXES = Set.of(
            "is", "has", "num", "number", "count", "total", "max", "min", "avg", "sum", "n");

    private final List<String[]> phrases;
    private final Set<String> allowedAfter;
    private final Set<String> forbiddenBefore;

    private NameRule(List<String[]> phrases, Set<String> allowedAfter, Set<String> forbiddenBefore) {
        this.phrases = phrases;
        this.allowedAfter = allowedAfter;
        this.forbiddenBefore = forbiddenBefore;
    }

    /**
     * A rule.
     *
     * @param phrases         the phrases, each as space-separated lower-case words ({@code "date of birth"})
     * @param allowedAfter    words that may follow a phrase ({@code number}, {@code hash})
     * @param forbiddenBefore words that must not stand right before a phrase ({@code ip} before {@code address})
     */
    public static NameRule of(List<String> phrases, Set<String> allowedAfter, Set<String> forbiddenBefore) {
        return new NameRule(phrases.stream().map(p -> p.split(" ")).toList(),
                Set.copyOf(allowedAfter), Set.copyOf(forbiddenBefore));
    }

    /** The phrase the name matched, as written in the rule, or empty. */
    public Optional<String> match(NameWords name) {
        List<String> w = name.words();
        if (w.isEmpty() || COUNT_OR_FLAG_PREFIXES.contains(w.get(0))) {
            return Optional.empty();
        }
        for (String[] phrase : phrases) {
            for (int i = 0; i < w.size(); i++) {
                if (matchesAt(w, i, phrase)) {
                    return Optional.of(String.join(" ", phrase));
                }
            }
        }
        return Optional.empty();
    }

    private boolean matchesAt(List<String> w, int i, String[] phrase) {
        if (i > 0 && forbiddenBefore.contains(w.get(i - 1))) {
            return false;
        }
        if (i + phrase.length <= w.size() && wordsEqual(w, i, phrase)) {
            return onlyAllowedFrom(w, i + phrase.length);
        }
        String word = w.get(i);
        String joined = String.join("", phrase);
        if (word.startsWith(joined) && (phrase.length > 1 || word.length() > joined.length())) {
            String rest = word.substring(joined.length());
            return (rest.isEmpty() || allowedAfter.contains(rest)) && onlyAllowedFrom(w, i + 1);
        }
        return false;
    }

    private static boolean wordsEqual(List<String> w, int i, String[] phrase) {
        for (int k = 0; k < phrase.length; k++) {
            if (!w.get(i + k).equals(phrase[k])) {
                return false;
            }
        }
        return true;
    }

    private boolean onlyAllowedFrom(List<String> w, int from) {
        for (int k = from; k < w.size(); k++) {
            if (!allowedAfter.contains(w.get(k))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "NameRule" + phrases.stream().map(Arrays::toString).toList();
    }
}
