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
 * Advancing a sequence (nextval('s'), NEXT VALUE FOR s, MariaDB's NEXTVAL(s)) is a write that outlives the statement:
 * an insert on the sequence, whose name the analysis does not tell. Any permit of insert permits it (an ORM's id
 * generator runs as an identity that inserts somewhere, whatever tables its policy names); an identity that may only
 * read is refused. A forbid or approval of insert covers it only when it covers every table: one on payments does not
 * refuse, or hold for approval, an id generator of orders.
 */
class SequenceAdvanceRulesTest {

    private static final Identity ANALYST = human("ann", "analysts");
    private static final Identity ORDERS = service("order-service");
    private static final Identity BOT = agent("bot", human("alice"));

    private static final PolicyEngine ENGINE = new PolicyEngine(PolicyLoader.fromString("sequences.yaml", """
            version: 1
            default: deny
            rules:
              - { id: analysts-read, effect: permit, actions: [select], resources: ["public.*"],
                  principals: { groups: [analysts] } }
              - { id: orders-write, effect: permit, actions: [select, insert, update], resources: ["public.orders"],
                  principals: { kinds: [service] } }
              - { id: agents-read, effect: permit, actions: [select, insert], resources: ["public.*"],
                  principals: { kinds: [agent] } }
              - { id: no-payment-inserts, effect: forbid, actions: [insert], resources: ["public.payments"] }
            approvals:
              - { id: order-inserts, actions: [insert], resources: ["public.orders"], approvers: { groups: [ops] }, ttl: 1h }
            """));

    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();

    private Decision decide(PolicyEngine engine, Identity identity, String sql, Dialect dialect) {
        return engine.decide(identity, analyzer.analyze(sql, dialect), DecisionContext.of(session));
    }

    private static final Map<String, Dialect> ADVANCES = Map.ofEntries(
            Map.entry("SELECT nextval('orders_id_seq')", Dialect.POSTGRESQL),
            Map.entry("SELECT pg_catalog.nextval('public.orders_id_seq'::regclass)", Dialect.POSTGRESQL),
            Map.entry("SELECT id, nextval('orders_id_seq') FROM orders WHERE id = 1", Dialect.POSTGRESQL),
            Map.entry("SELECT NEXTVAL('orders_id_seq')", Dialect.H2),
            Map.entry("SELECT NEXT VALUE FOR orders_id_seq", Dialect.H2),
            Map.entry("CALL NEXT VALUE FOR orders_id_seq", Dialect.H2),
            Map.entry("SELECT NEXTVAL(orders_id_seq)", Dialect.MARIADB),
            Map.entry("SELECT NEXT VALUE FOR public.orders_id_seq", Dialect.MARIADB),
            Map.entry("SELECT * FROM nextval('orders_id_seq')", Dialect.POSTGRESQL),
            Map.entry("SELECT n FROM nextval('orders_id_seq') AS n", Dialect.POSTGRESQL),
            Map.entry("SELECT x.n FROM orders o CROSS JOIN LATERAL (SELECT nextval('orders_id_seq') AS n) x", Dialect.POSTGRESQL),
            Map.entry("SELECT nextval(?)", Dialect.POSTGRESQL),
            Map.entry("WITH s AS (SELECT nextval('orders_id_seq') AS n) SELECT n FROM s", Dialect.POSTGRESQL),
            Map.entry("SELECT id FROM orders WHERE id = nextval('orders_id_seq')", Dialect.POSTGRESQL),
            Map.entry("SELECT id FROM orders ORDER BY nextval('orders_id_seq')", Dialect.POSTGRESQL),
            Map.entry("SELECT generate_series(1, 3), nextval('orders_id_seq')", Dialect.POSTGRESQL),
            Map.entry("VALUES (nextval('orders_id_seq'))", Dialect.POSTGRESQL),
            Map.entry("VALUES NEXT VALUE FOR orders_id_seq", Dialect.H2),
            Map.entry("SELECT * FROM (SELECT NEXT VALUE FOR orders_id_seq) x", Dialect.H2),
            Map.entry("SELECT NEXTVAL(test.orders_id_seq)", Dialect.MARIADB),
            Map.entry("SELECT * FROM (SELECT NEXTVAL(orders_id_seq)) x", Dialect.MARIADB));

    @Test
    void theAnalysisMarksEveryFormThatAdvancesASequence() {
        ADVANCES.forEach((sql, dialect) -> assertThat(analyzer.analyze(sql, dialect).statements().get(0)
                .has(Trait.ADVANCES_SEQUENCE)).as(dialect + ": " + sql).isTrue());
        for (String sql : List.of("SELECT currval('orders_id_seq')", "SELECT lastval()",
                "SELECT setval('orders_id_seq', 5)", "SELECT id FROM orders")) {
            assertThat(analyzer.analyze(sql, Dialect.POSTGRESQL).statements().get(0).has(Trait.ADVANCES_SEQUENCE))
                    .as(sql).isFalse();
        }
    }

    @Test
    void anIdentityThatMayOnlyReadMayNotAdvanceASequence() {
        ADVANCES.forEach((sql, dialect) -> {
            Decision decision = decide(ENGINE, ANALYST, sql, dialect);
            assertThat(decision.allowed()).as(dialect + ": " + sql).isFalse();
            assertThat(decision.reason()).as(sql).contains("No rule permits insert on a sequence the statement advances");
        });
        assertThat(decide(ENGINE, ANALYST, "SELECT currval('orders_id_seq'), lastval()", Dialect.POSTGRESQL).allowed())
                .as("reading a sequence's value changes nothing").isTrue();
    }

    @Test
    void anyPermitOfInsertPermitsAnIdGeneratorWhateverTablesItNames() {
        ADVANCES.forEach((sql, dialect) -> assertThat(decide(ENGINE, ORDERS, sql, dialect).allowed())
                .as(dialect + ": " + sql).isTrue());
        assertThat(decide(ENGINE, ORDERS, "INSERT INTO orders (id, n) VALUES (nextval('orders_id_seq'), 1)",
                Dialect.POSTGRESQL).effect()).as("the insert's own approval still applies")
                .isEqualTo(Decision.Effect.PENDING_APPROVAL);
    }

    @Test
    void aForbidOrApprovalOfInsertOnSomeTablesDoesNotCoverIt() {
        Decision bot = decide(ENGINE, BOT, "SELECT nextval('orders_id_seq')", Dialect.POSTGRESQL);
        assertThat(bot.effect()).as(bot.reason()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(decide(ENGINE, ORDERS, "SELECT nextval('orders_id_seq')", Dialect.POSTGRESQL).effect())
                .as("an approval of inserts into orders does not make the id generator wait")
                .isEqualTo(Decision.Effect.ALLOW);
        PolicyEngine everything = new PolicyEngine(PolicyLoader.fromString("no-writes.yaml", """
                version: 1
                default: allow
                rules:
                  - { id: agents-write-nothing, effect: forbid, actions: [insert, update, delete], resources: ["*"],
                      principals: { kinds: [agent] } }
                approvals:
                  - { id: every-insert, actions: [insert], resources: ["*"], approvers: { groups: [ops] }, ttl: 1h }
                """));
        Decision forbidden = decide(everything, BOT, "SELECT nextval('orders_id_seq')", Dialect.POSTGRESQL);
        assertThat(forbidden.allowed()).isFalse();
        assertThat(forbidden.rules()).containsExactly("agents-write-nothing");
        assertThat(decide(everything, ORDERS, "SELECT NEXT VALUE FOR s", Dialect.H2).effect())
                .isEqualTo(Decision.Effect.PENDING_APPROVAL);
    }

    @Test
    void aViewWhoseDefinitionAdvancesASequenceAdvancesItWhenRead() {
        session.views.put("next_order_ids", "SELECT nextval('orders_id_seq') AS id");
        assertThat(decide(ENGINE, ANALYST, "SELECT id FROM next_order_ids", Dialect.POSTGRESQL).allowed()).isFalse();
        assertThat(decide(ENGINE, BOT, "SELECT id FROM next_order_ids", Dialect.POSTGRESQL).allowed()).isTrue();
    }
}
