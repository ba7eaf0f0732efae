package io.governed.policy.engine;

import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Action;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.WhereKind;
import org.junit.jupiter.api.Test;

import static io.governed.policy.Identities.human;
import static io.governed.policy.Statements.select;
import static io.governed.policy.Statements.statement;
import static io.governed.policy.Statements.write;
import static org.assertj.core.api.Assertions.assertThat;

/** A statement on a row-filtered table is allowed with its rows restricted, and the decision names the filter. */
class RowFilterScopeTest {

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("protections.yaml", """
            version: 1
            rules:
              - { id: everything, effect: permit, actions: ["*"] }
            row-filters:
              - { id: own-tenant, tables: ["shop.orders"], filter: "tenant = :identity.tenant", unless: { groups: [support] } }
            """));

    /** Decides in a database with no foreign key writing one table when another is written. */
    private Decision decide(SqlAnalysis analysis) {
        return engine.decide(human("x"), analysis, DecisionContext.of(io.governed.sql.names.NameResolver.withoutInheritance(
                io.governed.sql.names.NameResolver.unknown())));
    }

    @Test
    void readingUpdatingOrDeletingAFilteredTableIsAllowedNamingTheFilter() {
        for (SqlAnalysis analysis : new SqlAnalysis[] {
                select("shop.orders").column("id", "shop.orders.id").analysis(),
                write(Action.UPDATE, "shop.orders", WhereKind.PRESENT).analysis(),
                write(Action.DELETE, "shop.orders", WhereKind.PRESENT).analysis(),
                statement(Action.INSERT).writes("shop.archive").reads("shop.orders").analysis()}) {
            Decision decision = decide(analysis);
            assertThat(decision.effect()).isEqualTo(Decision.Effect.ALLOW);
            assertThat(decision.reason()).endsWith("; rows restricted by row filter own-tenant");
        }
    }

    @Test
    void theFiltersForACallerAreThoseItIsNotExemptedFrom() {
        assertThat(engine.rowFiltersFor(human("x"), io.governed.sql.Dialect.H2)).extracting(f -> f.id()).containsExactly("own-tenant");
        assertThat(engine.rowFiltersFor(human("s", "support"), io.governed.sql.Dialect.H2)).isEmpty();
    }

    /**
     * MariaDB and H2 settings can make a table name in another case, quoted or not, the same table: such a name is
     * filtered too there; PostgreSQL's quoted names keep their case.
     */
    @Test
    void aTableNameInAnotherCaseIsFilteredWhereSettingsCanMakeItTheSame() {
        PolicyEngine quoted = new PolicyEngine(PolicyLoader.fromString("quoted.yaml", """
                version: 1
                rules:
                  - { id: everything, effect: permit, actions: ["*"] }
                row-filters:
                  - { id: own-tenant, tables: ['"orders"', 'billing.invoices'], filter: "tenant = 1" }
                """));
        for (io.governed.sql.Dialect dialect : new io.governed.sql.Dialect[] {io.governed.sql.Dialect.MARIADB,
                io.governed.sql.Dialect.H2}) {
            io.governed.sql.RowFilterRewriter.Filter filter = quoted.rowFiltersFor(human("x"), dialect).get(0);
            for (String name : new String[] {"orders", "ORDERS", "Orders"}) {
                assertThat(filter.tables().test(new io.governed.sql.TableRef(null, name))).as(dialect + " " + name).isTrue();
            }
            assertThat(filter.tables().test(new io.governed.sql.TableRef("BILLING", "invoices"))).as(dialect.name()).isTrue();
            assertThat(filter.tables().test(new io.governed.sql.TableRef(null, "orders_x"))).as(dialect.name()).isFalse();
        }
        io.governed.sql.RowFilterRewriter.Filter postgres = quoted.rowFiltersFor(human("x"), io.governed.sql.Dialect.POSTGRESQL).get(0);
        assertThat(postgres.tables().test(new io.governed.sql.TableRef(null, "orders"))).isTrue();
        assertThat(postgres.tables().test(new io.governed.sql.TableRef(null, "ORDERS"))).isFalse();
    }

    @Test
    void theExemptReadFilteredTables() {
        Decision exempt = engine.decide(human("s", "support"), select("shop.orders").column("id", "shop.orders.id").analysis());
        assertThat(exempt.allowed()).isTrue();
        assertThat(exempt.reason()).doesNotContain("row filter");
    }

    @Test
    void aForbidStillDenies() {
        PolicyEngine withForbid = new PolicyEngine(PolicyLoader.compose(
                io.governed.policy.load.PolicySource.of("p.yaml", """
                        version: 1
                        rules:
                          - { id: everything, effect: permit, actions: ["*"] }
                          - { id: no-orders, effect: forbid, actions: [select], resources: [orders] }
                        row-filters:
                          - { id: own-tenant, tables: [orders], filter: "tenant = 1" }
                        """)));
        assertThat(withForbid.decide(human("x"), select("shop.orders").analysis()).rules()).containsExactly("no-orders");
    }
}
