package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.governed.policy.Identities.agent;
import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * A relation of the database's own that holds values of tables' columns (PostgreSQL's pg_stats keeps a column's most
 * common values and histogram, MariaDB's mysql.column_stats its least and greatest values) hands out values of a table
 * a forbid keeps a caller from reading: reading it is reading any table, so every forbid and approval of select covers
 * it, named directly or through a view, while a relation that holds no values (pg_class, information_schema.columns)
 * stays readable.
 */
class SystemRelationRulesTest {

    private static final Identity ANALYST = human("ann", "analysts");
    private static final Identity BOT = agent("bot", human("alice"));

    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();

    private static PolicyEngine engine(String yaml) {
        return new PolicyEngine(PolicyLoader.fromString("system.yaml", "version: 1\n" + yaml));
    }

    private Decision decide(PolicyEngine engine, Identity identity, String sql, Dialect dialect) {
        return engine.decide(identity, analyzer.analyze(sql, dialect), DecisionContext.of(session));
    }

    private static final String NO_SALARIES_FOR_AGENTS = """
            default: allow
            rules:
              - { id: no-salaries, effect: forbid, actions: [select], resources: ["salaries"], principals: { kinds: [agent] } }
            """;

    @Test
    void aForbidOnAnyTableCoversTheRelationsThatHoldItsValues() {
        PolicyEngine engine = engine(NO_SALARIES_FOR_AGENTS);
        for (String sql : List.of(
                "SELECT histogram_bounds::text FROM pg_catalog.pg_stats WHERE tablename = 'salaries'",
                "SELECT most_common_vals::text FROM pg_catalog.pg_stats",
                "SELECT * FROM pg_catalog.pg_statistic",
                "SELECT query FROM pg_catalog.pg_stat_activity",
                "SELECT x FROM (SELECT histogram_bounds::text AS x FROM pg_catalog.pg_stats) s",
                "WITH s AS (SELECT * FROM pg_catalog.pg_stats) SELECT count(*) FROM s")) {
            Decision decision = decide(engine, BOT, sql, Dialect.POSTGRESQL);
            assertThat(decision.allowed()).as(sql).isFalse();
            assertThat(decision.rules()).as(sql).containsExactly("no-salaries");
            assertThat(decision.reason()).as(sql).contains("which holds values of any table's columns");
        }
        Decision mariadb = decide(engine, BOT, "SELECT CAST(max_value AS CHAR) FROM mysql.column_stats", Dialect.MARIADB);
        assertThat(mariadb.rules()).containsExactly("no-salaries");
        Decision unresolved = engine.decide(BOT, analyzer.analyze("SELECT * FROM pg_stats", Dialect.POSTGRESQL),
                DecisionContext.none());
        assertThat(unresolved.rules()).as("a name that may be the database's own relation").containsExactly("no-salaries");
    }

    @Test
    void aViewOverSuchARelationIsCoveredToo() {
        session.views.put("stats_view", "SELECT attname, histogram_bounds::text AS bounds FROM pg_catalog.pg_stats");
        Decision decision = decide(engine(NO_SALARIES_FOR_AGENTS), BOT, "SELECT * FROM stats_view", Dialect.POSTGRESQL);
        assertThat(decision.rules()).as(decision.reason()).containsExactly("no-salaries");
    }

    @Test
    void aViewOfTheSystemSchemasIsJudgedByItsOwnListingNotByWhatItIsDefinedOver() {
        session.views.put("pg_roles", "SELECT rolname FROM pg_catalog.pg_authid");
        Decision decision = decide(engine(NO_SALARIES_FOR_AGENTS), BOT, "SELECT rolname FROM pg_catalog.pg_roles",
                Dialect.POSTGRESQL);
        assertThat(decision.allowed()).as(decision.reason()).isTrue();
    }

    @Test
    void whoNoForbidOfSelectAppliesToAndRelationsThatHoldNoValuesAreUnaffected() {
        PolicyEngine engine = engine(NO_SALARIES_FOR_AGENTS);
        assertThat(decide(engine, ANALYST, "SELECT histogram_bounds::text FROM pg_catalog.pg_stats", Dialect.POSTGRESQL).allowed())
                .as("the forbid is for agents").isTrue();
        for (String sql : List.of("SELECT relname FROM pg_catalog.pg_class", "SELECT column_name FROM information_schema.columns",
                "SELECT nspname FROM pg_catalog.pg_namespace", "SELECT * FROM pg_stats")) { // the last: public.pg_stats here
            Decision decision = decide(engine, BOT, sql, Dialect.POSTGRESQL);
            assertThat(decision.allowed()).as(sql + ": " + decision.reason()).isTrue();
        }
        PolicyEngine updatesOnly = engine("""
                default: allow
                rules:
                  - { id: no-salary-updates, effect: forbid, actions: [update], resources: ["salaries"] }
                """);
        assertThat(decide(updatesOnly, BOT, "SELECT * FROM pg_catalog.pg_stats", Dialect.POSTGRESQL).allowed())
                .as("a forbid of another action").isTrue();
    }

    @Test
    void aDefaultDenyPolicyNeedsNoPermitBeyondTheRelationsOwn() {
        PolicyEngine engine = engine("""
                default: deny
                rules:
                  - { id: read-catalog, effect: permit, actions: [select], resources: ["pg_catalog.*"] }
                """);
        Decision decision = decide(engine, ANALYST, "SELECT most_common_vals::text FROM pg_catalog.pg_stats", Dialect.POSTGRESQL);
        assertThat(decision.allowed()).as(decision.reason()).isTrue();
    }

    @Test
    void anApprovalOfReadsCoversSuchARelation() {
        PolicyEngine engine = engine("""
                default: allow
                approvals:
                  - { id: salary-reads, actions: [select], resources: ["salaries"], approvers: { groups: [hr] }, ttl: 1h }
                """);
        Decision decision = decide(engine, ANALYST, "SELECT histogram_bounds::text FROM pg_catalog.pg_stats", Dialect.POSTGRESQL);
        assertThat(decision.effect()).isEqualTo(Decision.Effect.PENDING_APPROVAL);
        assertThat(decision.rules()).contains("salary-reads");
    }
}
