package io.governed.sql;

import static io.governed.sql.Analyses.pg;
import static io.governed.sql.Analyses.table;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Where each result column's values come from: what masking follows. */
class LineageTest {

    private static final TableRef USERS = table("users");
    private static final TableRef ORDERS = table("orders");

    private static SourceColumn src(TableRef table, String column) {
        return new SourceColumn(table, column);
    }

    private static List<ResultColumn> results(String sql) {
        return pg(sql).resultColumns();
    }

    private static ResultColumn only(String sql) {
        List<ResultColumn> columns = results(sql);
        assertThat(columns).hasSize(1);
        return columns.get(0);
    }

    @Test
    void aColumnOfAFunctionInFromIsComputed() {
        assertThat(only("SELECT x FROM users u, LATERAL concat('x@', u.email) AS x").transformed()).isTrue();
        assertThat(only("SELECT value FROM users u, jsonb_each_text(jsonb_build_object('k', u.email))").transformed()).isTrue();
        assertThat(only("SELECT x FROM users u CROSS JOIN LATERAL unnest(ARRAY[u.email]) AS t(x)").transformed()).isTrue();
    }

    @Test
    void aStarOverAComputedColumnIsComputed() {
        assertThat(only("SELECT * FROM (SELECT 'x@' || email AS v FROM users) s").transformed()).isTrue();
        assertThat(only("SELECT * FROM (SELECT email FROM users) s").transformed()).isFalse();
    }

    @Test
    void aPlainColumnAndAnAlias() {
        List<ResultColumn> r = results("SELECT email, u.name AS who FROM users u");
        assertThat(r.get(0).position()).isEqualTo(1);
        assertThat(r.get(0).label()).isEqualTo("email");
        assertThat(r.get(0).sources()).containsExactly(src(USERS, "email"));
        assertThat(r.get(1).position()).isEqualTo(2);
        assertThat(r.get(1).label()).isEqualTo("who");
        assertThat(r.get(1).sources()).containsExactly(src(USERS, "name"));
        assertThat(r.get(1).unknownLineage()).isFalse();
    }

    @Test
    void expressionsFunctionsCastsConcatenationCoalesceAndCase() {
        assertThat(only("SELECT upper(email) FROM users").sources()).containsExactly(src(USERS, "email"));
        assertThat(only("SELECT upper(email) FROM users").label()).isEqualTo("upper");
        assertThat(only("SELECT email::text AS e FROM users").sources()).containsExactly(src(USERS, "email"));
        assertThat(only("SELECT CAST(ssn AS varchar(20)) FROM users").sources()).containsExactly(src(USERS, "ssn"));
        assertThat(only("SELECT first || ' ' || last AS full_name FROM users").sources())
                .containsExactly(src(USERS, "first"), src(USERS, "last"));
        assertThat(only("SELECT coalesce(email, phone) FROM users").sources())
                .containsExactly(src(USERS, "email"), src(USERS, "phone"));
        assertThat(only("SELECT CASE WHEN vip THEN email ELSE 'hidden' END AS c FROM users").sources())
                .contains(src(USERS, "email"));
        assertThat(only("SELECT 'x' || 1").label()).isEqualTo("?column?");
    }

    @Test
    void aggregatesThatRevealValuesKeepTheirSourcesCountsDoNot() {
        assertThat(only("SELECT max(salary) FROM users").sources()).containsExactly(src(USERS, "salary"));
        ResultColumn star = only("SELECT count(*) FROM users");
        assertThat(star.aggregateOnly()).isTrue();
        assertThat(star.sources()).isEmpty();
        ResultColumn counted = only("SELECT count(DISTINCT ssn) FROM users");
        assertThat(counted.aggregateOnly()).isTrue();
        assertThat(counted.sources()).isEmpty();
        assertThat(only("SELECT string_agg(email, ',') FROM users").aggregateOnly()).isFalse();
    }

    @Test
    void scalarSubqueries() {
        ResultColumn r = only("SELECT (SELECT max(email) FROM users WHERE users.id = o.user_id) AS e FROM orders o");
        assertThat(r.label()).isEqualTo("e");
        // a bare name is the subquery's users.email, or orders.email should users have none: neither's columns are known
        assertThat(r.sources()).containsExactlyInAnyOrder(src(USERS, "email"), src(ORDERS, "email"));
        assertThat(only("SELECT (SELECT max(u.email) FROM users u WHERE u.id = o.user_id) AS e FROM orders o").sources())
                .containsExactly(src(USERS, "email"));
    }

    @Test
    void derivedTablesAndCtesAreSeenThrough() {
        assertThat(only("SELECT x.m FROM (SELECT email AS m FROM users) x").sources()).containsExactly(src(USERS, "email"));
        assertThat(only("WITH c AS (SELECT email AS m FROM users) SELECT m FROM c").sources()).containsExactly(src(USERS, "email"));
        assertThat(only("WITH c(m) AS (SELECT email FROM users) SELECT c.m FROM c").sources()).containsExactly(src(USERS, "email"));
        assertThat(only("SELECT email FROM (SELECT * FROM users) x").sources()).containsExactly(src(USERS, "email"));
    }

    @Test
    void recursiveCtes() {
        ResultColumn r = only("WITH RECURSIVE chain(id, boss) AS (SELECT id, manager FROM staff "
                + "UNION ALL SELECT s.id, s.manager FROM staff s JOIN chain c ON s.id = c.boss) SELECT boss FROM chain");
        assertThat(r.sources()).containsExactly(src(table("staff"), "manager"));
    }

    @Test
    void aRecursiveCteMovesAValueFromColumnToColumnOneRoundAtATime() {
        // the anchor's ssn reaches a in two rounds (a <- b <- c), name reaches c and b in turn
        List<ResultColumn> r = results("WITH RECURSIVE t(n, a, b, c) AS (SELECT 1, name, city, ssn FROM users "
                + "UNION ALL SELECT n + 1, b, c, a FROM t WHERE n < 4) SELECT a, b, c FROM t");
        for (ResultColumn column : r) {
            assertThat(column.sources()).contains(src(USERS, "name"), src(USERS, "city"), src(USERS, "ssn"));
        }
        ResultColumn five = only("WITH RECURSIVE t(n, a, b, c, d) AS (SELECT 1, name, city, name, ssn FROM users "
                + "UNION ALL SELECT n + 1, b, c, d, a FROM t WHERE n < 6) SELECT a FROM t");
        assertThat(five.sources()).contains(src(USERS, "ssn"));
        ResultColumn star = only("WITH RECURSIVE t(n, a, b) AS (SELECT 1, name, ssn FROM users "
                + "UNION ALL SELECT n + 1, b, a FROM t WHERE n < 4) SELECT * FROM t");
        assertThat(star.sources()).contains(src(USERS, "ssn"));
    }

    @Test
    void everyCteOfARecursiveListMayReadAnyOther() {
        // a list made recursive by an earlier CTE, and two CTEs reading each other
        assertThat(only("WITH RECURSIVE x AS (SELECT 1 AS k), t(n, a, b) AS (SELECT 1, name, ssn FROM users "
                + "UNION ALL SELECT n + 1, b, a FROM t WHERE n < 4) SELECT a FROM t").sources()).contains(src(USERS, "ssn"));
        ResultColumn mutual = only("WITH RECURSIVE a(n, v) AS (SELECT 1, name FROM users UNION ALL SELECT n + 1, w FROM b "
                + "WHERE n < 3), b(n, w) AS (SELECT n, v FROM a UNION ALL SELECT 9, ssn FROM users) SELECT v FROM a");
        assertThat(mutual.sources()).contains(src(USERS, "ssn"));
        assertThat(mutual.sources()).doesNotContain(src(table("b"), "w"));
    }

    /**
     * {@code WITH RECURSIVE t(n, c1, …) AS (SELECT 1, a1, … FROM users UNION ALL SELECT n + 1, c1, c1, c2, … FROM t …)}:
     * each round moves every value one column on, while c1 keeps its own.
     */
    private static String shifting(int width) {
        StringBuilder names = new StringBuilder("n");
        StringBuilder anchor = new StringBuilder("1");
        StringBuilder step = new StringBuilder("n + 1, c1");
        for (int i = 1; i <= width; i++) {
            names.append(", c").append(i);
            anchor.append(", a").append(i);
            if (i > 1) {
                step.append(", c").append(i - 1);
            }
        }
        return "WITH RECURSIVE t(" + names + ") AS (SELECT " + anchor + " FROM users UNION ALL SELECT " + step
                + " FROM t WHERE n < 3) SELECT c1, c" + width + " FROM t";
    }

    @Test
    void aValueMovesAsFarAsTheRoundsTakeItAndNoFurther() {
        List<ResultColumn> r = results(shifting(10));
        assertThat(r.get(0).sources()).containsExactly(src(USERS, "a1"));
        assertThat(r.get(1).sources()).contains(src(USERS, "a1"), src(USERS, "a10"));
    }

    @Test
    void aStatementWhoseRecursiveRoundsRunOutCountsEveryColumnAsCarryingEveryValue() {
        // following a value across 80 columns takes more rounds than a statement may spend: the walk stops, failing closed
        int width = QueryWalker.MAXIMUM_RECURSIVE_ROUNDS + 16;
        List<ResultColumn> r = results(shifting(width));
        assertThat(r.get(0).sources()).contains(src(USERS, "a1"), src(USERS, "a" + width));
        // nested ones share the rounds: each is walked again in every round of the one around it
        String nested = "WITH RECURSIVE o(n, x, y) AS (SELECT 1, name, city FROM users UNION ALL SELECT o.n + 1, z.c1, o.x"
                + " FROM o, LATERAL (" + shifting(width).replace("SELECT c1, c" + width + " FROM t", "SELECT c1 FROM t")
                + ") z WHERE o.n < 3) SELECT y FROM o";
        assertThat(only(nested).sources()).contains(src(USERS, "name"), src(USERS, "a" + width));
    }

    @Test
    void aRecursiveCteThatKeepsItsColumnsApartStaysPrecise() {
        ResultColumn r = only("WITH RECURSIVE t(n, a, b) AS (SELECT 1, name, ssn FROM users "
                + "UNION ALL SELECT n + 1, a, b FROM t WHERE n < 4) SELECT a FROM t");
        assertThat(r.sources()).containsExactly(src(USERS, "name"));
    }

    @Test
    void setOperationsUnionEveryBranchByPosition() {
        List<ResultColumn> r = results("SELECT email, id FROM users UNION SELECT note, id FROM orders");
        assertThat(r.get(0).label()).isEqualTo("email");
        assertThat(r.get(0).sources()).containsExactly(src(USERS, "email"), src(ORDERS, "note"));
        assertThat(r.get(1).sources()).containsExactly(src(USERS, "id"), src(ORDERS, "id"));
    }

    @Test
    void starAndTableStarExpandToTheirTables() {
        ResultColumn star = only("SELECT * FROM users u JOIN orders o ON o.user_id = u.id");
        assertThat(star.label()).isEqualTo("*");
        assertThat(star.allColumnsOf()).containsExactly(USERS, ORDERS);
        assertThat(only("SELECT u.* FROM users u JOIN orders o ON o.user_id = u.id").allColumnsOf()).containsExactly(USERS);
    }

    @Test
    void starThroughDerivedTablesAndCtesReachesTheBaseTables() {
        assertThat(only("SELECT * FROM (SELECT * FROM users) x").allColumnsOf()).containsExactly(USERS);
        assertThat(only("WITH c AS (SELECT * FROM users) SELECT c.* FROM c").allColumnsOf()).containsExactly(USERS);
        ResultColumn narrowed = only("SELECT * FROM (SELECT email FROM users) x");
        assertThat(narrowed.allColumnsOf()).isEmpty();
        assertThat(narrowed.sources()).containsExactly(src(USERS, "email"));
    }

    @Test
    void aWholeRowReferenceRevealsEveryColumn() {
        assertThat(only("SELECT row_to_json(u) FROM users u").allColumnsOf()).containsExactly(USERS);
    }

    @Test
    void lateralAndValues() {
        ResultColumn r = only("SELECT l.e FROM orders o, LATERAL (SELECT email AS e FROM users WHERE users.id = o.user_id) l");
        assertThat(r.sources()).containsExactlyInAnyOrder(src(USERS, "email"), src(ORDERS, "email"));
        ResultColumn v = only("SELECT v.a FROM (VALUES (1), (2)) v(a)");
        assertThat(v.sources()).isEmpty();
        assertThat(v.unknownLineage()).isFalse();
    }

    @Test
    void opaqueSourcesAreUnknownLineage() {
        assertThat(only("SELECT f.x FROM some_function() f").unknownLineage()).isTrue();
        assertThat(only("SELECT x FROM dblink('conn', 'SELECT ssn FROM users') AS t(x text)").unknownLineage()).isTrue();
    }

    @Test
    void anUnknownFunctionMayReadAnythingSoItsLineageIsUnknown() {
        ResultColumn r = only("SELECT lookup_ssn(id) FROM users");
        assertThat(r.unknownLineage()).isTrue();
        assertThat(r.sources()).containsExactly(src(USERS, "id"));
        assertThat(only("SELECT lower(email) FROM users").unknownLineage()).isFalse();
    }

    @Test
    void ambiguousColumnsMayComeFromAnyTableInScope() {
        ResultColumn r = only("SELECT email FROM users, orders");
        assertThat(r.sources()).containsExactly(src(USERS, "email"), src(ORDERS, "email"));
    }

    @Test
    void returningHasResultColumns() {
        StatementAnalysis s = pg("DELETE FROM users WHERE id = 1 RETURNING email, *");
        assertThat(s.resultColumns()).hasSize(2);
        assertThat(s.resultColumns().get(0).sources()).containsExactly(src(USERS, "email"));
        assertThat(s.resultColumns().get(1).allColumnsOf()).containsExactly(USERS);
    }

    @Test
    void aDataModifyingCtesReturnedRowsAreTraced() {
        ResultColumn r = only("WITH d AS (DELETE FROM users WHERE id = 1 RETURNING email) SELECT email FROM d");
        assertThat(r.sources()).containsExactly(src(USERS, "email"));
    }

    @Test
    void nonQueriesHaveNoResultColumns() {
        assertThat(pg("UPDATE users SET a = 1 WHERE id = 2").resultColumns()).isEmpty();
        assertThat(pg("DROP TABLE users").resultColumns()).isEmpty();
    }
}
