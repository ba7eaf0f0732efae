package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * A user function's result is a value the analysis cannot trace: the function may read a masked column out of the
 * statement's sight (s.leak(i) returns the customer's ssn). In a result it comes back redacted; where a statement writes
 * it (INSERT … VALUES, UPDATE or MERGE … SET, ON CONFLICT DO UPDATE SET) it counts as a masked value for a caller a mask
 * applies to, and where the session or the server keeps it (pg_notify's payload, a setting, an advisory lock's key) for
 * every caller, since whoever reads it back is not the caller. Built-ins on the maintained lists compute from their
 * arguments and the session alone, and stay allowed.
 */
class UntraceableWrittenValuesTest {

    private static final Identity WRITER = human("wes", "writers");
    private static final Identity READER = human("pia", "writers", "pii-readers");

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("writers.yaml", """
            version: 1
            default: deny
            rules:
              - { id: writers, effect: permit, principals: { groups: [writers] }, actions: ["*"], resources: ["*"] }
            masks:
              - id: mask-ssn
                columns: { patterns: ["*.ssn"] }
                function: partial
                keep-last: 4
                deny-inference: [agent, human, service]
                unless: { groups: [pii-readers] }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();

    UntraceableWrittenValuesTest() {
        session.routineBodies.put("leak", "SELECT ssn FROM s.customers WHERE id = $1");
    }

    private Decision decide(Identity identity, String sql) {
        return engine.decide(identity, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO s.orders VALUES (101, 1, 1, s.leak(1))",
            "INSERT INTO s.orders VALUES (101, 1, 1, leak(1))",
            "INSERT INTO s.orders (id, customer_id, qty, status) VALUES (101, 1, 1, 'new'), (102, 2, 1, s.leak(2))",
            "INSERT INTO s.orders VALUES (101, 1, 1, (SELECT s.leak(1)))",
            "INSERT INTO s.orders (id, status) SELECT 101, s.leak(1)",
            "INSERT INTO s.orders (id, status) VALUES (1, 'new') ON CONFLICT (id) DO UPDATE SET status = s.leak(1)",
            "UPDATE s.orders SET status = s.leak(customer_id) WHERE id = 2",
            "UPDATE s.orders SET status = upper(s.leak(customer_id)) WHERE id = 2",
            "UPDATE s.orders SET status = (SELECT s.leak(1)) WHERE id = 2",
            "UPDATE s.orders SET status = (SELECT x FROM (SELECT s.leak(1) AS x) AS d) WHERE id = 2",
            "MERGE INTO s.orders o USING s.customers c ON o.customer_id = c.id"
                    + " WHEN MATCHED THEN UPDATE SET status = s.leak(c.id)",
            "MERGE INTO s.orders o USING s.customers c ON o.customer_id = c.id"
                    + " WHEN NOT MATCHED THEN INSERT (id, status) VALUES (c.id, s.leak(c.id))",
    })
    void aUserFunctionsResultWrittenIsAMaskedValueForAMaskedCaller(String sql) {
        Decision decision = decide(WRITER, sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        // a subquery's untraceable result counts as every column of every table read, as before
        assertThat(decision.reason()).as(sql).containsAnyOf("cannot trace", "cannot tell them apart from masked ones");
        // the caller the mask exempts reads the ssn anyway, and may write it
        assertThat(decide(READER, sql).effect()).as("exempt: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @Test
    void theRefusalOfAWrittenValueSaysWhatToDoInstead() {
        Decision decision = decide(WRITER, "UPDATE s.orders SET status = s.leak(customer_id) WHERE id = 2");
        assertThat(decision.reason()).contains("function", "Select the function's result instead",
                "exempts", "read no masked column");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT pg_notify('chan', s.leak(2))",
            "SELECT pg_notify('chan', (SELECT s.leak(2)))",
            "SELECT set_config('app.x', s.leak(1), false)",
            "SELECT pg_advisory_lock(length(s.leak(1)))",
            "SELECT pg_advisory_lock(s.leak(1)::bigint)",
    })
    void aUserFunctionsResultKeptPastTheStatementIsRefusedToEveryCaller(String sql) {
        for (Identity identity : new Identity[] {WRITER, READER}) {
            Decision decision = decide(identity, sql);
            assertThat(decision.effect()).as(identity.principal() + ": " + sql).isEqualTo(Decision.Effect.DENY);
            assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
            assertThat(decision.reason()).as(sql).contains("next borrower");
        }
    }

    @Test
    void aUserFunctionsResultCopiedOutIsRefusedToAMaskedCaller() {
        Decision decision = decide(WRITER, "COPY (SELECT s.leak(1)) TO STDOUT");
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).contains("s.leak", "COPY output cannot be masked");
        assertThat(decide(READER, "COPY (SELECT s.leak(1)) TO STDOUT").effect()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(decide(WRITER, "COPY (SELECT now(), upper('a')) TO STDOUT").effect()).isEqualTo(Decision.Effect.ALLOW);
    }

    @Test
    void theRefusalOfAKeptValueNamesTheFunction() {
        Decision decision = decide(WRITER, "SELECT pg_notify('chan', s.leak(2))");
        assertThat(decision.reason()).contains("s.leak", "cannot trace", "Select the function's result instead");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SET @x = leak(1)", "SELECT @y := leak(1)", "SELECT GET_LOCK(leak(1), 0)",
            "SELECT LAST_INSERT_ID(leak(1))", "SELECT GET_LOCK(shop.leak(1), 0)"})
    void aUserFunctionsResultKeptInAMariaDbSessionIsRefusedToEveryCaller(String sql) {
        for (Identity identity : new Identity[] {WRITER, READER}) {
            Decision decision = engine.decide(identity, analyzer.analyze(sql, Dialect.MARIADB), DecisionContext.of(session));
            assertThat(decision.effect()).as(identity.principal() + ": " + sql).isEqualTo(Decision.Effect.DENY);
            assertThat(decision.rules()).as(sql + ": " + decision.reason()).containsExactly("mask-ssn");
        }
        assertThat(engine.decide(WRITER, analyzer.analyze(sql.replace("shop.leak(1)", "upper('a')").replace("leak(1)", "upper('a')"), Dialect.MARIADB),
                DecisionContext.of(session)).effect()).as("a built-in: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO s.orders VALUES (101, 1, 1, 'new')",
            "INSERT INTO s.orders VALUES (nextval('s.orders_id_seq'), 1, 1, upper('a'))",
            "INSERT INTO s.orders VALUES (101, 1, 1, now()::text), (102, 1, 1, gen_random_uuid()::text)",
            "INSERT INTO s.orders (id, status) SELECT 101, upper('new')",
            "INSERT INTO s.orders (id, status) VALUES (1, 'new') ON CONFLICT (id) DO UPDATE SET status = lower('X')",
            "UPDATE s.orders SET status = upper(status), qty = qty + 1 WHERE id = 2",
            "UPDATE s.orders SET status = now()::text WHERE id = 2",
            "UPDATE s.orders SET status = (SELECT upper('a')) WHERE id = 2",
            "MERGE INTO s.orders o USING s.customers c ON o.customer_id = c.id"
                    + " WHEN MATCHED THEN UPDATE SET status = upper(c.name)",
            "SELECT pg_notify('chan', 'ready')",
            "SELECT pg_notify('chan', upper('ready'))",
            "SELECT set_config('app.x', 'a', false)",
            "SELECT pg_advisory_lock(42)",
            "SELECT pg_advisory_lock(length(upper('a')))",
            "SELECT s.leak(1)",
            "SELECT id FROM s.orders WHERE status = 'new' AND pg_try_advisory_lock(7)",
    })
    void builtInsAndLiteralsAreWrittenAndKeptAsBefore(String sql) {
        assertThat(decide(WRITER, sql).effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @Test
    void aCallerNoMaskAppliesToWritesAUserFunctionsResult() {
        PolicyEngine unmasked = new PolicyEngine(PolicyLoader.fromString("unmasked.yaml", """
                version: 1
                rules:
                  - { id: writers, effect: permit, principals: { groups: [writers] }, actions: ["*"], resources: ["*"] }
                """));
        for (String sql : new String[] {
                "INSERT INTO s.orders VALUES (101, 1, 1, s.leak(1))",
                "UPDATE s.orders SET status = s.leak(customer_id) WHERE id = 2",
                "SELECT pg_notify('chan', s.leak(2))"}) {
            assertThat(unmasked.decide(WRITER, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session))
                    .effect()).as("no mask in the policy: " + sql).isEqualTo(Decision.Effect.ALLOW);
        }
    }

    /** Statements that write or keep the value standing where {@code %s} is. */
    private static final String[] WRITTEN = {
            "INSERT INTO s.orders (id, status) VALUES (7, %s)",
            "INSERT INTO s.orders (id, status) VALUES (7, 'a'), (8, %s)",
            "INSERT INTO s.orders (id, status) SELECT 7, %s",
            "UPDATE s.orders SET status = %s WHERE id = 2",
            "UPDATE s.orders SET status = coalesce(%s, status) WHERE id = 2",
            "UPDATE s.orders SET status = (SELECT %s) WHERE id = 2",
            "INSERT INTO s.orders (id, status) VALUES (1, 'new') ON CONFLICT (id) DO UPDATE SET status = %s",
            "MERGE INTO s.orders o USING s.customers c ON o.customer_id = c.id WHEN MATCHED THEN UPDATE SET status = %s",
            "SELECT pg_notify('chan', %s)",
            "SELECT set_config('app.x', %s, false)",
    };

    private static final Set<String> NOT_USER_FUNCTIONS = Set.of("upper", "lower", "now", "nextval", "length", "md5");

    @Property(tries = 200)
    void aUserFunctionsResultInAnyWrittenPlaceIsRefusedToAMaskedCaller(@ForAll("writes") String sql) {
        Decision decision = decide(WRITER, sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
    }

    @Provide
    Arbitrary<String> writes() {
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(3).ofMaxLength(10)
                .filter(n -> !NOT_USER_FUNCTIONS.contains(n) && !n.startsWith("pg_"));
        Arbitrary<String> schema = Arbitraries.of("", "s.", "public.");
        Arbitrary<String> call = Combinators.combine(schema, name, Arbitraries.of("1", "'x'", "2 + 3"))
                .as((s, n, a) -> s + "f_" + n + "(" + a + ")");
        return Combinators.combine(Arbitraries.of(WRITTEN), call).as((template, value) -> template.formatted(value));
    }
}
