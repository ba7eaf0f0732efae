package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.TableRef;
import io.governed.sql.names.CascadedWrite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * A foreign key's referential action writes a table the statement does not name: DELETE FROM customers deletes the
 * orders that reference them (ON DELETE CASCADE) or updates them (SET NULL, SET DEFAULT, ON UPDATE …), and
 * TRUNCATE customers CASCADE empties orders. Each such write needs the permit a statement writing that table needs,
 * its forbids refuse it, and a row filter on it (which cannot restrict rows the database writes on its own) refuses it.
 * When the catalog cannot tell, the write counts as one on any table.
 */
class CascadedWriteRulesTest {

    private static final Identity CLERK = human("cleo", "clerks");
    private static final TableRef ORDERS = new TableRef("public", "orders");

    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();

    private static PolicyEngine engine(String rules) {
        return new PolicyEngine(PolicyLoader.fromString("cascades.yaml", """
                version: 1
                default: deny
                rules:
                  - { id: clerks-customers, effect: permit, principals: { groups: [clerks] },
                      actions: [select, insert, update, delete, merge, truncate], resources: ["public.customers"] }
                  - { id: clerks-read-orders, effect: permit, principals: { groups: [clerks] },
                      actions: [select], resources: ["public.orders"] }
                """ + rules));
    }

    private Decision decide(PolicyEngine engine, String sql, Dialect dialect) {
        return engine.decide(CLERK, analyzer.analyze(sql, dialect), DecisionContext.of(session));
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRESQL", "MARIADB"})
    void aDeleteThatCascadesToAnotherTableNeedsAPermitToDeleteFromIt(Dialect dialect) {
        session.cascade("delete", "customers", new CascadedWrite(Action.DELETE, ORDERS));
        Decision refused = decide(engine(""), "DELETE FROM customers WHERE id = 1", dialect);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reason()).contains("No rule permits delete on public.orders, whose rows the database deletes"
                + " through a foreign key's ON DELETE CASCADE when the statement writes public.customers");
        assertThat(decide(engine("""
                  - { id: clerks-orders, effect: permit, principals: { groups: [clerks] }, actions: [delete],
                      resources: ["public.orders"] }
                """), "DELETE FROM customers WHERE id = 1", dialect).allowed()).isTrue();
        // reading, inserting or updating customers deletes no order
        for (String sql : List.of("SELECT * FROM customers WHERE id = 1", "INSERT INTO customers (id) VALUES (2)",
                "UPDATE customers SET name = 'x' WHERE id = 1")) {
            assertThat(decide(engine(""), sql, dialect).allowed()).as(sql).isTrue();
        }
    }

    @Test
    void aForbidOfTheCascadedDeleteRefusesIt() {
        session.cascade("delete", "customers", new CascadedWrite(Action.DELETE, ORDERS));
        Decision forbidden = decide(engine("""
                  - { id: clerks-orders, effect: permit, principals: { groups: [clerks] }, actions: [delete],
                      resources: ["public.orders"] }
                  - { id: keep-orders, effect: forbid, actions: [delete], resources: ["public.orders"] }
                """), "DELETE FROM customers WHERE id = 1", Dialect.POSTGRESQL);
        assertThat(forbidden.allowed()).isFalse();
        assertThat(forbidden.rules()).containsExactly("keep-orders");
    }

    @Test
    void setNullAndUpdateCascadesAreUpdatesOfTheReferencingTable() {
        session.cascade("delete", "customers", new CascadedWrite(Action.UPDATE, ORDERS));
        session.cascade("update", "customers", new CascadedWrite(Action.UPDATE, ORDERS));
        for (String sql : List.of("DELETE FROM customers WHERE id = 1", "UPDATE customers SET id = 2 WHERE id = 1",
                "INSERT INTO customers (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET id = 3")) {
            Decision refused = decide(engine(""), sql, Dialect.POSTGRESQL);
            assertThat(refused.allowed()).as(sql).isFalse();
            assertThat(refused.reason()).as(sql).contains("No rule permits update on public.orders, whose rows the database"
                    + " updates through a foreign key's referential action");
            assertThat(decide(engine("""
                      - { id: clerks-orders, effect: permit, principals: { groups: [clerks] }, actions: [update],
                          resources: ["public.orders"] }
                    """), sql, Dialect.POSTGRESQL).allowed()).as(sql).isTrue();
        }
    }

    @Test
    void aMergeMayDeleteAndUpdate() {
        session.cascade("delete", "customers", new CascadedWrite(Action.DELETE, ORDERS));
        Decision refused = decide(engine(""), "MERGE INTO customers c USING (SELECT 1 AS id) s ON c.id = s.id"
                + " WHEN MATCHED THEN DELETE", Dialect.POSTGRESQL);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reason()).contains("delete on public.orders");
    }

    @Test
    void truncateCascadeEmptiesTheReferencingTables() {
        session.cascade("truncate", "customers", new CascadedWrite(Action.TRUNCATE, ORDERS));
        Decision refused = decide(engine(""), "TRUNCATE customers CASCADE", Dialect.POSTGRESQL);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reason()).contains("No rule permits truncate on public.orders, which TRUNCATE … CASCADE empties"
                + " with public.customers");
        // without CASCADE the database refuses to truncate a referenced table: nothing else is emptied
        assertThat(decide(engine(""), "TRUNCATE customers", Dialect.POSTGRESQL).allowed()).isTrue();
    }

    @Test
    void aRowFilterOnTheCascadedTableRefusesTheWriteSinceItCannotRestrictIt() {
        session.cascade("delete", "customers", new CascadedWrite(Action.DELETE, ORDERS));
        PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("filtered.yaml", """
                version: 1
                rules:
                  - { id: everything, effect: permit, actions: ["*"] }
                row-filters:
                  - { id: own-region, tables: ["public.orders"], filter: "region = 'north'", unless: { groups: [support] } }
                """));
        Decision refused = decide(engine, "DELETE FROM customers WHERE id = 1", Dialect.POSTGRESQL);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.rules()).containsExactly("own-region");
        assertThat(refused.reason()).contains("row filter own-region restricts public.orders");
        assertThat(engine.decide(human("sam", "support"), analyzer.analyze("DELETE FROM customers WHERE id = 1",
                Dialect.POSTGRESQL), DecisionContext.of(session)).allowed()).isTrue();
    }

    @Test
    void onPostgresqlTheRoutinesOfTheCascadedTableAreCalls() {
        session.cascade("delete", "customers", new CascadedWrite(Action.DELETE, ORDERS));
        session.writeRoutines.put("orders", List.of(new TableRef("public", "audit_order")));
        Decision refused = decide(engine("""
                  - { id: clerks-orders, effect: permit, principals: { groups: [clerks] }, actions: [delete],
                      resources: ["public.orders"] }
                """), "DELETE FROM customers WHERE id = 1", Dialect.POSTGRESQL);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reason()).contains("call on public.audit_order, which the database runs when the statement"
                + " writes public.orders");
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRESQL", "MARIADB"})
    void cascadesThatCannotBeToldArePermittedOnlyByAPermitOnEveryTable(Dialect dialect) {
        session.unknownCascades();
        Decision refused = decide(engine(""), "DELETE FROM customers WHERE id = 1", dialect);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reason()).contains("on any table, since which tables the database deletes or updates through"
                + " foreign keys' referential actions when the statement writes public.customers could not be read");
        assertThat(decide(engine("""
                  - { id: clerks-all, effect: permit, principals: { groups: [clerks] }, actions: [delete, update, call],
                      resources: ["*"] }
                """), "DELETE FROM customers WHERE id = 1", dialect).allowed()).isTrue();
        assertThat(decide(engine(""), "INSERT INTO customers (id) VALUES (2)", dialect).allowed()).isTrue();
    }

    @Test
    void underTheBaselineTheMigrationIdentityDeletesThroughForeignKeysItsCatalogCannotTell() {
        session.unknownCascades();
        PolicyEngine baseline = new PolicyEngine(PolicyLoader.baseline());
        Identity migration = Identity.builder("schema-owner").kind(io.governed.identity.IdentityKind.SERVICE)
                .purpose("migration").build();
        for (Dialect dialect : List.of(Dialect.POSTGRESQL, Dialect.MARIADB, Dialect.H2)) {
            assertThat(baseline.decide(migration, analyzer.analyze("DELETE FROM customers WHERE id = 1", dialect),
                    DecisionContext.of(session)).allowed()).as(dialect.name()).isTrue();
        }
    }
}
