package io.governed.policy.pattern;

import io.governed.sql.Dialect;
import io.governed.sql.TableRef;

import java.util.List;

/**
 * A pattern for columns, of one to three dot-separated parts matched from the right against
 * schema.table.column: {@code email} (that column in any table), {@code *.email} (the same),
 * {@code users.email}, {@code public.users.email}, {@code *.*_email}.
 *
 * <p>A table without a schema is taken to be in the default schema when that is known; when it is
 * not, the schema part is not compared.
 */
public final class ColumnPattern {

    private static final String EXAMPLE = "email, *.email, users.email, public.users.email";

    private final String text;
    private final NamePattern schema;
    private final NamePattern table;
    private final NamePattern column;

    private ColumnPattern(String text, NamePattern schema, NamePattern table, NamePattern column) {
        this.text = text;
        this.schema = schema;
        this.table = table;
        this.column = column;
    }

    /**
     * Parses a column pattern of one to three dot-separated parts.
     *
     * @throws InvalidPatternException saying what is wrong and how to write it
     */
    public static ColumnPattern parse(String text) {
        List<NamePattern> parts = PatternParser.parse(text, 3, "column pattern", EXAMPLE);
        return switch (parts.size()) {
            case 1 -> new ColumnPattern(text, null, null, parts.get(0));
            case 2 -> new ColumnPattern(text, null, parts.get(0), parts.get(1));
            default -> new ColumnPattern(text, parts.get(0), parts.get(1), parts.get(2));
        };
    }

    /**
     * Whether a column of a table matches.
     *
     * @param owner         the column's table, normalised
     * @param column        the column's normalised name
     * @param defaultSchema the schema an unqualified table lives in, or {@code null} when unknown
     */
    public boolean matches(TableRef owner, String column, String defaultSchema, Dialect dialect) {
        return this.column.matches(column, dialect) && couldMatchColumnOf(owner, defaultSchema, dialect);
    }

    /** Whether a column of that name, in a table that is not known, could match: only its column part is compared. */
    public boolean matchesColumnName(String column, Dialect dialect) {
        return this.column.matches(column, dialect);
    }

    /** Whether some column of {@code owner} could match: the schema and table parts match it. */
    public boolean couldMatchColumnOf(TableRef owner, String defaultSchema, Dialect dialect) {
        if (table != null && !table.matches(owner.name(), dialect)) {
            return false;
        }
        if (schema == null || schema.matchesEverything()) {
            return true;
        }
        String effective = owner.schema() != null ? owner.schema() : defaultSchema;
        return effective == null || schema.matches(effective, dialect);
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnPattern other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
