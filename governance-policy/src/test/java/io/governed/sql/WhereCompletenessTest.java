package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every expression kind of the JSQLParser jar either has a rule in {@link WhereClassifier} (specified one
 * form at a time by {@link WhereBoundTest} and {@link UnboundedWritesTest}) or bounds nothing: as a whole
 * WHERE over a column of the target, and as the side of {@code = ?} that reads the target. A parser
 * upgrade that adds a kind is covered by the rule for unknown forms (or this test names it).
 */
class WhereCompletenessTest {

    private static final List<Dialect> DIALECTS = List.of(Dialect.POSTGRESQL, Dialect.MARIADB, Dialect.H2);

    @Test
    void theRulesNameOnlyExpressionKinds() {
        assertThat(WhereClassifier.CONDITION_RULES).hasSizeGreaterThan(10);
        assertThat(WhereClassifier.VALUE_RULES).hasSizeGreaterThan(10);
    }

    @TestFactory
    Stream<DynamicTest> everyExpressionKindWithoutARuleBoundsNothing() throws Exception {
        return NodeCompletenessTest.nodeClasses().stream()
                .filter(Expression.class::isAssignableFrom)
                .map(c -> DynamicTest.dynamicTest(c.getName(), () -> check(c)));
    }

    private static void check(Class<?> type) throws Exception {
        boolean condition = WhereClassifier.CONDITION_RULES.contains(type);
        boolean value = WhereClassifier.VALUE_RULES.contains(type);
        if (condition && value) {
            return; // parentheses, lists and columns: specified by the form tests
        }
        for (Dialect dialect : DIALECTS) {
            WhereClassifier classifier = new WhereClassifier(dialect, column -> true, Set.of("t"), true, false);
            if (!condition) {
                Expression node = node(type);
                assertThat(classify(classifier, node)).as("%s as a WHERE (%s)", type.getName(), dialect)
                        .isNotEqualTo(WhereKind.PRESENT);
            }
            if (!value) {
                Expression node = node(type);
                assertThat(classify(classifier, new EqualsTo(node, new JdbcParameter())))
                        .as("%s = ? (%s)", type.getName(), dialect).isNotEqualTo(WhereKind.PRESENT);
            }
        }
    }

    /** A node of the kind with a column of the target wherever one fits. */
    private static Expression node(Class<?> type) throws Exception {
        Object node = NodeCompletenessTest.instantiate(type);
        NodeCompletenessTest.populate(node, 0);
        return (Expression) node;
    }

    /** The verdict, or none when the node as filled in is no tree the parser could make (never a bound). */
    private static WhereKind classify(WhereClassifier classifier, Expression where) {
        try {
            return classifier.classify(where);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
