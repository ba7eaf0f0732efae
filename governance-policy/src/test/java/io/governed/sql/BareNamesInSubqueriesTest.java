package io.governed.sql;

import static io.governed.sql.Analyses.first;
import static io.governed.sql.Analyses.maria;
import static io.governed.sql.Analyses.pg;
import static org.assertj.core.api.Assertions.assertThat;

import io.governed.sql.names.AnalysisResolution;
import io.governed.sql.names.NameResolver;
import io.governed.sql.names.Resolution;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An unqualified name inside a subquery is the subquery's own only when one of its tables has such a column; otherwise it
 * is the written table's, and {@code id IN (SELECT id FROM audit_log)} holds for every row. The analysis records the
 * names a bound rests on; only the catalog makes the write bounded.
 */
class BareNamesInSubqueriesTest {

    /** A catalog: per schema-qualified table, its columns; every unqualified name is in {@code public}, certainly. */
    private record Catalog(Map<String, Set<String>> tables, Resolution resolution) implements NameResolver {
        Catalog(Map<String, Set<String>> tables) {
            this(tables, null);
        }

        @Override
        public Resolution resolve(String name) {
            return resolution != null ? resolution : Resolution.in("public");
        }

        /** Each table of the catalog is a table of its own, with no partitions or parents. */
        @Override
        public RelationKind relationKind(String schema, String name) {
            return tables.containsKey(schema + "." + name) ? RelationKind.TABLE : null;
        }

        @Override
        public List<TableRef> ancestors(String schema, String name) {
            return List.of();
        }

        @Override
        public List<TableRef> descendants(String schema, String name) {
            return List.of();
        }

        @Override
        public Set<String> columns(String schema, String name) {
            return tables.get(schema + "." + name);
        }
    }

    private static final Catalog SHOP = new Catalog(Map.of(
            "public.payments", Set.of("id", "order_id", "amount"),
            "public.audit_log", Set.of("entry_no", "action"),
            "public.customers", Set.of("id", "status", "country"),
            "public.orders", Set.of("id", "customer_id", "status")));

    private static StatementAnalysis resolved(String sql, Dialect dialect, NameResolver names) {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, dialect);
        return AnalysisResolution.resolve(analysis, names).statements().get(0);
    }

    private static StatementAnalysis resolved(String sql, NameResolver names) {
        return resolved(sql, Dialect.POSTGRESQL, names);
    }

    @Test
    void aBareNameInASubqueryIsRecordedAndTheWriteIsUnboundedUntilItIsFound() {
        StatementAnalysis s = pg("DELETE FROM payments WHERE id IN (SELECT id FROM audit_log)");
        assertThat(s.where()).isEqualTo(WhereKind.ALWAYS_TRUE);
        assertThat(s.where().unbounded()).isTrue();
        assertThat(s.boundIf()).containsExactly(List.of(new BareColumn("id", List.of(new TableRef(null, "audit_log")))));
    }

    @Test
    void everyBareNameOfTheSubqueryIsRecorded() {
        StatementAnalysis s = pg("DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE status = 'x')");
        assertThat(s.where()).isEqualTo(WhereKind.ALWAYS_TRUE);
        assertThat(s.boundIf()).hasSize(1);
        assertThat(s.boundIf().get(0)).extracting(BareColumn::column).containsExactlyInAnyOrder("id", "status");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "DELETE FROM orders WHERE customer_id IN (SELECT c.id FROM customers c WHERE c.status = 'x')",
        "DELETE FROM orders WHERE customer_id IN (SELECT customers.id FROM customers)",
        "DELETE FROM orders WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = orders.customer_id AND c.status = 'x')",
        "DELETE FROM orders WHERE id = 5 AND customer_id IN (SELECT id FROM customers)",
        "WITH x AS (SELECT 1 AS id) DELETE FROM orders WHERE id IN (SELECT id FROM x)",
        "DELETE FROM orders WHERE id IN (SELECT d.n FROM (SELECT c.id AS n FROM customers c) d)",
        "DELETE FROM orders WHERE id IN (SELECT n FROM (SELECT c.id AS n FROM customers c) d)",
        "DELETE FROM orders WHERE id IN (SELECT n FROM (SELECT c.id FROM customers c) d(n))",
    })
    void qualifiedNamesAndKnownDerivedColumnsNeedNoColumnLookup(String sql) {
        // no name to find; what the subquery reads is still the catalog's to show distinct from the written table
        // (BoundThroughOtherRelationsTest)
        assertThat(pg(sql).boundIf()).isEmpty();
        assertThat(resolved(sql, SHOP).where()).isEqualTo(WhereKind.PRESENT);
    }

    @Test
    void aDerivedTableSelectingStarProvesNothing() {
        StatementAnalysis s = pg("DELETE FROM payments WHERE id IN (SELECT id FROM (SELECT * FROM audit_log) d)");
        assertThat(s.where()).isEqualTo(WhereKind.ALWAYS_TRUE);
        assertThat(s.boundIf()).containsExactly(List.of(new BareColumn("id", List.of())));
        assertThat(resolved("DELETE FROM payments WHERE id IN (SELECT id FROM (SELECT * FROM customers) d)", SHOP).where())
                .isEqualTo(WhereKind.ALWAYS_TRUE);
    }

    @Test
    void aNestedSubqueryMayFindTheNameInAnEnclosingSubquerysTable() {
        String sql = "DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE status IN"
                + " (SELECT action FROM audit_log WHERE entry_no = id))";
        assertThat(pg(sql).boundIf().get(0)).contains(new BareColumn("id",
                List.of(new TableRef(null, "audit_log"), new TableRef(null, "customers"))));
        assertThat(resolved(sql, SHOP).where()).isEqualTo(WhereKind.PRESENT);
    }

    @Test
    void aQualifiedNameOfTheTargetInADerivedTableIsSeen() {
        assertThat(pg("DELETE FROM payments WHERE id IN (SELECT d.i FROM (SELECT payments.id AS i FROM audit_log) d)").where())
                .isEqualTo(WhereKind.ALWAYS_TRUE);
    }

    @Test
    void anExistsSubqueryWhoseTableIsNamedAsTheTargetDoesNotBound() {
        assertThat(resolved("DELETE FROM payments WHERE EXISTS (SELECT 1 FROM audit_log payments WHERE payments.entry_no = 1)",
                SHOP).where()).isEqualTo(WhereKind.ALWAYS_TRUE);
    }

    @Test
    void theCatalogFindingTheNameMakesTheWriteBounded() {
        assertThat(resolved("DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE status = 'x')", SHOP)
                .where()).isEqualTo(WhereKind.PRESENT);
        assertThat(resolved("UPDATE orders SET status = 'y' WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id ="
                + " orders.customer_id AND country = 'GB')", SHOP).where()).isEqualTo(WhereKind.PRESENT);
        assertThat(resolved("DELETE FROM public.orders WHERE customer_id IN (SELECT id FROM public.customers)", SHOP).where())
                .isEqualTo(WhereKind.PRESENT);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "DELETE FROM payments WHERE id IN (SELECT id FROM audit_log)",
        "UPDATE payments SET amount = 0 WHERE id IN (SELECT id FROM audit_log)",
        "DELETE FROM payments WHERE id = (SELECT id FROM audit_log LIMIT 1)",
        "DELETE FROM payments WHERE id = ANY (SELECT id FROM audit_log)",
        "DELETE FROM payments WHERE EXISTS (SELECT 1 FROM audit_log a WHERE a.entry_no = 1 AND id = payments.id)",
        "DELETE FROM payments WHERE id IN (SELECT id FROM audit_log WHERE entry_no IN (SELECT entry_no FROM audit_log))",
        "DELETE FROM payments WHERE id IN (SELECT id FROM public.audit_log)",
        "DELETE FROM payments WHERE id IN (SELECT id FROM missing_table)",
        "DELETE FROM payments WHERE id IN (SELECT id FROM customers WHERE action = 'x')",
        "DELETE FROM payments WHERE amount > 0 OR id IN (SELECT id FROM audit_log)",
    })
    void aNameNotFoundInTheSubquerysTablesLeavesTheWriteUnbounded(String sql) {
        StatementAnalysis s = resolved(sql, SHOP);
        assertThat(s.where()).isEqualTo(WhereKind.ALWAYS_TRUE);
        assertThat(s.boundIf()).isNotEmpty();
        assertThat(s.unprovenBound()).contains("unqualified name").contains("Qualify");
    }

    @Test
    void theExplanationNamesTheMissingColumnAndTable() {
        StatementAnalysis s = resolved("DELETE FROM payments WHERE id IN (SELECT id FROM audit_log)", SHOP);
        assertThat(s.unprovenBound()).contains("the unqualified name id inside a subquery")
                .contains("could not be found in audit_log").contains("audit_log.id");
    }

    @Test
    void anUncertainOrUnknownCatalogProvesNothing() {
        String sql = "DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers)";
        assertThat(resolved(sql, NameResolver.unknown()).where()).isEqualTo(WhereKind.ALWAYS_TRUE);
        assertThat(resolved(sql, NameResolver.fixed("public")).where()).isEqualTo(WhereKind.ALWAYS_TRUE); // columns unknown
        assertThat(resolved(sql, new Catalog(SHOP.tables(), new Resolution(List.of("public"), false))).where())
                .isEqualTo(WhereKind.ALWAYS_TRUE);
        // the name may be in two schemas: the column must be in both
        Catalog twoSchemas = new Catalog(Map.of("public.customers", Set.of("id"), "shop.customers", Set.of("code"),
                "public.orders", Set.of("id", "customer_id")), new Resolution(List.of("public", "shop"), true));
        assertThat(resolved(sql, twoSchemas).where()).isEqualTo(WhereKind.ALWAYS_TRUE);
        Catalog both = new Catalog(Map.of("public.customers", Set.of("id"), "shop.customers", Set.of("id")),
                new Resolution(List.of("public", "shop"), true));
        assertThat(resolved(sql, both).where()).isEqualTo(WhereKind.PRESENT);
    }

    @Test
    void aStatementWithOnlyQualifiedTablesIsStillProven() {
        Catalog catalog = new Catalog(Map.of("shop.customers", Set.of("code")));
        assertThat(resolved("DELETE FROM shop.orders WHERE customer_id IN (SELECT id FROM shop.customers)", catalog).where())
                .isEqualTo(WhereKind.ALWAYS_TRUE);
        Catalog withId = new Catalog(Map.of("shop.customers", Set.of("id")));
        assertThat(resolved("DELETE FROM shop.orders WHERE customer_id IN (SELECT id FROM shop.customers)", withId).where())
                .isEqualTo(WhereKind.PRESENT);
    }

    @Test
    void eachDialectRecordsTheNames() {
        assertThat(maria("DELETE FROM payments WHERE id IN (SELECT id FROM audit_log)").boundIf()).isNotEmpty();
        assertThat(first("DELETE FROM payments WHERE id IN (SELECT id FROM audit_log)", Dialect.H2).boundIf()).isNotEmpty();
        Catalog h2 = new Catalog(Map.of("PUBLIC.AUDIT_LOG", Set.of("ENTRY_NO")), Resolution.in("PUBLIC"));
        assertThat(resolved("DELETE FROM payments WHERE id IN (SELECT id FROM audit_log)", Dialect.H2, h2).where())
                .isEqualTo(WhereKind.ALWAYS_TRUE);
        Catalog h2WithId = new Catalog(Map.of("PUBLIC.AUDIT_LOG", Set.of("ID")), Resolution.in("PUBLIC"));
        assertThat(resolved("DELETE FROM payments WHERE id IN (SELECT id FROM audit_log)", Dialect.H2, h2WithId).where())
                .isEqualTo(WhereKind.PRESENT);
    }

    @Test
    void eitherSideOfAConjunctionMayBeProven() {
        Catalog catalog = new Catalog(Map.of("public.u", Set.of("x"), "public.v", Set.of("z")));
        assertThat(resolved("DELETE FROM t WHERE a IN (SELECT y FROM v) AND b IN (SELECT x FROM u)", catalog).where())
                .isEqualTo(WhereKind.PRESENT);
        assertThat(resolved("DELETE FROM t WHERE a IN (SELECT y FROM v) OR b IN (SELECT x FROM u)", catalog).where())
                .isEqualTo(WhereKind.ALWAYS_TRUE);
    }

    @Test
    void theCatalogIsAskedOnceForAStatementRunAgainUnderTheSameReading() {
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        NameResolver counting = new NameResolver() {
            @Override
            public Resolution resolve(String name) {
                return Resolution.in("public");
            }

            @Override
            public Set<String> columns(String schema, String name) {
                lookups.incrementAndGet();
                return SHOP.columns(schema, name);
            }

            @Override
            public RelationKind relationKind(String schema, String name) {
                return SHOP.relationKind(schema, name);
            }

            @Override
            public java.util.List<io.governed.sql.TableRef> ancestors(String schema, String name) {
                return java.util.List.of();
            }

            @Override
            public java.util.List<io.governed.sql.TableRef> descendants(String schema, String name) {
                return java.util.List.of();
            }

            @Override
            public java.util.List<io.governed.sql.TableRef> routinesRunOnWrite(String schema, String name) {
                return java.util.List.of();
            }

            @Override
            public java.util.List<io.governed.sql.names.CascadedWrite> cascadedWrites(String schema, String name,
                                                                                      Action action) {
                return java.util.List.of();
            }
        };
        io.governed.policy.engine.PolicyEngine engine =
                new io.governed.policy.engine.PolicyEngine(io.governed.policy.load.PolicyLoader.baseline());
        io.governed.policy.engine.DecisionContext context = io.governed.policy.engine.DecisionContext.of(counting);
        SqlAnalyzer analyzer = new SqlAnalyzer();
        String sql = "DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE status = ?)";
        io.governed.identity.Identity service = io.governed.identity.Identity.human("ops");
        assertThat(engine.decide(service, analyzer.analyze(sql, Dialect.POSTGRESQL), context).allowed()).isTrue();
        int first = lookups.get();
        assertThat(first).isPositive();
        assertThat(engine.decide(service, analyzer.analyze(sql, Dialect.POSTGRESQL), context).allowed()).isTrue();
        assertThat(lookups.get()).isEqualTo(first);
        // a statement that needs no proof asks nothing
        engine.decide(service, analyzer.analyze("DELETE FROM orders WHERE id = ?", Dialect.POSTGRESQL), context);
        assertThat(lookups.get()).isEqualTo(first);
    }

    @Test
    void theBaselineDenialSaysWhichNameToQualify() {
        io.governed.policy.engine.PolicyEngine engine =
                new io.governed.policy.engine.PolicyEngine(io.governed.policy.load.PolicyLoader.baseline());
        io.governed.policy.Decision decision = engine.decide(io.governed.identity.Identity.human("ops"),
                new SqlAnalyzer().analyze("DELETE FROM payments WHERE id IN (SELECT id FROM audit_log)", Dialect.POSTGRESQL),
                io.governed.policy.engine.DecisionContext.of(SHOP));
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).contains("baseline-no-unbounded-writes")
                .contains("the unqualified name id inside a subquery of its condition could not be found in audit_log")
                .contains("audit_log.id");
    }

    @Test
    void aMergeBranchConditionRecordsTheNamesToo() {
        List<StatementAnalysis> s = Analyses.statements("MERGE INTO payments p USING audit_log a ON p.id = a.entry_no"
                + " WHEN MATCHED AND p.id IN (SELECT id FROM audit_log) THEN DELETE", Dialect.POSTGRESQL);
        assertThat(s).anySatisfy(b -> {
            assertThat(b.action()).isEqualTo(Action.DELETE);
            assertThat(b.where()).isEqualTo(WhereKind.ALWAYS_TRUE);
        });
    }
}
