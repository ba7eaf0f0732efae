package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.governed.sql.names.AnalysisResolution;
import io.governed.sql.names.NameResolver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A write bounded through a subquery (or a joined relation, or a routine's result) is bounded only when what those read
 * is not the written table under another name: a view of it (at any depth, in any schema), a CTE over it, one of its
 * partitions or parents, a foreign table, a routine whose body is not read. The catalog must show each relation a
 * distinct table, or a view over distinct tables only; anything not shown leaves the write unbounded.
 */
class BoundThroughOtherRelationsTest {

    private static final NameResolver SHOP = new Catalogs.Builder("public", "reports")
            .table("public.payments", "id", "order_id", "amount")
            .table("public.orders", "id", "customer_id", "status")
            .view("public.payments_v", "SELECT payments.id, payments.order_id, payments.amount FROM payments",
                    "id", "order_id", "amount")
            .view("reports.payments_r", "SELECT v.id, v.order_id FROM public.payments_v v", "id", "order_id")
            .view("reports.payments_deep", "SELECT r.id FROM reports.payments_r r", "id")
            .view("public.orders_v", "SELECT o.id, o.status FROM orders o", "id", "status")
            .view("public.mixed_v", "SELECT o.id FROM orders o JOIN payments p ON p.order_id = o.id", "id")
            .other("public.remote_payments", "id")
            .table("public.payments_all", "id", "amount")
            .table("public.payments_2024", "id", "amount")
            .partition("public.payments_2024", "public.payments_all")
            .build();

    private static StatementAnalysis resolved(String sql) {
        SqlAnalysis analysis = new SqlAnalyzer(0).analyze(sql, Dialect.POSTGRESQL);
        assertThat(analysis.parseError()).as(sql).isNull();
        return AnalysisResolution.resolve(analysis, SHOP).statements().get(0);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "DELETE FROM payments WHERE id IN (SELECT id FROM payments_v)",
        "DELETE FROM payments WHERE id IN (SELECT v.id FROM payments_v v)",
        "DELETE FROM payments WHERE id IN (SELECT v.id FROM public.payments_v v WHERE v.amount > 0)",
        "UPDATE payments SET amount = 0 WHERE id IN (SELECT v.id FROM payments_v v)",
        "DELETE FROM payments WHERE EXISTS (SELECT 1 FROM payments_v v WHERE v.id = payments.id)",
        "DELETE FROM payments p WHERE EXISTS (SELECT 1 FROM payments_v v WHERE v.id = p.id)",
        "DELETE FROM payments WHERE id = ANY (SELECT v.id FROM payments_v v)",
        "DELETE FROM payments WHERE id IN (SELECT r.id FROM reports.payments_r r)",
        "DELETE FROM payments WHERE id IN (SELECT r.id FROM payments_r r)",
        "DELETE FROM payments WHERE id IN (SELECT d.id FROM payments_deep d)",
        "UPDATE public.payments SET amount = 0 WHERE id IN (SELECT d.id FROM reports.payments_deep d)",
        "DELETE FROM payments WHERE id IN (SELECT m.id FROM mixed_v m)",
        "DELETE FROM payments WHERE id IN (SELECT x.id FROM (SELECT v.id FROM payments_v v) x)",
        "DELETE FROM payments WHERE id IN (SELECT o.id FROM orders o UNION SELECT v.id FROM payments_v v)",
        "DELETE FROM payments WHERE id IN (WITH c AS (SELECT v.id FROM payments_v v) SELECT c.id FROM c)",
    })
    void aSubqueryOverAViewOfTheWrittenTableDoesNotBoundIt(String sql) {
        assertThat(resolved(sql).where().unbounded()).as(sql).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        // a CTE of the statement over the written table itself
        "WITH c AS (SELECT p.id FROM payments p) DELETE FROM payments WHERE id IN (SELECT c.id FROM c)",
        "WITH c AS (SELECT v.id FROM payments_v v) UPDATE payments SET amount = 0 WHERE id IN (SELECT c.id FROM c)",
        // a sibling CTE of a DELETE nested in a WITH
        "WITH c AS (SELECT p.id FROM payments p), d AS (DELETE FROM payments WHERE id IN (SELECT c.id FROM c) RETURNING id)"
                + " SELECT count(*) FROM d",
        "WITH c AS (SELECT v.id FROM payments_v v), d AS (DELETE FROM payments WHERE id IN (SELECT c.id FROM c)"
                + " RETURNING id) SELECT count(*) FROM d",
        // a partition's parent holds the partition's rows, and a parent's partitions hold its rows
        "DELETE FROM payments_2024 WHERE id IN (SELECT a.id FROM payments_all a)",
        "DELETE FROM payments_all WHERE id IN (SELECT p.id FROM payments_2024 p)",
        // a relation whose rows may be any table's, or whose kind is not known
        "DELETE FROM payments WHERE id IN (SELECT r.id FROM remote_payments r)",
        "DELETE FROM payments WHERE id IN (SELECT n.id FROM nowhere n)",
        // routines whose bodies are not read may return every id of the written table
        "DELETE FROM payments WHERE id IN (SELECT f.id FROM all_payments() f)",
        "DELETE FROM payments WHERE id IN (SELECT all_payment_ids())",
        "DELETE FROM payments WHERE id = ANY (all_payment_ids())",
        "DELETE FROM payments WHERE id IN (SELECT o.id FROM orders o WHERE o.status = my_status())",
        // a joined view of the written table
        "DELETE FROM payments USING payments_v v WHERE payments.id = v.id",
        "UPDATE payments SET amount = 0 FROM payments_v v WHERE payments.id = v.id",
    })
    void whatMayHoldTheWrittenTablesRowsDoesNotBoundIt(String sql) {
        SqlAnalysis analysis = new SqlAnalyzer(0).analyze(sql, Dialect.POSTGRESQL);
        assertThat(AnalysisResolution.resolve(analysis, SHOP).statements())
                .filteredOn(s -> s.where() != WhereKind.NOT_APPLICABLE).as(sql).isNotEmpty()
                .allSatisfy(s -> assertThat(s.where().unbounded()).as(sql).isTrue());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "DELETE FROM payments WHERE order_id IN (SELECT o.id FROM orders o WHERE o.status = 'x')",
        "DELETE FROM payments WHERE order_id IN (SELECT id FROM orders WHERE status = 'x')",
        "DELETE FROM payments WHERE order_id IN (SELECT v.id FROM orders_v v WHERE v.status = 'x')",
        "DELETE FROM payments WHERE EXISTS (SELECT 1 FROM orders o WHERE o.id = payments.order_id AND o.status = 'x')",
        "UPDATE payments SET amount = 0 WHERE order_id = ANY (SELECT o.id FROM orders o WHERE o.status = 'x')",
        "DELETE FROM payments USING orders o WHERE payments.order_id = o.id AND o.status = 'x'",
        "DELETE FROM payments WHERE id IN (SELECT v.id FROM payments_v v) AND id = 1",
    })
    void aSubqueryOverDistinctTablesStillBounds(String sql) {
        assertThat(resolved(sql).where()).as(sql).isEqualTo(WhereKind.PRESENT);
    }

    /**
     * MariaDB as its driver reads it: every name in the current database, tables and views told by
     * information_schema.TABLES, no partitions or parents told (none has a name of its own there).
     */
    private static final NameResolver MARIADB_SHOP = new NameResolver() {
        @Override
        public io.governed.sql.names.Resolution resolve(String name) {
            return io.governed.sql.names.Resolution.in("shop");
        }

        @Override
        public RelationKind relationKind(String schema, String name) {
            return switch (name) {
                case "payments", "orders" -> RelationKind.TABLE;
                case "payments_v" -> RelationKind.VIEW;
                case "payments_merge" -> RelationKind.OTHER;
                default -> null;
            };
        }

        @Override
        public String viewDefinition(String schema, String name) {
            return name.equals("payments_v") ? "select `shop`.`payments`.`id` AS `id` from `shop`.`payments`" : null;
        }
    };

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "DELETE FROM payments WHERE id IN (SELECT v.id FROM payments_v v)",
        "UPDATE payments SET amount = 0 WHERE EXISTS (SELECT 1 FROM payments_v v WHERE v.id = payments.id)",
        "DELETE FROM payments WHERE id IN (SELECT m.id FROM payments_merge m)",
    })
    void onMariaDbAViewOfTheWrittenTableOrAMergeTableDoesNotBoundIt(String sql) {
        SqlAnalysis analysis = new SqlAnalyzer(0).analyze(sql, Dialect.MARIADB);
        assertThat(AnalysisResolution.resolve(analysis, MARIADB_SHOP).statements().get(0).where().unbounded()).as(sql)
                .isTrue();
    }

    @Test
    void onMariaDbADistinctBaseTableBoundsWithoutPartitionsToTell() {
        SqlAnalysis analysis = new SqlAnalyzer(0).analyze(
                "DELETE FROM payments WHERE order_id IN (SELECT o.id FROM orders o WHERE o.status = ?)", Dialect.MARIADB);
        assertThat(AnalysisResolution.resolve(analysis, MARIADB_SHOP).statements().get(0).where())
                .isEqualTo(WhereKind.PRESENT);
    }

    @Test
    void aBoundThroughAnotherRelationIsNotProvenWithoutTheCatalog() {
        SqlAnalysis analysis = new SqlAnalyzer(0).analyze(
                "DELETE FROM payments WHERE order_id IN (SELECT o.id FROM orders o)", Dialect.POSTGRESQL);
        assertThat(analysis.statements().get(0).where().unbounded()).isTrue();
        assertThat(AnalysisResolution.resolve(analysis, NameResolver.unknown()).statements().get(0).where().unbounded())
                .isTrue();
    }

    @Test
    void aBoundOnTheWrittenRowAloneNeedsNoCatalog() {
        assertThat(Analyses.pg("DELETE FROM payments WHERE id = 1").where()).isEqualTo(WhereKind.PRESENT);
        assertThat(Analyses.pg("DELETE FROM payments WHERE created < now() AND lower(note) LIKE ?").where())
                .isEqualTo(WhereKind.PRESENT);
    }

    @Test
    void theRefusalSaysWhichRelationWasNotProvenAndHowToFixIt() {
        StatementAnalysis s = resolved("DELETE FROM payments WHERE id IN (SELECT v.id FROM payments_v v)");
        assertThat(s.unprovenBound()).contains("public.payments_v").contains("public.payments")
                .contains("view");
    }
}
