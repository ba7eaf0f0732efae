package io.governed.policy.pattern;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits pattern text into its dot-separated {@link NamePattern parts}.
 *
 * <p>Syntax: parts separated by {@code .}; an unquoted part is any run of characters other than
 * whitespace, {@code .} and {@code "}; a quoted part is {@code "…"} with {@code ""} standing for one
 * quote inside. Empty parts, whitespace and stray or unterminated quotes are rejected.
 */
final class PatternParser {

    private PatternParser() {
    }

    /**
     * @param text     the pattern as written
     * @param maxParts how many parts the pattern may have
     * @param what     what the pattern names ("table pattern"), for messages
     * @param example  a well-formed example, for messages
     */
    static List<NamePattern> parse(String text, int maxParts, String what, String example) {
        if (text == null || text.isEmpty()) {
            throw new InvalidPatternException("a " + what + " must not be empty: write one like " + example);
        }
        List<NamePattern> parts = new ArrayList<>(maxParts);
        int i = 0;
        while (true) {
            if (i >= text.length() || text.charAt(i) == '.') {
                throw new InvalidPatternException(what + " '" + text + "' has an empty part: write one like " + example);
            }
            if (text.charAt(i) == '"') {
                i = readQuoted(text, i, parts, what, example);
            } else {
                i = readUnquoted(text, i, parts, what, example);
            }
            if (i == text.length()) {
                break;
            }
            i++; // the dot
        }
        if (parts.size() > maxParts) {
            throw new InvalidPatternException(what + " '" + text + "' has " + parts.size() + " parts but may have at most "
                    + maxParts + ": write one like " + example + " (quote a name that contains a dot: \"my.table\")");
        }
        return parts;
    }

    private static int readQuoted(String text, int start, List<NamePattern> parts, String what, String example) {
        StringBuilder name = new StringBuilder();
        int i = start + 1;
        while (true) {
            if (i >= text.length()) {
                throw new InvalidPatternException(what + " '" + text + "' has an unterminated quote: close it with \"");
            }
            char c = text.charAt(i);
            if (c == '"') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    name.append('"');
                    i += 2;
                    continue;
                }
                break;
            }
            name.append(c);
            i++;
        }
        if (name.length() == 0) {
            throw new InvalidPatternException(what + " '" + text + "' has an empty quoted part: write one like " + example);
        }
        int end = i + 1;
        if (end < text.length() && text.charAt(end) != '.') {
            throw new InvalidPatternException(what + " '" + text + "' has text after a closing quote: "
                    + "quote the whole part (\"User\"s is wrong, \"Users\" is right)");
        }
        parts.add(NamePattern.quoted(text.substring(start, end), name.toString()));
        return end;
    }

    private static int readUnquoted(String text, int start, List<NamePattern> parts, String what, String example) {
        int i = start;
        while (i < text.length() && text.charAt(i) != '.') {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                throw new InvalidPatternException(what + " '" + text + "' contains whitespace: remove it, "
                        + "or quote a name that really contains a space (\"order items\")");
            }
            if (c == '"') {
                throw new InvalidPatternException(what + " '" + text + "' has a quote inside a part: "
                        + "quote the whole part (\"Users\")");
            }
            i++;
        }
        parts.add(NamePattern.unquoted(text.substring(start, i)));
        return i;
    }
}
