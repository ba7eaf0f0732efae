package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.governed.sql.names.AnalysisResolution;
import io.governed.sql.names.NameResolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Subqueries of generated shapes (one or two levels, tables with and without the names used, bare and qualified names),
 * judged against SQL's scoping: an unqualified name is a column of the nearest level whose tables have it, else the
 * written table's. When some unqualified name is the written table's, the write is never bounded, whatever the catalog
 * (which describes the generated tables exactly); when every one is a subquery's, the catalog proves the IN forms bounded.
 */
class BareNamesPropertyTest {

    /** The written table's columns. */
    private static final Set<String> TARGET = Set.of("id", "a");
    /** The tables a subquery may read, with their columns. */
    private static final Map<String, Set<String>> TABLES = Map.of("u", Set.of("id", "x"), "v", Set.of("y"),
            "w", Set.of("id", "y"));
    private static final List<String> NAMES = List.of("id", "x", "y", "a");

    /** A catalog that knows the generated tables, all in {@code public}, certainly. */
    private static final NameResolver CATALOG = Analyses.distinctTables(name -> name.equals("t") ? TARGET : TABLES.get(name));

    /** One name: its text, and whether it is qualified by its level's alias. */
    record Name(String column, boolean qualified) {
    }

    /** One level of a subquery: its table, the selected name, an optional name compared in its WHERE. */
    record Level(String table, Name selected, Name filtered) {
    }

    /** A write: its form, and one or two levels (the second nested in the first's WHERE). */
    record Shape(int form, List<Level> levels) {
    }

    @Provide
    Arbitrary<Shape> shapes() {
        Arbitrary<Name> names = Combinators.combine(Arbitraries.of(NAMES), Arbitraries.of(true, false)).as(Name::new);
        Arbitrary<Level> levels = Combinators.combine(Arbitraries.of("u", "v", "w"), names,
                names.injectNull(0.4)).as(Level::new);
        return Combinators.combine(Arbitraries.integers().between(0, 3), levels.list().ofMinSize(1).ofMaxSize(2))
                .as(Shape::new);
    }

    @Property(tries = 600, seed = "20261202")
    void aWriteInWhichABareNameIsTheTargetsIsNeverBounded(@ForAll("shapes") Shape shape) {
        Scoping scoping = scoping(shape);
        if (scoping.error) {
            return; // a qualified name its table lacks, or a bare one no level has: the database refuses the statement
        }
        String sql = sql(shape);
        SqlAnalysis analysis = new SqlAnalyzer(0).analyze(sql, Dialect.POSTGRESQL);
        assertThat(analysis.parsed()).as(sql).isTrue();
        StatementAnalysis analysed = analysis.statements().get(0);
        StatementAnalysis resolved = AnalysisResolution.resolve(analysis, CATALOG).statements().get(0);
        if (scoping.target) {
            assertThat(analysed.where().unbounded()).as(sql).isTrue();
            assertThat(resolved.where().unbounded()).as(sql).isTrue();
        } else if (shape.form() != 3) {
            // a IN / = / = ANY over a subquery reading no target column: bounded once the catalog finds every name
            assertThat(resolved.where()).as(sql).isEqualTo(WhereKind.PRESENT);
        }
    }

    /** Whether the statement is an error, and whether some unqualified name in it is the written table's. */
    private record Scoping(boolean error, boolean target) {
    }

    private static Scoping scoping(Shape shape) {
        boolean error = false;
        boolean target = false;
        List<Level> levels = shape.levels();
        for (int i = 0; i < levels.size(); i++) {
            List<String> chain = new ArrayList<>();
            for (int j = i; j >= 0; j--) {
                chain.add(levels.get(j).table());
            }
            for (Name name : names(shape, i)) {
                if (name.qualified()) {
                    error |= !TABLES.get(levels.get(i).table()).contains(name.column());
                } else if (chain.stream().noneMatch(t -> TABLES.get(t).contains(name.column()))) {
                    if (TARGET.contains(name.column())) {
                        target = true;
                    } else {
                        error = true;
                    }
                }
            }
        }
        return new Scoping(error, target);
    }

    private static List<Name> names(Shape shape, int i) {
        Level level = shape.levels().get(i);
        List<Name> names = new ArrayList<>();
        if (shape.form() != 3 || i > 0) {
            names.add(level.selected());
        }
        if (level.filtered() != null) {
            names.add(level.filtered());
        }
        return names;
    }

    private static String sql(Shape shape) {
        String inner = "";
        for (int i = shape.levels().size() - 1; i >= 0; i--) {
            Level level = shape.levels().get(i);
            String alias = "l" + i;
            List<String> conditions = new ArrayList<>();
            if (level.filtered() != null) {
                conditions.add(text(level.filtered(), alias) + " = 1");
            }
            if (!inner.isEmpty()) {
                conditions.add(alias + "." + first(level.table()) + " IN (" + inner + ")");
            }
            if (i == 0 && shape.form() == 3) {
                conditions.add(0, alias + "." + first(level.table()) + " = t.a");
            }
            String select = i == 0 && shape.form() == 3 ? "1" : text(level.selected(), alias);
            inner = "SELECT " + select + " FROM " + level.table() + " " + alias
                    + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
        }
        return switch (shape.form()) {
            case 0 -> "DELETE FROM t WHERE a IN (" + inner + ")";
            case 1 -> "UPDATE t SET a = 0 WHERE a = (" + inner + ")";
            case 2 -> "DELETE FROM t WHERE a = ANY (" + inner + ")";
            default -> "DELETE FROM t WHERE EXISTS (" + inner + ")";
        };
    }

    private static String first(String table) {
        return TABLES.get(table).stream().sorted().findFirst().orElseThrow();
    }

    private static String text(Name name, String alias) {
        return name.qualified() ? alias + "." + name.column() : name.column();
    }
}
