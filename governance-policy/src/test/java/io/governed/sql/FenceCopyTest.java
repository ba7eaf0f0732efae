package io.governed.sql;

import io.governed.identity.Identity;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the rewrite copies beside a row filter (inside the fence) is the caller's conjunct itself, never another
 * condition: a copy that meant its negation would hide the caller's rows, or (moved rather than copied) show or change
 * rows the caller's WHERE excludes. Every form the parser gives a conjunct that {@link FenceConjuncts} accepts, the
 * operators' other spellings included, is read back from the rewritten statement.
 */
class FenceCopyTest {

    private static final Identity ALICE = Identity.builder("alice").attribute("tenant", "t1").build();
    private static final RowFilterRewriter.Filter TENANT = new RowFilterRewriter.Filter("tenant-isolation",
            t -> t.name().equalsIgnoreCase("orders"), RowCondition.parse("tenant_id = :identity.tenant"));
    private static final Predicate<Column> OWN = c -> c.getTable() == null || c.getTable().getName() == null;

    /** The conjuncts the rewrite put inside the fence of {@code SELECT id FROM orders WHERE <condition>}, the filter's excluded. */
    private static List<String> inside(String condition, Dialect dialect) throws Exception {
        RowFilterRewriter.Rewrite r;
        try {
            r = RowFilterRewriter.rewrite("SELECT id FROM orders WHERE " + condition, dialect, List.of(TENANT), ALICE);
        } catch (RowFilterRewriter.RefusedException refused) {
            return List.of(); // a statement the rewrite cannot read is refused whole: nothing copied
        }
        PlainSelect outer = ((Select) CCJSqlParserUtil.parse(r.sql())).getPlainSelect();
        PlainSelect fenced = ((ParenthesedSelect) outer.getFromItem()).getPlainSelect();
        List<String> copies = new ArrayList<>();
        for (Expression conjunct : FenceConjuncts.conjuncts(fenced.getWhere())) {
            String text = conjunct.toString();
            if (!text.contains("tenant_id")) {
                copies.add(text);
            }
        }
        return copies;
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', value = {
            "note NOTNULL      | POSTGRESQL | gvrf_1.note IS NOT NULL",
            "note IS NOT NULL  | H2         | gvrf_1.note IS NOT NULL",
            "note ISNULL       | POSTGRESQL | gvrf_1.note IS NULL",
            "note IS NULL      | POSTGRESQL | gvrf_1.note IS NULL",
            "note IS NOT NULL  | MARIADB    | gvrf_1.note IS NOT NULL",
            "id = 1            | POSTGRESQL | gvrf_1.id = 1",
            "id <> 1           | POSTGRESQL | gvrf_1.id <> 1",
            "id != 1           | POSTGRESQL | gvrf_1.id <> 1",
            "id < 1            | POSTGRESQL | gvrf_1.id < 1",
            "id <= 1           | POSTGRESQL | gvrf_1.id <= 1",
            "id > 1            | POSTGRESQL | gvrf_1.id > 1",
            "id >= 1           | POSTGRESQL | gvrf_1.id >= 1",
            "1 < id            | POSTGRESQL | 1 < gvrf_1.id",
            "id > = 1          | POSTGRESQL | gvrf_1.id >= 1",
            "id < = 1          | POSTGRESQL | gvrf_1.id <= 1",
            "id < > 1          | POSTGRESQL | gvrf_1.id <> 1",
            "id ^= 1           | POSTGRESQL | gvrf_1.id <> 1",
            "id IN (1, 2)      | POSTGRESQL | gvrf_1.id IN (1, 2)",
            "id NOT IN (1, 2)  | POSTGRESQL | gvrf_1.id NOT IN (1, 2)",
            "id BETWEEN 1 AND 2| POSTGRESQL | gvrf_1.id BETWEEN 1 AND 2",
            "id NOT BETWEEN 1 AND 2 | POSTGRESQL | gvrf_1.id NOT BETWEEN 1 AND 2",
    })
    void aCopyInsideTheFenceIsTheCallersConditionOrNothing(String condition, Dialect dialect, String same) throws Exception {
        assertThat(inside(condition, dialect)).as(condition).isSubsetOf(same);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"PRIOR id = 1", "id = PRIOR 1", "id <=> 1", "id @> 1", "id && 1", "id <-> 1",
            "id *= 1", "id =* 1", "id IS DISTINCT FROM 1", "id IS NOT DISTINCT FROM 1", "NOT id = 1"})
    void operatorsOutsideTheTableAreNotSafe(String condition) throws Exception {
        Expression e = CCJSqlParserUtil.parseCondExpression(condition);
        for (Dialect dialect : Dialect.values()) {
            assertThat(FenceConjuncts.safe(e, dialect, OWN)).as(condition + " on " + dialect).isFalse();
        }
    }

    @Test
    void aSubclassOfAnAcceptedComparisonIsNotSafe() {
        // exact classes: a subclass (a parser's new node, or an API caller's) may mean something else
        ComparisonOperator sub = new EqualsTo() {
        };
        sub.setLeftExpression(new Column("id"));
        sub.setRightExpression(new LongValue(1));
        IsNullExpression subNull = new IsNullExpression() {
        };
        subNull.setLeftExpression(new Column("id"));
        for (Dialect dialect : Dialect.values()) {
            assertThat(FenceConjuncts.safe(sub, dialect, OWN)).as(dialect.name()).isFalse();
            assertThat(FenceConjuncts.integerKey(sub, OWN)).as(dialect.name()).isNull();
            assertThat(FenceConjuncts.joinKey(sub, OWN)).as(dialect.name()).isFalse();
            assertThat(FenceConjuncts.safe(subNull, dialect, OWN)).as(dialect.name()).isFalse();
        }
    }

    @Test
    void anOperatorTextOutsideTheTableIsNotSafeWhateverItsClass() {
        // the class is what the rewrite copies: a NotEqualsTo written "=" or a GreaterThanEquals written ">" (which no
        // parser production builds) is no comparison whose copy is known to mean the same
        NotEqualsTo odd = new NotEqualsTo("=");
        odd.setLeftExpression(new Column("id"));
        odd.setRightExpression(new LongValue(1));
        GreaterThanEquals odder = new GreaterThanEquals(">");
        odder.setLeftExpression(new Column("id"));
        odder.setRightExpression(new LongValue(1));
        assertThat(FenceConjuncts.safe(odd, Dialect.POSTGRESQL, OWN)).isFalse();
        assertThat(FenceConjuncts.safe(odder, Dialect.POSTGRESQL, OWN)).isFalse();
    }

    @Test
    void everyFormTheTableAcceptsIsCopiedAsItsOwnClass() throws Exception {
        // the one table of accepted forms: each row's class, rebuilt by the copy, prints as the same operator
        for (FenceConjuncts.Comparison form : FenceConjuncts.Comparison.values()) {
            ComparisonOperator parsed = form.make();
            assertThat(parsed.getClass()).as(form.name()).isEqualTo(form.type());
            parsed.setLeftExpression(new Column("id"));
            parsed.setRightExpression(new LongValue(1));
            for (String text : form.texts()) {
                Expression reparsed = CCJSqlParserUtil.parseCondExpression("id " + text + " 1");
                assertThat(FenceConjuncts.Comparison.of(reparsed)).as(text).isEqualTo(form);
            }
            assertThat(FenceConjuncts.Comparison.of(CCJSqlParserUtil.parseCondExpression(parsed.toString())))
                    .as(parsed.toString()).isEqualTo(form);
        }
        assertThat(FenceConjuncts.Comparison.of(new AndExpression(new Column("a"), new Column("b")))).isNull();
    }
}
