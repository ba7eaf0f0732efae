package io.governed.classification;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A column name split into lower-case words, however it was written: {@code customer_email},
 * {@code customerEmail}, {@code CUSTOMER_EMAIL}, {@code APIKey} and {@code address_line1} become
 * {@code [customer, email]}, {@code [customer, email]}, {@code [customer, email]}, {@code [api, key]}
 * and {@code [address, line, 1]}.
 *
 * @param name  the name as given
 * @param words its words, lower case, in order
 */
public record NameWords(String name, List<String> words) {
    public NameWords {
        words = List.copyOf(words);
    }

    /** Splits a name at separators, at lower-to-upper case changes, before the last capital of an acronym, and around digits. */
    public static NameWords of(String name) {
        List<String> words = new ArrayList<>(4);
        int start = -1;
        for (int i = 0; i <= name.length(); i++) {
            char c = i < name.length() ? name.charAt(i) : '_';
            if (!Character.isLetterOrDigit(c)) {
                if (start >= 0) {
                    words.add(name.substring(start, i).toLowerCase(Locale.ROOT));
                    start = -1;
                }
                continue;
            }
            if (start >= 0 && startsNewWord(name, i)) {
                words.add(name.substring(start, i).toLowerCase(Locale.ROOT));
                start = i;
            } else if (start < 0) {
                start = i;
            }
        }
        return new NameWords(name, words);
    }

    private static boolean startsNewWord(String name, int i) {
        char prev = name.charAt(i - 1);
        char c = name.charAt(i);
        if (Character.isDigit(prev) != Character.isDigit(c)) {
            return true;
        }
        if (Character.isLowerCase(prev) && Character.isUpperCase(c)) {
            return true;
        }
        // "APIKey": the K starts a word because a lower-case letter follows it
        return Character.isUpperCase(prev) && Character.isUpperCase(c)
                && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
    }
}
