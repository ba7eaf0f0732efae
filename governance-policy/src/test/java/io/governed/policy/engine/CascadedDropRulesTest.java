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
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * A DROP or ALTER with CASCADE drops or changes objects the statement does not name: the views over a table, the foreign
 * keys of the tables referencing it, the triggers and defaults calling a routine, the columns of a type. Each needs the
 * permit a statement dropping or altering it by name needs, and its forbids refuse the statement. When the catalog
 * cannot tell what the cascade reaches, it counts as a drop and an alter of any table. MariaDB ignores CASCADE.
 */
class CascadedDropRulesTest {

    private static final Identity CLERK = human("cleo", "clerks");
    private static final TableRef ORDERS = new TableRef("public", "orders");
    private static final TableRef ORDER_VIEW = new TableRef("public", "order_view");

    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();

    private static PolicyEngine engine(String rules) {
        return new PolicyEngine(PolicyLoader.fromString("drops.yaml", """
                version: 1
                default: deny
                rules:
                  - { id: clerks-customers, effect: permit, principals: { groups: [clerks] }, actions: ["*"],
                      resources: ["public.customers", "public.f", "public.seq", "app.*"] }
                """ + rules));
    }

    private static final String KEEP_ORDERS = """
              - { id: keep-orders, effect: forbid, actions: [drop, alter], resources: ["public.orders", "public.order_view"] }
            """;

    private Decision decide(PolicyEngine engine, String sql, Dialect dialect) {
        return engine.decide(CLERK, analyzer.analyze(sql, dialect), DecisionContext.of(session));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DROP TABLE customers CASCADE", "DROP TABLE IF EXISTS customers CASCADE",
            "ALTER TABLE customers DROP COLUMN name CASCADE", "ALTER TABLE customers DROP CONSTRAINT customers_pkey CASCADE",
            "DROP FUNCTION f() CASCADE", "DROP SEQUENCE seq CASCADE"})
    void aCascadeTheCatalogCannotTellCountsAsADropAndAnAlterOfAnyTable(String sql) {
        for (Dialect dialect : List.of(Dialect.POSTGRESQL)) { // H2's upper-case names: H2CascadeReachIT
            Decision forbidden = decide(engine(KEEP_ORDERS), sql, dialect);
            assertThat(forbidden.allowed()).as(sql).isFalse();
            assertThat(forbidden.rules()).as(sql).containsExactly("keep-orders");
            Decision unpermitted = decide(engine(""), sql, dialect);
            assertThat(unpermitted.allowed()).as(sql).isFalse();
            assertThat(unpermitted.reason()).as(sql).contains("could not be read from the catalog; drop or alter the"
                    + " dependents by name first");
            assertThat(decide(engine("""
                      - { id: clerks-all, effect: permit, principals: { groups: [clerks] }, actions: [drop, alter],
                          resources: ["*"] }
                    """), sql, dialect).allowed()).as(sql).isTrue();
            // without CASCADE the database refuses to drop what depends on the object: nothing else is reached
            assertThat(decide(engine(KEEP_ORDERS), sql.replace(" CASCADE", ""), dialect).allowed()).as(sql).isTrue();
        }
    }

    @Test
    void whatTheCatalogTellsTheCascadeReachesNeedsItsOwnPermitAndItsForbidsRefuseIt() {
        session.cascade("drop", "customers", new CascadedWrite(Action.ALTER, ORDERS),
                new CascadedWrite(Action.DROP, ORDER_VIEW));
        Decision unpermitted = decide(engine(""), "DROP TABLE customers CASCADE", Dialect.POSTGRESQL);
        assertThat(unpermitted.allowed()).isFalse();
        assertThat(unpermitted.reason()).contains("No rule permits alter on public.orders, which the database changes (a"
                + " foreign key, trigger, default, check, policy or column of it is dropped) with public.customers"
                + " through the statement's CASCADE");
        Decision forbidden = decide(engine("""
                  - { id: clerks-orders, effect: permit, principals: { groups: [clerks] }, actions: [drop, alter],
                      resources: ["public.orders", "public.order_view"] }
                  - { id: keep-view, effect: forbid, actions: [drop], resources: ["public.order_view"] }
                """), "DROP TABLE customers CASCADE", Dialect.POSTGRESQL);
        assertThat(forbidden.allowed()).isFalse();
        assertThat(forbidden.rules()).containsExactly("keep-view");
        // permitted what the catalog names, no permit on every table is needed
        assertThat(decide(engine("""
                  - { id: clerks-orders, effect: permit, principals: { groups: [clerks] }, actions: [drop, alter],
                      resources: ["public.orders", "public.order_view"] }
                """), "DROP TABLE customers CASCADE", Dialect.POSTGRESQL).allowed()).isTrue();
    }

    @Test
    void aCascadeReachingNothingNeedsNothingMore() {
        session.cascade("drop", "customers");
        assertThat(decide(engine(KEEP_ORDERS), "DROP TABLE customers CASCADE", Dialect.POSTGRESQL).allowed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"DROP SCHEMA app CASCADE", "DROP EXTENSION hstore CASCADE", "DROP COLLATION c CASCADE",
            "DROP SERVER s CASCADE"})
    void aCascadeOfAnObjectWhoseDependentsAreNotLookedUpReachesAnyTable(String sql) {
        // even where the catalog tells a relation's or a routine's dependents
        session.cascade("drop", "hstore");
        session.cascade("drop", "c");
        session.cascade("drop", "s");
        for (Dialect dialect : List.of(Dialect.POSTGRESQL, Dialect.H2)) {
            Decision forbidden = decide(engine(KEEP_ORDERS), sql, dialect);
            assertThat(forbidden.allowed()).as(sql).isFalse();
            assertThat(forbidden.rules()).as(sql).containsExactly("keep-orders");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"DROP OWNED BY app_owner", "DROP OWNED BY app_owner RESTRICT", "DROP OWNED BY a, b CASCADE",
            "drop owned by current_user"})
    void aDropOfWhatARoleOwnsReachesAnyTable(String sql) {
        // DROP OWNED drops every object the role owns (and with CASCADE what depends on them): the tables it owns are
        // not listed, so a permit of drop on one table (clerks-customers) does not permit it, and a forbid of dropping
        // orders refuses it
        Decision unpermitted = decide(engine(""), sql, Dialect.POSTGRESQL);
        assertThat(unpermitted.allowed()).as(sql).isFalse();
        Decision forbidden = decide(engine(KEEP_ORDERS), sql, Dialect.POSTGRESQL);
        assertThat(forbidden.allowed()).as(sql).isFalse();
        assertThat(forbidden.rules()).as(sql).contains("keep-orders");
        // it also revokes the role's privileges: a permit of it names the privilege-change trait
        Decision permitted = decide(engine("""
                  - { id: clerks-all, effect: permit, principals: { groups: [clerks] }, actions: [drop, alter],
                      resources: ["*"], when: { traits: [privilege-change] } }
                """), sql, Dialect.POSTGRESQL);
        assertThat(permitted.allowed()).as(sql + ": " + permitted.reason()).isTrue();
        Decision onOneSchema = decide(engine("""
                  - { id: clerks-app, effect: permit, principals: { groups: [clerks] }, actions: [drop, alter],
                      resources: ["app.*"], when: { traits: [privilege-change] } }
                """), sql, Dialect.POSTGRESQL);
        assertThat(onOneSchema.allowed()).as(sql).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"MARIADB"})
    void mariaDbIgnoresCascade(Dialect dialect) {
        for (String sql : List.of("DROP TABLE customers CASCADE", "ALTER TABLE customers DROP COLUMN name CASCADE")) {
            assertThat(decide(engine(KEEP_ORDERS), sql, dialect).allowed()).as(sql).isTrue();
        }
    }

    @Test
    void aRenameWithCascadeStillNamesEveryTable() {
        // it renames the column in every typed table: a permit of the type alone does not permit it
        assertThat(decide(engine(KEEP_ORDERS), "ALTER TYPE app.person RENAME ATTRIBUTE ssn TO tax_id CASCADE",
                Dialect.POSTGRESQL).allowed()).isFalse();
    }
}
