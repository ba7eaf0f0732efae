package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whom the policy allows every statement on every relation alike ({@link PolicyEngine#allowsEverythingTo}): only then
 * is no decision of a caller's tied to which relations a statement reaches, and SQL the analysis does not see
 * ({@code EXECUTE p} of a name not known, {@code PREPARE s FROM @v}) is let through by a permit that a statement on no
 * table satisfies. Anyone else, a caller a permit of some tables or any forbid applies to, is refused such SQL.
 */
class AllowsEverythingToTest {
    private static final Identity PERSON = Identity.builder("pat").kind(IdentityKind.HUMAN).build();
    private static final Identity AGENT = Identity.builder("bot").kind(IdentityKind.AGENT).build();
    private static final Identity DBA = Identity.builder("dee").kind(IdentityKind.HUMAN).groups("dba").build();
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private static PolicyEngine engine(String rules) {
        return new PolicyEngine(PolicyLoader.fromString("everything.yaml", """
                version: 1
                default: deny
                rules:
                """ + rules.indent(2)));
    }

    private Decision decide(PolicyEngine engine, Identity identity, String sql, Dialect dialect) {
        return engine.decide(identity, analyzer.analyze(sql, dialect), DecisionContext.defaultSchema("public"));
    }

    @Test
    void aPermitOfEverythingWithNothingForbiddenAllowsEverything() {
        PolicyEngine engine = engine("""
                - id: people-do-anything
                  effect: permit
                  principals: { kinds: [human] }
                  actions: ["*"]
                  resources: ["*"]
                - id: agent-reads-orders
                  effect: permit
                  principals: { kinds: [agent] }
                  actions: [select, execute]
                  resources: [orders]
                  when: { traits: [dynamic-sql] }
                """);
        assertThat(engine.allowsEverythingTo(PERSON)).isTrue();
        assertThat(engine.allowsEverythingTo(AGENT)).isFalse();
        for (Dialect dialect : new Dialect[] {Dialect.POSTGRESQL, Dialect.MARIADB}) {
            assertThat(decide(engine, PERSON, "EXECUTE p", dialect).effect()).isEqualTo(Decision.Effect.ALLOW);
            Decision agent = decide(engine, AGENT, "EXECUTE p", dialect);
            assertThat(agent.effect()).as(dialect + ": " + agent.reason()).isEqualTo(Decision.Effect.DENY);
            assertThat(agent.reason()).contains("does not see", "reach some tables only");
        }
        assertThat(decide(engine, AGENT, "PREPARE s FROM @q", Dialect.MARIADB).effect()).isEqualTo(Decision.Effect.DENY);
    }

    @Test
    void aForbidAConditionOrSomeTablesOnlyIsNotEverything() {
        String everything = """
                - id: all
                  effect: permit
                  actions: ["*"]
                  resources: ["*"]
                """;
        assertThat(engine(everything).allowsEverythingTo(AGENT)).isTrue();
        assertThat(engine(everything + """
                - id: no-drops
                  effect: forbid
                  actions: [drop]
                  unless: { groups: [dba] }
                """).allowsEverythingTo(AGENT)).as("a forbid of one action").isFalse();
        assertThat(engine(everything + """
                - id: no-drops
                  effect: forbid
                  actions: [drop]
                  unless: { groups: [dba] }
                """).allowsEverythingTo(DBA)).as("exempt from the forbid").isTrue();
        assertThat(engine("""
                - id: all-with-where
                  effect: permit
                  actions: ["*"]
                  resources: ["*"]
                  when: { where: present }
                """).allowsEverythingTo(AGENT)).as("a permit with conditions").isFalse();
        assertThat(engine("""
                - id: all-of-public
                  effect: permit
                  actions: ["*"]
                  resources: ["public.*"]
                """).allowsEverythingTo(AGENT)).as("a permit of one schema").isFalse();
        assertThat(engine("""
                - id: reads
                  effect: permit
                  actions: [select]
                  resources: ["*"]
                """).allowsEverythingTo(AGENT)).as("a permit of some actions").isFalse();
    }

    @Test
    void aMaskARowFilterOrAnApprovalIsNotEverything() {
        String base = """
                version: 1
                default: allow
                rules: []
                """;
        assertThat(new PolicyEngine(PolicyLoader.fromString("a.yaml", base)).allowsEverythingTo(AGENT)).isTrue();
        assertThat(new PolicyEngine(PolicyLoader.fromString("m.yaml", base + """
                masks:
                  - id: m
                    columns: { patterns: ["*.ssn"] }
                    function: redact
                """)).allowsEverythingTo(AGENT)).as("a mask").isFalse();
        assertThat(new PolicyEngine(PolicyLoader.fromString("f.yaml", base + """
                row-filters:
                  - id: f
                    tables: [orders]
                    filter: "owner = :identity.name"
                """)).allowsEverythingTo(AGENT)).as("a row filter").isFalse();
        assertThat(new PolicyEngine(PolicyLoader.fromString("p.yaml", base + """
                approvals:
                  - id: p
                    actions: [delete]
                    resources: ["*"]
                    approvers: { groups: [dba] }
                    ttl: 1h
                """)).allowsEverythingTo(AGENT)).as("an approval").isFalse();
    }
}
