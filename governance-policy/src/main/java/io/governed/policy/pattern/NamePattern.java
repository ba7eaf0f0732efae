package io.governed.policy.pattern;

import io.governed.sql.Dialect;

/**
 * One dot-separated part of a table or column pattern: {@code users}, {@code user_*}, {@code "Users"}.
 *
 * <p>An unquoted part is normalised as the database normalises an unquoted identifier
 * ({@link Dialect#normalizeIdentifier}) and compared as the database compares names
 * ({@link Dialect#sameName}); {@code *} in it matches any run of characters, including none. A part
 * in double quotes is compared exactly, and {@code *} in it is an ordinary character. The normalised
 * form is computed once per dialect when the pattern is built, so matching allocates nothing.
 */
public final class NamePattern {

    private static final Dialect[] DIALECTS = Dialect.values();

    private final String text;
    private final boolean quoted;
    private final boolean wildcard;
    private final boolean matchesEverything;
    /** The part as each dialect stores it, indexed by {@link Dialect#ordinal()}. */
    private final String[] normalized;

    private NamePattern(String text, String name, boolean quoted) {
        this.text = text;
        this.quoted = quoted;
        this.wildcard = !quoted && name.indexOf('*') >= 0;
        this.matchesEverything = !quoted && name.chars().allMatch(c -> c == '*');
        this.normalized = new String[DIALECTS.length];
        for (Dialect dialect : DIALECTS) {
            normalized[dialect.ordinal()] = quoted ? name : dialect.normalizeIdentifier(name);
        }
    }

    /** An unquoted part as written, {@code *} a wildcard. */
    static NamePattern unquoted(String name) {
        return new NamePattern(name, name, false);
    }

    /** A quoted part: {@code text} as written with its quotes, {@code name} without them. */
    static NamePattern quoted(String text, String name) {
        return new NamePattern(text, name, true);
    }

    /** True when this part matches any name: {@code *}. */
    public boolean matchesEverything() {
        return matchesEverything;
    }

    /**
     * Whether {@code name}, normalised as the database stores it, matches this part.
     *
     * @param name    a normalised name, as {@link io.governed.sql.TableRef} and friends hold it
     * @param dialect the dialect whose folding and comparison rules apply
     */
    public boolean matches(String name, Dialect dialect) {
        if (matchesEverything) {
            return true;
        }
        String pattern = normalized[dialect.ordinal()];
        if (quoted) {
            return pattern.equals(name);
        }
        if (!wildcard) {
            return dialect.sameName(pattern, name);
        }
        return Wildcards.matches(pattern, name, !dialect.caseSensitiveNames());
    }

    /**
     * Whether {@code name} matches this part in some case of its letters, quoted or not: for a database whose settings
     * (not known here) may compare names ignoring case, where matching too much fails closed.
     */
    public boolean matchesIgnoringCase(String name, Dialect dialect) {
        if (matchesEverything) {
            return true;
        }
        String pattern = normalized[dialect.ordinal()];
        return wildcard ? Wildcards.matches(pattern, name, true) : pattern.equalsIgnoreCase(name);
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamePattern other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
