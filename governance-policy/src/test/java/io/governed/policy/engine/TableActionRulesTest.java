package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * Maintenance commands, a table's definition shown, EXPLAIN, COPY … TO, PREPARE, PURGE, DROP … ON t, synonyms and
 * publications act on the tables they name: a permit of their action on one schema's tables does not reach another's,
 * and a caller kept from reading a table is kept from its definition. Each was an action on no table, which every
 * permit of the action covered, whatever its resources.
 */
class TableActionRulesTest {

    private static final Identity ANN = human("ann", "staff");

    private static final PolicyEngine ENGINE = new PolicyEngine(PolicyLoader.fromString("tables.yaml", """
            version: 1
            default: deny
            rules:
              - { id: reads, effect: permit, actions: [select, transaction], resources: ["*"] }
              - { id: app, effect: permit, actions: [other, show, explain, copy, drop, create, execute], resources: ["public.*"] }
              - { id: no-salaries, effect: forbid, actions: [select], resources: ["public.salaries"] }
            """));

    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private Decision decide(String sql, Dialect dialect) {
        return ENGINE.decide(ANN, analyzer.analyze(sql, dialect), DecisionContext.of(new CatalogStub()));
    }

    private void allowed(Dialect dialect, String... statements) {
        for (String sql : statements) {
            assertThat(decide(sql, dialect).allowed()).as(sql).isTrue();
        }
    }

    private void refused(Dialect dialect, String access, String... statements) {
        for (String sql : statements) {
            Decision decision = decide(sql, dialect);
            assertThat(decision.allowed()).as(sql).isFalse();
            assertThat(decision.reason()).as(sql).contains(access);
        }
    }

    @Test
    void maintenanceOfThePermittedSchemaIsAllowed() {
        allowed(Dialect.POSTGRESQL, "VACUUM public.orders", "VACUUM (VERBOSE, ANALYZE) public.orders",
                "VACUUM FULL public.orders, public.customers", "ANALYZE public.orders", "ANALYZE VERBOSE public.orders",
                "CLUSTER public.orders USING orders_pkey", "REINDEX TABLE public.orders",
                "REFRESH MATERIALIZED VIEW public.order_totals");
        allowed(Dialect.MARIADB, "OPTIMIZE TABLE public.orders", "ANALYZE TABLE public.orders", "FLUSH TABLES public.orders");
        // every table of a schema: which routines their index expressions call cannot be told, so any routine
        refused(Dialect.POSTGRESQL, "call on any routine", "REINDEX SCHEMA public");
    }

    @Test
    void maintenanceOfAnotherSchemaIsRefused() {
        refused(Dialect.POSTGRESQL, "other on vault.notes", "VACUUM vault.notes", "VACUUM FULL ANALYZE vault.notes",
                "VACUUM public.orders, vault.notes", "ANALYZE vault.notes", "ANALYZE VERBOSE vault.notes",
                "CLUSTER vault.notes", "CLUSTER vault.notes USING notes_pkey", "REINDEX TABLE vault.notes",
                "REINDEX TABLE CONCURRENTLY vault.notes", "REFRESH MATERIALIZED VIEW CONCURRENTLY vault.notes");
        refused(Dialect.POSTGRESQL, "other on vault.*", "REINDEX SCHEMA vault");
        refused(Dialect.MARIADB, "other on vault.notes", "OPTIMIZE TABLE vault.notes", "ANALYZE TABLE vault.notes",
                "FLUSH TABLES vault.notes", "FLUSH TABLES vault.notes WITH READ LOCK");
    }

    @Test
    void refreshingAMaterializedViewReadsWhatItsDefinitionReads() {
        CatalogStub session = new CatalogStub();
        session.views.put("salary_totals", "SELECT dept, sum(amount) AS total FROM public.salaries GROUP BY dept");
        Decision refused = ENGINE.decide(ANN, analyzer.analyze("REFRESH MATERIALIZED VIEW public.salary_totals",
                Dialect.POSTGRESQL), DecisionContext.of(session));
        assertThat(refused.allowed()).as(refused.reason()).isFalse();
        assertThat(refused.rules()).containsExactly("no-salaries");
        session.views.put("salary_totals", "SELECT dept, count(*) AS people FROM public.orders GROUP BY dept");
        assertThat(ENGINE.decide(ANN, analyzer.analyze("REFRESH MATERIALIZED VIEW public.salary_totals",
                Dialect.POSTGRESQL), DecisionContext.of(session)).allowed()).isTrue();
    }

    @Test
    void maintenanceOfEveryTableIsRefusedByAPermitOfSomeTables() {
        refused(Dialect.POSTGRESQL, "other on *.*", "VACUUM", "VACUUM FULL", "ANALYZE", "CLUSTER", "REINDEX DATABASE app");
        refused(Dialect.MARIADB, "other on *.*", "FLUSH TABLES", "FLUSH TABLES WITH READ LOCK");
    }

    @Test
    void aTablesDefinitionIsShownOnlyWhereShowIsPermittedAndTheTableMayBeRead() {
        allowed(Dialect.MARIADB, "DESCRIBE public.orders", "DESC public.orders", "EXPLAIN public.orders",
                "SHOW TABLES FROM public");
        refused(Dialect.MARIADB, "show on vault.notes", "DESCRIBE vault.notes", "DESC vault.notes");
        refused(Dialect.MARIADB, "explain on vault.notes", "EXPLAIN vault.notes");
        refused(Dialect.MARIADB, "show on vault.*", "SHOW TABLES FROM vault");
        Decision salaries = decide("DESCRIBE public.salaries", Dialect.MARIADB);
        assertThat(salaries.allowed()).isFalse();
        assertThat(salaries.rules()).containsExactly("no-salaries");
    }

    @Test
    void explainCopyAndPrepareActOnTheTablesOfTheirStatement() {
        allowed(Dialect.POSTGRESQL, "EXPLAIN SELECT * FROM public.orders", "COPY public.orders TO STDOUT",
                "COPY (SELECT * FROM public.orders) TO STDOUT");
        refused(Dialect.POSTGRESQL, "explain on vault.notes", "EXPLAIN SELECT * FROM vault.notes",
                "EXPLAIN (ANALYZE, BUFFERS) SELECT n.body FROM public.orders o JOIN vault.notes n ON n.id = o.id");
        refused(Dialect.POSTGRESQL, "copy on vault.notes", "COPY vault.notes TO STDOUT",
                "COPY (SELECT * FROM vault.notes) TO STDOUT");
        refused(Dialect.POSTGRESQL, "execute on vault.notes", "PREPARE p AS SELECT * FROM vault.notes");
        refused(Dialect.H2, "copy on *.*", "SCRIPT", "SCRIPT TABLE public.orders");
    }

    @Test
    void dropsSynonymsAndPublicationsActOnTheTablesTheyName() {
        refused(Dialect.POSTGRESQL, "drop on vault.notes", "PURGE TABLE vault.notes");
        refused(Dialect.MARIADB, "drop on vault.notes", "DROP INDEX notes_body ON vault.notes");
        refused(Dialect.POSTGRESQL, "drop on vault.notes", "DROP TRIGGER audit ON vault.notes");
        refused(Dialect.POSTGRESQL, "create on vault.notes", "CREATE PUBLICATION p FOR TABLE vault.notes");
        refused(Dialect.POSTGRESQL, "create on *.*", "CREATE PUBLICATION p FOR ALL TABLES");
        Decision synonym = decide("CREATE SYNONYM s FOR public.salaries", Dialect.H2);
        assertThat(synonym.allowed()).isFalse();
        assertThat(synonym.rules()).containsExactly("no-salaries");
        allowed(Dialect.MARIADB, "DROP INDEX orders_total ON public.orders");
        allowed(Dialect.POSTGRESQL, "CREATE PUBLICATION p FOR TABLE public.orders");
    }

    @Test
    void aListOfTablesActsOnEach() {
        for (String sql : List.of("VACUUM public.orders, vault.notes", "FLUSH TABLES public.orders, vault.notes")) {
            Dialect dialect = sql.startsWith("FLUSH") ? Dialect.MARIADB : Dialect.POSTGRESQL;
            assertThat(decide(sql, dialect).allowed()).as(sql).isFalse();
        }
    }
}
