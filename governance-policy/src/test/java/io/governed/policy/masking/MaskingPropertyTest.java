package io.governed.policy.masking;

import io.governed.identity.Identity;
import io.governed.policy.Policy;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: whatever expression is built around a masked column from the parser's function and
 * operator forms (nested, cast, in CASE, subqueries, set operations, CTEs, windows, VALUES, alias lists,
 * SQL-standard special forms), the result column it becomes is masked; built around a clear column
 * from forms that read nothing else, it stays clear. Seeded, so a failure names a reproducible case.
 */
class MaskingPropertyTest {

    private static final Policy REFERENCE = PolicyLoader.load("classpath:reference-policy.yaml");
    private static final Identity ANALYST = human("ann", "analysts");
    private static final long SEED = 0x5EED_2026L;

    private final MaskPlanner planner = MaskPlanner.of(REFERENCE);
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    /** Forms that compute a value from their argument. */
    private static final List<UnaryOperator<String>> VALUE_FORMS = List.of(
            x -> "upper(" + x + ")", x -> "lower(" + x + ")", x -> "substring(" + x + ", 1, 3)",
            x -> "SUBSTRING(" + x + " FROM 2 FOR 3)", x -> "TRIM(BOTH ' ' FROM " + x + ")", x -> "TRIM(LEADING '0' FROM " + x + ")",
            x -> "POSITION('1' IN " + x + ")", x -> "OVERLAY(" + x + " PLACING 'ab' FROM 1 FOR 2)", x -> "replace(" + x + ", '1', '2')",
            x -> "coalesce(" + x + ", 'z')", x -> "nullif(" + x + ", 'z')", x -> "concat(" + x + ", 'a')", x -> x + " || 'a'",
            x -> "'a' || " + x, x -> "md5(" + x + ")", x -> "reverse(" + x + ")", x -> "lpad(" + x + ", 12, '0')",
            x -> "left(" + x + ", 3)", x -> "right(" + x + ", 4)", x -> "length(" + x + ")", x -> "CAST(" + x + " AS text)",
            x -> x + "::varchar", x -> "(" + x + ")::text", x -> "CASE WHEN " + x + " LIKE '1%' THEN " + x + " ELSE 'n' END",
            x -> "CASE WHEN id > 0 THEN " + x + " END", x -> "CASE " + x + " WHEN '1' THEN 'a' ELSE " + x + " END",
            x -> "greatest(" + x + ", '0')", x -> "(ARRAY[" + x + "])[1]", x -> "ARRAY[" + x + ", 'q']::text",
            x -> "ROW(" + x + ", 1)::text", x -> "to_jsonb(" + x + ")::text", x -> "json_build_object('k', " + x + ")::text",
            x -> x + " COLLATE \"C\"", x -> "(" + x + " = '1')", x -> "NOT (" + x + " LIKE '1%')", x -> x + " IS NULL",
            x -> x + " BETWEEN 'a' AND 'b'", x -> x + " IN ('1', '2')", x -> "-length(" + x + ")", x -> "abs(length(" + x + ") - 3)",
            x -> "split_part(" + x + ", '-', 1)", x -> "translate(" + x + ", '123', 'abc')", x -> "regexp_replace(" + x + ", '[0-9]', 'x')",
            x -> "encode(" + x + "::bytea, 'hex')", x -> "format('%s', " + x + ")", x -> "EXTRACT(DAY FROM (" + x + ")::date)",
            x -> "(SELECT " + x + ")", x -> "(SELECT max(" + x + ") FROM customers)");

    /** Forms that lift an expression into a query, giving the query whose one column carries it. */
    private static final List<UnaryOperator<String>> QUERY_FORMS = List.of(
            q -> "SELECT v FROM (" + q + ") d",
            q -> "WITH c AS (" + q + ") SELECT v FROM c",
            q -> "WITH c(w) AS (" + q + ") SELECT w AS v FROM c",
            q -> "SELECT v FROM (" + q + ") AS d(v)",
            q -> "SELECT v FROM (SELECT 1 AS k, d.* FROM (" + q + ") d) e",
            q -> "SELECT (" + q + " LIMIT 1) AS v",
            q -> "SELECT v FROM (VALUES ((" + q + " LIMIT 1))) AS t(v)",
            q -> "SELECT v FROM (" + q + " UNION SELECT 'x') u",
            q -> "SELECT v FROM (SELECT 'x' AS v UNION ALL (" + q + ")) u",
            q -> "SELECT v FROM (" + q + " INTERSECT SELECT 'x') u",
            q -> "SELECT v FROM (" + q + " EXCEPT SELECT 'x') u",
            q -> "SELECT max(v) AS v FROM (" + q + ") d",
            q -> "SELECT string_agg(v::text, ',') AS v FROM (" + q + ") d",
            q -> "SELECT first_value(v) OVER (ORDER BY v) AS v FROM (" + q + ") d",
            q -> "SELECT lag(v) OVER (PARTITION BY 1) AS v FROM (" + q + ") d",
            q -> "SELECT l.v FROM (SELECT 1 AS k) o, LATERAL (" + q + ") l",
            q -> "SELECT v FROM unnest(ARRAY(" + q + ")) AS t(v)",
            q -> "SELECT v FROM unnest(ARRAY[(" + q + " LIMIT 1)]) AS v",
            q -> "SELECT DISTINCT v FROM (" + q + ") d ORDER BY v",
            q -> "SELECT coalesce(v, 'none') AS v FROM (" + q + ") d");

    @TestFactory
    Stream<DynamicTest> anExpressionOverAMaskedColumnIsAlwaysMasked() {
        Random random = new Random(SEED);
        List<String> cases = new ArrayList<>();
        IntStream.range(0, 600).forEach(i -> cases.add(query(random, "ssn")));
        return cases.stream().map(sql -> DynamicTest.dynamicTest(sql, () -> {
            PlannedColumn out = output(sql);
            assertThat(out.mask()).as("the output of %s", sql).isNotNull();
            assertThat(out.mask().maskId()).as(sql).isEqualTo("mask-ids");
        }));
    }

    @TestFactory
    Stream<DynamicTest> theSameExpressionsOverAClearColumnStayClear() {
        Random random = new Random(SEED + 1);
        List<String> cases = new ArrayList<>();
        IntStream.range(0, 300).forEach(i -> cases.add(query(random, "name")));
        return cases.stream().map(sql -> DynamicTest.dynamicTest(sql, () ->
                assertThat(output(sql).mask()).as("the output of %s", sql).isNull()));
    }

    private PlannedColumn output(String sql) {
        SqlAnalysis analysis = analyzer.analyze(sql, Dialect.POSTGRESQL);
        assertThat(analysis.parseError()).as("generated SQL must parse: %s", sql).isNull();
        List<PlannedColumn> columns = planner.plan(ANALYST, analysis.statements().get(0), "public", Dialect.POSTGRESQL).columns();
        assertThat(columns).as(sql).hasSize(1);
        return columns.get(0);
    }

    /** A random query whose one result column {@code v} is computed from {@code column} of customers. */
    static String query(Random random, String column) {
        String expression = column;
        int depth = 1 + random.nextInt(4);
        for (int i = 0; i < depth; i++) {
            expression = "(" + VALUE_FORMS.get(random.nextInt(VALUE_FORMS.size())).apply(expression) + ")";
        }
        String query = "SELECT " + expression + " AS v FROM customers";
        int lifts = random.nextInt(3);
        for (int i = 0; i < lifts; i++) {
            query = QUERY_FORMS.get(random.nextInt(QUERY_FORMS.size())).apply(query);
        }
        return query;
    }
}
