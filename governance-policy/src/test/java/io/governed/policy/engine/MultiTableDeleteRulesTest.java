package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * A MariaDB multi-table DELETE is judged as a delete on every table it deletes from, whichever the FROM list names
 * first, and as a read of the tables it only joins; one whose inner joins link the target to the joined rows is bounded
 * by a WHERE on a joined table, as the UPDATE … JOIN form is.
 */
class MultiTableDeleteRulesTest {

    private static final Identity ANN = human("ann", "staff");

    private static final PolicyEngine ENGINE = new PolicyEngine(PolicyLoader.fromString("delete.yaml", """
            version: 1
            default: allow
            rules:
              - { id: no-deleting-customers, effect: forbid, actions: [delete], resources: ["customers"] }
              - { id: no-reading-payments, effect: forbid, actions: [select], resources: ["payments"] }
              - { id: unbounded, effect: forbid, actions: [update, delete], when: { where: absent } }
            """));

    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private Decision decide(String sql) {
        return ENGINE.decide(ANN, analyzer.analyze(sql, Dialect.MARIADB), DecisionContext.of(new CatalogStub()));
    }

    @Test
    void aForbiddenTargetJoinedAfterAnAllowedTableIsRefusedForTheDelete() {
        Decision decision = decide("DELETE c FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = 1");
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.rules()).containsExactly("no-deleting-customers");
        Decision both = decide("DELETE o, c FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'x'");
        assertThat(both.allowed()).isFalse();
        assertThat(both.rules()).containsExactly("no-deleting-customers");
    }

    @Test
    void aJoinedTableIsRead() {
        Decision decision = decide("DELETE o FROM orders o JOIN payments p ON p.order_id = o.id WHERE p.amount = 0");
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.rules()).containsExactly("no-reading-payments");
    }

    @Test
    void aWhereOnAJoinedTableBoundsLinkedInnerJoinsOnly() {
        assertThat(decide("DELETE o FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.country = 'DE'")
                .allowed()).isTrue();
        for (String sql : new String[] {
                "DELETE o FROM orders o JOIN customers c ON c.id = o.customer_id",
                "DELETE o FROM orders o JOIN customers c ON 1 = 1 WHERE c.country = 'DE'",
                "DELETE o FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE c.id IS NULL",
                "DELETE o FROM orders o JOIN orders o2 ON o2.id = o.id WHERE o2.status = 'x'"}) {
            Decision decision = decide(sql);
            assertThat(decision.allowed()).as(sql).isFalse();
            assertThat(decision.rules()).as(sql).containsExactly("unbounded");
        }
    }

    @Test
    void mariaDbsDeleteHistoryIsAnUnboundedDeleteOfTheTableItNames() {
        // MariaDB reads DELETE HISTORY FROM t as the removal of t's history rows (system versioning); the parser reads a
        // multi-table DELETE of a table named history, which no rule names
        for (String sql : new String[] {"DELETE HISTORY FROM customers", "DELETE history FROM customers",
                "DELETE HISTORY FROM app.customers"}) {
            Decision decision = decide(sql);
            assertThat(decision.allowed()).as(sql).isFalse();
            assertThat(decision.rules()).as(sql).contains("no-deleting-customers", "unbounded");
        }
        Decision orders = decide("DELETE HISTORY FROM orders");
        assertThat(orders.allowed()).isFalse();
        assertThat(orders.rules()).containsExactly("unbounded");
    }

    @Test
    void aTargetNamedAsAnAliasOfTheFromListIsStillTheAliasedTable() {
        assertThat(decide("DELETE history FROM orders AS history WHERE history.id = 1").allowed()).isTrue();
        Decision decision = decide("DELETE history FROM customers AS history WHERE history.id = 1");
        assertThat(decision.rules()).containsExactly("no-deleting-customers");
    }
}
