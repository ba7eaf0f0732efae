package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A temporary table (or sequence, or view) lives in the session, past the statement and its caller: under a policy with a mask or a row
 * filter, creating one is refused to every caller, the exempt ones too, whose copies would reach the next borrower of
 * a pooled connection.
 */
class TemporaryTablesTest {

    private static final String RULES = """
            version: 1
            rules:
              - { id: all, effect: permit, actions: ["*"] }
            """;
    private final PolicyEngine masked = new PolicyEngine(PolicyLoader.fromString("masked.yaml", RULES + """
            masks:
              - { id: mask-ssn, columns: { patterns: ["*.ssn"] }, function: redact, unless: { groups: [pii-readers] } }
            """));
    private final PolicyEngine filtered = new PolicyEngine(PolicyLoader.fromString("filtered.yaml", RULES + """
            row-filters:
              - { id: own-tenant, tables: ["public.orders"], filter: "tenant_id = :identity.tenant", unless: { groups: [support] } }
            """));
    private final PolicyEngine neither = new PolicyEngine(PolicyLoader.fromString("neither.yaml", RULES));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private static final Identity EXEMPT = human("dora", "pii-readers", "support");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | CREATE TEMP TABLE copy AS SELECT id, ssn AS x FROM customers",
            "POSTGRESQL | CREATE TEMPORARY TABLE customers AS SELECT id, ssn AS name FROM public.customers",
            "POSTGRESQL | CREATE TEMP TABLE copy (x text)",
            "POSTGRESQL | CREATE TEMP TABLE copy ON COMMIT DROP AS SELECT note FROM orders",
            "MARIADB    | CREATE TEMPORARY TABLE copy (x varchar(20))",
            "MARIADB    | CREATE TEMPORARY TABLE IF NOT EXISTS copy AS SELECT * FROM orders",
            "H2         | CREATE GLOBAL TEMPORARY TABLE copy (x varchar(20))",
            "POSTGRESQL | CREATE TEMP SEQUENCE order_numbers",
            "POSTGRESQL | CREATE TEMPORARY SEQUENCE order_numbers START 1000 INCREMENT BY 1",
            "MARIADB    | CREATE TEMPORARY SEQUENCE order_numbers",
            "POSTGRESQL | CREATE TEMP VIEW copy AS SELECT id, ssn AS x FROM customers",
            "POSTGRESQL | CREATE TEMPORARY VIEW customers AS SELECT id, ssn AS name FROM public.customers",
            "POSTGRESQL | CREATE OR REPLACE TEMP VIEW copy AS SELECT note FROM orders",
    })
    void creatingATemporaryTableIsRefusedToEveryCallerUnderAMaskOrAFilter(Dialect dialect, String sql) {
        for (PolicyEngine engine : new PolicyEngine[] {masked, filtered}) {
            Decision decision = engine.decide(EXEMPT, analyzer.analyze(sql, dialect), DecisionContext.defaultSchema("public"));
            assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
            assertThat(decision.rules()).as(sql).containsExactly(engine == masked ? "mask-ssn" : "own-tenant");
            assertThat(decision.reason()).as(sql).contains("creates a temporary table", "next borrower of a pooled connection",
                    "Use a table of a schema the policy governs");
        }
        assertThat(neither.decide(EXEMPT, analyzer.analyze(sql, dialect), DecisionContext.defaultSchema("public")).effect())
                .as("without masks and filters: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | CREATE TABLE copy (x text)",
            "POSTGRESQL | CREATE UNLOGGED TABLE copy (x text)",
            "MARIADB    | CREATE TABLE copy (x varchar(20))",
            "POSTGRESQL | CREATE SEQUENCE order_numbers",
            "POSTGRESQL | CREATE VIEW copy AS SELECT id, ssn AS x FROM customers",
    })
    void otherTablesStayGovernedAsBefore(Dialect dialect, String sql) {
        assertThat(masked.decide(EXEMPT, analyzer.analyze(sql, dialect), DecisionContext.defaultSchema("public")).effect())
                .as(sql).isEqualTo(Decision.Effect.ALLOW);
    }
}
