package io.governed.policy.masking;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.engine.DecisionContext;
import io.governed.policy.engine.PolicyEngine;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.governed.policy.Identities.agent;
import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inference and copy-out follow the same generic rule as result lineage: a masked column anywhere
 * beneath what decides the rows, or what is written, is caught whatever the syntax around it.
 */
class GenericDataFlowTest {

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("flow.yaml", """
            version: 1
            classification:
              tags:
                pii.ssn: ["*.ssn"]
            rules:
              - { id: all, effect: permit, actions: ["*"] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { groups: [pii-readers] } }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private static final Identity ANALYST = human("ann", "analysts");
    private static final Identity AGENT = agent("bot", ANALYST);
    private static final Identity PII_READER = human("pia", "pii-readers");

    private Decision decide(Identity identity, String sql) {
        return engine.decide(identity, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.defaultSchema("public"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT count(CASE WHEN ssn LIKE '1%' THEN 1 END) FROM customers",
            "SELECT count(*) FILTER (WHERE ssn LIKE '1%') FROM customers",
            "SELECT count(NULLIF(substring(ssn from 1 for 1), '1')) FROM customers",
            "SELECT count(*) OVER (PARTITION BY substring(ssn from 1 for 3)) FROM customers",
            "SELECT id FROM customers WHERE SUBSTRING(ssn FROM 1 FOR 1) = '1'",
            "SELECT id FROM customers WHERE POSITION('1' IN ssn) = 1",
            "SELECT id FROM customers WHERE TRIM(BOTH ' ' FROM ssn) LIKE '1%'",
            "SELECT id FROM customers WHERE OVERLAY(ssn PLACING 'x' FROM 1 FOR 1) = 'x23'",
            "SELECT id FROM customers c WHERE c::text LIKE '%078%'",
            "SELECT id FROM customers c WHERE to_jsonb(c)->>'ssn' LIKE '1%'",
            "SELECT id FROM customers c WHERE ROW(c.*)::text LIKE '%1%'",
            "SELECT o.id FROM orders o WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id AND c.ssn LIKE '1%')",
            "SELECT (SELECT count(*) FROM customers c WHERE c.ssn < o.guess) FROM orders o",
            "SELECT DISTINCT ON (ssn) id FROM customers",
            "SELECT id FROM customers ORDER BY substring(ssn from 1 for 1)",
            "SELECT id FROM customers GROUP BY GROUPING SETS ((substring(ssn from 1 for 1)), ())",
            "SELECT row_number() OVER w FROM customers WINDOW w AS (ORDER BY ssn)",
            "SELECT id FROM customers WHERE id IN (VALUES ((SELECT max(id) FROM customers WHERE ssn LIKE '1%')))",
            "SELECT id FROM customers, LATERAL (SELECT 1 WHERE ssn LIKE '1%') l",
            "SELECT count(DISTINCT ssn) FROM customers WHERE id IN (1, 2)",
            "SELECT count(DISTINCT ssn) OVER () FROM customers WHERE id IN (1, 2)",
    })
    void aQuestionAboutAMaskedColumnIsCaughtWhateverTheForm(String sql) {
        Decision decision = decide(AGENT, sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decision.reason()).as(sql).contains("deny-inference");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT count(*), count(ssn), count(DISTINCT name) FROM customers",
            "SELECT id FROM customers WHERE id > 1 ORDER BY name",
            "SELECT DISTINCT ON (name) id FROM customers",
            "SELECT id FROM customers WHERE SUBSTRING(name FROM 1 FOR 1) = 'A'",
    })
    void questionsAboutClearColumnsStayAllowed(String sql) {
        assertThat(decide(AGENT, sql).effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO dump (x) VALUES ((SELECT ssn FROM customers LIMIT 1))",
            "INSERT INTO dump (x) VALUES ((SELECT substring(ssn from 1 for 4) FROM customers LIMIT 1))",
            "INSERT INTO dump (x) SELECT TRIM(BOTH FROM ssn) FROM customers",
            "INSERT INTO dump (x) SELECT v FROM (VALUES ((SELECT ssn FROM customers LIMIT 1))) AS t(v)",
            "INSERT INTO dump (x) SELECT b FROM (SELECT id, ssn FROM customers) AS t(a, b)",
            "INSERT INTO dump (x) SELECT u FROM unnest((SELECT array_agg(ssn) FROM customers)) AS u",
            "UPDATE notes SET body = substring(c.ssn from 1 for 3) FROM customers c WHERE c.id = notes.customer_id",
            "UPDATE customers SET note = overlay(ssn placing '' from 1 for 0) WHERE id = 1",
            "UPDATE customers SET note = c::text FROM customers c WHERE customers.id = 1",
            "UPDATE notes SET body = (SELECT to_jsonb(c)::text FROM customers c LIMIT 1) WHERE id = 1",
            "CREATE TABLE dump AS SELECT x FROM (VALUES ((SELECT ssn FROM customers LIMIT 1))) AS v(x)",
    })
    void copyingAMaskedColumnIsCaughtWhateverTheForm(String sql) {
        Decision decision = decide(ANALYST, sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decide(PII_READER, sql).effect()).as("pii-reader: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO dump (x) VALUES (1)",
            "INSERT INTO dump (x) VALUES ((SELECT name FROM customers LIMIT 1))",
            "INSERT INTO dump (x) SELECT b FROM (SELECT ssn, name FROM customers) AS t(a, b)",
            "UPDATE customers SET note = substring(name from 1 for 3) WHERE id = 1",
            "UPDATE notes SET n = (SELECT count(*) FROM customers) WHERE id = 1",
    })
    void copyingClearColumnsStaysAllowed(String sql) {
        assertThat(decide(ANALYST, sql).effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
    }
}
