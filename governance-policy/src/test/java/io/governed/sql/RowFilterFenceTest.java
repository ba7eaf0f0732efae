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

    // ---- integer keys on MariaDB and H2, with the catalog's column types ----------------------------------------

    /** {@code id} and {@code total} integer columns, {@code note} a string column, of {@code orders} in any schema. */
    private static RowFilterRewriter.ColumnTypes types(Dialect dialect) {
        return (schema, table, column) -> !table.equalsIgnoreCase("orders") ? null
                : column.equalsIgnoreCase("id") || column.equalsIgnoreCase("total")
                ? (dialect == Dialect.MARIADB ? "int(11)" : "INTEGER")
                : column.equalsIgnoreCase("small") ? (dialect == Dialect.MARIADB ? "tinyint(4)" : "TINYINT")
                : column.equalsIgnoreCase("note") ? (dialect == Dialect.MARIADB ? "varchar(40)" : "CHARACTER VARYING") : null;
    }

    private static RowFilterRewriter.Rewrite typed(String sql, Dialect dialect) {
        return RowFilterRewriter.rewrite(sql, dialect, List.of(TENANT), ALICE, false, types(dialect)).rewrite();
    }

    @Test
    void onMariadbAnIntegerKeyComparedWithAParameterIsNarrowedBesideTheFilterAndStaysGuarded() {
        RowFilterRewriter.Rewrite r = typed("SELECT id, note FROM orders WHERE id = ?", Dialect.MARIADB);
        assertThat(r.sql()).isEqualTo("SELECT id, note FROM (SELECT * FROM orders gvrf_1 WHERE (gvrf_1.tenant_id = ?) "
                + "AND gvrf_1.id BETWEEN ? AND ? LIMIT 18446744073709551615) AS orders WHERE id = ?");
        assertThat(r.bindings()).extracting(RowFilterRewriter.Binding::value).containsExactly("t1",
                new RowFilterRewriter.Narrowing(1, Integer.MIN_VALUE, Integer.MAX_VALUE, false),
                new RowFilterRewriter.Narrowing(1, Integer.MIN_VALUE, Integer.MAX_VALUE, true), null);
        assertThat(r.applicationIndexes()).containsExactly(0, 4);
        assertThat(typed("UPDATE orders SET note = 'x' WHERE id = ? AND note <> ?", Dialect.MARIADB).sql())
                .isEqualTo("UPDATE orders SET note = 'x' WHERE orders.id BETWEEN ? AND ? AND (orders.tenant_id = ?) "
                        + "AND CASE WHEN (orders.tenant_id = ?) THEN (id = ? AND note <> ?) END");
    }

    @Test
    void anIntegerLiteralOfTheColumnsRangeIsCopiedBesideTheFilter() {
        assertThat(typed("SELECT id FROM orders WHERE id = 42", Dialect.MARIADB).sql())
                .isEqualTo("SELECT id FROM (SELECT * FROM orders gvrf_1 WHERE (gvrf_1.tenant_id = ?) AND gvrf_1.id = 42 "
                        + "LIMIT 18446744073709551615) AS orders WHERE id = 42");
        assertThat(typed("DELETE FROM orders WHERE -7 = id", Dialect.H2).sql())
                .isEqualTo("DELETE FROM orders WHERE -7 = orders.id AND (orders.tenant_id = ?) "
                        + "AND CASE WHEN (orders.tenant_id = ?) THEN (-7 = id) END");
        assertThat(typed("UPDATE orders SET note = 'x' WHERE small = -128", Dialect.MARIADB).sql())
                .startsWith("UPDATE orders SET note = 'x' WHERE orders.small = -128 AND");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id = '42'", "id = 4.0", "id = 4e0", "id = 0x2A", "id = X'2A'", "id = b'1'", "note = 42",
            "note = ?", "small = 128", "small = -129", "id = 2147483648", "id = 99999999999999999999999", "id <> 42",
            "id IN (42)", "id BETWEEN 1 AND 2", "id = ? + 1", "id = total", "unknown = 1", "id = - -4", "id <=> 4",
            "id = :n"})
    void anythingButAnIntegerOfAnIntegerColumnsRangeStaysGuarded(String condition) {
        for (Dialect dialect : List.of(Dialect.MARIADB, Dialect.H2)) {
            String sql = "UPDATE orders SET note = 'x' WHERE " + condition;
            RowFilterRewriter.Rewrite r;
            try {
                r = typed(sql, dialect);
            } catch (RowFilterRewriter.RefusedException | IllegalArgumentException refused) {
                continue; // refused or unreadable: nothing runs
            }
            assertThat(r.sql()).as(dialect + ": " + condition).startsWith("UPDATE orders SET note = 'x' WHERE "
                    + "(orders.tenant_id = ?) AND CASE WHEN");
        }
    }

    @Test
    void onH2AParameterIsNotNarrowedItsPlanIsMadeBeforeItIsBound() {
        assertThat(typed("UPDATE orders SET note = 'x' WHERE id = ?", Dialect.H2).sql())
                .isEqualTo("UPDATE orders SET note = 'x' WHERE (orders.tenant_id = ?) "
                        + "AND CASE WHEN (orders.tenant_id = ?) THEN (id = ?) END");
        assertThat(typed("SELECT id FROM orders WHERE id = ?", Dialect.H2).sql())
                .isEqualTo("SELECT id FROM (SELECT * FROM orders gvrf_1 WHERE (gvrf_1.tenant_id = ?)) AS orders WHERE id = ?");
    }

    @Test
    void withoutTheColumnsTypeOrOnPostgresqlNothingChanges() {
        for (String sql : List.of("SELECT id FROM orders WHERE id = ?", "UPDATE orders SET note = 'x' WHERE id = 42",
                "DELETE FROM orders WHERE id = ? AND note = 'x'")) {
            for (Dialect dialect : List.of(Dialect.MARIADB, Dialect.H2, Dialect.POSTGRESQL)) {
                assertThat(RowFilterRewriter.rewrite(sql, dialect, List.of(TENANT), ALICE, false,
                        RowFilterRewriter.ColumnTypes.NONE).rewrite().sql()).isEqualTo(rewrite(sql, dialect).sql());
            }
            assertThat(typed(sql, Dialect.POSTGRESQL).sql()).isEqualTo(rewrite(sql, Dialect.POSTGRESQL).sql());
        }
    }

    @Test
    void aNarrowingIsTheBoundIntegerOfTheRangeElseTheWholeRange() {
        RowFilterRewriter.Narrowing lower = new RowFilterRewriter.Narrowing(1, -128, 127, false);
        RowFilterRewriter.Narrowing upper = new RowFilterRewriter.Narrowing(1, -128, 127, true);
        assertThat(lower.bound(5L)).isEqualTo(5);
        assertThat(upper.bound(5L)).isEqualTo(5);
        assertThat(lower.bound(null)).isEqualTo(-128);
        assertThat(upper.bound(null)).isEqualTo(127);
        assertThat(lower.bound(128L)).isEqualTo(-128);
        assertThat(upper.bound(-129L)).isEqualTo(127);
    }

    @Test
    void theCacheMakesTheRewriteAgainWhenAColumnsTypeChanges() {
        RowFilterRewriteCache cache = new RowFilterRewriteCache();
        String[] type = {"int(11)"};
        RowFilterRewriter.ColumnTypes types = (schema, table, column) -> column.equals("id") ? type[0] : null;
        String sql = "UPDATE orders SET note = 'x' WHERE id = 42";
        assertThat(cache.rewrite(sql, Dialect.MARIADB, List.of(TENANT), ALICE, false, types).sql())
                .startsWith("UPDATE orders SET note = 'x' WHERE orders.id = 42 AND");
        type[0] = "varchar(10)";
        assertThat(cache.rewrite(sql, Dialect.MARIADB, List.of(TENANT), ALICE, false, types).sql())
                .startsWith("UPDATE orders SET note = 'x' WHERE (orders.tenant_id = ?) AND CASE");
        type[0] = "int(11)";
        assertThat(cache.rewrite(sql, Dialect.MARIADB, List.of(TENANT), ALICE, false, types).sql())
                .startsWith("UPDATE orders SET note = 'x' WHERE orders.id = 42 AND");
    }

    @ParameterizedTest
    @ValueSource(strings = {"int(11)", "int", "INT(10) UNSIGNED", "bigint(20)", "tinyint(1)", "smallint(5) unsigned zerofill",
            "mediumint(8)"})
    void mariadbIntegerTypes(String type) {
        assertThat(IntegerColumns.range(Dialect.MARIADB, type)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bigint(20) unsigned", "decimal(10,0)", "double", "bit(1)", "year(4)", "varchar(10)",
            "enum('1','2')", "int(11) generated", "integer", "INTEGER ARRAY"})
    void otherMariadbAndH2TypesProveNothing(String type) {
        if (!type.equals("integer")) {
            assertThat(IntegerColumns.range(Dialect.MARIADB, type)).isNull();
        }
        assertThat(IntegerColumns.range(Dialect.H2, type)).isNull();
        assertThat(IntegerColumns.range(Dialect.POSTGRESQL, "integer")).isNull();
    }
}
