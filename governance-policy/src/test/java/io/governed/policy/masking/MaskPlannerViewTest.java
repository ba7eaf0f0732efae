package io.governed.policy.masking;

import io.governed.identity.Identity;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.names.AnalysisResolution;
import io.governed.sql.names.NameResolver;
import io.governed.sql.names.Resolution;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * A view's columns are traced through the view's definition, as the session gives it: a view column
 * that renames, computes or unions a masked column is masked like the same column of a query, through
 * views of views; a definition the analysis cannot follow (unparseable, too deeply nested, a column
 * name it holds twice) redacts instead of showing values in clear; a clear column of a view stays clear.
 */
class MaskPlannerViewTest {

    private static final Identity ANALYST = human("ann", "analysts");
    private final MaskPlanner planner = MaskPlanner.of(PolicyLoader.load("classpath:reference-policy.yaml"));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final Map<String, String> views = new HashMap<>();

    /** Every name is in schema public; a view is whatever {@link #views} defines. */
    private final NameResolver session = new NameResolver() {
        @Override
        public Resolution resolve(String name) {
            return NameResolver.fixed("public").resolve(name);
        }

        @Override
        public String viewDefinition(String schema, String name) {
            return "public".equals(schema) ? views.get(name) : null;
        }
    };

    private List<String> masks(String sql) {
        StatementAnalysis statement = AnalysisResolution.resolve(analyzer.analyze(sql, Dialect.POSTGRESQL), session)
                .statements().get(0);
        return planner.plan(ANALYST, statement, "public", Dialect.POSTGRESQL, session).columns().stream()
                .map(c -> c.mask() == null ? "clear" : c.mask().function())
                .toList();
    }

    @Test
    void aRenamedMaskedColumnKeepsItsMaskAndAClearOneStaysClear() {
        views.put("contacts", " SELECT customers.id,\n    customers.ssn AS code\n   FROM customers;");
        assertThat(masks("SELECT id, code FROM contacts")).containsExactly("clear", "partial");
    }

    @Test
    void aComputedColumnIsRedactedThroughViewsOfViews() {
        views.put("cards", "SELECT id, email || ' ' || ssn AS card FROM customers");
        views.put("badges", "SELECT id, card AS badge FROM cards");
        views.put("tags", "SELECT badge AS tag FROM badges");
        assertThat(masks("SELECT tag FROM tags")).containsExactly("redact");
    }

    @Test
    void aUnionInTheDefinitionMasksTheColumnItFeeds() {
        views.put("mix", "SELECT id, ssn AS v FROM customers UNION ALL SELECT id, name FROM products");
        assertThat(masks("SELECT v FROM mix")).containsExactly("partial");
    }

    @Test
    void whatTheDefinitionDoesNotLetTraceIsRedacted() {
        views.put("broken", "SELECT FROM WHERE ssn");
        views.put("twice", "SELECT ssn AS v, id AS v FROM customers");
        assertThat(masks("SELECT v FROM broken")).containsExactly("redact");
        assertThat(masks("SELECT v FROM twice")).containsExactly("redact");
    }

    @Test
    void viewsNestedDeeperThanTheAnalysisFollowsAreRedacted() {
        views.put("v0", "SELECT id AS c FROM customers");
        for (int i = 1; i <= 12; i++) {
            views.put("v" + i, "SELECT c FROM v" + (i - 1));
        }
        assertThat(masks("SELECT c FROM v3")).containsExactly("clear");
        assertThat(masks("SELECT c FROM v12")).containsExactly("redact");
    }

    @Test
    void withoutTheSessionAViewColumnIsJudgedByItsOwnName() {
        views.put("contacts", "SELECT ssn AS code FROM customers");
        StatementAnalysis statement = analyzer.analyze("SELECT code FROM contacts", Dialect.POSTGRESQL).statements().get(0);
        assertThat(planner.plan(ANALYST, statement, "public", Dialect.POSTGRESQL).columns().get(0).mask()).isNull();
        assertThat(Set.copyOf(masks("SELECT code FROM contacts"))).containsExactly("partial");
    }
}
