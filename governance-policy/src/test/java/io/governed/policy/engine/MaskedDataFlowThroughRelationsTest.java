package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.TableRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.governed.policy.Identities.agent;
import static io.governed.policy.Identities.human;
import static io.governed.policy.Identities.service;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * A masked value may not be copied into a clear place, nor probed in a WHERE by an agent, by way of a view whose column
 * is the masked column under another name, or of a PostgreSQL partition of the masked table: the session that names
 * the view's definition and the partition's parents is asked, as it is when the same column is masked in a result.
 */
class MaskedDataFlowThroughRelationsTest {

    private static final Identity ANN = human("ann", "analysts");
    private static final Identity SERVICE = service("order-service");
    private static final Identity AGENT = agent("copilot", ANN);

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("flows.yaml", """
            version: 1
            rules:
              - { id: work, effect: permit, actions: [select, insert, update], resources: ["*"] }
            masks:
              - id: hide-ssn
                columns: { patterns: ["public.customers.ssn"] }
                function: partial
              - id: hide-notes
                columns: { patterns: ["public.orders.note"] }
                function: redact
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();
    private final Map<String, String> views = session.views;
    private final Map<String, List<TableRef>> parents = session.parents;

    private Decision decide(Identity identity, String sql) {
        return engine.decide(identity, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
    }

    @Test
    void aViewsColumnThatIsAMaskedColumnIsNotCopiedInClear() {
        views.put("contacts", "SELECT id, upper(ssn) AS tax_ref, name FROM customers");
        assertThat(decide(SERVICE, "INSERT INTO audit_copy (id, v) SELECT id, tax_ref FROM contacts"))
                .satisfies(d -> assertThat(d.effect()).isEqualTo(Decision.Effect.DENY))
                .satisfies(d -> assertThat(d.rules()).containsExactly("hide-ssn"));
        assertThat(decide(SERVICE, "UPDATE orders SET status = (SELECT tax_ref FROM contacts WHERE id = 1) WHERE id = 1").effect())
                .isEqualTo(Decision.Effect.DENY);
        // the view's clear column is copied as before
        assertThat(decide(SERVICE, "INSERT INTO audit_copy (id, v) SELECT id, name FROM contacts").effect())
                .isEqualTo(Decision.Effect.ALLOW);
    }

    @Test
    void aViewOverAViewIsFollowedToTheMaskedColumn() {
        views.put("contacts", "SELECT id, ssn AS tax_ref FROM customers");
        views.put("badges", "SELECT id, tax_ref || '!' AS badge FROM contacts");
        assertThat(decide(SERVICE, "INSERT INTO audit_copy (id, v) SELECT id, badge FROM badges").effect())
                .isEqualTo(Decision.Effect.DENY);
    }

    @Test
    void anAgentMayNotProbeAViewsMaskedColumn() {
        views.put("contacts", "SELECT id, ssn AS tax_ref FROM customers");
        assertThat(decide(AGENT, "SELECT id FROM contacts WHERE tax_ref LIKE '1%'").effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decide(AGENT, "SELECT id FROM contacts ORDER BY tax_ref").effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decide(AGENT, "SELECT tax_ref FROM contacts WHERE id = 1").effect()).isEqualTo(Decision.Effect.ALLOW);
    }

    @Test
    void aPartitionsColumnIsNotCopiedOrProbedPastItsParentsMask() {
        parents.put("orders_2026", List.of(new TableRef("public", "orders")));
        assertThat(decide(SERVICE, "INSERT INTO audit_copy (id, v) SELECT id, note FROM orders_2026").effect())
                .isEqualTo(Decision.Effect.DENY);
        assertThat(decide(AGENT, "SELECT id FROM orders_2026 WHERE note LIKE 'a%'").effect()).isEqualTo(Decision.Effect.DENY);
        // a table of the same shape that is no partition of orders
        assertThat(decide(SERVICE, "INSERT INTO audit_copy (id, v) SELECT id, note FROM invoices").effect())
                .isEqualTo(Decision.Effect.ALLOW);
    }
}
