package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every expression kind of the JSQLParser jar, as a whole select item, gives its output column what is read beneath
 * it. The statement is {@code SELECT <node> FROM (SELECT 1 AS one) d}, walked by {@link StatementWalker} as the analyzer
 * walks a parsed statement, inside a scope that holds a table {@code s}: the column {@code secret} placed in every field
 * of the node that can hold one is not a column of {@code d}, so it is {@code s.secret}, a correlated reference. A rule
 * that reads the item as something it is not (a {@code *} over the FROM's relations, say, as {@code (f(…)).*} once was)
 * gives the column the lineage of {@code d}, which holds nothing, and this test names the kind.
 */
class SelectItemCompletenessTest {

    private static final TableRef S = new TableRef(null, "s");
    /**
     * Fields whose columns name columns of the FROM rather than read anything, with why: they are emptied after the
     * node is filled in. The stars' own reading of the FROM is specified by LineageTest.
     */
    private static final Map<String, String> NAMES_NOT_READS = Map.of(
            "exceptColumns", "* EXCEPT (c): names the FROM's columns a star leaves out; reads nothing");

    @Test
    void theStatementWalkedIsTheOneDescribed() throws Exception {
        // the correlated column reaches the output column through the entry the analyzer uses
        List<StatementAnalysis> analyses = analyze(new Column("secret"));
        assertThat(analyses.get(0).resultColumns().get(0).sources()).contains(new SourceColumn(S, "secret"));
        // and a column of d does not bring s
        assertThat(analyze(new Column("one")).get(0).resultColumns().get(0).sources()).doesNotContain(new SourceColumn(S, "secret"));
    }

    @Test
    void aStarWithReplaceIsRefusedNotReadAsTheStar() {
        // * REPLACE ((SELECT …) AS c): the star's rule read the FROM's columns and left the subquery unread
        for (Dialect dialect : List.of(Dialect.POSTGRESQL, Dialect.MARIADB, Dialect.H2)) {
            SqlAnalysis analysis = Analyses.analyze(
                    "SELECT * REPLACE ((SELECT ssn FROM customers LIMIT 1) AS one) FROM (SELECT 1 AS one) d", dialect);
            assertThat(analysis.parsed()).as("%s", dialect).isFalse();
            assertThat(analysis.parseError()).as("%s", dialect).contains("REPLACE");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExpressionKindAsASelectItemCarriesWhatItReads() throws Exception {
        List<Class<?>> kinds = new ArrayList<>();
        for (Class<?> c : NodeCompletenessTest.nodeClasses()) {
            if (Expression.class.isAssignableFrom(c)) {
                kinds.add(c);
            }
        }
        assertThat(kinds).contains(net.sf.jsqlparser.statement.select.FunctionAllColumns.class,
                net.sf.jsqlparser.expression.Function.class);
        return kinds.stream().map(c -> DynamicTest.dynamicTest(c.getName(), () -> check(c)));
    }

    private static void check(Class<?> type) throws Exception {
        Object node = NodeCompletenessTest.instantiate(type);
        int placed = NodeCompletenessTest.populate(node, 0) + fillChildrenWithRules(node);
        if (node instanceof AllColumns star) {
            star.setExceptColumns(null); // NAMES_NOT_READS
            placed--;
        }
        if (placed == 0) {
            return; // a leaf: nothing is read beneath it (NodeCompletenessTest checks it has no field that could hold a node)
        }
        List<StatementAnalysis> analyses;
        try {
            analyses = analyze((Expression) node);
        } catch (RuntimeException | StackOverflowError e) {
            return; // the analyzer refuses a statement whose walk fails (SqlAnalyzer: unanalysable)
        }
        StatementAnalysis analysis = analyses.get(0);
        assertThat(analysis.resultColumns()).as("%s as a select item gives one output column", type.getName()).isNotEmpty();
        boolean filter = analysis.columns().stream().anyMatch(c -> S.equals(c.table()) && "secret".equals(c.column())
                && c.clause() != Clause.SELECT);
        for (ResultColumn column : analysis.resultColumns()) {
            boolean carried = column.sources().contains(new SourceColumn(S, "secret")) || column.allColumnsOf().contains(S)
                    || column.unknownLineage() || filter;
            assertThat(carried).as("the output column of a %s (placed %d) carries s.secret: %s", type.getName(), placed, column)
                    .isTrue();
        }
    }

    /**
     * {@link NodeCompletenessTest#populate} leaves empty a field whose kind has a rule of its own (the function of
     * {@code (f(…)).*}, say): such a field gets a filled-in node of its kind here. How many it placed.
     */
    private static int fillChildrenWithRules(Object node) throws Exception {
        int placed = 0;
        for (Class<?> c = node.getClass(); c != null && c.getName().startsWith("net.sf.jsqlparser."); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                Class<?> type = f.getType();
                if (Modifier.isStatic(f.getModifiers()) || !Expression.class.isAssignableFrom(type) || type.isInterface()
                        || Modifier.isAbstract(type.getModifiers()) || type == Column.class) {
                    continue;
                }
                f.setAccessible(true);
                if (f.get(node) == null) {
                    Object child = NodeCompletenessTest.instantiate(type);
                    if (NodeCompletenessTest.populate(child, 1) > 0) {
                        f.set(node, child);
                        placed++;
                    }
                }
            }
        }
        return placed;
    }

    private static List<StatementAnalysis> analyze(Expression item) throws Exception {
        PlainSelect select = (PlainSelect) CCJSqlParserUtil.parse("SELECT 1 FROM (SELECT 1 AS one) d");
        List<SelectItem<?>> items = new ArrayList<>();
        items.add(new SelectItem<>(item));
        select.setSelectItems(items);
        Scope outer = new Scope(null, Dialect.POSTGRESQL);
        outer.add(Relation.base("s", S));
        return new StatementWalker(Dialect.POSTGRESQL).analyze(select, new Scope(outer, Dialect.POSTGRESQL));
    }
}
