package io.governed.policy.pattern;

import io.governed.sql.Dialect;

import java.util.List;

/**
 * A pattern for columns, of one to three dot-separated parts matched from the right against
 * schema.table.column: {@code email} (that column in any table), {@code *.email} (the same),
 * {@code users.email}, {@code public.users.email}, {@code *.*_email}. Each part matches as a
 * {@link NamePattern}: unquoted parts as the database matches unquoted identifiers, quoted parts exactly.
 *
 * <p>A column's schema or table may be unknown (an unqualified table where the default schema is
 * not known, a column the analysis could not attribute to a table). Such a column
 * {@linkplain #couldMatch could match} a pattern whose part there is anything, but
 * {@linkplain #certainlyMatches certainly matches} it only when that part is {@code *} alone. Whoever
 * protects data asks the first (a mask or a sensitive tag applies to every column it could
 * cover); whoever exempts data from protection asks the second.
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
     * Whether the column could be one this pattern names: an unknown schema or table could be any,
     * so it matches whatever the pattern says there.
     *
     * @param schema the column's schema as the database stores it, or {@code null} when unknown
     * @param table  the column's table as the database stores it, or {@code null} when unknown
     * @param column the column's name as the database stores it
     */
    public boolean couldMatch(String schema, String table, String column, Dialect dialect) {
        return this.column.matches(column, dialect)
                && (this.table == null || table == null || this.table.matches(table, dialect))
                && (this.schema == null || schema == null || this.schema.matches(schema, dialect));
    }

    /**
     * Whether the column is certainly one this pattern names: an unknown schema or table matches only
     * a part that matches every name ({@code *}).
     *
     * @param schema the column's schema as the database stores it, or {@code null} when unknown
     * @param table  the column's table as the database stores it, or {@code null} when unknown
     * @param column the column's name as the database stores it
     */
    public boolean certainlyMatches(String schema, String table, String column, Dialect dialect) {
        return this.column.matches(column, dialect)
                && certainlyMatches(this.table, table, dialect)
                && certainlyMatches(this.schema, schema, dialect);
    }

    /**
     * Whether this pattern names columns by their table's name or schema (a part there other than {@code *}), so
     * that renaming a table, or moving it to another schema, may take its columns out of the pattern, and
     * whether the table {@code schema.table} could be one it names so ({@code null} parts unknown, as in
     * {@link #couldMatch}).
     */
    public boolean namesTable(String schema, String table, Dialect dialect) {
        boolean byTable = this.table != null && !this.table.matchesEverything();
        boolean bySchema = this.schema != null && !this.schema.matchesEverything();
        return (byTable || bySchema)
                && (this.table == null || table == null || this.table.matches(table, dialect))
                && (this.schema == null || schema == null || this.schema.matches(schema, dialect));
    }

    private static boolean certainlyMatches(NamePattern part, String name, Dialect dialect) {
        if (part == null) {
            return true;
        }
        return name == null ? part.matchesEverything() : part.matches(name, dialect);
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
