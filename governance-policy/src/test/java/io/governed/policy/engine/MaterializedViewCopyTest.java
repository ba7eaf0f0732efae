package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A materialized view keeps the rows its query computes, as a table made by {@code CREATE TABLE … AS} does (now, or at
 * each {@code REFRESH} of one made {@code WITH NO DATA}): creating one whose query selects a masked column, as it is or
 * computed, is a copy of the masked values, refused to a caller the mask applies to and allowed to one it exempts; one
 * of clear columns is created as before.
 */
class MaterializedViewCopyTest {

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("masked.yaml", """
            version: 1
            rules:
              - { id: all, effect: permit, actions: ["*"] }
            masks:
              - { id: mask-ssn, columns: { patterns: ["*.ssn"] }, function: redact, unless: { groups: [pii-readers] } }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private static final Identity MASKED = human("ann", "analysts");
    private static final Identity EXEMPT = human("dora", "pii-readers");

    private Decision decide(Identity identity, String sql) {
        return engine.decide(identity, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.defaultSchema("public"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE MATERIALIZED VIEW copy AS SELECT id, ssn FROM customers",
            "CREATE MATERIALIZED VIEW copy AS SELECT id, ssn AS note FROM customers WITH NO DATA",
            "CREATE MATERIALIZED VIEW IF NOT EXISTS copy AS SELECT id, upper(ssn) AS note FROM customers",
            "CREATE MATERIALIZED VIEW copy AS SELECT c.id, d.x FROM customers c JOIN (SELECT id, ssn AS x FROM customers) d "
                    + "ON d.id = c.id",
            "CREATE MATERIALIZED VIEW copy AS SELECT * FROM customers",
    })
    void aMaterializedViewOfAMaskedColumnIsACopyOfIt(String sql) {
        Decision decision = decide(MASKED, sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decide(EXEMPT, sql).effect()).as("exempt: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE MATERIALIZED VIEW copy AS SELECT id, name FROM customers",
            "CREATE MATERIALIZED VIEW copy AS SELECT id, count(*) AS n FROM orders GROUP BY id WITH NO DATA",
            "CREATE VIEW copy AS SELECT id, ssn FROM customers",
    })
    void aMaterializedViewOfClearColumnsAndAPlainViewAreCreatedAsBefore(String sql) {
        assertThat(decide(MASKED, sql).effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
    }
}
