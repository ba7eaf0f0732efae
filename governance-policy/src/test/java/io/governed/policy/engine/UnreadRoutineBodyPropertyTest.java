package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.Statements;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.WhereKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over generated policies (permits and forbids of generated actions, resources and conditions): a call of a routine
 * whose body cannot be read is allowed only where the same policy allows the caller every statement that reads, writes,
 * empties, creates, changes or drops any table, bounded or not, since the routine may do any of them. A permit of the
 * call never stands in for what its body may do.
 */
class UnreadRoutineBodyPropertyTest {

    private static final Identity CALLER = Identity.builder("svc").groups("app").build();
    private static final List<String> ACTIONS = List.of("select", "insert", "update", "delete", "truncate", "create",
            "alter", "drop", "call");
    private static final List<String> RESOURCES = List.of("\"*\"", "\"app.*\"", "\"app.t1\"", "\"other.*\"");
    private static final List<String> CONDITIONS = List.of("", ", when: { where: absent }", ", when: { where: present }",
            ", when: { traits: [dynamic-sql] }", ", when: { purposes: [billing] }");
    private static final List<String> TABLES = List.of("app.t1", "other.t2", "public.t3");

    /** One rule: permit or forbid, its actions, resource and condition. */
    record GeneratedRule(boolean permit, List<String> actions, boolean everyAction, String resource, String condition) {
        String yaml(int index) {
            return "  - { id: r" + index + ", effect: " + (permit ? "permit" : "forbid") + ", actions: ["
                    + (everyAction ? "\"*\"" : String.join(", ", actions)) + "], resources: [" + resource + "]"
                    + condition + " }\n";
        }
    }

    @Provide
    Arbitrary<List<GeneratedRule>> policies() {
        Arbitrary<GeneratedRule> rule = Combinators.combine(
                Arbitraries.of(true, true, false),
                Arbitraries.of(ACTIONS).list().ofMinSize(1).ofMaxSize(9).uniqueElements(),
                Arbitraries.of(false, false, false, true),
                Arbitraries.of(RESOURCES),
                Arbitraries.of(CONDITIONS)).as(GeneratedRule::new);
        return rule.list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 800, seed = "20261203")
    void aCallOfAnUnreadRoutineIsAllowedOnlyWhereEverythingItMayDoIsAllowed(@ForAll("policies") List<GeneratedRule> rules) {
        StringBuilder yaml = new StringBuilder("version: 1\ndefault: deny\nrules:\n"
                + "  - { id: calls, effect: permit, actions: [call], resources: [\"app.f\"] }\n");
        for (int i = 0; i < rules.size(); i++) {
            yaml.append(rules.get(i).yaml(i));
        }
        PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("generated.yaml", yaml.toString()));
        CatalogStub catalog = new CatalogStub(); // knows no body of app.f: it cannot be read
        DecisionContext context = DecisionContext.of(catalog);
        SqlAnalysis call = new SqlAnalyzer().analyze("SELECT app.f()", Dialect.POSTGRESQL);
        Decision decision = engine.decide(CALLER, call, context);
        Statistics.label("call allowed").collect(decision.allowed());
        Statistics.label("call allowed").coverage(checker -> checker.check(true).percentage(p -> p >= 2.0));
        if (!decision.allowed()) {
            return;
        }
        List<String> refused = new ArrayList<>();
        for (Action action : Access.OPAQUE_ACTIONS) {
            for (String table : TABLES) {
                for (WhereKind where : Set.of(WhereKind.ABSENT, WhereKind.PRESENT)) {
                    Statements statement = action == Action.SELECT ? Statements.select(table).where(where)
                            : Statements.statement(action).writes(table).where(where);
                    Decision direct = engine.decide(CALLER, statement.analysis(), context);
                    if (!direct.allowed()) {
                        refused.add(action.externalName() + " on " + table + " (" + where + "): " + direct.reason());
                    }
                }
            }
        }
        assertThat(refused).as("statements refused under a policy that allowed the call: " + yaml).isEmpty();
    }
}
