package io.governed.policy.pattern;

import io.governed.sql.Dialect;
import io.governed.sql.TableRef;

import java.util.List;

/**
 * A pattern for tables: {@code orders} (a table of that name in any schema), {@code public.*}
 * (every table in schema {@code public}), {@code *} (every table).
 *
 * <p>A statement's unqualified table is taken to be in the connection's default schema when that
 * is known. When it is not, the table could be in any schema: it {@linkplain #matches could match} a
 * two-part pattern whose table part matches (what forbids, masks and row filters go by), but it
 * {@linkplain #certainlyMatches certainly matches} only a pattern whose schema part is {@code *} (what
 * a permit needs).
 */
public final class TablePattern {

    private static final String EXAMPLE = "orders, public.*, \"Sales\".\"Q1\"";

    /** Matches every table. */
    public static final TablePattern ANY = parse("*");

    private final String text;
    private final NamePattern schema;
    private final NamePattern name;

    private TablePattern(String text, NamePattern schema, NamePattern name) {
        this.text = text;
        this.schema = schema;
        this.name = name;
    }

    /**
     * Parses a table pattern of one or two dot-separated parts.
     *
     * @throws InvalidPatternException saying what is wrong and how to write it
     */
    public static TablePattern parse(String text) {
        List<NamePattern> parts = PatternParser.parse(text, 2, "table pattern", EXAMPLE);
        return parts.size() == 1 ? new TablePattern(text, null, parts.get(0))
                : new TablePattern(text, parts.get(0), parts.get(1));
    }

    /**
     * Whether the table could be one this pattern names: a table whose schema is unknown could be in
     * any schema.
     *
     * @param table         a table as the analysis names it (normalised)
     * @param defaultSchema the schema an unqualified table lives in, or {@code null} when unknown
     * @param dialect       whose comparison rules apply
     */
    public boolean matches(TableRef table, String defaultSchema, Dialect dialect) {
        return name.matches(table.name(), dialect) && schemaMatches(table.schema(), defaultSchema, dialect);
    }

    /**
     * {@link #matches}, with names compared ignoring case whether quoted or not: for a database whose settings may make
     * names in another case the same table (MariaDB's {@code lower_case_table_names}, H2's {@code DATABASE_TO_LOWER} or
     * {@code CASE_INSENSITIVE_IDENTIFIERS}), where matching too much fails closed (a row filter, not a permit).
     */
    public boolean matchesIgnoringCase(TableRef table, String defaultSchema, Dialect dialect) {
        if (!name.matchesIgnoringCase(table.name(), dialect)) {
            return false;
        }
        if (schema == null || schema.matchesEverything()) {
            return true;
        }
        String effective = table.schema() != null ? table.schema() : defaultSchema;
        return effective == null || schema.matchesIgnoringCase(effective, dialect);
    }

    /**
     * Whether the table is certainly one this pattern names: a table whose schema is unknown (no
     * schema, no default schema) matches only a pattern whose schema part matches every schema.
     */
    public boolean certainlyMatches(TableRef table, String defaultSchema, Dialect dialect) {
        if (!name.matches(table.name(), dialect)) {
            return false;
        }
        if (schema == null || schema.matchesEverything()) {
            return true;
        }
        String effective = table.schema() != null ? table.schema() : defaultSchema;
        return effective != null && schema.matches(effective, dialect);
    }

    /** Whether a table in {@code schema} (or the default schema when {@code null}) can match the schema part. */
    private boolean schemaMatches(String tableSchema, String defaultSchema, Dialect dialect) {
        if (schema == null || schema.matchesEverything()) {
            return true;
        }
        String effective = tableSchema != null ? tableSchema : defaultSchema;
        return effective == null || schema.matches(effective, dialect);
    }

    /** True for {@code *}: every table. */
    public boolean matchesEveryTable() {
        return name.matchesEverything() && (schema == null || schema.matchesEverything());
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TablePattern other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
