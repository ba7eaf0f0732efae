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
import static org.assertj.core.api.Assertions.assertThat;

/*
 * Reading or writing a view reads or writes the rows of the relations its definition reads: a forbid or an approval on
 * such a relation covers the view (at every depth of views), while the view's own permit permits it (as a GRANT on a
 * view does). A view whose definition cannot be analysed is covered by every forbid of the action. Dropping or altering
 * a view touches no row beneath it.
 */
class ViewRulesTest {

    private static final Identity ANALYST = human("ann", "analysts");
    private static final Identity BOT = agent("bot", human("alice"));

    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();
    private final Map<String, String> views = session.views;
    private final Map<String, List<TableRef>> parents = session.parents;

    private static PolicyEngine engine(String yaml) {
        return new PolicyEngine(PolicyLoader.fromString("views.yaml", "version: 1\n" + yaml));
    }

    private Decision decide(PolicyEngine engine, Identity identity, String sql, Dialect dialect) {
        return engine.decide(identity, analyzer.analyze(sql, dialect), DecisionContext.of(session));
    }

    private Decision decide(PolicyEngine engine, Identity identity, String sql) {
        return decide(engine, identity, sql, Dialect.POSTGRESQL);
    }

    private static final String NO_SALARIES_FOR_AGENTS = """
            default: allow
            rules:
              - { id: no-salaries, effect: forbid, actions: [select, update], resources: ["public.salaries"],
                  principals: { kinds: [agent] } }
            """;

    @Test
    void aForbidOnATableCoversTheViewsDefinedOverItAtEveryDepth() {
        views.put("pay", "SELECT id, amount FROM salaries WHERE amount > 0");
        views.put("pay_summary", "SELECT count(*) AS n FROM pay");
        PolicyEngine engine = engine(NO_SALARIES_FOR_AGENTS);
        for (Dialect dialect : List.of(Dialect.POSTGRESQL, Dialect.MARIADB)) { // H2: ViewRulesH2Test, with its catalog
            Decision decision = decide(engine, BOT, "SELECT * FROM pay", dialect);
            assertThat(decision.allowed()).as(dialect.name() + ": " + decision.reason()).isFalse();
            assertThat(decision.rules()).containsExactly("no-salaries");
            assertThat(decision.reason()).contains("select on public.salaries (beneath view public.pay, which is defined over it)");
            assertThat(decide(engine, BOT, "SELECT n FROM pay_summary", dialect).rules()).as(dialect.name())
                    .containsExactly("no-salaries");
        }
        assertThat(decide(engine, BOT, "UPDATE pay SET amount = 0 WHERE id = 1").rules()).containsExactly("no-salaries");
        assertThat(decide(engine, BOT, "SELECT o.id FROM orders o JOIN pay p ON p.id = o.id").allowed()).isFalse();
        assertThat(decide(engine, ANALYST, "SELECT * FROM pay").allowed()).as("the forbid is for agents").isTrue();
        views.put("order_view", "SELECT id FROM orders");
        assertThat(decide(engine, BOT, "SELECT * FROM order_view").allowed()).as("a view over other tables").isTrue();
    }

    @Test
    void aViewsOwnPermitPermitsItWithoutPermitsOnTheTablesBeneath() {
        views.put("pay_bands", "SELECT band FROM salaries GROUP BY band");
        PolicyEngine engine = engine("""
                default: deny
                rules:
                  - { id: read-bands, effect: permit, actions: [select], resources: ["public.pay_bands"] }
                """);
        Decision decision = decide(engine, ANALYST, "SELECT band FROM pay_bands");
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.rules()).containsExactly("read-bands");
        assertThat(decide(engine, ANALYST, "SELECT band FROM salaries").allowed()).isFalse();
    }

    @Test
    void aViewWhoseDefinitionCannotBeAnalysedIsCoveredByEveryForbidOfTheAction() {
        views.put("odd", "SELECT FROM WHERE (((");
        PolicyEngine engine = engine(NO_SALARIES_FOR_AGENTS);
        Decision decision = decide(engine, BOT, "SELECT * FROM odd");
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.rules()).containsExactly("no-salaries");
        assertThat(decision.reason()).contains("the tables view public.odd is defined over, which cannot be told");
        assertThat(decide(engine, ANALYST, "SELECT * FROM odd").allowed()).isTrue();
    }

    @Test
    void viewsNestedDeeperThanTheAnalysisFollowsAreCoveredByEveryForbid() {
        views.put("v0", "SELECT id FROM orders");
        for (int i = 1; i <= Access.MAXIMUM_VIEW_DEPTH + 1; i++) {
            views.put("v" + i, "SELECT id FROM v" + (i - 1));
        }
        PolicyEngine engine = engine(NO_SALARIES_FOR_AGENTS);
        assertThat(decide(engine, BOT, "SELECT * FROM v" + (Access.MAXIMUM_VIEW_DEPTH - 1)).allowed()).isTrue();
        assertThat(decide(engine, BOT, "SELECT * FROM v" + (Access.MAXIMUM_VIEW_DEPTH + 1)).allowed()).isFalse();
    }

    @Test
    void aRoutineTheDefinitionCallsIsACallBeneathTheView() {
        views.put("leaky", "SELECT id, reveal(id) AS secret FROM orders");
        PolicyEngine engine = engine("""
                default: allow
                rules:
                  - { id: no-reveal, effect: forbid, actions: [call], resources: ["public.reveal"] }
                """);
        Decision decision = decide(engine, ANALYST, "SELECT * FROM leaky");
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.rules()).containsExactly("no-reveal");
    }

    @Test
    void anApprovalOnATableCoversWritesThroughAView() {
        views.put("pay", "SELECT id, amount FROM salaries");
        PolicyEngine engine = engine("""
                default: allow
                approvals:
                  - { id: salary-writes, actions: [delete, update], resources: ["public.salaries"],
                      approvers: { groups: [hr] }, ttl: 1h }
                """);
        Decision decision = decide(engine, ANALYST, "UPDATE pay SET amount = 0 WHERE id = 1");
        assertThat(decision.effect()).isEqualTo(Decision.Effect.PENDING_APPROVAL);
        assertThat(decision.rules()).contains("salary-writes");
        assertThat(decide(engine, ANALYST, "SELECT * FROM pay").allowed()).as("reads need no approval").isTrue();
    }

    @Test
    void aViewOverAPartitionIsCoveredByTheForbidOnItsParent() {
        parents.put("salaries_2024", List.of(new TableRef("public", "salaries")));
        views.put("pay_2024", "SELECT id, amount FROM salaries_2024");
        PolicyEngine engine = engine(NO_SALARIES_FOR_AGENTS);
        assertThat(decide(engine, BOT, "SELECT * FROM pay_2024").rules()).containsExactly("no-salaries");
    }

    @Test
    void droppingOrAlteringAViewTouchesNoRowBeneathIt() {
        views.put("pay", "SELECT id, amount FROM salaries");
        PolicyEngine engine = engine("""
                default: allow
                rules:
                  - { id: no-salary-changes, effect: forbid, actions: [drop, alter, select], resources: ["public.salaries"],
                      principals: { kinds: [agent] } }
                """);
        assertThat(decide(engine, BOT, "DROP VIEW pay").allowed()).isTrue();
        assertThat(decide(engine, BOT, "COMMENT ON VIEW pay IS 'pay'").allowed()).isTrue();
    }
}
