package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.RoutineCatalog;
import io.governed.sql.TableRef;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * A built-in of the database's catalog that may read tables (PostgreSQL's table_to_xml('vault.notes', …) names its table
 * in a string) is a select on any table wherever it stands, in the select list or in a filter, which answers questions
 * about what it read. A user function whose body cannot be read may do anything, in either place.
 */
class TestedFunctionReadsTest {

    private static final Identity ANALYST = human("ann", "analysts");
    private static final Identity DBA = human("dan", "dba");

    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();
    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("reads.yaml", """
            version: 1
            rules:
              - { id: analysts-read, effect: permit, principals: { groups: [analysts] }, actions: [select], resources: ["public.*"] }
              - { id: dba-read, effect: permit, principals: { groups: [dba] }, actions: [select], resources: ["*"] }
              # the database's catalog makes these functions built-ins; without one they are calls
              - { id: xml-calls, effect: permit, principals: { groups: [analysts, dba] }, actions: [call], resources: ["*_to_xml"] }
            """));

    private Decision decide(Identity identity, String sql) {
        return engine.decide(identity, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT count(*) FROM customers WHERE table_to_xml('vault.notes', true, false, '')::text LIKE '%a%'",
            "SELECT id FROM customers ORDER BY strpos(table_to_xml('vault.notes', true, false, '')::text, 'a')",
            "SELECT city FROM customers GROUP BY city HAVING length(table_to_xml('vault.notes', true, false, '')::text) > 5",
    })
    void testingWhatACatalogBuiltInMayReadOutOfSightNeedsSelectOnEveryTable(String sql) {
        Decision decision = decideWithCatalog(ANALYST, sql);
        assertThat(decision.allowed()).as(sql).isFalse();
        assertThat(decision.reason()).as(sql).contains("select on any table, which the database's built-in table_to_xml may read");
        assertThat(decideWithCatalog(DBA, sql).allowed()).as("a permit on every table: " + sql).isTrue();
    }

    @Test
    void aUserFunctionWhoseBodyCannotBeReadDoesAnythingInAFilterAsInTheSelectList() {
        // without the catalog database_to_xml is a user routine, whose body the stub cannot give: the call permission
        // alone is no consent to what it may do
        for (String sql : new String[] {
                "SELECT count(*) FROM customers WHERE database_to_xml(true, false, '')::text LIKE '%a%'",
                "SELECT database_to_xml(true, false, '') FROM customers"}) {
            Decision decision = decide(ANALYST, sql);
            assertThat(decision.allowed()).as(sql).isFalse();
            assertThat(decision.reason()).as(sql).contains("on any table, which routine public.database_to_xml may do");
        }
    }

    /** A database catalog (PostgreSQL's pg_proc) that knows table_to_xml and to_regnamespace as stable built-ins, lower as immutable. */
    private static final RoutineCatalog CATALOG = new RoutineCatalog() {
        @Override
        public boolean isBuiltIn(TableRef routine) {
            return routine.schema() == null && Set.of("table_to_xml", "to_regnamespace", "lower").contains(routine.name());
        }

        @Override
        public boolean mayReadTables(TableRef routine) {
            return isBuiltIn(routine) && !routine.name().equals("lower");
        }
    };

    private Decision decideWithCatalog(Identity identity, String sql) {
        return engine.decide(identity, analyzer.analyze(sql, Dialect.POSTGRESQL),
                DecisionContext.of(session).withRoutines(CATALOG));
    }

    @Test
    void callingABuiltInThatMayReadTablesIsASelectOnAnyTable() {
        String sql = "SELECT table_to_xml('vault.notes', true, false, '')";
        Decision decision = decideWithCatalog(ANALYST, sql);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).contains("select on any table, which the database's built-in table_to_xml may read");
        assertThat(decideWithCatalog(DBA, sql).allowed()).as("a permit on every table").isTrue();
        assertThat(decideWithCatalog(ANALYST, "SELECT lower(name) FROM customers").allowed())
                .as("an immutable built-in reads no table").isTrue();
    }

    @Test
    void filtersOnFunctionsKnownToDeriveFromTheirArgumentsNeedOnlyTheNamedTables() {
        for (String sql : new String[] {
                "SELECT id FROM customers WHERE lower(city) = 'porto' AND signed_up < now()",
                "SELECT id FROM customers WHERE length(name) > 3 ORDER BY upper(name)",
        }) {
            assertThat(decide(ANALYST, sql).allowed()).as(sql).isTrue();
        }
    }
}
