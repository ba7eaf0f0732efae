package io.governed.sql;

import io.governed.identity.Identity;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The fence a row filter is applied behind, and which of the caller's conjuncts go beside the filter. */
class RowFilterFenceTest {

    private static final Identity ALICE = Identity.builder("alice").attribute("tenant", "t1").build();
    private static final RowFilterRewriter.Filter TENANT = new RowFilterRewriter.Filter("tenant-isolation",
            t -> t.name().equalsIgnoreCase("orders"), RowCondition.parse("tenant_id = :identity.tenant"));
    private static final Predicate<Column> OWN = c -> c.getTable() == null || c.getTable().getName() == null
            || c.getTable().getSchemaName() == null && c.getTable().getName().equals("o");

    private static RowFilterRewriter.Rewrite rewrite(String sql, Dialect dialect) {
        return RowFilterRewriter.rewrite(sql, dialect, List.of(TENANT), ALICE);
    }

    private static Expression parse(String condition) throws Exception {
        return CCJSqlParserUtil.parseCondExpression(condition);
    }

    @ParameterizedTest
    @ValueSource(strings = {"o.id = 1", "id <> ?", "o.id != 1", "1 < o.id", "o.id <= -2", "o.note > 'x'", "o.note >= ?",
            "o.id IN (1, 2, ?)", "o.id NOT IN ('a')", "o.id BETWEEN 1 AND ?", "o.id NOT BETWEEN ? AND 3", "o.note IS NULL",
            "note IS NOT NULL", "(o.id = 1)", "1.5 = o.id"})
    void plainComparisonsOfAColumnWithAValueAreSafeOnPostgresql(String condition) throws Exception {
        assertThat(FenceConjuncts.safe(parse(condition), Dialect.POSTGRESQL, OWN)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1 / o.id = 1", "o.id + 0 = 1", "upper(o.note) = 'X'", "o.note LIKE 'x%'", "o.id = o.total",
            "o.id = (SELECT 1)", "o.id IN (SELECT 1)", "o.id = ? + 1", "o.id = abs(1)", "o.id = 1 OR o.note = 'x'",
            "NOT o.id = 1", "CAST(o.note AS int) = 1", "o.note::int = 1", "'x' ~ o.note", "o.id IS DISTINCT FROM 1",
            "CASE WHEN o.note = 'x' THEN 1 ELSE 0 END = 1", "i.id = 1", "i.note IS NULL", "s.o.id = 1", "o.id IN ()",
            "o.id = DATE '2024-01-01'", "o.id BETWEEN SYMMETRIC 1 AND 2", "o.id = :name"})
    void everythingElseIsNotSafe(String condition) throws Exception {
        Expression e;
        try {
            e = parse(condition);
        } catch (Exception unparsed) {
            return; // nothing the parser cannot read reaches the rewrite
        }
        assertThat(FenceConjuncts.safe(e, Dialect.POSTGRESQL, OWN)).as(condition).isFalse();
        assertThat(FenceConjuncts.safe(e, Dialect.MARIADB, OWN)).as(condition).isFalse();
        assertThat(FenceConjuncts.safe(e, Dialect.H2, OWN)).as(condition).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"o.id = 1", "note = 5", "o.id = ?", "o.id IN (1, 2)", "o.id BETWEEN 1 AND 2", "o.note = 'x'"})
    void onMariadbAndH2OnlyNullTestsAreSafe(String condition) throws Exception {
        // MariaDB converts a character column compared with a number on every row, warning for each that is no number,
        // and a text compared with a numeric column once a row is evaluated: without the column's type nothing is proven
        assertThat(FenceConjuncts.safe(parse(condition), Dialect.MARIADB, OWN)).isFalse();
        assertThat(FenceConjuncts.safe(parse(condition), Dialect.H2, OWN)).isFalse();
        assertThat(FenceConjuncts.safe(parse("o.note IS NULL"), Dialect.MARIADB, OWN)).isTrue();
        assertThat(FenceConjuncts.safe(parse("o.note IS NOT NULL"), Dialect.H2, OWN)).isTrue();
    }

    @Test
    void theConjunctsAreTheAndedPartsThroughParentheses() throws Exception {
        assertThat(FenceConjuncts.conjuncts(parse("a = 1 AND (b = 2 AND c = 3) AND (d = 4 OR e = 5)")))
                .extracting(Object::toString).containsExactly("a = 1", "b = 2", "c = 3", "(d = 4 OR e = 5)");
    }

    @Test
    void postgresqlFencesTheDerivedTableWithOffsetZeroAndMovesAParameterisedPointLookupInside() {
        RowFilterRewriter.Rewrite r = rewrite("SELECT id, note FROM orders WHERE id = ?", Dialect.POSTGRESQL);
        assertThat(r.sql()).isEqualTo("SELECT id, note FROM (SELECT * FROM orders gvrf_1 WHERE (gvrf_1.tenant_id = ?) "
                + "AND gvrf_1.id = ? OFFSET 0) AS orders");
        assertThat(r.applicationIndexes()).containsExactly(0, 2);
        assertThat(r.bindings().get(0).value()).isEqualTo("t1");
    }

    @Test
    void anUnsafeConditionStaysOutsideTheFence() {
        assertThat(rewrite("SELECT id FROM orders o WHERE o.id = 7 AND 'x' ~ o.note", Dialect.POSTGRESQL).sql())
                .isEqualTo("SELECT id FROM (SELECT * FROM orders gvrf_1 WHERE (gvrf_1.tenant_id = ?) AND gvrf_1.id = 7 "
                        + "OFFSET 0) o WHERE o.id = 7 AND 'x' ~ o.note");
    }

    @Test
    void mariadbFencesTheDerivedTableWithALimitThatLimitsNothing() {
        assertThat(rewrite("SELECT id FROM orders WHERE id = ? AND note IS NULL", Dialect.MARIADB).sql())
                .isEqualTo("SELECT id FROM (SELECT * FROM orders gvrf_1 WHERE (gvrf_1.tenant_id = ?) AND gvrf_1.note IS NULL "
                        + "LIMIT 18446744073709551615) AS orders WHERE id = ? AND note IS NULL");
    }

    @Test
    void h2KeepsThePlainDerivedTable() {
        assertThat(rewrite("SELECT id FROM orders WHERE id = ?", Dialect.H2).sql())
                .isEqualTo("SELECT id FROM (SELECT * FROM orders gvrf_1 WHERE (gvrf_1.tenant_id = ?)) AS orders WHERE id = ?");
    }

    @Test
    void anUnqualifiedColumnOfASubqueryIsNotPushed() {
        // inside a subquery, a bare name may be the outer query's column
        assertThat(rewrite("SELECT id FROM items WHERE EXISTS (SELECT 1 FROM orders WHERE order_id = 1)", Dialect.POSTGRESQL)
                .sql()).contains("WHERE (gvrf_1.tenant_id = ?) OFFSET 0) AS orders WHERE order_id = 1)");
        assertThat(rewrite("SELECT id FROM items i WHERE EXISTS (SELECT 1 FROM orders o WHERE o.id = 1)", Dialect.POSTGRESQL)
                .sql()).contains("WHERE (gvrf_1.tenant_id = ?) AND gvrf_1.id = 1 OFFSET 0) o WHERE o.id = 1)");
    }

    @Test
    void anOuterJoinKeepsItsConditionsOutside() {
        assertThat(rewrite("SELECT o.id FROM orders o LEFT JOIN items i ON i.order_id = o.id WHERE o.note IS NULL",
                Dialect.POSTGRESQL).sql()).startsWith("SELECT o.id FROM (SELECT * FROM orders gvrf_1 WHERE "
                + "(gvrf_1.tenant_id = ?) OFFSET 0) o LEFT JOIN");
    }

    @Test
    void updateAndDeleteEvaluateTheCallersConditionOnAdmittedRowsOnly() {
        assertThat(rewrite("UPDATE orders SET total = 1 WHERE id = ? AND 1 / total = 1", Dialect.POSTGRESQL).sql())
                .isEqualTo("UPDATE orders SET total = 1 WHERE orders.id = ? AND (orders.tenant_id = ?) "
                        + "AND CASE WHEN (orders.tenant_id = ?) THEN (1 / total = 1) END");
        assertThat(rewrite("DELETE FROM orders WHERE id = 3 AND IF(note = 'x', 1, 2) = 1", Dialect.MARIADB).sql())
                .isEqualTo("DELETE FROM orders WHERE (orders.tenant_id = ?) "
                        + "AND CASE WHEN (orders.tenant_id = ?) THEN (id = 3 AND if(note = 'x', 1, 2) = 1) END");
        assertThat(rewrite("DELETE FROM orders WHERE id = ?", Dialect.POSTGRESQL).sql())
                .isEqualTo("DELETE FROM orders WHERE orders.id = ? AND (orders.tenant_id = ?)");
        assertThat(rewrite("UPDATE orders SET total = 1", Dialect.MARIADB).sql())
                .isEqualTo("UPDATE orders SET total = 1 WHERE (orders.tenant_id = ?)");
    }

    @Test
    void aMixedConjunctStaysWhereItWas() {
        // a literal and a parameter: the parameter cannot be bound twice and the literal's place cannot move
        assertThat(rewrite("SELECT id FROM orders WHERE id BETWEEN 1 AND ?", Dialect.POSTGRESQL).sql())
                .isEqualTo("SELECT id FROM (SELECT * FROM orders gvrf_1 WHERE (gvrf_1.tenant_id = ?) OFFSET 0) AS orders "
                        + "WHERE id BETWEEN 1 AND ?");
    }
}
