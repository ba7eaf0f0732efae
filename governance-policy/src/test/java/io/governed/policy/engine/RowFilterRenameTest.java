package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.TableRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.governed.policy.Identities.service;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller a row filter restricts, whose rules permit {@code alter}, may not make the filter's pattern stop matching the
 * rows it restricts (renaming, moving or detaching the table, renaming its schema, altering the filter's column) nor
 * make it match other rows (renaming another table into the filtered name): the filter would stop restricting every
 * tenant it applies to. The migration identity the filter exempts may.
 */
class RowFilterRenameTest {

    private static final Identity MIGRATOR = service("rf-migrator");
    private static final Identity TENANT_A = Identity.builder("tia").attribute("tenant", "a").build();
    private static final Identity TENANT_B = Identity.builder("tib").attribute("tenant", "b").build();

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("rf.yaml", """
            version: 1
            rules:
              - { id: all, effect: permit, actions: ["*"] }
            row-filters:
              - { id: own-tenant, tables: ["public.orders", "app.orders"], filter: "tenant_id = :identity.tenant", unless: { names: [rf-migrator] } }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private Decision decide(Identity identity, String sql, Dialect dialect) {
        CatalogStub catalog = new CatalogStub();
        catalog.parents.put("orders_2024", List.of(new TableRef("public", "orders")));
        catalog.children.put("orders", List.of(new TableRef("public", "orders_2024")));
        DecisionContext context = dialect == Dialect.MARIADB ? DecisionContext.defaultSchema("app")
                : dialect == Dialect.H2 ? DecisionContext.defaultSchema("PUBLIC") : DecisionContext.of(catalog);
        return engine.decide(identity, analyzer.analyze(sql, dialect), context);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER TABLE orders RENAME TO o2",
            "POSTGRESQL | ALTER TABLE public.orders RENAME TO o2",
            "POSTGRESQL | ALTER TABLE IF EXISTS orders RENAME TO o2",
            "POSTGRESQL | ALTER TABLE orders SET SCHEMA other",
            "POSTGRESQL | ALTER TABLE o2 RENAME TO orders",
            "POSTGRESQL | ALTER VIEW orders RENAME TO o2",
            "POSTGRESQL | ALTER VIEW clear_view RENAME TO orders",
            "POSTGRESQL | ALTER MATERIALIZED VIEW clear_view RENAME TO orders",
            "POSTGRESQL | ALTER SCHEMA public RENAME TO p2",
            "POSTGRESQL | ALTER SCHEMA other RENAME TO public",
            // which relations a schema holds is not told: any schema rename is refused to a filtered caller
            "POSTGRESQL | ALTER SCHEMA other RENAME TO other2",
            "POSTGRESQL | ALTER TABLE orders RENAME COLUMN tenant_id TO t2",
            "POSTGRESQL | ALTER TABLE orders RENAME tenant_id TO t2",
            "POSTGRESQL | ALTER TABLE orders ALTER COLUMN tenant_id TYPE text",
            "POSTGRESQL | ALTER TABLE orders DROP COLUMN tenant_id",
            "POSTGRESQL | ALTER TABLE orders DROP COLUMN tenant_id CASCADE",
            "POSTGRESQL | ALTER TABLE orders DETACH PARTITION orders_2024",
            "POSTGRESQL | ALTER TABLE orders ATTACH PARTITION loot FOR VALUES IN ('b')",
            "POSTGRESQL | ALTER TABLE orders_2024 RENAME TO free_rows",
            "POSTGRESQL | ALTER TABLE orders_2024 NO INHERIT orders",
            "MARIADB    | RENAME TABLE orders TO o2",
            "MARIADB    | RENAME TABLE o2 TO orders",
            "MARIADB    | RENAME TABLE orders TO o2, clear_t TO orders",
            "MARIADB    | ALTER TABLE orders RENAME TO o2",
            "MARIADB    | ALTER TABLE orders RENAME TO other.orders",
            "MARIADB    | ALTER TABLE orders RENAME COLUMN tenant_id TO t2",
            "MARIADB    | ALTER TABLE orders CHANGE tenant_id t2 varchar(10)",
            "MARIADB    | ALTER TABLE orders MODIFY tenant_id int",
            "MARIADB    | ALTER TABLE orders DROP COLUMN tenant_id",
            "H2         | ALTER TABLE PUBLIC.ORDERS RENAME TO O2",
            "H2         | ALTER TABLE orders ALTER COLUMN tenant_id RENAME TO t2",
    })
    void aFilteredCallerMayNotMoveTheFilteredRowsOutOfTheFiltersReach(Dialect dialect, String sql) {
        assertThat(analyzer.analyze(sql, dialect).parsed()).as(sql).isTrue();
        for (Identity tenant : new Identity[] {TENANT_A, TENANT_B}) {
            Decision decision = decide(tenant, sql, dialect);
            assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.DENY);
            assertThat(decision.rules()).as(sql).containsExactly("own-tenant");
            assertThat(decision.reason()).as(sql).contains("row filter own-tenant", "restricts", "exempts");
        }
        Decision migration = decide(MIGRATOR, sql, dialect);
        assertThat(migration.effect()).as(sql + ": " + migration.reason()).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER TABLE clear_t RENAME TO c2",
            "POSTGRESQL | ALTER TABLE clear_t RENAME COLUMN a TO b",
            "MARIADB    | RENAME TABLE clear_t TO c2",
            "POSTGRESQL | SELECT * FROM orders",
    })
    void whatLeavesTheFilteredRowsAloneIsAllowed(Dialect dialect, String sql) {
        Decision decision = decide(TENANT_A, sql, dialect);
        assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.ALLOW);
    }
}
