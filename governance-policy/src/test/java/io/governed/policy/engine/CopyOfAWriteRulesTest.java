package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code COPY (DELETE … RETURNING *) TO STDOUT} runs the write, whose returned rows the COPY hands out: the write is
 * judged as itself (its target, its WHERE), as it is on its own. Only the query's tables read counted before, so a
 * forbid of unbounded deletes and a caller with no delete permit at all let it through, as a copy.
 */
class CopyOfAWriteRulesTest {

    private static final Identity DEV = human("dave", "devs");
    private static final Identity READER = human("rita", "readers");

    private static final PolicyEngine ENGINE = new PolicyEngine(PolicyLoader.fromString("copy-of-a-write.yaml", """
            version: 1
            default: deny
            rules:
              - { id: devs-everything-in-schema, effect: permit, principals: { groups: [devs] }, actions: ["*"], resources: ["s.*"] }
              - { id: readers-copy, effect: permit, principals: { groups: [readers] }, actions: [select, copy], resources: ["s.*"] }
              - { id: no-unbounded-writes, effect: forbid, actions: [update, delete], when: { where: absent } }
            """));

    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private Decision decide(Identity identity, String sql) {
        return ENGINE.decide(identity, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(new CatalogStub()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "COPY (DELETE FROM s.victim RETURNING *) TO STDOUT",
            "COPY (UPDATE s.victim SET v = 'x' RETURNING id) TO STDOUT",
            "COPY (WITH gone AS (DELETE FROM s.victim RETURNING *) SELECT * FROM gone) TO STDOUT",
            "COPY (DELETE FROM s.victim RETURNING *) TO '/tmp/out.csv'",
    })
    void anUnboundedWriteInACopyIsTheForbiddenWrite(String sql) {
        Decision decision = decide(DEV, sql);
        assertThat(decision.allowed()).as(sql).isFalse();
        assertThat(decision.rules()).as(sql).contains("no-unbounded-writes");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "COPY (DELETE FROM s.victim WHERE id = 1 RETURNING *) TO STDOUT",
            "COPY (INSERT INTO s.victim VALUES (3, 'x') RETURNING *) TO STDOUT",
            "COPY (UPDATE s.victim SET v = 'x' WHERE id = 1 RETURNING id) TO STDOUT",
    })
    void aWriteInACopyNeedsThePermitOfTheWrite(String sql) {
        assertThat(decide(READER, sql).allowed()).as("readers may not write: " + sql).isFalse();
        assertThat(decide(READER, sql).reason()).as(sql).containsPattern("(insert|update|delete) on s.victim");
        assertThat(decide(DEV, sql).allowed()).as("devs may: " + sql).isTrue();
    }

    @Test
    void aCopyOfAQueryIsACopyAsBefore() {
        assertThat(decide(READER, "COPY (SELECT * FROM s.victim WHERE id > 0) TO STDOUT").allowed()).isTrue();
        assertThat(decide(READER, "COPY s.victim TO STDOUT").allowed()).isTrue();
    }
}
