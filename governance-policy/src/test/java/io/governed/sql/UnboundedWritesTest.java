package io.governed.sql;

import static io.governed.sql.Analyses.first;
import static io.governed.sql.Analyses.statements;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Writes that may touch every row although they carry a WHERE, a join or an upsert clause. */
class UnboundedWritesTest {

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | DELETE FROM t WHERE id IN (SELECT id FROM t)",
        "POSTGRESQL | DELETE FROM t WHERE id IN (SELECT id FROM public.t WHERE 1 = 1)",
        "POSTGRESQL | UPDATE t SET a = 0 WHERE id IN (SELECT t2.id FROM t t2)",
        "POSTGRESQL | DELETE FROM t WHERE id = ANY (SELECT id FROM t)",
        "POSTGRESQL | DELETE FROM t WHERE EXISTS (SELECT 1 FROM t t2 WHERE t2.id = t.id)",
        "POSTGRESQL | DELETE FROM t WHERE id >= (SELECT min(id) FROM t)",
        "POSTGRESQL | DELETE FROM t WHERE id IS NOT NULL",
        "POSTGRESQL | UPDATE t SET a = 0 WHERE NOT (id IS NULL)",
        "POSTGRESQL | DELETE FROM t WHERE id IS NOT NULL OR id = 5",
        "POSTGRESQL | DELETE FROM t WHERE x = x",
        "POSTGRESQL | DELETE FROM t WHERE x IS NOT DISTINCT FROM x",
        "MARIADB    | DELETE FROM t WHERE a <=> a",
        "MARIADB    | UPDATE t SET b = 1 WHERE a <=> a",
        "MARIADB    | UPDATE t SET b = 1 WHERE id IN (SELECT id FROM (SELECT id FROM t) x)",
        "MARIADB    | UPDATE a JOIN b ON a.id = b.id SET a.x = 1",
        "MARIADB    | UPDATE a JOIN b ON 1 = 1 SET a.x = 1 WHERE b.y = 2",
        "MARIADB    | UPDATE a JOIN b ON b.y > 0 SET a.x = 1 WHERE b.y = 2",
        "MARIADB    | UPDATE a JOIN b ON a.id = b.id OR 1 = 1 SET a.x = 1 WHERE b.y = 2",
        "MARIADB    | UPDATE a LEFT JOIN b ON a.id = b.id SET a.x = 1 WHERE b.y IS NULL",
        "MARIADB    | UPDATE a CROSS JOIN b SET a.x = 1 WHERE b.y = 2",
        "MARIADB    | UPDATE a NATURAL JOIN b SET a.x = 1 WHERE b.y = 2",
        "MARIADB    | UPDATE a JOIN b USING (id) SET a.x = 1 WHERE b.y = 2",
        "MARIADB    | UPDATE a JOIN b ON a.id = b.id JOIN c ON c.id = b.c_id SET a.x = 1 WHERE c.z = 2",
        "MARIADB    | UPDATE a JOIN a a2 ON a.id = a2.id SET a.x = 1 WHERE a2.y = 2",
        "MARIADB    | UPDATE a JOIN (SELECT id, y FROM a) s ON a.id = s.id SET a.x = 1 WHERE s.y = 2",
        "MARIADB    | UPDATE a JOIN b ON a.id = b.id SET a.x = 1 WHERE b.y = b.y",
        "MARIADB    | UPDATE a JOIN b ON a.id = b.id SET a.x = 1 WHERE b.y IS NOT NULL",
        "MARIADB    | UPDATE a JOIN b ON a.id = b.id SET a.x = 1 WHERE 1 = 1",
        "MARIADB    | DELETE a FROM a JOIN b ON a.id = b.id",
        "MARIADB    | DELETE a, b FROM a INNER JOIN b ON a.id = b.id",
        "MARIADB    | DELETE a FROM a JOIN b ON 1 = 1 WHERE b.y = 2",
        "MARIADB    | DELETE a FROM a JOIN b ON b.y > 0 WHERE b.y = 2",
        "MARIADB    | DELETE a FROM a JOIN b ON a.id = b.id OR 1 = 1 WHERE b.y = 2",
        "MARIADB    | DELETE a FROM a LEFT JOIN b ON a.id = b.id WHERE b.y IS NULL",
        "MARIADB    | DELETE a FROM a CROSS JOIN b WHERE b.y = 2",
        "MARIADB    | DELETE a FROM a NATURAL JOIN b WHERE b.y = 2",
        "MARIADB    | DELETE a FROM a JOIN b USING (id) WHERE b.y = 2",
        "MARIADB    | DELETE a FROM a, b WHERE a.id = b.id AND b.y = 2",
        "MARIADB    | DELETE a FROM a JOIN b ON a.id = b.id JOIN c ON c.id = b.c_id WHERE c.z = 2",
        "MARIADB    | DELETE a FROM a JOIN a a2 ON a.id = a2.id WHERE a2.y = 2",
        "MARIADB    | DELETE a FROM a JOIN (SELECT id, y FROM a) s ON a.id = s.id WHERE s.y = 2",
        "MARIADB    | DELETE a FROM a JOIN b ON a.id = b.id WHERE b.y = b.y",
        "MARIADB    | DELETE a FROM a JOIN b ON a.id = b.id WHERE b.y IS NOT NULL",
        "MARIADB    | DELETE a FROM a JOIN b ON a.id = b.id WHERE 1 = 1",
        "MARIADB    | DELETE a, b FROM a JOIN b ON a.id = b.id WHERE b.y = b.y",
        "MARIADB    | DELETE a, a2 FROM a JOIN a a2 ON a.id = a2.id WHERE a2.y = a.y",
        "POSTGRESQL | DELETE FROM t USING u WHERE u.flag = true",
        "POSTGRESQL | DELETE FROM t WHERE (id IS NOT NULL) IS TRUE",
        "POSTGRESQL | DELETE FROM t WHERE (id IS NULL) IS NOT TRUE",
        "POSTGRESQL | DELETE FROM t WHERE (id IS NULL) IS FALSE",
        "POSTGRESQL | WITH x AS (SELECT id FROM t) DELETE FROM t WHERE id IN (SELECT id FROM x)",
        "POSTGRESQL | WITH x AS (SELECT id FROM t), y AS (SELECT id FROM x) UPDATE t SET a = 0 WHERE id IN (SELECT id FROM y)",
        "POSTGRESQL | DELETE FROM t WHERE id IN (id)",
        "POSTGRESQL | DELETE FROM t WHERE id IS DISTINCT FROM NULL",
        "POSTGRESQL | DELETE FROM t WHERE NOT (id IS NOT DISTINCT FROM NULL)",
        "POSTGRESQL | UPDATE t SET a = 0 FROM t t2 WHERE t.id = t2.id",
        "MARIADB    | DELETE FROM t WHERE id IN (id)",
        "MARIADB    | DELETE FROM t WHERE NOT (id <=> NULL)",
        "MARIADB    | DELETE FROM t WHERE NOT (id <=> ?)",
        "MARIADB    | DELETE FROM t WHERE !id IN (0, 1)",
        "MARIADB    | DELETE FROM t WHERE NOT id IN (0, 1)",
        "MARIADB    | DELETE FROM t WHERE ! id BETWEEN 0 AND 1",
        "MARIADB    | DELETE a FROM a JOIN a b ON a.id = b.id WHERE a.id = b.id",
        "MARIADB    | DELETE FROM t WHERE id = (SELECT id)",
        "MARIADB    | DELETE FROM t WHERE id IN (SELECT id FROM DUAL)",
        "MARIADB    | DELETE FROM t WHERE id = ALL (SELECT id)",
        "MARIADB    | DELETE FROM t WHERE NOT deleted",
        "MARIADB    | DELETE FROM t WHERE id",
        "H2         | DELETE FROM t WHERE id",
        "POSTGRESQL | DELETE FROM t WHERE id = (SELECT id)",
        "POSTGRESQL | DELETE FROM t WHERE id = ANY (SELECT id)",
    })
    void theseWritesCountAsUnbounded(Dialect dialect, String sql) {
        assertThat(first(sql, dialect).where().unbounded()).as(sql).isTrue();
    }

    /** Disjunctions whose terms may hold for every value of a column, for some literals. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "DELETE FROM t WHERE s ~ 'a' OR s !~ 'a'",
        "DELETE FROM t WHERE s ~* 'a' OR s !~* 'a'",
        "DELETE FROM t WHERE s SIMILAR TO 'a' OR s NOT SIMILAR TO 'b'",
        "DELETE FROM t WHERE s LIKE 'a' OR s NOT ILIKE 'a'",
        "DELETE FROM t WHERE (id = 1) IS TRUE OR (id = 1) IS FALSE",
        "DELETE FROM t WHERE id < 5 OR 5 <= id",
        "DELETE FROM t WHERE id = 1 OR 1 <> id",
        "DELETE FROM t WHERE id = 1 OR id < 1 OR id > 1",
        "DELETE FROM t WHERE id < 1 OR id > 0",
        "DELETE FROM t WHERE id BETWEEN 1 AND 5 OR id < 1 OR id > 5",
        "DELETE FROM t WHERE id = 1 OR id != +1",
        "DELETE FROM t WHERE id = 1 OR id NOT IN (1)",
        "DELETE FROM t WHERE id IN (1, 2) OR id NOT IN (2, 1)",
        "DELETE FROM t WHERE id IS NOT DISTINCT FROM 1 OR id <> 1",
        "DELETE FROM t WHERE s = 'a' OR s COLLATE \"C\" <> 'a'",
        "DELETE FROM t WHERE t.id = 1 OR id <> 1",
        "DELETE FROM t x WHERE x.id = 1 OR t.id <> 1",
        "DELETE FROM t WHERE id = ANY ('{1}') OR id <> ALL ('{1}')",
        "DELETE FROM t WHERE id <> 1 OR id <> 2",
        "DELETE FROM t WHERE NOT (id = 1 AND id = 2)",
        "DELETE FROM t WHERE id + 0 = 1 OR id <> 1",
        "DELETE FROM t WHERE id = 1 OR (id <> 1 AND true)",
        "DELETE FROM t WHERE id = 1 OR (id <> 1 AND id IS NOT NULL)",
        "DELETE FROM t WHERE id IN (1, 2) OR (id <> 1 AND id <> 2)",
        "UPDATE t SET a = 0 WHERE id = 1 OR NOT (id IN (1))",
        "DELETE FROM t WHERE active OR active IS FALSE",
        "DELETE FROM t WHERE active IS TRUE OR NOT active",
        "DELETE FROM t WHERE NOT active OR active = true",
    })
    void disjunctionsThatMayCoverEveryValueAreUnbounded(String sql) {
        assertThat(first(sql, Dialect.POSTGRESQL).where().unbounded()).as(sql).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "DELETE FROM t WHERE id = 1 OR id = 2",
        "DELETE FROM t WHERE id IN (1, 2) OR b = 3",
        "DELETE FROM t WHERE s = 'new' OR s LIKE 'ship%'",
        "DELETE FROM t WHERE id = 1 OR b <> 2",
        "DELETE FROM t WHERE id BETWEEN 1 AND 5 OR id BETWEEN 10 AND 12",
        "DELETE FROM t WHERE s IS NULL OR s = 'x'",
        "DELETE FROM t WHERE s <> 'x' OR s IS NULL",
        "DELETE FROM t WHERE (id = 1 AND s <> 'x') OR (id = 2 AND s <> 'y')",
        "DELETE FROM t WHERE (id > 5 AND id < 10) OR id = 20",
        "DELETE FROM t WHERE id = 1 OR (id <> 1 AND b = 5)",
        "DELETE FROM t WHERE active OR id = 1",
    })
    void disjunctionsThatCannotCoverEveryValueStillBound(String sql) {
        assertThat(first(sql, Dialect.POSTGRESQL).where()).as(sql).isEqualTo(WhereKind.PRESENT);
    }

    /** EXISTS and NOT EXISTS over the same tables may hold for every row together, however their aliases are named. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "DELETE FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.u_id) OR NOT EXISTS (SELECT 1 FROM u v WHERE v.id = t.u_id)",
        "DELETE FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.id = t.u_id) OR EXISTS (SELECT 2 FROM public.u WHERE u.id = t.u_id)",
    })
    void existsOrNotExistsOverTheSameTablesIsUnbounded(String sql) {
        assertThat(Analyses.amongTables(sql, Dialect.POSTGRESQL).get(0).where()).as(sql).isEqualTo(WhereKind.ALWAYS_TRUE);
    }

    @Test
    void existsOverOneTableOrNotExistsOverAnotherStillBounds() {
        String sql = "DELETE FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.u_id) OR NOT EXISTS (SELECT 1 FROM w WHERE w.id = t.w_id)";
        assertThat(Analyses.amongTables(sql, Dialect.POSTGRESQL).get(0).where()).as(sql).isEqualTo(WhereKind.PRESENT);
    }

    /** PostgreSQL's postfix {@code x NOTNULL} is {@code x IS NOT NULL}, and {@code x ISNULL} is {@code x IS NULL}. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "DELETE FROM t WHERE id NOTNULL",
        "UPDATE t SET a = 0 WHERE a NOTNULL",
        "DELETE FROM t WHERE id ISNULL OR id NOTNULL",
        "DELETE FROM t WHERE NOT (id ISNULL)",
        "DELETE FROM t WHERE (id NOTNULL) IS TRUE",
    })
    void postfixNotnullIsNotNullAndBoundsNoRow(String sql) {
        assertThat(first(sql, Dialect.POSTGRESQL).where().unbounded()).as(sql).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"DELETE FROM t WHERE id ISNULL", "DELETE FROM t WHERE NOT (id NOTNULL)"})
    void postfixIsnullBoundsAsIsNullDoes(String sql) {
        assertThat(first(sql, Dialect.POSTGRESQL).where()).as(sql).isEqualTo(WhereKind.PRESENT);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | DELETE FROM t WHERE id = ?",
        "POSTGRESQL | DELETE FROM t WHERE id IN (SELECT u.id FROM u WHERE u.gone)",
        "POSTGRESQL | DELETE FROM t WHERE id IS NULL",
        "POSTGRESQL | DELETE FROM t WHERE id IS NOT NULL AND id = 5",
        "POSTGRESQL | DELETE FROM t WHERE (id = 5) IS TRUE",
        "POSTGRESQL | WITH x AS (SELECT id FROM u) DELETE FROM t WHERE id IN (SELECT id FROM x)",
        "MARIADB    | DELETE FROM t WHERE a <=> 5",
        "MARIADB    | DELETE FROM t WHERE id IN (?, ?)",
        "MARIADB    | DELETE FROM t WHERE NOT (id IN (0, 1))",
        "MARIADB    | DELETE FROM t WHERE !(id = 1)",
        "MARIADB    | DELETE FROM t WHERE deleted = 0",
        "POSTGRESQL | DELETE FROM t WHERE NOT deleted",
        "MARIADB    | DELETE FROM t WHERE id = 1 && a = 2",
        "MARIADB    | DELETE FROM t WHERE a = ? AND b > ? LIMIT 10",
        "MARIADB    | DELETE FROM t WHERE name REGEXP ?",
        "MARIADB    | DELETE FROM t WHERE name LIKE CONCAT(?, '%')",
        "POSTGRESQL | DELETE FROM t WHERE name SIMILAR TO ?",
        "MARIADB    | UPDATE a JOIN b ON a.id = b.id SET a.x = 1 WHERE a.id = 3",
        "MARIADB    | UPDATE a JOIN b ON a.id = b.id SET a.x = 1 WHERE b.y = 2",
        "MARIADB    | UPDATE a INNER JOIN b ON b.a_id = a.id SET a.x = b.x WHERE b.status = ?",
        "MARIADB    | UPDATE a JOIN b ON a.id = b.id JOIN c ON c.a_id = a.id SET a.x = 1 WHERE c.z = 2",
        "MARIADB    | UPDATE a STRAIGHT_JOIN b ON a.id = b.id SET a.x = 1 WHERE b.y IN (1, 2)",
        "MARIADB    | DELETE a FROM a JOIN b ON a.id = b.id WHERE b.y = 2",
        "MARIADB    | DELETE a FROM a INNER JOIN b ON b.a_id = a.id WHERE b.status = ?",
        "MARIADB    | DELETE b FROM a JOIN b ON b.a_id = a.id WHERE a.status IN (1, 2)",
        "MARIADB    | DELETE a FROM a JOIN b ON a.id = b.id JOIN c ON c.a_id = a.id WHERE c.z = 2",
        "MARIADB    | DELETE a, b FROM a JOIN b ON a.id = b.id WHERE a.id = 3",
        "MARIADB    | DELETE FROM t WHERE id = (SELECT ?)",
        "MARIADB    | DELETE FROM t WHERE id = (SELECT ? FROM DUAL)",
        "MARIADB    | DELETE FROM t WHERE id = ANY (SELECT u.id FROM u)",
    })
    void theseAreBounded(Dialect dialect, String sql) {
        // bounded outright, or, through other relations (u, b, a CTE), once the catalog shows them tables of their own
        assertThat(Analyses.amongTables(sql, dialect).get(0).where()).as(sql).isEqualTo(WhereKind.PRESENT);
    }

    /**
     * An unqualified name inside a subquery is the written table's when the subquery's table has no such column: with no
     * catalog the write is unbounded, and it is bounded once the catalog shows the column (BareNamesInSubqueriesTest).
     */
    @Test
    void aBareNameInASubqueryBoundsOnlyOnceTheCatalogFindsIt() {
        StatementAnalysis s = first("DELETE FROM t WHERE id IN (SELECT id FROM u WHERE u.gone)", Dialect.POSTGRESQL);
        assertThat(s.where()).isEqualTo(WhereKind.ALWAYS_TRUE);
        assertThat(s.boundIf()).containsExactly(java.util.List.of(new BareColumn("id", java.util.List.of(new TableRef(null, "u")))));
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | MERGE INTO t USING t s ON (t.id = s.id) WHEN MATCHED THEN UPDATE SET a = 0",
        "H2         | MERGE INTO t x USING t s ON (x.id = s.id) WHEN MATCHED THEN UPDATE SET a = 0",
        "POSTGRESQL | MERGE INTO t USING (SELECT id FROM t) s ON (t.id = s.id) WHEN MATCHED THEN UPDATE SET a = 0",
        "H2         | MERGE INTO t KEY (id) SELECT id, 0 FROM t",
    })
    void aMergeWhoseSourceIsItsTargetMayRewriteEveryRow(Dialect dialect, String sql) {
        assertThat(statements(sql, dialect)).as(sql)
                .anyMatch(s -> s.action() == Action.UPDATE && s.where() == WhereKind.ABSENT);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | MERGE INTO t USING u s ON (t.id = s.id) WHEN MATCHED THEN UPDATE SET a = 0",
        "H2         | MERGE INTO t KEY (id) VALUES (1, 0)",
    })
    void aMergeFromAnotherSourceIsBoundedByItsKeys(Dialect dialect, String sql) {
        assertThat(Analyses.amongTables(sql, dialect)).as(sql).noneMatch(s -> s.where().unbounded());
    }

    /**
     * An ON condition that tests the source row alone ties no target row to it: every target row is matched with each
     * source row it keeps ({@code ON s.id = 1} pairs source row 1 with every row of {@code t}), so neither it nor a
     * branch's test of the source row bounds the rows a branch touches.
     */
    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | MERGE INTO t USING u s ON (s.id = 1) WHEN MATCHED THEN UPDATE SET a = 0",
        "H2         | MERGE INTO t x USING u s ON (s.id = 1) WHEN MATCHED THEN UPDATE SET a = 0",
        "POSTGRESQL | MERGE INTO t USING u s ON (s.id = 1) WHEN MATCHED AND s.v = ? THEN DELETE",
        "H2         | MERGE INTO t x USING u s ON (1 = 1) WHEN MATCHED AND s.v = 2 THEN DELETE",
        "POSTGRESQL | MERGE INTO t USING u s ON (s.id = 1 OR t.id = s.id) WHEN MATCHED THEN UPDATE SET a = 0",
        "POSTGRESQL | MERGE INTO t USING u s ON (s.id = 1) WHEN MATCHED AND s.gone THEN UPDATE SET a = 0",
    })
    void aMergeWhoseOnConditionTiesNoTargetRowIsUnbounded(Dialect dialect, String sql) {
        assertThat(Analyses.amongTables(sql, dialect)).as(sql).anyMatch(s -> s.where().unbounded());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "MERGE INTO t USING u s ON (t.id = s.id) WHEN MATCHED AND t.v < s.v THEN DELETE | PRESENT",
        "MERGE INTO t USING u s ON (t.id = s.id) WHEN MATCHED AND s.gone THEN DELETE | PRESENT",
        "MERGE INTO t USING u s ON (t.id = s.id) WHEN MATCHED AND s.v = ? THEN DELETE | PRESENT",
        "MERGE INTO t USING u s ON (t.id = s.id) WHEN MATCHED AND s.id = s.id THEN DELETE | ALWAYS_TRUE",
        "MERGE INTO t USING u s ON (t.id = s.id) WHEN MATCHED AND s.v IS NOT NULL THEN DELETE | ALWAYS_TRUE",
        "MERGE INTO t USING t s ON (t.id = s.id) WHEN MATCHED AND t.v = s.v THEN DELETE | ALWAYS_TRUE",
    })
    void aMergeDeleteBranchIsBoundedByItsOwnCondition(String sql, WhereKind expected) {
        assertThat(Analyses.amongTables(sql, Dialect.POSTGRESQL)).as(sql)
                .anySatisfy(s -> {
                    assertThat(s.action()).isEqualTo(Action.DELETE);
                    assertThat(s.where()).isEqualTo(expected);
                });
    }

    @Test
    void replaceFromAQueryMayReplaceEveryRow() {
        List<StatementAnalysis> s = statements("REPLACE INTO t SELECT * FROM s", Dialect.MARIADB);
        assertThat(s.get(1).action()).isEqualTo(Action.DELETE);
        assertThat(s.get(1).where()).isEqualTo(WhereKind.ABSENT);
        List<StatementAnalysis> values = statements("REPLACE INTO t (id, a) VALUES (1, 2)", Dialect.MARIADB);
        assertThat(values.get(1).where()).isEqualTo(WhereKind.PRESENT);
    }

    @Test
    void anUpsertFromAQueryMayUpdateEveryRow() {
        List<StatementAnalysis> maria = statements(
                "INSERT INTO t (id, a) SELECT id, a FROM t ON DUPLICATE KEY UPDATE a = 0", Dialect.MARIADB);
        assertThat(maria).anySatisfy(s -> {
            assertThat(s.action()).isEqualTo(Action.UPDATE);
            assertThat(s.where()).isEqualTo(WhereKind.ABSENT);
        });
        List<StatementAnalysis> pg = statements(
                "INSERT INTO t (id, a) SELECT id, a FROM t ON CONFLICT (id) DO UPDATE SET a = 0", Dialect.POSTGRESQL);
        assertThat(pg).anySatisfy(s -> {
            assertThat(s.action()).isEqualTo(Action.UPDATE);
            assertThat(s.where().unbounded()).isTrue();
        });
        List<StatementAnalysis> fromValues = statements(
                "INSERT INTO t (id, a) VALUES (1, 2) ON DUPLICATE KEY UPDATE a = 0", Dialect.MARIADB);
        assertThat(fromValues).noneSatisfy(s -> assertThat(s.action()).isEqualTo(Action.UPDATE));
    }

    @Test
    void anUpsertFromOneRowOfValuesSelectedWithoutATableUpdatesOneRowAtMost() {
        for (String sql : List.of(
                "INSERT INTO t (id, a) SELECT 1, 'x' ON CONFLICT (id) DO UPDATE SET a = EXCLUDED.a",
                "INSERT INTO t (id, a) SELECT ?, CAST(? AS text) ON CONFLICT (id) DO UPDATE SET a = EXCLUDED.a",
                "INSERT INTO t (id, a) (SELECT -1, 'x' || 'y') ON CONFLICT (id) DO UPDATE SET a = EXCLUDED.a")) {
            assertThat(statements(sql, Dialect.POSTGRESQL)).as(sql)
                    .noneSatisfy(s -> assertThat(s.action()).isEqualTo(Action.UPDATE));
        }
        for (String sql : List.of(
                "INSERT INTO t (id, a) SELECT generate_series(1, 1000), 'x' ON CONFLICT (id) DO UPDATE SET a = EXCLUDED.a",
                "INSERT INTO t (id, a) SELECT 1, 'x' UNION ALL SELECT 2, 'y' ON CONFLICT (id) DO UPDATE SET a = EXCLUDED.a",
                "INSERT INTO t (id, a) SELECT (SELECT id FROM t), 'x' ON CONFLICT (id) DO UPDATE SET a = EXCLUDED.a",
                "INSERT INTO t (id, a) SELECT unnest(ARRAY[1, 2]), 'x' ON CONFLICT (id) DO UPDATE SET a = EXCLUDED.a",
                "INSERT INTO t (id, a) SELECT id, 'x' FROM t WHERE id = 1 ON CONFLICT (id) DO UPDATE SET a = EXCLUDED.a")) {
            assertThat(statements(sql, Dialect.POSTGRESQL)).as(sql).anySatisfy(s -> {
                assertThat(s.action()).isEqualTo(Action.UPDATE);
                assertThat(s.where().unbounded()).isTrue();
            });
        }
    }

    /**
     * MariaDB's multi-table UPDATE writes the tables its SET columns name (an unqualified one: any table that has it), not
     * its first table; and an aliased table goes by its alias only, so its own name names another instance of it.
     */
    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "MARIADB    | UPDATE a, b SET b.x = 1 WHERE a.id = 1",
        "MARIADB    | UPDATE a JOIN b ON a.id > 0 SET b.x = 1 WHERE a.id = 1",
        "MARIADB    | UPDATE a, b SET x = 1 WHERE a.id = 1",
        "MARIADB    | UPDATE a, b SET a.x = 1, b.x = 1 WHERE a.id = 1",
        "MARIADB    | UPDATE a AS o, a SET a.x = 1 WHERE o.id = 1",
        "MARIADB    | UPDATE a AS o JOIN a SET a.x = 1 WHERE o.id = 1",
        "MARIADB    | UPDATE a o JOIN a o2 ON o2.id > 0 SET o2.x = 1 WHERE o.id = 1",
        "MARIADB    | UPDATE a, (SELECT 1 AS y) d SET d.y = 1 WHERE a.id = 1",
        "MARIADB    | DELETE o FROM a AS o, a WHERE a.id = 1",
        "MARIADB    | UPDATE a AS o SET x = 1 WHERE a.id = 1",
        "POSTGRESQL | UPDATE a AS o SET x = 1 FROM a WHERE a.id = 1",
        "POSTGRESQL | DELETE FROM a AS o USING a WHERE a.id = 1",
    })
    void writesOfARelationTheConditionDoesNotBoundAreUnbounded(Dialect dialect, String sql) {
        assertThat(first(sql, dialect).where().unbounded()).as(sql).isTrue();
    }

    @Test
    void aMultiTableUpdateWritesTheTablesItsSetColumnsName() {
        StatementAnalysis second = first("UPDATE a JOIN b ON b.a_id = a.id SET b.x = 1 WHERE a.id = 1", Dialect.MARIADB);
        assertThat(second.tablesWritten()).containsExactly(new TableRef(null, "b"));
        assertThat(second.tablesRead()).contains(new TableRef(null, "a"));
        assertThat(second.where().unbounded()).isFalse();
        StatementAnalysis either = first("UPDATE a JOIN b ON b.a_id = a.id SET x = 1 WHERE a.id = 1", Dialect.MARIADB);
        assertThat(either.tablesWritten()).containsExactlyInAnyOrder(new TableRef(null, "a"), new TableRef(null, "b"));
        assertThat(either.where().unbounded()).isFalse();
        StatementAnalysis own = first("UPDATE a o JOIN b ON b.a_id = o.id SET o.x = 1 WHERE b.id = 1", Dialect.MARIADB);
        assertThat(own.tablesWritten()).containsExactly(new TableRef(null, "a"));
        assertThat(own.where().unbounded()).isFalse();
        StatementAnalysis both = first("UPDATE a, b SET a.x = 1, b.x = 1 WHERE a.id = 1 AND b.id = 2", Dialect.MARIADB);
        assertThat(both.tablesWritten()).containsExactlyInAnyOrder(new TableRef(null, "a"), new TableRef(null, "b"));
        assertThat(both.where().unbounded()).isFalse();
    }

    /**
     * Beside other relations an unqualified name of the condition may be theirs (SQL looks it up in each), so a bound
     * resting on it holds only once the catalog shows the written table has it; and a write of several tables must bound
     * each of them.
     */
    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "MARIADB    | UPDATE o, a SET o.x = 1 WHERE entry_no = 1",
        "MARIADB    | UPDATE o JOIN a ON a.y > 0 SET o.x = 1 WHERE entry_no = 1",
        "MARIADB    | DELETE o FROM o, a WHERE entry_no = 1",
        "MARIADB    | DELETE FROM o USING o, a WHERE entry_no = 1",
        "MARIADB    | DELETE o, a FROM o, a WHERE o.id = 5",
        "MARIADB    | DELETE FROM o, a USING o, a WHERE o.id = 5",
        "MARIADB    | UPDATE o, a SET o.x = 1, a.x = 1 WHERE o.id = 5",
        "POSTGRESQL | UPDATE o SET x = 1 FROM a WHERE entry_no = 1",
        "POSTGRESQL | DELETE FROM o USING a WHERE entry_no = 1",
    })
    void unqualifiedNamesBesideOtherRelationsAndSeveralTargetsProveNoBoundAlone(Dialect dialect, String sql) {
        StatementAnalysis analysis = first(sql, dialect);
        assertThat(analysis.where().unbounded()).as(sql).isTrue();
    }

    @Test
    void anUnqualifiedNameBesideOtherRelationsBoundsOnceTheCatalogShowsItTheTargets() {
        StatementAnalysis analysis = first("UPDATE o, a SET o.x = 1 WHERE id = 5", Dialect.MARIADB);
        assertThat(analysis.where().unbounded()).isTrue();
        assertThat(analysis.boundIf()).containsExactly(List.of(new BareColumn("id", List.of(new TableRef(null, "o")))));
        StatementAnalysis linked = first("DELETE o, a FROM o JOIN a ON a.o_id = o.id WHERE o.id = 5", Dialect.MARIADB);
        assertThat(linked.where().unbounded()).isFalse();
        StatementAnalysis pair = first("UPDATE o JOIN c ON c.id = o.c_id SET o.x = 1 WHERE country = 'DE'", Dialect.MARIADB);
        assertThat(pair.where().unbounded()).isFalse();
    }

    @Test
    void mariaDbDeleteUsingDeletesFromTheTableItsAliasNames() {
        StatementAnalysis analysis = first("DELETE FROM p USING mysql.plugin AS p WHERE p.name = 'x'", Dialect.MARIADB);
        assertThat(analysis.tablesWritten()).containsExactly(new TableRef("mysql", "plugin"));
        StatementAnalysis two = first("DELETE FROM o, a USING orders AS o, audit_log AS a WHERE o.id = 5 AND a.id = 6",
                Dialect.MARIADB);
        assertThat(two.tablesWritten()).containsExactlyInAnyOrder(new TableRef(null, "orders"), new TableRef(null, "audit_log"));
        assertThat(two.where().unbounded()).isFalse();
    }
}
