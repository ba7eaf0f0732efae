package io.governed.classification;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A column pattern from a policy: one to three dot-separated parts matched from the right against
 * {@code schema.table.column} ({@code email}, {@code users.email}, {@code public.users.email}).
 *
 * <p>Within a part, {@code *} matches any run of characters (including none). Unquoted parts
 * compare case-insensitively; a part in double quotes ({@code "Email"}) compares exactly. A part
 * other than {@code *} never matches a schema or table that is unknown.
 */
public final class ColumnPattern {
    private final String text;
    private final Part schema;
    private final Part table;
    private final Part column;

    private ColumnPattern(String text, Part schema, Part table, Part column) {
        this.text = text;
        this.schema = schema;
        this.table = table;
        this.column = column;
    }

    /**
     * Parses a pattern.
     *
     * @throws IllegalArgumentException naming the pattern and how to correct it
     */
    public static ColumnPattern parse(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException(
                    "A column pattern is empty; write column, table.column or schema.table.column (e.g. *.email)");
        }
        List<Part> parts = split(pattern);
        if (parts.size() > 3) {
            throw new IllegalArgumentException("Column pattern '" + pattern + "' has " + parts.size()
                    + " parts; write column, table.column or schema.table.column");
        }
        int n = parts.size();
        return new ColumnPattern(pattern,
                n == 3 ? parts.get(0) : null,
                n >= 2 ? parts.get(n - 2) : null,
                parts.get(n - 1));
    }

    /** Whether the column matches this pattern. */
    public boolean matches(QualifiedColumn c) {
        return column.matches(c.column())
                && (table == null || table.matches(c.table()))
                && (schema == null || schema.matches(c.schema()));
    }

    /** The pattern as written. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnPattern p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    private static List<Part> split(String pattern) {
        List<Part> parts = new ArrayList<>(3);
        int i = 0;
        while (true) {
            int start = i;
            boolean quoted = i < pattern.length() && pattern.charAt(i) == '"';
            String body;
            if (quoted) {
                int close = pattern.indexOf('"', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("Column pattern '" + pattern
                            + "' has an unclosed quote at position " + (i + 1) + "; close it with \"");
                }
                body = pattern.substring(i + 1, close);
                i = close + 1;
                if (i < pattern.length() && pattern.charAt(i) != '.') {
                    throw new IllegalArgumentException("Column pattern '" + pattern
                            + "' has text after a closing quote at position " + (i + 1)
                            + "; put a dot between parts");
                }
            } else {
                int dot = pattern.indexOf('.', i);
                int end = dot < 0 ? pattern.length() : dot;
                body = pattern.substring(i, end).strip();
                if (body.indexOf('"') >= 0) {
                    throw new IllegalArgumentException("Column pattern '" + pattern
                            + "' has a quote inside a part; quote a whole part (\"Email\")");
                }
                i = end;
            }
            if (body.isEmpty()) {
                throw new IllegalArgumentException("Column pattern '" + pattern + "' has an empty part at position "
                        + (start + 1) + "; use * for any name");
            }
            parts.add(new Part(body, quoted));
            if (i >= pattern.length()) {
                return parts;
            }
            i++; // the dot
            if (i >= pattern.length()) {
                throw new IllegalArgumentException("Column pattern '" + pattern
                        + "' ends with a dot; remove it or add the column name");
            }
        }
    }

    /** One part of a pattern: a glob with {@code *}, matched exactly or ignoring case. */
    private record Part(String glob, boolean exact) {
        Part {
            Objects.requireNonNull(glob);
        }

        boolean matches(String name) {
            if (name == null) {
                return glob.equals("*");
            }
            return globMatches(glob, name, !exact);
        }
    }

    /** Classic greedy-with-backtrack wildcard match; linear for a single {@code *}, no regex. */
    static boolean globMatches(String glob, String s, boolean ignoreCase) {
        int g = 0;
        int i = 0;
        int starG = -1;
        int starI = 0;
        while (i < s.length()) {
            if (g < glob.length() && glob.charAt(g) == '*') {
                starG = g++;
                starI = i;
            } else if (g < glob.length() && sameChar(glob.charAt(g), s.charAt(i), ignoreCase)) {
                g++;
                i++;
            } else if (starG >= 0) {
                g = starG + 1;
                i = ++starI;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    private static boolean sameChar(char a, char b, boolean ignoreCase) {
        return a == b || (ignoreCase && (Character.toLowerCase(a) == Character.toLowerCase(b)
                || Character.toUpperCase(a) == Character.toUpperCase(b)));
    }
}
