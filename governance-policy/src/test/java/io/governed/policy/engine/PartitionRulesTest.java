package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.sql.names.NameResolver;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.TableRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.governed.policy.Identities.agent;
import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * On PostgreSQL a partition (or an inheritance child) holds rows of every table it is a partition or child of, under its
 * own name: an access to it is an access to each of them too, for forbids, permits and approvals; when the session
 * cannot tell, every forbid and approval of the action covers it, and only a permit on every table permits it. Reading a
 * parent reads its partitions' rows, so a forbid naming a partition applies to reading the parent as well.
 */
class PartitionRulesTest {

    private static final Identity ANALYST = human("ann", "analysts");
    private static final Identity BOT = agent("bot", human("alice"));

    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();
    private final Map<String, List<TableRef>> parents = session.parents;
    private final Map<String, List<TableRef>> children = session.children;

    private static PolicyEngine engine(String yaml) {
        return new PolicyEngine(PolicyLoader.fromString("partitions.yaml", "version: 1\n" + yaml));
    }

    private SqlAnalysis analysis(String sql) {
        return analyzer.analyze(sql, Dialect.POSTGRESQL);
    }

    private Decision decide(PolicyEngine engine, Identity identity, String sql) {
        return engine.decide(identity, analysis(sql), DecisionContext.of(session));
    }

    private void salariesPartitioned() {
        parents.put("salaries_2024", List.of(new TableRef("public", "salaries")));
        parents.put("salaries_2024_q1", List.of(new TableRef("public", "salaries_2024"), new TableRef("public", "salaries")));
        parents.put("salaries_archive", List.of(new TableRef("public", "salaries"))); // an inheritance child
        children.put("salaries", List.of(new TableRef("public", "salaries_2024"), new TableRef("public", "salaries_2024_q1"),
                new TableRef("public", "salaries_archive")));
    }

    @Test
    void aForbidOnAParentCoversItsPartitionsAndChildrenAtEveryLevel() {
        salariesPartitioned();
        PolicyEngine engine = engine("""
                default: allow
                rules:
                  - { id: no-salaries, effect: forbid, actions: [select, delete], resources: ["public.salaries"],
                      principals: { kinds: [agent] } }
                """);
        for (String partition : List.of("salaries_2024", "salaries_2024_q1", "salaries_archive", "ONLY salaries_archive")) {
            Decision decision = decide(engine, BOT, "SELECT * FROM " + partition);
            assertThat(decision.allowed()).as(partition).isFalse();
            assertThat(decision.rules()).containsExactly("no-salaries");
            assertThat(decision.reason()).contains("select on public.salaries (through its partition or inheritance child");
        }
        assertThat(decide(engine, BOT, "DELETE FROM salaries_2024 WHERE id = 1").rules()).containsExactly("no-salaries");
        assertThat(decide(engine, BOT, "SELECT * FROM orders").allowed()).isTrue();
        assertThat(decide(engine, ANALYST, "SELECT * FROM salaries_2024").allowed()).as("the forbid is for agents").isTrue();
    }

    @Test
    void aPartitionNeedsThePermitsItsParentNeeds() {
        salariesPartitioned();
        PolicyEngine engine = engine("""
                default: deny
                rules:
                  - { id: read-partitions, effect: permit, actions: [select], resources: ["public.salaries_*"] }
                  - { id: read-orders, effect: permit, actions: [select], resources: ["public.orders*"] }
                """);
        Decision decision = decide(engine, ANALYST, "SELECT * FROM salaries_2024");
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).contains("No rule permits select on public.salaries (through its partition or"
                + " inheritance child public.salaries_2024)");
        parents.put("orders_2024", List.of(new TableRef("public", "orders")));
        assertThat(decide(engine, ANALYST, "SELECT * FROM orders_2024").rules()).containsExactly("read-orders");
    }

    @Test
    void aForbidOnAPartitionAppliesToReadingItsParent() {
        salariesPartitioned();
        PolicyEngine engine = engine("""
                default: allow
                rules:
                  - { id: no-archive, effect: forbid, actions: [select], resources: ["public.salaries_archive"] }
                """);
        Decision decision = decide(engine, ANALYST, "SELECT * FROM salaries");
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.rules()).containsExactly("no-archive");
        assertThat(decision.reason()).contains("select on public.salaries_archive (a partition or inheritance child of"
                + " public.salaries");
        assertThat(decide(engine, ANALYST, "SELECT * FROM ONLY salaries").allowed())
                .as("ONLY counts as reading the children too: the analysis does not tell them apart").isFalse();
        assertThat(decide(engine, ANALYST, "SELECT * FROM salaries_2024").allowed()).as("a sibling").isTrue();
    }

    @Test
    void anApprovalOnAParentCoversWritesToItsPartitions() {
        salariesPartitioned();
        PolicyEngine engine = engine("""
                default: allow
                approvals:
                  - { id: salary-writes, actions: [delete, update], resources: ["public.salaries"],
                      approvers: { groups: [hr] }, ttl: 1h }
                """);
        Decision decision = decide(engine, ANALYST, "DELETE FROM salaries_2024 WHERE id = 1");
        assertThat(decision.effect()).isEqualTo(Decision.Effect.PENDING_APPROVAL);
        assertThat(decision.rules()).containsExactly("salary-writes");
        assertThat(decide(engine, ANALYST, "DELETE FROM orders WHERE id = 1").effect()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(engine.reusable(decide(engine, ANALYST, "DELETE FROM orders WHERE id = 1"),
                analysis("DELETE FROM salaries_2024 WHERE id = 1"), DecisionContext.of(session))).isFalse();
    }

    @Test
    void anUnknownAncestryIsCoveredByEveryForbidAndApprovalOfTheAction() {
        session.unknownAncestry();
        PolicyEngine engine = engine("""
                default: allow
                rules:
                  - { id: no-salaries, effect: forbid, actions: [select], resources: ["public.salaries"],
                      principals: { kinds: [agent] } }
                approvals:
                  - { id: salary-writes, actions: [delete], resources: ["public.salaries"], approvers: { groups: [hr] }, ttl: 1h }
                """);
        Decision decision = decide(engine, BOT, "SELECT * FROM orders");
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.rules()).containsExactly("no-salaries");
        assertThat(decision.reason()).contains("public.orders, which may be a partition or inheritance child of any table");
        assertThat(decide(engine, ANALYST, "SELECT * FROM orders").allowed()).as("no forbid applies to analysts").isTrue();
        assertThat(decide(engine, BOT, "UPDATE orders SET n = 1 WHERE id = 1").allowed()).as("no forbid of update").isTrue();
        assertThat(decide(engine, ANALYST, "DELETE FROM orders WHERE id = 1").effect())
                .isEqualTo(Decision.Effect.PENDING_APPROVAL);
        assertThat(engine.decide(BOT, analysis("SELECT * FROM orders"),
                DecisionContext.of(NameResolver.withoutInheritance(session))).allowed())
                .as("a context that says no table has partitions").isTrue();
        assertThat(engine.decide(BOT, analysis("SELECT * FROM orders"), DecisionContext.none()).allowed())
                .as("no context at all: not known either").isFalse();
    }

    @Test
    void anUnknownAncestryIsPermittedOnlyByAPermitOnEveryTable() {
        session.unknownAncestry();
        PolicyEngine narrow = engine("""
                default: deny
                rules:
                  - { id: read-orders, effect: permit, actions: [select], resources: ["public.orders"] }
                """);
        Decision decision = decide(narrow, ANALYST, "SELECT * FROM orders");
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).contains("No rule permits select on public.orders, which may be a partition");
        PolicyEngine wide = engine("""
                default: deny
                rules:
                  - { id: read-all, effect: permit, actions: [select], resources: ["*"] }
                """);
        assertThat(decide(wide, ANALYST, "SELECT * FROM orders").rules()).containsExactly("read-all");
    }

    @Test
    void otherDialectsHaveNoAncestry() {
        session.unknownAncestry();
        PolicyEngine engine = engine("""
                default: allow
                rules:
                  - { id: no-salaries, effect: forbid, actions: [select], resources: ["public.salaries"] }
                """);
        for (Dialect dialect : List.of(Dialect.H2, Dialect.MARIADB)) {
            assertThat(engine.decide(ANALYST, analyzer.analyze("SELECT * FROM public.orders", dialect),
                    DecisionContext.of(session)).allowed()).as(dialect.name()).isTrue();
        }
    }
}
