package io.governed.sql;

import static io.governed.sql.Analyses.maria;
import static io.governed.sql.Analyses.pg;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How an UPDATE or DELETE is bounded, and why that verdict must not depend on literal values. */
class WhereBoundTest {

    @Test
    void noWhereIsAbsent() {
        assertThat(pg("DELETE FROM t").where()).isEqualTo(WhereKind.ABSENT);
        assertThat(pg("UPDATE t SET a = 1").where()).isEqualTo(WhereKind.ABSENT);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "DELETE FROM t WHERE 1 = 1",
        "DELETE FROM t WHERE 1 = 0",
        "DELETE FROM t WHERE true",
        "DELETE FROM t WHERE false",
        "DELETE FROM t WHERE 'a' = 'a'",
        "DELETE FROM t WHERE ? = ?",
        "DELETE FROM t WHERE $1 = 1",
        "DELETE FROM t WHERE NOT (1 = 0)",
        "DELETE FROM t WHERE (((1 = 1)))",
        "DELETE FROM t WHERE id = id",
        "DELETE FROM t WHERE t.id = t.id",
        "DELETE FROM t WHERE id::text = id",
        "DELETE FROM t WHERE CAST(id AS text) = CAST(id AS text)",
        "DELETE FROM t WHERE coalesce(a, 0) = coalesce(a, 0)",
        "DELETE FROM t WHERE id >= id",
        "DELETE FROM t WHERE id = id + 0",
        "DELETE FROM t WHERE id = id + 1",
        "DELETE FROM t WHERE id <> id + 1",
        "DELETE FROM t WHERE a + b = b + a",
        "DELETE FROM t WHERE coalesce(a, 1) = coalesce(a, 2)",
        "DELETE FROM t WHERE x BETWEEN x - 1 AND x + 1",
        "DELETE FROM t WHERE name LIKE name",
        "DELETE FROM t WHERE NOT (id <> id)",
        "DELETE FROM t WHERE id = 5 OR 1 = 1",
        "DELETE FROM t WHERE 1 = 1 OR id = 5",
        "DELETE FROM t WHERE id = 5 OR true",
        "DELETE FROM t WHERE id = 5 OR id = id",
        "DELETE FROM t WHERE id = 5 OR (a = 1 OR 2 > 1)",
        "DELETE FROM t WHERE a IS NULL OR a IS NOT NULL",
        "DELETE FROM t WHERE a = 1 OR a <> 1",
        "DELETE FROM t WHERE a = 1 OR NOT a = 1",
        "DELETE FROM t WHERE a < 5 OR a >= 5",
        "DELETE FROM t WHERE 1 = 1 AND 2 = 2",
        "DELETE FROM t WHERE id = id AND true",
        "DELETE FROM t WHERE NOT (id = 5 AND 1 = 0)",
        "DELETE FROM t WHERE now() > '2020-01-01'",
        "DELETE FROM t WHERE current_user = 'admin'",
        "DELETE FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.flag)",
        "DELETE FROM t WHERE (SELECT count(*) FROM u) > 0",
        "UPDATE t SET a = 1 WHERE 1 = 1",
        "UPDATE t SET a = 1 WHERE a = a",
        "UPDATE t SET a = 1 WHERE a = 2 OR 1 = 1",
        "DELETE FROM t WHERE id IN (id)",
        "DELETE FROM t WHERE id IN (id, 1)",
        "DELETE FROM t WHERE id = ANY (ARRAY[id])",
        "DELETE FROM t WHERE id IS DISTINCT FROM NULL",
        "DELETE FROM t WHERE id IS DISTINCT FROM ?",
        "DELETE FROM t WHERE NOT (id IS NOT DISTINCT FROM NULL)",
        "DELETE FROM t WHERE NOT (id IS NULL)",
        "DELETE FROM t WHERE (id IS NOT NULL) = true",
        "DELETE FROM t WHERE (id = ?) IS NOT FALSE",
        "DELETE FROM t WHERE NOT ((id IS NULL) IS NOT FALSE)",
        "DELETE FROM t WHERE CASE WHEN id = id THEN 1 END = 1",
        "DELETE FROM t WHERE coalesce(id IS NOT NULL, true) = true",
        "DELETE FROM t WHERE id IS UNKNOWN",
        "DELETE FROM t WHERE id = 5 OR id IN (id)",
        "DELETE FROM t WHERE EXISTS (SELECT count(*) FROM u WHERE u.id = t.id)",
        "DELETE FROM t WHERE EXISTS (SELECT 1 FROM u WHERE t.id = t.id)",
        "DELETE FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id OR true)",
        "DELETE FROM t WHERE EXISTS (SELECT 1 FROM u)",
        "DELETE FROM t WHERE my_check(id)",
        "DELETE FROM t USING t u WHERE t.id = u.id",
        // Two names may be one column (id = t.id, "id" = id), and a comparison of two columns proves no bound.
        "DELETE FROM t WHERE id <> id",
        "DELETE FROM t WHERE id = t.id",
        "DELETE FROM t WHERE a = b",
        "DELETE FROM t WHERE updated_at > created_at + 1",
    })
    void predicatesThatMayHoldForEveryRowAreAlwaysTrue(String sql) {
        assertThat(pg(sql).where()).isEqualTo(WhereKind.ALWAYS_TRUE);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "DELETE FROM t WHERE id = 5",
        "DELETE FROM t WHERE id = ?",
        "DELETE FROM t WHERE t.id = $1",
        "DELETE FROM t WHERE active",
        "DELETE FROM t WHERE a IS NULL",
        "DELETE FROM t WHERE id IN (1, 2, 3)",
        "DELETE FROM t WHERE id IN (SELECT u.id FROM u)",
        "DELETE FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id)",
        "DELETE FROM t WHERE id = 5 AND 1 = 1",
        "DELETE FROM t WHERE 1 = 1 AND id = 5",
        "DELETE FROM t WHERE (id = 5 OR id = 6) AND true",
        "DELETE FROM t WHERE x BETWEEN 1 AND 10",
        "DELETE FROM t WHERE NOT (id = 5)",
        "DELETE FROM t WHERE lower(name) = 'x'",
        "DELETE FROM t WHERE data ->> 'k' = 'v'",
        "DELETE FROM t WHERE name ILIKE 'a%'",
        "DELETE FROM t x WHERE x.id = 5",
        "DELETE FROM t USING u WHERE t.id = u.id",
        "UPDATE t SET a = 1 WHERE id = 5",
        "UPDATE t SET a = u.a FROM u WHERE t.id = u.id",
        "UPDATE t SET a = 1 WHERE CURRENT OF c",
        "DELETE FROM t WHERE CURRENT OF c",
        "DELETE FROM t WHERE id IN (?, ?)",
        "DELETE FROM t WHERE id NOT IN (?, ?)",
        "DELETE FROM t WHERE a = ? AND b > ?",
        "DELETE FROM t WHERE a = ? OR b = ?",
        "DELETE FROM t WHERE created_at BETWEEN ? AND ?",
        "DELETE FROM t WHERE name LIKE ?",
        "DELETE FROM t WHERE name NOT LIKE ? ESCAPE '!'",
        "DELETE FROM t WHERE expires_at < now()",
        "DELETE FROM t WHERE expires_at < now() - interval '1 day'",
        "DELETE FROM t WHERE id = ANY (?)",
        "DELETE FROM t WHERE id IS NOT DISTINCT FROM ?",
        "DELETE FROM t WHERE NOT (id IS DISTINCT FROM ?)",
        "DELETE FROM t WHERE id <> ?",
        "DELETE FROM t WHERE NOT active",
        "DELETE FROM t WHERE (a, b) IN ((?, ?), (?, ?))",
        "DELETE FROM t WHERE id = (SELECT max(u.id) FROM u)",
        "DELETE FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.t_id = t.id)",
        "DELETE FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.t_id = t.id AND u.gone)",
        "DELETE FROM t WHERE EXISTS (SELECT u.id FROM u WHERE t.id = u.t_id)",
        "DELETE FROM t WHERE tenant = ? AND (id = ? OR parent = ?)",
        "DELETE FROM t WHERE lower(email) = lower(?)",
        "DELETE FROM t WHERE (id = 5) IS TRUE",
        "DELETE FROM t WHERE NOT ((id = ?) IS NOT TRUE)",
        "DELETE FROM t WHERE name ~ ?",
        "UPDATE t SET a = 1 WHERE id = ? AND version = ?",
    })
    void predicatesOnTheTargetsColumnsArePresent(String sql) {
        // through other relations (u), once the catalog shows them tables of their own (BoundThroughOtherRelationsTest)
        assertThat(Analyses.amongTables(sql, Dialect.POSTGRESQL).get(0).where()).as(sql).isEqualTo(WhereKind.PRESENT);
    }

    /**
     * MariaDB and H2 read any column as a truth value (a number other than 0, on MariaDB a string starting with one):
     * {@code DELETE FROM orders WHERE id} deletes every row whose id is not 0, every row of a table keyed from 1. Which
     * columns are booleans is the catalog's to say, so a bare column bounds nothing there; PostgreSQL refuses a
     * condition that is not a boolean, so there a bare column is a flag.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "DELETE FROM t WHERE id",
        "DELETE FROM t WHERE NOT id",
        "DELETE FROM t WHERE t.id",
        "DELETE FROM t WHERE id IS TRUE",
        "DELETE FROM t WHERE NOT (id IS FALSE)",
        "DELETE FROM t WHERE id = 5 OR id",
        "DELETE FROM t WHERE (id)",
        "UPDATE t SET a = 1 WHERE id",
        "UPDATE t SET a = 1 WHERE NOT id",
    })
    void aBareColumnBoundsNothingWhereEveryColumnIsATruthValue(String sql) {
        assertThat(Analyses.amongTables(sql, Dialect.MARIADB).get(0).where()).as(sql).isEqualTo(WhereKind.ALWAYS_TRUE);
        assertThat(Analyses.amongTables(sql, Dialect.H2).get(0).where()).as(sql).isEqualTo(WhereKind.ALWAYS_TRUE);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "DELETE FROM t WHERE active = 1",
        "DELETE FROM t WHERE active <> 0",
        "DELETE FROM t WHERE active = TRUE",
        "DELETE FROM t WHERE id = 5 AND active",
    })
    void aFlagComparedWithAValueBoundsWhereEveryColumnIsATruthValue(String sql) {
        assertThat(Analyses.amongTables(sql, Dialect.MARIADB).get(0).where()).as(sql).isEqualTo(WhereKind.PRESENT);
        assertThat(Analyses.amongTables(sql, Dialect.H2).get(0).where()).as(sql).isEqualTo(WhereKind.PRESENT);
    }

    /** Without the catalog, an unqualified name in a subquery may be the target's own: unbounded until it is found. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "DELETE FROM t WHERE id IN (SELECT id FROM u)",
        "DELETE FROM t WHERE id = (SELECT max(id) FROM u)",
    })
    void bareNamesInSubqueriesBoundOnlyOnceFound(String sql) {
        assertThat(pg(sql).where()).isEqualTo(WhereKind.ALWAYS_TRUE);
        assertThat(pg(sql).boundIf()).isNotEmpty();
    }

    @Test
    void aCorrelatedSubqueryInSetDoesNotBound() {
        assertThat(pg("UPDATE t SET (a, b) = (SELECT a, b FROM u WHERE u.id = t.id)").where()).isEqualTo(WhereKind.ABSENT);
    }

    @Test
    void aDeleteWithItsOwnCteIsJudgedOnItsWhere() {
        assertThat(Analyses.amongTables("WITH x AS (SELECT 1 AS id) DELETE FROM t WHERE id IN (SELECT id FROM x)",
                Dialect.POSTGRESQL).get(0).where()).isEqualTo(WhereKind.PRESENT);
        assertThat(pg("WITH x AS (SELECT 1 AS id) DELETE FROM t WHERE EXISTS (SELECT 1 FROM x)").where())
                .isEqualTo(WhereKind.ALWAYS_TRUE);
    }

    @Test
    void aConditionOnlyOnAnotherTableDoesNotBoundTheTarget() {
        // Every row of t is deleted as soon as one row of u has the flag.
        assertThat(pg("DELETE FROM t USING u WHERE u.flag = true").where()).isEqualTo(WhereKind.ALWAYS_TRUE);
    }

    @Test
    void neitherALimitNorAJoinBounds() {
        // A LIMIT caps how many rows go, not which: DELETE FROM t LIMIT 1000000 empties most tables.
        assertThat(maria("DELETE FROM t LIMIT 10").where()).isEqualTo(WhereKind.ABSENT);
        assertThat(maria("UPDATE t SET a = 1 LIMIT 10").where()).isEqualTo(WhereKind.ABSENT);
        assertThat(maria("DELETE FROM t WHERE 1 = 1 LIMIT 10").where().unbounded()).isTrue();
        // A join's ON condition alone keeps rows that have a match, which may be every row of a; a WHERE on b bounds
        // only when an inner join links each row of a to the rows of b it matches.
        assertThat(maria("DELETE a FROM a JOIN b ON a.id = b.id").where()).isEqualTo(WhereKind.ABSENT);
        assertThat(maria("DELETE a FROM a JOIN b ON 1 = 1 WHERE b.x = 1").where()).isEqualTo(WhereKind.ALWAYS_TRUE);
        assertThat(maria("DELETE a FROM a LEFT JOIN b ON a.id = b.id WHERE b.x = 1").where()).isEqualTo(WhereKind.ALWAYS_TRUE);
        assertThat(maria("DELETE a FROM a JOIN b ON a.id = b.id WHERE b.x = 1").where()).isEqualTo(WhereKind.PRESENT);
        assertThat(maria("DELETE a FROM a JOIN b ON a.id = b.id WHERE a.x = 1").where()).isEqualTo(WhereKind.PRESENT);
        assertThat(maria("DELETE a FROM a LEFT JOIN b ON a.id = b.id").where()).isEqualTo(WhereKind.ABSENT);
    }

    @Test
    void userIsTheSessionUserExceptInMariadb() {
        assertThat(pg("DELETE FROM t WHERE user = 'admin'").where()).isEqualTo(WhereKind.ALWAYS_TRUE);
        assertThat(maria("DELETE FROM t WHERE user = 'admin'").where()).isEqualTo(WhereKind.PRESENT);
    }

    @Test
    void whereIsNotApplicableToOtherStatements() {
        assertThat(pg("SELECT * FROM t WHERE 1 = 1").where()).isEqualTo(WhereKind.NOT_APPLICABLE);
        assertThat(pg("INSERT INTO t VALUES (1)").where()).isEqualTo(WhereKind.NOT_APPLICABLE);
    }

    @Test
    void theVerdictCachedForOneLiteralIsRightForEveryOther() {
        SqlAnalyzer analyzer = new SqlAnalyzer();
        SqlAnalysis harmless = analyzer.analyze("DELETE FROM accounts WHERE 1 = 0", Dialect.POSTGRESQL);
        SqlAnalysis everything = analyzer.analyze("DELETE FROM accounts WHERE 1 = 1", Dialect.POSTGRESQL);

        assertThat(everything.fingerprint()).isEqualTo(harmless.fingerprint());
        assertThat(analyzer.cacheStats().hitCount()).isEqualTo(1);
        assertThat(everything.statements().get(0).where().unbounded()).isTrue();
    }

    @Test
    void selfComparisonsAreJudgedWithoutTheirLiterals() {
        // x + 1 = x + 2 is never true, x + 1 = x + 1 always: both share a fingerprint, so both count as always true.
        SqlAnalyzer analyzer = new SqlAnalyzer();
        analyzer.analyze("UPDATE t SET a = 0 WHERE x + 1 = x + 2", Dialect.POSTGRESQL);
        SqlAnalysis tautology = analyzer.analyze("UPDATE t SET a = 0 WHERE x + 1 = x + 1", Dialect.POSTGRESQL);
        assertThat(analyzer.cacheStats().hitCount()).isEqualTo(1);
        assertThat(tautology.statements().get(0).where()).isEqualTo(WhereKind.ALWAYS_TRUE);
    }
}
