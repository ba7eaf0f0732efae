package io.governed.sql;

import static io.governed.sql.Analyses.maria;
import static io.governed.sql.Analyses.pg;
import static io.governed.sql.Analyses.table;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Column references, per table (aliases resolved) and per clause. */
class ColumnsTest {

    private static ColumnRef col(String table, String column, Clause clause) {
        return new ColumnRef(table == null ? null : table(table), column, clause);
    }

    @Test
    void everyClauseOfAQuery() {
        StatementAnalysis s = pg("SELECT u.name, count(*) FROM users u JOIN orders o ON o.user_id = u.id "
                + "WHERE u.active GROUP BY u.name HAVING sum(o.total) > 10 ORDER BY u.name");
        assertThat(s.columns()).containsExactlyInAnyOrder(
                col("users", "name", Clause.SELECT),
                col("orders", "user_id", Clause.JOIN), col("users", "id", Clause.JOIN),
                col("users", "active", Clause.WHERE),
                col("users", "name", Clause.GROUP_BY),
                col("orders", "total", Clause.HAVING),
                col("users", "name", Clause.ORDER_BY));
    }

    @Test
    void unqualifiedColumnsBelongToTheOnlyTableInScope() {
        assertThat(pg("SELECT email FROM app.users WHERE id = 1").columns()).containsExactly(
                new ColumnRef(table("app", "users"), "email", Clause.SELECT),
                new ColumnRef(table("app", "users"), "id", Clause.WHERE));
    }

    @Test
    void aNameOfATableAliasColumnListCountsAsEveryColumnOfTheTable() {
        // customers AS t(id, name, email, city, …) names the fourth column, whichever it is, city: any column may be it
        StatementAnalysis s = pg("SELECT id FROM customers t(id, name, email, city, api_key, ssn, signed_up) "
                + "WHERE city LIKE '1%' ORDER BY name");
        assertThat(s.columns()).contains(col("customers", ColumnRef.ALL_COLUMNS, Clause.WHERE),
                col("customers", ColumnRef.ALL_COLUMNS, Clause.ORDER_BY));
        assertThat(s.columns()).doesNotContain(col(null, "city", Clause.WHERE));
        assertThat(maria("SELECT COUNT(*) FROM (SELECT * FROM customers) d GROUP BY d.ssn").columns())
                .contains(col("customers", "ssn", Clause.GROUP_BY));
    }

    @Test
    void aNameOfAColumnOfUnknownLineageCountsAsEveryColumnRead() {
        // a derived table's column computed by a function the analysis cannot trace
        assertThat(pg("SELECT 1 FROM (SELECT my_function(ssn) AS v FROM customers) d WHERE v = '1'").columns())
                .contains(new ColumnRef(null, ColumnRef.ALL_COLUMNS, Clause.WHERE));
    }

    @Test
    void ambiguousColumnsHaveNoTable() {
        assertThat(pg("SELECT email FROM users, orders").columns()).containsExactly(col(null, "email", Clause.SELECT));
    }

    @Test
    void aSelectListAliasInOrderByCountsTheColumnsItReadsThere() {
        // and, as a base table's columns are not known, for a column of that name, which GROUP BY would read first
        assertThat(pg("SELECT price * 2 AS doubled FROM items ORDER BY doubled").columns())
                .containsExactlyInAnyOrder(col("items", "price", Clause.SELECT), col("items", "price", Clause.COMPUTED),
                        col("items", "price", Clause.ORDER_BY), col("items", "doubled", Clause.ORDER_BY));
        assertThat(pg("SELECT d.price * 2 AS doubled FROM (SELECT price FROM items) d ORDER BY doubled").columns())
                .doesNotContain(col(null, "doubled", Clause.ORDER_BY), col("items", "doubled", Clause.ORDER_BY));
    }

    @Test
    void aNaturalJoinComparesTheColumnsItsSidesShare() {
        // a side whose columns are all known names the columns compared: here ssn, of either side (as USING (ssn))
        assertThat(maria("SELECT id FROM customers NATURAL JOIN (SELECT '1' AS ssn) t").columns())
                .contains(col(null, "ssn", Clause.JOIN));
        // two tables whose columns are not known: every column of both counts as compared
        assertThat(pg("SELECT o.id FROM orders o NATURAL JOIN customers c").columns())
                .contains(col("orders", ColumnRef.ALL_COLUMNS, Clause.JOIN), col("customers", ColumnRef.ALL_COLUMNS, Clause.JOIN));
    }

    @Test
    void distinctAndSetOperationsCompareTheirColumns() {
        assertThat(maria("SELECT DISTINCT ssn FROM customers").columns()).contains(col("customers", "ssn", Clause.COMPARED));
        assertThat(maria("SELECT ssn FROM customers EXCEPT SELECT '1'").columns())
                .contains(col("customers", "ssn", Clause.COMPARED));
        // UNION ALL compares nothing, but puts other values (a guess) in the column of ssn, for a later count to compare
        assertThat(maria("SELECT ssn AS x FROM customers UNION ALL SELECT '1'").columns())
                .contains(col("customers", "ssn", Clause.COMPARED));
        // branches of one origin do not: no value but the column's own is put next to it
        assertThat(maria("SELECT ssn FROM customers WHERE id = 1 UNION ALL SELECT ssn FROM customers WHERE id = 2").columns())
                .doesNotContain(col("customers", "ssn", Clause.COMPARED));
        assertThat(maria("SELECT id, ssn FROM customers").columns()).doesNotContain(col("customers", "ssn", Clause.COMPARED));
    }

    /** An unquoted name as the dialect folds it (H2: upper case). */
    private static String name(Dialect dialect, String name) {
        return dialect == Dialect.H2 ? name.toUpperCase(java.util.Locale.ROOT) : name;
    }

    @Test
    void aBareNameInASubqueryMayBeAColumnOfTheEnclosingQuery() {
        // orders' columns are not known: city may be its own or, as the database reads it when orders has none, customers'
        for (Dialect dialect : new Dialect[] {Dialect.POSTGRESQL, Dialect.MARIADB, Dialect.H2}) {
            assertThat(new SqlAnalyzer().analyze("SELECT id, (SELECT city FROM orders LIMIT 1) FROM customers", dialect)
                    .statements().get(0).columns())
                    .as(dialect.toString()).contains(col(name(dialect, "orders"), name(dialect, "city"), Clause.SELECT),
                            col(name(dialect, "customers"), name(dialect, "city"), Clause.SELECT));
        }
        // a derived table that lists the name has it: the enclosing query's column of that name is not read
        assertThat(pg("SELECT id, (SELECT city FROM (SELECT 'x' AS city) d) FROM customers").columns())
                .doesNotContain(col("customers", "city", Clause.SELECT));
        assertThat(pg("SELECT id, (SELECT o.city FROM orders o LIMIT 1) FROM customers").columns())
                .doesNotContain(col("customers", "city", Clause.SELECT));
    }

    @Test
    void anOrderByOrGroupByPositionCountsTheColumnsOfThatOutput() {
        // the analysis never depends on a literal's value: a position counts every output column's columns
        assertThat(pg("SELECT id, ssn FROM users ORDER BY 2").columns())
                .contains(col("users", "ssn", Clause.ORDER_BY), col("users", "id", Clause.ORDER_BY));
        assertThat(pg("SELECT id, count(*) FROM users GROUP BY id ORDER BY 2").columns())
                .doesNotContain(col("users", ColumnRef.ALL_COLUMNS, Clause.ORDER_BY));
        assertThat(pg("SELECT upper(ssn), count(*) FROM users GROUP BY 1").columns())
                .contains(col("users", "ssn", Clause.GROUP_BY));
        assertThat(pg("SELECT * FROM users ORDER BY 3").columns())
                .contains(col("users", ColumnRef.ALL_COLUMNS, Clause.ORDER_BY));
    }

    @Test
    void aWindowsOrderAndPartitionAndAFilterCountAsFilterColumns() {
        assertThat(pg("SELECT id, ROW_NUMBER() OVER (ORDER BY ssn) AS r FROM users").columns())
                .contains(col("users", "ssn", Clause.WINDOW));
        assertThat(pg("SELECT MIN(id) FILTER (WHERE email LIKE 'o%') FROM users").columns())
                .contains(col("users", "email", Clause.WINDOW));
        assertThat(pg("SELECT SUM(total) OVER (PARTITION BY region) FROM users").columns())
                .contains(col("users", "region", Clause.WINDOW)).doesNotContain(col("users", "total", Clause.WINDOW));
    }

    @Test
    void aPredicateOrCaseConditionOutsideWhereCountsAsAFilter() {
        assertThat(pg("SELECT SUM(CASE WHEN email LIKE 'a%' THEN 1 ELSE 0 END) FROM users").columns())
                .contains(col("users", "email", Clause.CONDITION));
        assertThat(pg("SELECT CASE ssn WHEN '1' THEN name END FROM users").columns())
                .contains(col("users", "ssn", Clause.CONDITION)).doesNotContain(col("users", "name", Clause.CONDITION));
        assertThat(pg("SELECT email LIKE 'a%' AS a FROM users").columns())
                .contains(col("users", "email", Clause.CONDITION));
        assertThat(pg("SELECT name FROM users").columns()).containsExactly(col("users", "name", Clause.SELECT));
    }

    @Test
    void mariaDbsBinaryOperatorReadsAsUntraceableNotAsAColumnNamedBinary() {
        StatementAnalysis s = maria("SELECT BINARY ssn FROM users");
        assertThat(s.resultColumns().get(0).unknownLineage()).isTrue();
        assertThat(s.columns()).contains(col(null, ColumnRef.ALL_COLUMNS, Clause.SELECT))
                .doesNotContain(col("users", "binary", Clause.SELECT));
        assertThat(maria("SELECT `binary` FROM users").columns()).containsExactly(col("users", "binary", Clause.SELECT));
    }

    @Test
    void aSubqueryTestedInWhereCountsWhatItReturnsThere() {
        assertThat(pg("SELECT id FROM users c WHERE (SELECT c.ssn) LIKE '1%'").columns())
                .contains(col("users", "ssn", Clause.WHERE));
    }

    @Test
    void subqueriesResolveTheirOwnAndCorrelatedNames() {
        StatementAnalysis s = pg("SELECT id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND total > 5)");
        assertThat(s.columns()).contains(col("orders", "user_id", Clause.WHERE), col("users", "id", Clause.WHERE),
                col("orders", "total", Clause.WHERE));
    }

    @Test
    void columnsOfDerivedTablesAreTracedToTheirBaseTables() {
        StatementAnalysis s = pg("SELECT x.mail FROM (SELECT email AS mail FROM users) x WHERE x.mail LIKE '%@corp'");
        assertThat(s.columns()).contains(col("users", "email", Clause.SELECT), col("users", "email", Clause.WHERE));
    }

    @Test
    void updateSetAndWhere() {
        StatementAnalysis s = pg("UPDATE users SET email = lower(email), name = 'x' WHERE id = 1 RETURNING id");
        assertThat(s.columns()).containsExactlyInAnyOrder(
                col("users", "email", Clause.SET), col("users", "email", Clause.VALUE), col("users", "name", Clause.SET),
                col("users", "id", Clause.WHERE), col("users", "id", Clause.RETURNING));
    }

    @Test
    void insertColumnListAndUpsertSet() {
        StatementAnalysis s = pg("INSERT INTO users (id, email) VALUES (1, 'a') ON CONFLICT (id) DO UPDATE SET email = excluded.email");
        assertThat(s.columns()).contains(col("users", "id", Clause.INSERT), col("users", "email", Clause.INSERT),
                col("users", "email", Clause.SET));
        assertThat(maria("INSERT INTO t SET a = 1").columns()).contains(col("t", "a", Clause.SET));
    }

    @Test
    void deleteUsingAndMultiTableDelete() {
        assertThat(pg("DELETE FROM orders o USING users u WHERE o.user_id = u.id AND u.banned").columns())
                .containsExactlyInAnyOrder(col("orders", "user_id", Clause.WHERE), col("users", "id", Clause.WHERE),
                        col("users", "banned", Clause.WHERE));
    }

    @Test
    void quotedColumnNamesKeepTheirCase() {
        assertThat(pg("SELECT \"Email\" FROM users").columns()).containsExactly(col("users", "Email", Clause.SELECT));
    }
}
