package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.governed.sql.names.AnalysisResolution;
import io.governed.sql.names.NameResolver;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Writes that look bounded by a subquery over another relation, where that relation is a view (at generated depths, in
 * the written table's schema or another one on the search path, named with or without its schema) whose definition
 * reads, at the end of its chain, the written table itself: each holds for every row of it, so none is ever bounded.
 */
class BoundThroughViewsPropertyTest {

    /** Views {@code public.v1 … v4} and {@code reports.r1 … r4}, each level reading the one below, level 1 reading t. */
    private static final NameResolver CATALOG;

    static {
        Catalogs.Builder catalog = new Catalogs.Builder("public", "reports").table("public.t", "id", "a")
                .table("public.u", "id", "a");
        for (int depth = 1; depth <= 4; depth++) {
            String below = depth == 1 ? "public.t" : "public.v" + (depth - 1);
            String reportsBelow = depth == 1 ? "t" : "reports.r" + (depth - 1);
            catalog.view("public.v" + depth, "SELECT x.id, x.a FROM " + below + " x", "id", "a");
            catalog.view("reports.r" + depth, "SELECT x.id, x.a FROM " + reportsBelow + " x", "id", "a");
        }
        CATALOG = catalog.build();
    }

    /** A generated write: which statement, which form, the view's depth and schema, how the view is named. */
    record Shape(boolean update, int form, int depth, boolean reports, boolean qualified, boolean filtered,
                 boolean targetQualified) {
    }

    @Provide
    Arbitrary<Shape> shapes() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(1, 4), Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.of(true, false)).as(Shape::new);
    }

    @Property(tries = 400, seed = "20261205")
    void aSubqueryOverAViewOfTheWrittenTableNeverBoundsIt(@ForAll("shapes") Shape shape) {
        String sql = sql(shape);
        SqlAnalysis analysis = new SqlAnalyzer(0).analyze(sql, Dialect.POSTGRESQL);
        assertThat(analysis.parseError()).as(sql).isNull();
        StatementAnalysis resolved = AnalysisResolution.resolve(analysis, CATALOG).statements().get(0);
        assertThat(resolved.where().unbounded()).as(sql).isTrue();
    }

    /** The same shapes over the distinct table {@code u}: bounded once the catalog shows it a table. */
    @Property(tries = 100, seed = "20261205")
    void theSameShapesOverADistinctTableAreBounded(@ForAll("shapes") Shape shape) {
        String sql = sql(shape).replaceAll("FROM (public\\.|reports\\.)?[vr][1-4] ", "FROM u ");
        SqlAnalysis analysis = new SqlAnalyzer(0).analyze(sql, Dialect.POSTGRESQL);
        StatementAnalysis resolved = AnalysisResolution.resolve(analysis, CATALOG).statements().get(0);
        assertThat(resolved.where()).as(sql).isEqualTo(WhereKind.PRESENT);
    }

    static String sql(Shape shape) {
        String view = (shape.reports() ? "r" : "v") + shape.depth();
        if (shape.qualified()) {
            view = (shape.reports() ? "reports." : "public.") + view;
        }
        String target = shape.targetQualified() ? "public.t" : "t";
        String filter = shape.filtered() ? " AND s.a > 0" : "";
        String condition = switch (shape.form()) {
            case 0 -> "id IN (SELECT s.id FROM " + view + " s WHERE s.id IS NOT NULL" + filter + ")";
            case 1 -> "EXISTS (SELECT 1 FROM " + view + " s WHERE s.id = t.id" + filter + ")";
            case 2 -> "id = ANY (SELECT s.id FROM " + view + " s WHERE s.id > 0" + filter + ")";
            case 3 -> "t.id IN (SELECT s.id FROM " + view + " s WHERE s.a = 1" + filter + ")";
            default -> "NOT EXISTS (SELECT 1 FROM " + view + " s WHERE s.id = t.id AND s.a IS NULL" + filter + ")";
        };
        return (shape.update() ? "UPDATE " + target + " SET a = 1" : "DELETE FROM " + target) + " WHERE " + condition;
    }
}
