package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.governed.policy.Identities.agent;
import static io.governed.policy.Identities.human;
import static io.governed.policy.Identities.service;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The renames the parser cannot read (ALTER VIEW, MATERIALIZED VIEW, INDEX, SEQUENCE, SCHEMA … RENAME TO, H2's ALTER
 * COLUMN … RENAME TO, MariaDB's RENAME TO db.t), MariaDB's DROP EVENT and PostgreSQL's INHERITS: a migration identity
 * the masks and filters exempt runs them; a caller a mask, a row filter or a forbid applies to gets the decision the
 * equivalent statement the parser reads gets (ALTER TABLE … RENAME TO, DROP PROCEDURE, LIKE p).
 */
class RenameAndInheritsFormsRulesTest {

    private static final Identity MIGRATOR = service("pf-migrator");
    private static final Identity ANN = human("ann", "analysts");
    private static final Identity AGENT = agent("bot", ANN);
    private static final Identity TENANT = Identity.builder("tia").attribute("tenant", "a").build();

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("renames.yaml", """
            version: 1
            rules:
              - { id: all, effect: permit, actions: ["*"] }
              - { id: no-salaries, effect: forbid, actions: [select], resources: ["public.salaries"], unless: { names: [pf-migrator] } }
              - { id: keep-events, effect: forbid, actions: [drop], resources: ["app.audit_*"], unless: { names: [pf-migrator] } }
            masks:
              - id: hide-ssn
                columns: { patterns: ["public.customers.ssn", "public.customer_view.ssn", "app.customers.ssn", "CUSTOMERS.SSN"] }
                function: redact
                unless: { names: [pf-migrator, tia] }
            row-filters:
              - { id: own-tenant, tables: ["public.orders"], filter: "tenant_id = :identity.tenant", unless: { names: [pf-migrator] } }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private Decision decide(Identity identity, String sql, Dialect dialect) {
        DecisionContext context = dialect == Dialect.MARIADB ? DecisionContext.defaultSchema("app")
                : dialect == Dialect.H2 ? DecisionContext.defaultSchema("PUBLIC") : DecisionContext.of(new CatalogStub());
        return engine.decide(identity, analyzer.analyze(sql, dialect), context);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER VIEW customer_view RENAME TO cv2               | ALTER TABLE customer_view RENAME TO cv2",
            "POSTGRESQL | ALTER VIEW public.customer_view RENAME TO cv2        | ALTER TABLE public.customer_view RENAME TO cv2",
            "POSTGRESQL | ALTER VIEW IF EXISTS cv2 RENAME TO customer_view     | ALTER TABLE IF EXISTS cv2 RENAME TO customer_view",
            "POSTGRESQL | ALTER MATERIALIZED VIEW customers RENAME TO c2       | ALTER TABLE customers RENAME TO c2",
            "POSTGRESQL | ALTER INDEX customers_pkey RENAME TO customers       | ALTER TABLE customers_pkey RENAME TO customers",
            "POSTGRESQL | ALTER SEQUENCE customers_id_seq RENAME TO customers  | ALTER TABLE customers_id_seq RENAME TO customers",
            "POSTGRESQL | ALTER VIEW orders RENAME TO orders2                  | ALTER TABLE orders RENAME TO orders2",
            "H2         | ALTER VIEW customers RENAME TO c2                    | ALTER TABLE customers RENAME TO c2",
            "H2         | ALTER TABLE customers ALTER COLUMN ssn RENAME TO tax | ALTER TABLE customers RENAME COLUMN ssn TO tax",
            "H2         | ALTER TABLE customers ALTER COLUMN name RENAME TO n  | ALTER TABLE customers RENAME COLUMN name TO n",
            "MARIADB    | ALTER TABLE customers RENAME TO other.customers      | ALTER TABLE customers RENAME TO customers2",
            "MARIADB    | ALTER TABLE other.loot RENAME TO app.customers       | RENAME TABLE other.loot TO app.customers",
            "MARIADB    | DROP EVENT app.audit_purge                           | DROP PROCEDURE app.audit_purge",
            "MARIADB    | DROP EVENT IF EXISTS audit_purge                     | DROP PROCEDURE IF EXISTS audit_purge",
            "POSTGRESQL | ALTER VIEW customer_view RENAME COLUMN ssn TO tax    | ALTER TABLE customer_view RENAME COLUMN ssn TO tax",
            "POSTGRESQL | ALTER VIEW customer_view RENAME COLUMN id TO ident   | ALTER TABLE customer_view RENAME COLUMN id TO ident",
            "POSTGRESQL | ALTER MATERIALIZED VIEW IF EXISTS customers RENAME COLUMN ssn TO t | ALTER TABLE IF EXISTS customers RENAME COLUMN ssn TO t",
            "POSTGRESQL | ALTER VIEW orders RENAME COLUMN tenant_id TO t       | ALTER TABLE orders RENAME COLUMN tenant_id TO t",
            "POSTGRESQL | ALTER VIEW customer_view SET SCHEMA other            | ALTER TABLE customer_view SET SCHEMA other",
            "POSTGRESQL | ALTER VIEW public.clear_view SET SCHEMA other        | ALTER TABLE public.clear_view SET SCHEMA other",
            "POSTGRESQL | ALTER MATERIALIZED VIEW IF EXISTS customers SET SCHEMA app | ALTER TABLE IF EXISTS customers SET SCHEMA app",
            "POSTGRESQL | ALTER SEQUENCE public.orders SET SCHEMA other        | ALTER TABLE public.orders SET SCHEMA other",
            "POSTGRESQL | ALTER SEQUENCE loot SET SCHEMA public                | ALTER TABLE loot SET SCHEMA public",
            "H2         | ALTER TABLE customers ALTER COLUMN IF EXISTS ssn RENAME TO tax | ALTER TABLE customers RENAME COLUMN ssn TO tax",
            "H2         | ALTER TABLE IF EXISTS customers ALTER COLUMN IF EXISTS name RENAME TO n | ALTER TABLE IF EXISTS customers RENAME COLUMN name TO n",
            "POSTGRESQL | CREATE TABLE kid () INHERITS (customers)             | CREATE TABLE kid (LIKE customers)",
            "POSTGRESQL | CREATE TABLE kid () INHERITS (public.orders)         | CREATE TABLE kid (LIKE public.orders)",
            "POSTGRESQL | CREATE TABLE kid () INHERITS (public.salaries)       | CREATE TABLE kid (LIKE public.salaries)",
            "POSTGRESQL | CREATE TABLE kid (x int) INHERITS (salaries)         | CREATE TABLE kid (LIKE salaries)",
            "POSTGRESQL | CREATE TABLE kid PARTITION OF public.salaries FOR VALUES IN (1) | CREATE TABLE kid (LIKE public.salaries)",
    })
    void eachCallerGetsTheDecisionOfTheEquivalentStatement(Dialect dialect, String sql, String equivalent) {
        assertThat(analyzer.analyze(sql, dialect).parsed()).as(sql).isTrue();
        Decision migration = decide(MIGRATOR, sql, dialect);
        assertThat(migration.effect()).as(sql + ": " + migration.reason()).isEqualTo(Decision.Effect.ALLOW);
        for (Identity identity : new Identity[] {ANN, AGENT, TENANT}) {
            Decision decision = decide(identity, sql, dialect);
            Decision expected = decide(identity, equivalent, dialect);
            assertThat(decision.effect()).as(identity + " " + sql + ": " + decision.reason() + " / " + expected.reason())
                    .isEqualTo(expected.effect());
            assertThat(decision.rules()).as(identity + " " + sql).isEqualTo(expected.rules());
        }
    }

    @Test
    void renamingARelationAMaskNamesIsRefusedToThoseItAppliesTo() {
        for (String sql : new String[] {"ALTER VIEW customer_view RENAME TO cv2", "ALTER MATERIALIZED VIEW customers RENAME TO c2",
                "ALTER VIEW IF EXISTS cv2 RENAME TO customer_view"}) {
            Decision decision = decide(ANN, sql, Dialect.POSTGRESQL);
            assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
            assertThat(decision.rules()).as(sql).containsExactly("hide-ssn");
            assertThat(decision.reason()).as(sql).contains("another name or schema").doesNotContain("unparseable");
        }
        Decision column = decide(ANN, "ALTER TABLE customers ALTER COLUMN ssn RENAME TO tax", Dialect.H2);
        assertThat(column.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(column.reason()).contains("renames SSN");
        for (String sql : new String[] {"ALTER VIEW customer_view RENAME COLUMN ssn TO tax",
                "ALTER MATERIALIZED VIEW public.customers RENAME COLUMN ssn TO tax"}) {
            Decision renamed = decide(ANN, sql, Dialect.POSTGRESQL);
            assertThat(renamed.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
            assertThat(renamed.rules()).as(sql).containsExactly("hide-ssn");
            assertThat(renamed.reason()).as(sql).contains("renames ssn").doesNotContain("unparseable");
        }
        for (String sql : new String[] {"ALTER VIEW customer_view SET SCHEMA other",
                "ALTER SEQUENCE customers SET SCHEMA other", "ALTER MATERIALIZED VIEW customers SET SCHEMA app"}) {
            Decision moved = decide(ANN, sql, Dialect.POSTGRESQL);
            assertThat(moved.effect()).as(sql + ": " + moved.reason()).isEqualTo(Decision.Effect.DENY);
            assertThat(moved.rules()).as(sql).containsExactly("hide-ssn");
            assertThat(moved.reason()).as(sql).doesNotContain("unparseable");
        }
        Decision ifExists = decide(ANN, "ALTER TABLE customers ALTER COLUMN IF EXISTS ssn RENAME TO tax", Dialect.H2);
        assertThat(ifExists.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(ifExists.reason()).contains("renames SSN");
        Decision moved = decide(ANN, "ALTER TABLE customers RENAME TO other.customers", Dialect.MARIADB);
        assertThat(moved.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(moved.reason()).contains("other.customers");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER SCHEMA public RENAME TO old_public | schema public",
            "POSTGRESQL | ALTER SCHEMA app RENAME TO public        | schema app",
            "H2         | ALTER SCHEMA IF EXISTS app RENAME TO x   | schema APP",
    })
    void aSchemaRenameIsRefusedToACallerAMaskAppliesTo(Dialect dialect, String sql, String named) {
        for (Identity identity : new Identity[] {ANN, AGENT}) {
            Decision decision = decide(identity, sql, dialect);
            assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
            assertThat(decision.rules()).containsExactly("hide-ssn");
            assertThat(decision.reason()).contains("renames " + named, "Have someone the masks exempt rename the schema");
        }
        assertThat(decide(MIGRATOR, sql, dialect).effect()).isEqualTo(Decision.Effect.ALLOW);
        // a caller only a row filter applies to gets what renaming the filtered table gets (see POLICY.md on renames)
        assertThat(decide(TENANT, sql, dialect).effect())
                .isEqualTo(decide(TENANT, "ALTER TABLE public.orders RENAME TO o2", dialect).effect());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ALTER VIEW orders RENAME COLUMN tenant_id TO t",
            "ALTER VIEW public.orders SET SCHEMA other",
            "ALTER MATERIALIZED VIEW orders SET SCHEMA other",
            "ALTER SEQUENCE orders SET SCHEMA other",
            "ALTER MATERIALIZED VIEW orders RENAME COLUMN id TO k",
    })
    void everyAlterOfARelationARowFilterNamesIsRefusedToWhomItRestricts(String sql) {
        Decision decision = decide(TENANT, sql, Dialect.POSTGRESQL);
        assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("own-tenant");
        assertThat(decide(MIGRATOR, sql, Dialect.POSTGRESQL).effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @Test
    void aChildOfAForbiddenTableIsRefusedAsACopyOfItsShapeIs() {
        Decision decision = decide(ANN, "CREATE TABLE kid () INHERITS (public.salaries)", Dialect.POSTGRESQL);
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).containsExactly("no-salaries");
        Decision event = decide(ANN, "DROP EVENT app.audit_purge", Dialect.MARIADB);
        assertThat(event.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(event.rules()).containsExactly("keep-events");
    }
}
