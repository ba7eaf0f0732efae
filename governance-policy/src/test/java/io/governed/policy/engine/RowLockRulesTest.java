package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.Trait;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.governed.policy.Identities.agent;
import static io.governed.policy.Identities.human;
import static io.governed.policy.Identities.service;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * A query that locks the rows it reads (SELECT … FOR UPDATE, FOR SHARE, MariaDB's LOCK IN SHARE MODE) makes other
 * sessions' writes wait while its transaction lasts: it is an update of each table it reads, as PostgreSQL's own
 * privileges count it. An identity that may only read is refused; one that may update the table (an ORM's pessimistic
 * lock) runs it; a forbid of update on the table covers it; an approval of updates does not (the lock changes no row,
 * the update after it waits for the approval). H2's FOR UPDATE: the H2 corpus, whose catalog names its schema.
 */
class RowLockRulesTest {

    private static final Identity ANALYST = human("ann", "analysts");
    private static final Identity ORDERS = service("order-service");
    private static final Identity BOT = agent("bot", human("alice"));

    private static final PolicyEngine ENGINE = new PolicyEngine(PolicyLoader.fromString("locks.yaml", """
            version: 1
            default: deny
            rules:
              - { id: read-all, effect: permit, actions: [select], resources: ["public.*"] }
              - { id: orders-write, effect: permit, actions: [update], resources: ["public.orders"],
                  principals: { kinds: [service, agent] } }
              - { id: agents-keep-off-orders, effect: forbid, actions: [update], resources: ["public.orders"],
                  principals: { kinds: [agent] } }
            approvals:
              - { id: order-updates, actions: [update], resources: ["public.orders"], approvers: { groups: [ops] }, ttl: 1h }
            """));

    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private Decision decide(Identity identity, String sql, Dialect dialect) {
        return ENGINE.decide(identity, analyzer.analyze(sql, dialect), DecisionContext.of(new CatalogStub()));
    }

    private static final List<Map.Entry<String, Dialect>> LOCKS = List.of(
            Map.entry("SELECT id FROM orders WHERE id = 1 FOR UPDATE", Dialect.POSTGRESQL),
            Map.entry("SELECT id FROM orders WHERE id = 1 FOR NO KEY UPDATE NOWAIT", Dialect.POSTGRESQL),
            Map.entry("SELECT id FROM orders FOR SHARE SKIP LOCKED", Dialect.POSTGRESQL),
            Map.entry("SELECT id FROM orders FOR KEY SHARE", Dialect.POSTGRESQL),
            Map.entry("SELECT o.id FROM orders o WHERE o.id = 1 FOR UPDATE OF o", Dialect.POSTGRESQL),
            Map.entry("SELECT * FROM (SELECT id FROM orders FOR UPDATE) x", Dialect.POSTGRESQL),
            Map.entry("WITH x AS (SELECT id FROM orders FOR UPDATE) SELECT id FROM x", Dialect.POSTGRESQL),
            Map.entry("SELECT id FROM orders WHERE id = 1 FOR UPDATE", Dialect.MARIADB),
            Map.entry("SELECT id FROM orders WHERE id = 1 FOR UPDATE WAIT 5", Dialect.MARIADB),
            Map.entry("SELECT id FROM orders WHERE id = 1 LOCK IN SHARE MODE", Dialect.MARIADB),
            Map.entry("SELECT id FROM orders LOCK IN SHARE MODE SKIP LOCKED", Dialect.MARIADB));

    private static void each(java.util.function.BiConsumer<String, Dialect> check) {
        LOCKS.forEach(lock -> check.accept(lock.getKey(), lock.getValue()));
    }

    @Test
    void theAnalysisMarksEveryFormThatLocksRows() {
        each((sql, dialect) -> assertThat(analyzer.analyze(sql, dialect).statements().get(0).has(Trait.LOCKS_ROWS))
                .as(dialect + ": " + sql).isTrue());
        for (String sql : List.of("SELECT id FROM orders WHERE id = 1", "SELECT id FROM orders FOR READ ONLY")) {
            assertThat(analyzer.analyze(sql, Dialect.POSTGRESQL).statements().get(0).has(Trait.LOCKS_ROWS)).as(sql).isFalse();
        }
    }

    @Test
    void anIdentityThatMayOnlyReadMayNotLockRows() {
        each((sql, dialect) -> {
            Decision decision = decide(ANALYST, sql, dialect);
            assertThat(decision.allowed()).as(dialect + ": " + sql).isFalse();
            assertThat(decision.reason()).as(sql).contains("No rule permits update on")
                    .contains("the rows a SELECT … FOR UPDATE or FOR SHARE locks");
        });
        assertThat(decide(ANALYST, "SELECT id FROM orders WHERE id = 1", Dialect.POSTGRESQL).allowed()).isTrue();
    }

    @Test
    void aPermitToUpdateTheTablePermitsTheLockAndAnApprovalOfUpdatesDoesNotHoldIt() {
        each((sql, dialect) -> assertThat(decide(ORDERS, sql, dialect).effect()).as(dialect + ": " + sql)
                .isEqualTo(Decision.Effect.ALLOW));
        assertThat(decide(ORDERS, "UPDATE orders SET n = 1 WHERE id = 1", Dialect.POSTGRESQL).effect())
                .as("the update after the lock waits for its approval").isEqualTo(Decision.Effect.PENDING_APPROVAL);
        Decision join = decide(ORDERS, "SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id FOR UPDATE OF o",
                Dialect.POSTGRESQL);
        assertThat(join.allowed()).as("which tables FOR UPDATE OF locks is not told apart: each table read counts")
                .isFalse();
        assertThat(join.reason()).contains("update on public.customers");
    }

    @Test
    void aForbidOfUpdatingTheTableCoversTheLock() {
        Decision decision = decide(BOT, "SELECT id FROM orders WHERE id = 1 FOR UPDATE", Dialect.POSTGRESQL);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.rules()).containsExactly("agents-keep-off-orders");
        assertThat(decide(BOT, "SELECT id FROM orders WHERE id = 1", Dialect.POSTGRESQL).allowed()).isTrue();
    }
}
