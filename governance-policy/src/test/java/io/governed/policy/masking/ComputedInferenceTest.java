package io.governed.policy.masking;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.engine.DecisionContext;
import io.governed.policy.engine.PolicyEngine;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.governed.policy.Identities.agent;
import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whether a computation fails answers a question about what it computes from: an identity a mask denies inference to
 * may compute on a masked column only in forms proven unable to fail on any of its values.
 */
class ComputedInferenceTest {

    private static final PolicyEngine ENGINE = new PolicyEngine(PolicyLoader.fromString("computed.yaml", """
            version: 1
            classification:
              tags:
                pii.ssn: ["*.ssn"]
            rules:
              - { id: all, effect: permit, actions: ["*"] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { groups: [pii-readers] } }
            """));
    private static final SqlAnalyzer ANALYZER = new SqlAnalyzer();
    private static final Identity ANALYST = human("ann", "analysts");
    private static final Identity AGENT = agent("bot", ANALYST);

    private static Decision decide(Identity identity, String sql, Dialect dialect) {
        return ENGINE.decide(identity, ANALYZER.analyze(sql, dialect), DecisionContext.defaultSchema("public"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1 / (ascii(substr(ssn, 1, 1)) - 49) FROM customers WHERE id = 1",
            "SELECT substr(ssn, 1, 3)::int FROM customers WHERE id = 1",
            "SELECT CAST(ssn AS DATE) FROM customers",
            "SELECT repeat('x', substr(ssn, 1, 3)::int * 10000000) FROM customers",
            "SELECT chr(ascii(ssn) - 49) FROM customers",
            "SELECT sqrt(ascii(ssn) - 50) FROM customers",
            "SELECT CASE WHEN id = 1 THEN 1 / (ascii(ssn) - 49) END FROM customers",
            "SELECT CASE WHEN id = 1 THEN ssn END FROM customers",
            "SELECT coalesce(ssn, 'x') FROM customers",
            "SELECT ssn || 'x' FROM customers",
            "SELECT upper(ssn) || (1 / (id - 1)) FROM customers",
            "SELECT concat(ssn, 1 / (id - 1)) FROM customers",
            "SELECT sum(length(ssn) / 0) FROM customers",
            "SELECT max(ssn) FROM customers",
            "SELECT id, (SELECT 1 / (ascii(c.ssn) - 49) FROM customers c WHERE c.id = 1) FROM orders",
            "SELECT 1 / ((SELECT ascii(ssn) FROM customers WHERE id = 1) - 49)",
            "SELECT ((SELECT ssn FROM customers WHERE id = 1))::int",
            "SELECT x FROM (SELECT 1 / (ascii(ssn) - 49) AS x FROM customers) t",
            "SELECT l.x FROM customers c, LATERAL (SELECT 1 / (ascii(c.ssn) - 49) AS x) l",
            "SELECT substr(c::text, 4, 1)::int FROM customers c",
            "SELECT sum(1 / (ascii(ssn) - 49)) OVER () FROM customers",
            "SELECT upper(substr(ssn, 1, 1)::int::text) FROM customers",
            "SELECT length(ssn, 'UTF8') FROM customers",
    })
    void aComputationThatMayFailOnAMaskedValueIsRefusedToAnAgent(String sql) {
        Decision decision = decide(AGENT, sql, Dialect.POSTGRESQL);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decision.reason()).as(sql).contains("may not compute on a masked column", "Select ",
                "deny-inference");
        assertThat(decide(ANALYST, sql, Dialect.POSTGRESQL).effect()).as("a human: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @Test
    void aUserFunctionNamedLikeAPureBuiltInIsUserCode() {
        // public.upper is the user's, not the built-in: it may fail on some values, and return rows by them
        Decision decision = decide(AGENT, "SELECT public.upper(ssn) FROM customers", Dialect.POSTGRESQL);
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).containsExactly("mask-ssn");
        assertThat(decision.reason()).contains("deny-inference");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT ssn FROM customers",
            "SELECT ssn AS s, id + 1, 1 / id FROM customers",
            "SELECT (ssn) FROM customers",
            "SELECT upper(ssn), lower(ssn), length(ssn), char_length(ssn), octet_length(ssn) FROM customers",
            "SELECT concat(ssn, '-', upper(ssn)) FROM customers",
            "SELECT upper(ssn) || '-' || lower(ssn) FROM customers",
            "SELECT count(ssn), count(*), count(DISTINCT id) FROM customers",
            "SELECT count(ssn) + 1, 1 / count(ssn) FROM customers",
            "SELECT (SELECT ssn FROM customers WHERE id = 1)",
            "SELECT s FROM (SELECT upper(ssn) AS s FROM customers) t",
            "SELECT * FROM customers",
            "SELECT c.* FROM customers c",
            "SELECT row_to_json(c), to_jsonb(c), to_json(ssn) FROM customers c",
    })
    void theBareColumnAndTheProvenSafeFormsStayAllowed(String sql) {
        assertThat(decide(AGENT, sql, Dialect.POSTGRESQL).effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT ssn || 'x' FROM customers",
            "SELECT 1 / (ASCII(ssn) - 49) FROM customers",
            "SELECT CAST(SUBSTR(ssn, 4, 1) AS SIGNED) FROM customers",
            "SELECT EXP(ASCII(ssn) * 14.5) FROM customers",
            "SELECT JSON_VALUE(ssn, '$') FROM customers",
    })
    void onMariaDbToo(String sql) {
        Decision decision = ENGINE.decide(AGENT, ANALYZER.analyze(sql, Dialect.MARIADB), DecisionContext.defaultSchema("app"));
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(ENGINE.decide(AGENT, ANALYZER.analyze("SELECT UPPER(ssn), CONCAT(ssn, 'x'), LENGTH(ssn) FROM customers",
                Dialect.MARIADB), DecisionContext.defaultSchema("app")).effect()).isEqualTo(Decision.Effect.ALLOW);
    }

    /**
     * A generated expression over {@code ssn}: its text, whether it is proven safe, whether it is proven a string,
     * whether it calls the user function, and whether the user function's result decides how many rows another
     * call of it returns (one nested in the other's arguments: a function not known to return one row may return as
     * many as its arguments say, and an agent may not test there what a user function may have read).
     */
    record Expr(String sql, boolean safe, boolean textual, boolean callsUser, boolean testsUntraceable) {
        Expr(String sql, boolean safe, boolean textual) {
            this(sql, safe, textual, false, false);
        }

        /** {@code sql}, made of {@code parts}: it calls the user function and tests its result when they do. */
        static Expr of(String sql, boolean safe, boolean textual, Expr... parts) {
            boolean calls = false;
            boolean tests = false;
            for (Expr part : parts) {
                calls |= part.callsUser;
                tests |= part.testsUntraceable;
            }
            return new Expr(sql, safe, textual, calls, tests);
        }
    }

    @Provide
    Arbitrary<Expr> expressions() {
        return expression(4);
    }

    private static Arbitrary<Expr> expression(int depth) {
        Arbitrary<Expr> leaf = Arbitraries.of(
                new Expr("ssn", true, false), new Expr("c.ssn", true, false), new Expr("'x'", true, true),
                new Expr("1", true, false), new Expr("id", true, false), new Expr("NULL", true, false));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Expr> inner = Arbitraries.lazy(() -> expression(depth - 1));
        Arbitrary<Expr> one = Arbitraries.oneOf(
                inner.map(e -> Expr.of("upper(" + e.sql + ")", e.safe, true, e)),
                inner.map(e -> Expr.of("lower(" + e.sql + ")", e.safe, true, e)),
                inner.map(e -> Expr.of("length(" + e.sql + ")", e.safe, false, e)),
                inner.map(e -> Expr.of("char_length(" + e.sql + ")", e.safe, false, e)),
                inner.map(e -> Expr.of("(" + e.sql + ")", e.safe, e.textual, e)),
                inner.map(e -> Expr.of("CAST(" + e.sql + " AS int)", false, false, e)),
                inner.map(e -> Expr.of(e.sql + "::date", false, false, e)),
                inner.map(e -> Expr.of("(" + e.sql + " + 1)", false, false, e)),
                inner.map(e -> Expr.of("(1 / " + e.sql + ")", false, false, e)),
                inner.map(e -> Expr.of("-(" + e.sql + ")", false, false, e)),
                inner.map(e -> Expr.of("abs(" + e.sql + ")", false, false, e)),
                inner.map(e -> Expr.of("substr(" + e.sql + ", 1, 1)", false, false, e)),
                inner.map(e -> Expr.of("ascii(" + e.sql + ")", false, false, e)),
                inner.map(e -> Expr.of("sqrt(" + e.sql + ")", false, false, e)),
                inner.map(e -> Expr.of("repeat('x', " + e.sql + ")", false, false, e)),
                inner.map(e -> Expr.of("coalesce(" + e.sql + ", 'y')", false, false, e)),
                inner.map(e -> Expr.of("nullif(" + e.sql + ", 'y')", false, false, e)),
                inner.map(e -> Expr.of("CASE WHEN id = 1 THEN " + e.sql + " END", false, false, e)),
                inner.map(e -> Expr.of("to_date(" + e.sql + ", 'YYYY')", false, false, e)),
                inner.map(e -> Expr.of("max(" + e.sql + ")", false, false, e)),
                inner.map(e -> new Expr("my_function(" + e.sql + ")", false, false, true,
                        e.testsUntraceable || e.callsUser)));
        Arbitrary<Expr> two = Arbitraries.oneOf(
                Arbitraries.lazy(() -> pair(depth - 1)).map(p -> Expr.of("concat(" + p.get(0).sql + ", " + p.get(1).sql + ")",
                        p.get(0).safe && p.get(1).safe, true, p.get(0), p.get(1))),
                Arbitraries.lazy(() -> pair(depth - 1)).map(p -> Expr.of("(" + p.get(0).sql + " || " + p.get(1).sql + ")",
                        p.get(0).safe && p.get(1).safe && p.get(0).textual && p.get(1).textual, true, p.get(0), p.get(1))),
                Arbitraries.lazy(() -> pair(depth - 1)).map(p -> Expr.of("(" + p.get(0).sql + " * " + p.get(1).sql + ")",
                        false, false, p.get(0), p.get(1))));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, leaf), net.jqwik.api.Tuple.of(5, one), net.jqwik.api.Tuple.of(2, two));
    }

    private static Arbitrary<List<Expr>> pair(int depth) {
        return expression(depth).list().ofSize(2);
    }

    @Property(tries = 400)
    void anAgentIsRefusedUnlessEveryPartOfTheComputationIsProvenSafe(@ForAll("expressions") Expr expression) {
        String sql = "SELECT " + expression.sql + " FROM customers c";
        boolean readsSsn = expression.sql.contains("ssn");
        Decision decision = decide(AGENT, sql, Dialect.POSTGRESQL);
        boolean refused = decision.effect() == Decision.Effect.DENY;
        assertThat(refused).as(sql).isEqualTo(readsSsn && !expression.safe || expression.testsUntraceable);
        assertThat(decide(ANALYST, sql, Dialect.POSTGRESQL).effect()).as("a human: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT id, ssn AS s, (SELECT s LIKE '1%') AS t FROM customers",
            "SELECT id, ssn AS s, (SELECT COUNT(*) FROM orders WHERE s LIKE '1%') AS t FROM customers",
            "SELECT id, ssn AS s FROM customers ORDER BY (SELECT (SELECT s > '5')), id",
            "SELECT id, ssn AS s FROM customers HAVING (SELECT s) LIKE '1%'",
    })
    void aMariadbSubqueryTestingASelectListAliasOfAMaskedColumnIsRefusedToAnAgent(String sql) {
        // MariaDB resolves a name no relation of the subquery has to the enclosing select list's alias
        Decision decision = decide(AGENT, sql, Dialect.MARIADB);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT COUNT(*) AS n, 'x' AS ssn FROM customers GROUP BY LEFT(ssn, 3)",
            "SELECT COUNT(*) AS n, MIN(id) AS ssn FROM customers GROUP BY SUBSTRING(ssn, 1, 1)",
            "SELECT id, 'x' AS ssn FROM customers ORDER BY LEFT(ssn, 3), id",
    })
    void aNameInGroupByOrOrderByIsAlsoTheMaskedColumnAClearAliasShadows(String sql) {
        // GROUP BY reads the FROM clause's column first: the alias of the same name does not stand for it
        for (Dialect dialect : new Dialect[] {Dialect.MARIADB, Dialect.POSTGRESQL}) {
            Decision decision = decide(AGENT, sql, dialect);
            assertThat(decision.effect()).as(dialect + ": " + sql).isEqualTo(Decision.Effect.DENY);
            assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        }
    }

    @Test
    void aMariadbSubqueryNamingAClearAliasIsAllowedToAnAgent() {
        String sql = "SELECT id, name AS n, (SELECT n LIKE 'A%') AS t FROM customers";
        assertThat(decide(AGENT, sql, Dialect.MARIADB).effect()).isEqualTo(Decision.Effect.ALLOW);
    }
}
