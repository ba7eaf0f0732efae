package io.governed.policy.masking;

import io.governed.identity.Identity;
import io.governed.policy.Policy;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.StatementAnalysis;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fail closed means unknown lineage over sensitive data is redacted, not that everything unknown is:
 * values that cannot come from a masked column come back clear, and the same shapes over a masked
 * column stay masked.
 */
class OverMaskingTest {

    private static final Policy REFERENCE = PolicyLoader.load("classpath:reference-policy.yaml");
    private static final Identity ANALYST = human("ann", "analysts");

    private final MaskPlanner planner = MaskPlanner.of(REFERENCE);
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private List<PlannedColumn> plan(String sql) {
        StatementAnalysis statement = analyzer.analyze(sql, Dialect.POSTGRESQL).statements().get(0);
        return planner.plan(ANALYST, statement, "public", Dialect.POSTGRESQL).columns();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT version()",
            "SELECT current_setting('search_path')",
            "SELECT current_setting('server_version'), pg_backend_pid()",
            "SELECT * FROM generate_series(1, 3)",
            "SELECT g FROM generate_series(1, 3) AS g",
            "SELECT x FROM unnest(ARRAY['a', 'b']) AS t(x)",
            "SELECT * FROM regexp_split_to_table('a,b', ',')",
            "SELECT to_jsonb(x) FROM (SELECT id, name FROM customers) x",
            "SELECT x::text FROM (SELECT 1 AS a, 'b' AS b) x",
            "SELECT * FROM (SELECT id, name FROM customers) AS x(a, b)",
            "SELECT a, b FROM (SELECT id, name FROM customers) AS x(a, b)",
            "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(n, s)",
            "SELECT SUBSTRING(name FROM 1 FOR 3), TRIM(BOTH FROM name), POSITION('a' IN name) FROM customers",
            "SELECT EXTRACT(YEAR FROM created_at) FROM customers",
            "SELECT count(*) FILTER (WHERE name LIKE 'A%') FROM customers",
            "SELECT b FROM (SELECT ssn, name FROM customers) AS t(a, b)",
    })
    void valuesThatCannotComeFromAMaskedColumnAreClear(String sql) {
        assertThat(plan(sql)).as(sql).allSatisfy(c -> assertThat(c.mask()).as(sql + ": " + c.column()).isNull());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT a FROM (SELECT ssn, name FROM customers) AS t(a, b)",
            "SELECT * FROM (SELECT ssn, name FROM customers) AS t(a, b)",
            "SELECT x FROM unnest(ARRAY[(SELECT ssn FROM customers LIMIT 1)]) AS t(x)",
            "SELECT to_jsonb(x) FROM (SELECT id, ssn FROM customers) x",
            "SELECT * FROM (VALUES (1, (SELECT ssn FROM customers LIMIT 1))) AS v(n, s)",
            "SELECT SUBSTRING(ssn FROM 1 FOR 3) FROM customers",
            "SELECT my_function(name) FROM customers",
    })
    void theSameShapesOverAMaskedColumnAreMasked(String sql) {
        assertThat(plan(sql)).as(sql).anySatisfy(c -> assertThat(c.mask()).as(sql).isNotNull());
    }
}
