package io.governed.policy.masking;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import io.governed.sql.names.AnalysisResolution;
import io.governed.sql.names.NameResolver;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * On PostgreSQL a column of a partition (or an inheritance child) is also the column of that name of every table it is
 * a partition or child of, as the session says, and a parent's column is also its partitions' and children's: a mask
 * naming the one masks the other; elsewhere the column is judged by its own name.
 */
class MaskPlannerPartitionTest {

    private static final Identity ANALYST = human("ann", "analysts");
    private final MaskPlanner planner = MaskPlanner.of(PolicyLoader.fromString("partition-masks.yaml", """
            version: 1
            rules:
              - { id: read, effect: permit, actions: [select], resources: ["*"] }
            masks:
              - id: hide-notes
                columns: { patterns: ["public.orders.note"] }
                function: redact
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();
    private final Map<String, List<TableRef>> parents = session.parents;
    private final Map<String, List<TableRef>> children = session.children;

    private List<String> masks(String sql, Dialect dialect) {
        StatementAnalysis statement = AnalysisResolution.resolve(analyzer.analyze(sql, dialect), session)
                .statements().get(0);
        return planner.plan(ANALYST, statement, "public", dialect, session).columns().stream()
                .map(c -> c.mask() == null ? "clear" : c.mask().function())
                .toList();
    }

    @Test
    void aPartitionsColumnIsMaskedAsItsParentsAtEveryLevel() {
        parents.put("orders_2026", List.of(new TableRef("public", "orders")));
        parents.put("orders_2026_q1", List.of(new TableRef("public", "orders_2026"), new TableRef("public", "orders")));
        assertThat(masks("SELECT id, note FROM orders_2026", Dialect.POSTGRESQL)).containsExactly("clear", "redact");
        assertThat(masks("SELECT upper(note) FROM orders_2026_q1", Dialect.POSTGRESQL)).containsExactly("redact");
        assertThat(masks("SELECT note FROM orders", Dialect.POSTGRESQL)).containsExactly("redact");
        assertThat(masks("SELECT note FROM invoices", Dialect.POSTGRESQL)).containsExactly("clear");
    }

    @Test
    void aParentsColumnIsMaskedAsItsChildrens() {
        children.put("archive", List.of(new TableRef("public", "archive_2020"), new TableRef("public", "orders")));
        assertThat(masks("SELECT id, note FROM archive", Dialect.POSTGRESQL)).containsExactly("clear", "redact");
        assertThat(masks("SELECT note FROM archive_2020", Dialect.POSTGRESQL)).containsExactly("clear");
    }

    @Test
    void otherDatabasesHaveNoSuchAncestry() {
        parents.put("orders_2026", List.of(new TableRef("public", "orders")));
        assertThat(masks("SELECT note FROM orders_2026", Dialect.H2)).containsExactly("clear");
    }

    @Test
    void aColumnOfATableWhoseRelativesAreUnknownIsMaskedAsAColumnOfThatNameInAnyTable() {
        NameResolver unknownRelatives = new CatalogStub().unknownAncestry();
        StatementAnalysis statement = AnalysisResolution.resolve(analyzer.analyze("SELECT id, note FROM orders_2026",
                Dialect.POSTGRESQL), unknownRelatives).statements().get(0);
        PlannedColumn note = planner.plan(ANALYST, statement, "public", Dialect.POSTGRESQL, unknownRelatives).columns().get(1);
        assertThat(note.mask().function()).isEqualTo("redact");
        assertThat(note.mask().reason()).contains("whether public.orders_2026 is a partition or inheritance child of that"
                + " table, or has one, could not be read");
        assertThat(planner.plan(ANALYST, statement, "public", Dialect.POSTGRESQL).columns().get(1).mask())
                .as("no session: not known either").isNotNull();
        assertThat(planner.plan(ANALYST, statement, "public", Dialect.POSTGRESQL,
                NameResolver.withoutInheritance(unknownRelatives)).columns().get(1).mask())
                .as("a session that says no table has partitions").isNull();
        assertThat(planner.plan(ANALYST, statement, "public", Dialect.POSTGRESQL, unknownRelatives).columns().get(0).mask())
                .as("no mask names a column id").isNull();
        assertThat(planner.plan(ANALYST, statement, "public", Dialect.H2, unknownRelatives).columns().get(1).mask())
                .as("H2 has no partitions").isNull();
    }
}
