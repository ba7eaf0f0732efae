package io.governed.policy.pattern;

import io.governed.sql.Dialect;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Column patterns fail closed, checked exhaustively over a small world: every pattern of one to three
 * parts drawn from {@link #PARTS} (the schema part from {@link #SCHEMA_PARTS}) against every column whose schema, table and name are drawn from
 * {@link #NAMES} (a schema or table also unknown), in every dialect. The parts and names are chosen
 * to almost match one another: letters in both cases, {@code *} as a wildcard and as a character,
 * quoted and unquoted, a dot inside a quoted name.
 */
class ColumnPatternPropertyTest {

    private static final List<String> PARTS =
            List.of("a", "A", "b", "*", "a*", "*b", "\"a\"", "\"A\"", "\"*\"", "\"a.b\"");
    private static final List<String> SCHEMA_PARTS = List.of("a", "*", "a*", "\"A\"");
    private static final List<String> NAMES = List.of("a", "A", "b", "ab", "*", "a.b");
    private static final List<String> UNKNOWN_OR_NAMES = withUnknown(NAMES);
    private static final List<ColumnPattern> PATTERNS = patterns();

    @Test
    void aCertainMatchIsAPossibleOne() {
        forEveryCase(UNKNOWN_OR_NAMES, (p, schema, table, column, dialect) ->
                !p.certainlyMatches(schema, table, column, dialect) || p.couldMatch(schema, table, column, dialect));
    }

    @Test
    void whenSchemaAndTableAreKnownCouldAndCertainlyAgree() {
        forEveryCase(NAMES, (p, schema, table, column, dialect) ->
                p.couldMatch(schema, table, column, dialect) == p.certainlyMatches(schema, table, column, dialect));
    }

    @Test
    void whateverAnUnknownSchemaOrTableTurnsOutToBeItsMatchWasAlreadyPossible() {
        forEveryCase(NAMES, (p, schema, table, column, dialect) ->
                !p.certainlyMatches(schema, table, column, dialect)
                        || p.couldMatch(null, table, column, dialect)
                        && p.couldMatch(schema, null, column, dialect)
                        && p.couldMatch(null, null, column, dialect));
    }

    @Test
    void aCertainMatchOfAnUnknownSchemaOrTableHoldsWhateverItTurnsOutToBe() {
        forEveryCase(NAMES, (p, schema, table, column, dialect) ->
                (!p.certainlyMatches(null, null, column, dialect) || p.certainlyMatches(schema, table, column, dialect))
                        && (!p.certainlyMatches(null, table, column, dialect) || p.certainlyMatches(schema, table, column, dialect))
                        && (!p.certainlyMatches(schema, null, column, dialect) || p.certainlyMatches(schema, table, column, dialect)));
    }

    @Test
    void anUnquotedNameMatchesWhatTheDatabaseStoresForIt() {
        for (Dialect dialect : Dialect.values()) {
            for (String name : List.of("email", "Email", "EMAIL", "work_Email2", "x")) {
                String stored = dialect.normalizeIdentifier(name);
                assertThat(ColumnPattern.parse(name + "." + name + "." + name).certainlyMatches(stored, stored, stored, dialect))
                        .as("%s stored as %s in %s", name, stored, dialect).isTrue();
            }
        }
    }

    @Test
    void aQuotedNameMatchesItselfAndNothingElse() {
        for (Dialect dialect : Dialect.values()) {
            for (String name : NAMES) {
                ColumnPattern quoted = ColumnPattern.parse("\"" + name + "\"");
                for (String other : NAMES) {
                    assertThat(quoted.couldMatch(null, null, other, dialect)).as("\"%s\" ~ %s in %s", name, other, dialect)
                            .isEqualTo(other.equals(name));
                }
            }
        }
    }

    /** A claim about one pattern and one column. */
    @FunctionalInterface
    private interface Claim {
        boolean holds(ColumnPattern pattern, String schema, String table, String column, Dialect dialect);
    }

    private static void forEveryCase(List<String> schemasAndTables, Claim claim) {
        int cases = 0;
        for (ColumnPattern pattern : PATTERNS) {
            for (String schema : schemasAndTables) {
                for (String table : schemasAndTables) {
                    for (String column : NAMES) {
                        for (Dialect dialect : Dialect.values()) {
                            if (!claim.holds(pattern, schema, table, column, dialect)) {
                                fail("%s against %s.%s.%s in %s", pattern, schema, table, column, dialect);
                            }
                            cases++;
                        }
                    }
                }
            }
        }
        assertThat(cases).as("cases checked").isGreaterThan(100_000);
    }

    private static List<ColumnPattern> patterns() {
        List<ColumnPattern> patterns = new ArrayList<>();
        for (String column : PARTS) {
            patterns.add(ColumnPattern.parse(column));
            for (String table : PARTS) {
                patterns.add(ColumnPattern.parse(table + "." + column));
                for (String schema : SCHEMA_PARTS) {
                    patterns.add(ColumnPattern.parse(schema + "." + table + "." + column));
                }
            }
        }
        return patterns;
    }

    private static List<String> withUnknown(List<String> names) {
        List<String> all = new ArrayList<>(Arrays.asList((String) null));
        all.addAll(names);
        return all;
    }
}
