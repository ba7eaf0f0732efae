package io.governed.policy.load;

import io.governed.policy.Policy;
import io.governed.policy.model.RoutineFootprint;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.TableRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code routines} section: how what a routine whose body cannot be analysed does is declared, and its mistakes. */
class RoutineDeclarationLoadingTest {
    private static final String HEAD = "version: 1\ndefault: deny\n";

    private static Policy load(String routines) {
        return PolicyLoader.fromString("routines.yaml", HEAD + "routines:\n" + routines);
    }

    @Test
    void aDeclarationNamesItsRoutinesAndWhatACallDoesToWhichTables() {
        Policy policy = load(String.join("\n",
                "  - id: place-order-does",
                "    routines: [\"app.place_order\", \"app.place_order_v2\"]",
                "    does:",
                "      - { actions: [select], resources: [\"app.customers\", \"app.\\\"Products\\\"\"] }",
                "      - { actions: [insert, update], resources: [\"app.orders\"] }",
                "  - id: stamps-reach-nothing",
                "    routines: [\"*.set_updated_at\"]",
                "    does: []",
                "  - id: report-reads-anything",
                "    routines: [\"reports.*\"]",
                "    does: [{ actions: [select], resources: [\"*\"] }]",
                ""));
        assertThat(policy.routines()).extracting(RoutineFootprint::id)
                .containsExactly("place-order-does", "stamps-reach-nothing", "report-reads-anything");
        RoutineFootprint order = policy.routines().get(0);
        assertThat(order.declares(new TableRef("app", "place_order"), Dialect.POSTGRESQL)).isTrue();
        assertThat(order.declares(new TableRef("app", "place_order_v3"), Dialect.POSTGRESQL)).isFalse();
        assertThat(order.declares(new TableRef(null, "place_order"), Dialect.POSTGRESQL))
                .as("a routine whose schema is not known for certain").isFalse();
        assertThat(order.does()).hasSize(2);
        assertThat(order.does().get(0).actions()).containsExactly(Action.SELECT);
        assertThat(order.does().get(0).tables()).extracting(t -> t.in(Dialect.POSTGRESQL))
                .containsExactly(new TableRef("app", "customers"), new TableRef("app", "Products"));
        assertThat(order.does().get(0).tables().get(0).in(Dialect.H2)).isEqualTo(new TableRef("APP", "CUSTOMERS"));
        assertThat(order.does().get(1).actions()).isEqualTo(Set.of(Action.INSERT, Action.UPDATE));
        assertThat(policy.routines().get(1).does()).isEmpty();
        assertThat(policy.routines().get(1).declares(new TableRef("public", "set_updated_at"), Dialect.POSTGRESQL)).isTrue();
        assertThat(policy.routines().get(2).does()).singleElement().satisfies(e -> assertThat(e.anyTable()).isTrue());
    }

    @Test
    void declarationsOfSeveralSourcesAreKeptInOrderAndTheirIdsAreUniqueWithTheRules() {
        Policy composed = PolicyLoader.compose(
                PolicySource.of("platform.yaml", HEAD + "routines: [{ id: a, routines: [\"x.f\"], does: [] }]\n"),
                PolicySource.of("app.yaml", "version: 1\nroutines: [{ id: b, routines: [\"x.g\"], does: [] }]\n"));
        assertThat(composed.routines()).extracting(RoutineFootprint::id).containsExactly("a", "b");
        assertThatThrownBy(() -> PolicyLoader.fromString("dup.yaml", HEAD
                + "rules: [{ id: same, effect: permit, actions: [select] }]\n"
                + "routines: [{ id: same, routines: [\"x.f\"], does: [] }]\n"))
                .hasMessageContaining("duplicate id 'same'");
    }

    @Test
    void everyMistakeIsReportedWithWhereAndHowToFixIt() {
        assertThatThrownBy(() -> load(String.join("\n",
                "  - id: no-routines",
                "    does: []",
                "  - id: no-does",
                "    routines: [\"app.f\"]",
                "  - id: a-pattern",
                "    routines: [\"app.f\"]",
                "    does: [{ actions: [select], resources: [\"app.*\"] }]",
                "  - id: unqualified",
                "    routines: [\"app.f\"]",
                "    does: [{ actions: [delete], resources: [\"orders\"] }]",
                "  - id: both",
                "    routines: [\"app.f\"]",
                "    does: [{ actions: [select], resources: [\"*\", \"app.t\"] }]",
                "  - id: no-actions",
                "    routines: [\"app.f\"]",
                "    does: [{ resources: [\"app.t\"] }]",
                "  - id: unknown-key",
                "    routines: [\"app.f\"]",
                "    does: [{ actions: [select], resources: [\"app.t\"], when: { where: present } }]",
                "  - id: not-a-list",
                "    routines: [\"app.f\"]",
                "    does: { actions: [select] }",
                "")))
                .isInstanceOf(PolicyLoadException.class)
                .hasMessageContaining("routine declaration 'no-routines' lacks the required key 'routines'")
                .hasMessageContaining("routine declaration 'no-does' lacks the required key 'does'")
                .hasMessageContaining("or 'does: []' when it reads and writes no table")
                .hasMessageContaining("'app.*' in 'resources' of entry #1 of 'does' of routine declaration 'a-pattern' is not"
                        + " one table named 'schema.table'")
                .hasMessageContaining("'orders' in 'resources' of entry #1 of 'does' of routine declaration 'unqualified'")
                .hasMessageContaining("names \"*\" and tables")
                .hasMessageContaining("lacks the required key 'actions'")
                .hasMessageContaining("unknown key 'when'")
                .hasMessageContaining("'does' of routine declaration 'not-a-list' must be a list");
    }

    @Test
    void aNameIsASchemaAndATablePlainOrQuoted() {
        assertThat(RoutineFootprintReader.name("app.orders")).isEqualTo(new RoutineFootprint.Name("app", "orders"));
        assertThat(RoutineFootprintReader.name("\"My App\".\"a.b\"")).isEqualTo(new RoutineFootprint.Name("\"My App\"", "\"a.b\""));
        for (String wrong : List.of("orders", "app.", ".orders", "a.b.c", "app.*", "app.ord?rs", "\"app.orders",
                "1app.orders", "app. orders", "\"\".t")) {
            assertThat(RoutineFootprintReader.name(wrong)).as(wrong).isNull();
        }
    }
}
