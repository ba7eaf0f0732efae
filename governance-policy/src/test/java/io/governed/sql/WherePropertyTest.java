package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * No WHERE that may hold for every row counts as bounding, however its parts are combined: trees built
 * from conditions true for every row (or of unknown truth) and conditions false for every row, joined by
 * AND, OR, NOT and parentheses so that the whole may hold for every row, are never {@link WhereKind#PRESENT}.
 * The trees are drawn from a fixed seed, so a failure recurs; the project uses no property-testing library.
 */
class WherePropertyTest {

    private static final int TREES = 3000;
    private static final int DEPTH = 4;

    /** Conditions that may hold for every row (or whose truth the analysis cannot know). */
    private static final List<String> TRUE = List.of("id = id", "id IN (id)", "id IN (id, ?)", "id IS NOT NULL",
            "id IS DISTINCT FROM NULL", "id IS DISTINCT FROM ?", "NOT (id IS NOT DISTINCT FROM NULL)", "1 = 1", "true",
            "? = ?", "a + b = b + a", "id = t.id", "my_check(id)", "(id IS NOT NULL) = true", "id IS UNKNOWN",
            "CASE WHEN id = 1 THEN true ELSE true END", "EXISTS (SELECT 1 FROM u)", "id IN (SELECT id FROM t)",
            "(id = ?) IS NOT FALSE", "coalesce(id = ?, true)");
    /** Conditions that may hold for no row, whose negation may hold for every row. */
    private static final List<String> FALSE = List.of("id <> id", "NOT (id IN (id))", "id IS NULL",
            "id IS NOT DISTINCT FROM NULL", "1 = 0", "false", "my_check(id)", "id IS UNKNOWN", "(id IS NULL) IS TRUE");
    /** Conditions that bound, for the other side of an OR or AND. */
    private static final List<String> BOUNDED = List.of("id = ?", "id IN (?, ?)", "a = ? AND b > ?", "name LIKE ?",
            "x BETWEEN ? AND ?", "NOT (id = ?)");
    private static final List<String> MARIADB_TRUE = List.of("NOT (id <=> NULL)", "!id IN (0, 1)", "NOT id IN (0, 1)",
            "id <=> id", "NOT (id <=> ?)");
    private static final List<String> MARIADB_FALSE = List.of("id <=> NULL", "! id IS NULL");

    @Test
    void whatMayHoldForEveryRowNeverBounds() {
        Random random = new Random(20261201L);
        for (int i = 0; i < TREES; i++) {
            Dialect dialect = i % 2 == 0 ? Dialect.POSTGRESQL : Dialect.MARIADB;
            String where = mayBeTrue(random, DEPTH, dialect);
            String sql = (i % 3 == 0 ? "UPDATE t SET a = 0 WHERE " : "DELETE FROM t WHERE ") + where;
            assertThat(Analyses.first(sql, dialect).where()).as("%s: %s", dialect, sql).isNotEqualTo(WhereKind.PRESENT);
        }
    }

    @Test
    void aBoundedConditionAndedWithAnythingBounds() {
        Random random = new Random(20261202L);
        for (int i = 0; i < TREES / 3; i++) {
            String where = pick(random, BOUNDED) + " AND (" + mayBeTrue(random, DEPTH, Dialect.POSTGRESQL) + ")";
            assertThat(Analyses.first("DELETE FROM t WHERE " + where, Dialect.POSTGRESQL).where()).as(where)
                    .isEqualTo(WhereKind.PRESENT);
        }
    }

    private static String mayBeTrue(Random random, int depth, Dialect dialect) {
        int choice = depth == 0 ? 0 : random.nextInt(6);
        return switch (choice) {
            case 0 -> leaf(random, TRUE, MARIADB_TRUE, dialect);
            case 1 -> "(" + mayBeTrue(random, depth - 1, dialect) + ") OR (" + any(random, depth - 1, dialect) + ")";
            case 2 -> "(" + any(random, depth - 1, dialect) + ") OR (" + mayBeTrue(random, depth - 1, dialect) + ")";
            case 3 -> "(" + mayBeTrue(random, depth - 1, dialect) + ") AND (" + mayBeTrue(random, depth - 1, dialect) + ")";
            case 4 -> "NOT (" + mayBeFalse(random, depth - 1, dialect) + ")";
            default -> "((" + mayBeTrue(random, depth - 1, dialect) + "))";
        };
    }

    private static String mayBeFalse(Random random, int depth, Dialect dialect) {
        int choice = depth == 0 ? 0 : random.nextInt(5);
        return switch (choice) {
            case 0 -> leaf(random, FALSE, MARIADB_FALSE, dialect);
            case 1 -> "(" + mayBeFalse(random, depth - 1, dialect) + ") AND (" + any(random, depth - 1, dialect) + ")";
            case 2 -> "(" + mayBeFalse(random, depth - 1, dialect) + ") OR (" + mayBeFalse(random, depth - 1, dialect) + ")";
            case 3 -> "NOT (" + mayBeTrue(random, depth - 1, dialect) + ")";
            default -> "(" + mayBeFalse(random, depth - 1, dialect) + ")";
        };
    }

    private static String any(Random random, int depth, Dialect dialect) {
        return switch (random.nextInt(3)) {
            case 0 -> pick(random, BOUNDED);
            case 1 -> mayBeTrue(random, Math.max(0, depth - 1), dialect);
            default -> mayBeFalse(random, Math.max(0, depth - 1), dialect);
        };
    }

    private static String leaf(Random random, List<String> common, List<String> mariadb, Dialect dialect) {
        return dialect == Dialect.MARIADB && random.nextInt(3) == 0 ? pick(random, mariadb) : pick(random, common);
    }

    private static String pick(Random random, List<String> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
