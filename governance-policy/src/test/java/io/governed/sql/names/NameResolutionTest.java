package io.governed.sql.names;

import io.governed.policy.Statements;
import io.governed.policy.Decision;
import io.governed.policy.engine.DecisionContext;
import io.governed.policy.engine.PolicyEngine;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.RoutineCatalog;
import io.governed.sql.SessionEffects;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/** How unqualified names resolve per database, and how the engine judges a name that could be in several schemas. */
class NameResolutionTest {

    private static RelationLocator holding(Map<String, Set<String>> byName) {
        return byName::get;
    }

    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("names.yaml", """
            version: 1
            default: deny
            rules:
              - { id: read-public, effect: permit, actions: [select], resources: ["public.*"] }
              - { id: read-any-orders, effect: permit, actions: [select], resources: ["orders"] }
              - { id: no-vault, effect: forbid, actions: [select], resources: ["vault.*"] }
            """));

    private Decision decide(String sql, NameResolver names) {
        return engine.decide(human("ann"), analyzer.analyze(sql, Dialect.POSTGRESQL),
                Statements.withoutInheritance(DecisionContext.of(names)));
    }

    @Test
    void postgresTakesTheFirstSchemaOnThePathThatHoldsTheName() {
        PostgresSearchPath path = new PostgresSearchPath(List.of("pg_catalog", "secret", "public"),
                holding(Map.of("t", Set.of("public", "secret"), "u", Set.of("public"), "pg_class", Set.of("pg_catalog"))));
        assertThat(path.resolve("t")).isEqualTo(Resolution.in("secret"));
        assertThat(path.resolve("u")).as("secret could gain a u: public is not certain, but neither is anything after it")
                .isEqualTo(Resolution.in("public"));
        assertThat(path.resolve("pg_class")).isEqualTo(Resolution.in("pg_catalog"));
    }

    @Test
    void postgresCatalogAndTemporarySchemasHoldOnlyWhatTheyHold() {
        PostgresSearchPath path = new PostgresSearchPath(List.of("pg_temp_3", "pg_catalog", "public", "other"),
                holding(Map.of("t", Set.of("pg_temp_3", "public"), "missing", Set.of())));
        assertThat(path.resolve("t")).as("the temporary schema shadows public").isEqualTo(Resolution.in("pg_temp_3"));
        assertThat(path.resolve("missing")).as("a name no one holds could appear in any schema but the fixed ones")
                .isEqualTo(new Resolution(List.of("public", "other"), true));
    }

    @Test
    void postgresWithoutCatalogKnowledgeCountsTheWholePath() {
        PostgresSearchPath path = new PostgresSearchPath(List.of("pg_catalog", "public"), name -> null);
        assertThat(path.resolve("t")).isEqualTo(new Resolution(List.of("pg_catalog", "public"), true));
        assertThat(decide("SELECT * FROM t", path).allowed()).as("pg_catalog.t is not public").isFalse();
    }

    @Test
    void aRefusalOfOneResolutionOfAnUncertainNameSaysTheNameCountsAsEachAndHowToMakeItCertain() {
        PostgresSearchPath unread = new PostgresSearchPath(List.of("pg_catalog", "public"), name -> null);
        Decision refused = decide("SELECT * FROM t", unread);
        assertThat(refused.reason()).contains("pg_catalog.t, public.t", "written without a schema", "Qualify the name");
        assertThat(decide("SELECT * FROM pg_catalog.t", unread).reason()).as("qualified: nothing uncertain")
                .doesNotContain("written without a schema");
    }

    @Test
    void h2LooksInTheCurrentSchemaThenTheSearchPath() {
        H2SearchPath path = new H2SearchPath("PUBLIC", List.of("SECRET"),
                holding(Map.of("T", Set.of("PUBLIC", "SECRET"), "ONLY", Set.of("SECRET"))));
        assertThat(path.resolve("T")).isEqualTo(Resolution.in("PUBLIC"));
        assertThat(path.resolve("ONLY")).isEqualTo(Resolution.in("SECRET"));
        H2SearchPath unknownPath = new H2SearchPath("PUBLIC", null, holding(Map.of("ONLY", Set.of("SECRET"))));
        assertThat(unknownPath.resolve("ONLY").certain()).as("an unreadable search path could lead anywhere").isFalse();
        assertThat(unknownPath.resolveNew("NEW")).isEqualTo(Resolution.in("PUBLIC"));
    }

    @Test
    void mariaDbUsesTheCurrentDatabase() {
        assertThat(new CurrentDatabase("shop").resolve("t")).isEqualTo(Resolution.in("shop"));
        assertThat(new CurrentDatabase(null).resolve("t")).isEqualTo(Resolution.unknown());
    }

    @Test
    void aPermitMustCoverEveryPossibleResolution() {
        NameResolver publicOrSecret = name -> new Resolution(List.of("public", "secret"), true);
        assertThat(decide("SELECT * FROM t", NameResolver.fixed("public")).allowed()).isTrue();
        assertThat(decide("SELECT * FROM t", NameResolver.fixed("secret")).allowed()).isFalse();
        Decision both = decide("SELECT * FROM t", publicOrSecret);
        assertThat(both.allowed()).isFalse();
        assertThat(both.reason()).contains("secret.t");
        assertThat(decide("SELECT * FROM orders", publicOrSecret).allowed()).as("a rule for orders in any schema").isTrue();
    }

    @Test
    void anUncertainNameIsPermittedOnlyByARuleForEverySchema() {
        assertThat(decide("SELECT * FROM t", NameResolver.unknown()).allowed()).isFalse();
        assertThat(decide("SELECT * FROM t", name -> new Resolution(List.of("public"), false)).allowed()).isFalse();
        assertThat(decide("SELECT * FROM orders", NameResolver.fixed("public")).rules()).contains("read-any-orders");
        assertThat(decide("SELECT * FROM public.t", NameResolver.unknown()).allowed()).isTrue();
    }

    @Test
    void aForbidAppliesWhenAnyResolutionMatches() {
        NameResolver publicOrVault = name -> new Resolution(List.of("public", "vault"), true);
        Decision decision = decide("SELECT * FROM orders", publicOrVault);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.rules()).containsExactly("no-vault");
        assertThat(decide("SELECT * FROM orders", NameResolver.unknown()).rules())
                .as("unknown: orders could be vault.orders").containsExactly("no-vault");
    }

    @Test
    void statementsAfterASearchPathChangeInTheSameTextResolveAsUnknown() {
        SqlAnalysis analysis = analyzer.analyze("SET search_path = secret; SELECT * FROM t", Dialect.POSTGRESQL);
        SqlAnalysis resolved = AnalysisResolution.resolve(analysis, NameResolver.fixed("public"));
        assertThat(resolved.statements().get(1).tablesRead()).containsExactly(new TableRef(null, "t"));
        assertThat(decide("SET search_path = secret; SELECT * FROM t", NameResolver.fixed("public")).allowed()).isFalse();
        assertThat(decide("SELECT * FROM t; SELECT * FROM u", NameResolver.fixed("public")).allowed()).isTrue();
    }

    @Test
    void resolvedAnalysesAreComputedOncePerResolver() {
        SqlAnalysis analysis = analyzer.analyze("SELECT * FROM t", Dialect.POSTGRESQL);
        int[] asked = new int[1];
        NameResolver counting = name -> {
            asked[0]++;
            return Resolution.in("public");
        };
        SqlAnalysis first = engine.resolved(analysis, DecisionContext.of(counting));
        SqlAnalysis second = engine.resolved(analysis, DecisionContext.of(counting));
        assertThat(second).isSameAs(first);
        assertThat(asked[0]).isEqualTo(1);
        assertThat(first.statements().get(0).tablesRead()).containsExactly(new TableRef("public", "t"));
    }

    @Test
    void builtInRoutinesStayBuiltInWhileUserRoutinesResolveAlongThePath() {
        SqlAnalysis resolved = AnalysisResolution.resolve(
                analyzer.analyze("SELECT upper(name), now(), wipe(name) FROM t", Dialect.POSTGRESQL), NameResolver.fixed("public"));
        assertThat(resolved.statements().get(0).routines()).containsExactly(new TableRef("public", "wipe"));
        RoutineCatalog wipeIsBuiltIn = r -> r.schema() == null && r.name().equals("wipe");
        assertThat(AnalysisResolution.resolve(analyzer.analyze("SELECT wipe(name) FROM t", Dialect.POSTGRESQL),
                NameResolver.fixed("public"), wipeIsBuiltIn).statements().get(0).routines())
                .as("a routine the decision's catalog knows as built-in stays as written").containsExactly(new TableRef(null, "wipe"));
        PolicyEngine callers = new PolicyEngine(PolicyLoader.fromString("calls.yaml", """
                version: 1
                default: deny
                rules:
                  - { id: read, effect: permit, actions: [select], resources: ["public.*"] }
                """));
        assertThat(callers.decide(human("ann"), analyzer.analyze("SELECT upper(name), now() FROM t", Dialect.POSTGRESQL), Statements.withoutInheritance(DecisionContext.defaultSchema("public"))).allowed()).isTrue();
        assertThat(callers.decide(human("ann"), analyzer.analyze("SELECT wipe(name) FROM t", Dialect.POSTGRESQL), Statements.withoutInheritance(DecisionContext.defaultSchema("public"))).reason()).contains("call on public.wipe");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT set_config('search_path', 'x', false)", "SELECT pg_catalog.set_config('search_path', 'x', false)",
            "SET search_path = x", "RESET search_path", "SELECT my_function(1)", "SELECT * FROM t WHERE f(a) = 1",
            "SELECT myschema.upper(a) FROM t", "SELECT \"lower\"(a) FROM t", "CALL p()", "ROLLBACK", "COMMIT",
            "CREATE TABLE t (a int)", "DROP TABLE t", "SET ROLE admin", "SELECT * FROM generate_series(1, 3) g, h(2)",
            "this is not sql"})
    void statementsThatMayChangeNameResolution(String sql) {
        assertThat(SessionEffects.mayChangeNameResolution(analyzer.analyze(sql, Dialect.POSTGRESQL))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT a FROM t", "SELECT upper(a), count(*) FROM t GROUP BY 1", "SELECT CAST(a AS varchar(10)) FROM t",
            "SELECT a::numeric(10, 2) FROM t", "INSERT INTO t (a, b) VALUES (1, 2)", "UPDATE t SET a = lower(b) WHERE id = 1",
            "SELECT * FROM t WHERE a IN (SELECT b FROM u) AND EXISTS (SELECT 1 FROM v)",
            "WITH x(a) AS (SELECT 1) SELECT * FROM x", "SELECT coalesce(a, 1), row_number() OVER (ORDER BY a) FROM t",
            "SELECT pg_catalog.upper(a) FROM t"})
    void statementsProvenNotToChangeIt(String sql) {
        assertThat(SessionEffects.mayChangeNameResolution(analyzer.analyze(sql, Dialect.POSTGRESQL))).isFalse();
    }
}
