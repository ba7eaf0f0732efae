package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.names.NameResolver;
import io.governed.sql.names.PostgresSearchPath;
import io.governed.sql.names.RelationLocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.governed.policy.Identities.agent;
import static io.governed.policy.Identities.human;
import static io.governed.policy.Identities.service;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An identity a mask applies to, sharing the application's database role, must not redirect other sessions'
 * unqualified names to objects it controls (where the application's {@code INSERT INTO customers …} would land in a
 * relation it reads in clear): no new schema (PostgreSQL's default path {@code "$user", public} looks first in a schema
 * named like the role; a path may name a schema that does not exist yet), no relation or routine named like an object
 * of another schema, no rename or move to such a name, and no stored setting ({@code ALTER ROLE … SET search_path}).
 * An identity no mask applies to may still do all of it.
 */
class SearchPathShadowingTest {

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("shadowing.yaml", """
            version: 1
            rules:
              - { id: all, effect: permit, actions: ["*"] }
            masks:
              - { id: mask-ssn, columns: { patterns: ["*.ssn"] }, function: partial, keep-last: 4, unless: { kinds: [service] } }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private static final Identity AGENT = agent("bot", human("ann"));
    private static final Identity APP = service("customer-service");

    /** The catalog: public.customers and public.app_log(…) exist, staging is an empty schema; the path is "$user", public. */
    private static final Map<String, Set<String>> OBJECTS = Map.of(
            "customers", Set.of("public"), "app_log", Set.of("public"), "lower", Set.of("pg_catalog"),
            "array_fill", Set.of("pg_catalog"), "notes", Set.of("public"));
    private static final RelationLocator CATALOG = new RelationLocator() {
        @Override
        public Set<String> schemasHolding(String name) {
            return OBJECTS.containsKey(name) && !name.equals("app_log") && !name.equals("lower")
                    && !name.equals("array_fill") ? OBJECTS.get(name) : Set.of();
        }

        @Override
        public Set<String> schemasNaming(String name) {
            return OBJECTS.getOrDefault(name, Set.of());
        }

        @Override
        public List<io.governed.sql.TableRef> routinesRunOnWrite(String schema, String name) {
            return List.of(); // no table has a trigger or a rule
        }

        @Override
        public List<io.governed.sql.names.CascadedWrite> cascadedWrites(String schema, String name,
                                                                         io.governed.sql.Action action) {
            return List.of(); // no foreign key writes another table
        }
    };
    private static final DecisionContext SESSION = DecisionContext.of(
            new PostgresSearchPath(List.of("pg_catalog", "public"), CATALOG));

    private Decision decide(Identity identity, String sql, Dialect dialect, DecisionContext context) {
        return engine.decide(identity, analyzer.analyze(sql, dialect), context);
    }

    private void assertRefusedToTheAgentOnly(String sql, Dialect dialect, DecisionContext context, String... reason) {
        Decision decision = decide(AGENT, sql, dialect, context);
        assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decision.reason()).as(sql).contains("mask-ssn").contains(reason);
        Decision app = decide(APP, sql, dialect, context);
        assertThat(app.effect()).as("for the application, which no mask applies to: " + sql + ": " + app.reason())
                .isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | CREATE SCHEMA sh_app",
            "POSTGRESQL | CREATE SCHEMA IF NOT EXISTS staging2",
            "POSTGRESQL | CREATE SCHEMA AUTHORIZATION sh_app",
            "POSTGRESQL | CREATE SCHEMA staging2 AUTHORIZATION sh_app CREATE TABLE customers (id int, ssn text)",
            "H2         | CREATE SCHEMA staging2",
            "H2         | CREATE SCHEMA IF NOT EXISTS staging2 AUTHORIZATION sa",
    })
    void aNewSchemaIsRefusedToACallerAMaskAppliesTo(Dialect dialect, String sql) {
        assertRefusedToTheAgentOnly(sql, dialect, SESSION, "creates schema", "\"$user\"",
                "Have an identity the mask exempts create the schema");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE SCHEMA sh_app", "CREATE DATABASE sh_app"})
    void onMariaDbWhichHasNoSearchPathANewDatabaseIsNotRefused(String sql) {
        assertThat(decide(AGENT, sql, Dialect.MARIADB, DecisionContext.defaultSchema("test")).effect()).as(sql)
                .isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER ROLE sh_app SET search_path = staging, public",
            "POSTGRESQL | ALTER ROLE CURRENT_USER SET search_path TO staging",
            "POSTGRESQL | ALTER ROLE ALL SET search_path TO staging",
            "POSTGRESQL | ALTER ROLE sh_app IN DATABASE sh_db SET search_path = staging",
            "POSTGRESQL | ALTER USER sh_app SET search_path = staging",
            "POSTGRESQL | ALTER DATABASE sh_db SET search_path = staging, public",
            "POSTGRESQL | ALTER DATABASE sh_db RESET search_path",
            "POSTGRESQL | ALTER SYSTEM SET search_path = staging",
            "MARIADB    | SET GLOBAL sql_mode = ''",
            "H2         | SET DEFAULT_TABLE_TYPE MEMORY",
    })
    void aStoredSettingIsRefusedToACallerAMaskAppliesTo(Dialect dialect, String sql) {
        assertRefusedToTheAgentOnly(sql, dialect, SESSION, "stores a setting", "search_path",
                "Have an identity the mask exempts");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE TABLE staging.customers (id int, name text, ssn text)",
            "CREATE TABLE sh_app.customers (id int, name text, ssn text)",
            "CREATE VIEW staging.customers AS SELECT id, name, secret AS ssn FROM staging.loot",
            "CREATE OR REPLACE VIEW staging.customers AS SELECT id, name, secret AS ssn FROM staging.loot",
            "CREATE MATERIALIZED VIEW staging.customers AS SELECT 1 AS id",
            "CREATE FUNCTION staging.app_log(text) RETURNS void LANGUAGE sql AS 'SELECT 1'",
            "CREATE OR REPLACE PROCEDURE staging.app_log(text) LANGUAGE sql AS 'SELECT 1'",
            "CREATE FUNCTION staging.array_fill(text) RETURNS text LANGUAGE sql AS 'SELECT $1'",
    })
    void aRelationOrRoutineNamedLikeAnObjectOfAnotherSchemaIsRefused(String sql) {
        assertRefusedToTheAgentOnly(sql, Dialect.POSTGRESQL, SESSION, "shadow", "Give it a name no other schema uses");
    }

    @Test
    void theRefusalNamesWhereTheNameIsFoundNow() {
        Decision decision = decide(AGENT, "CREATE VIEW staging.customers AS SELECT 1 AS id", Dialect.POSTGRESQL, SESSION);
        assertThat(decision.reason()).contains("staging.customers", "public", "search path");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ALTER TABLE staging.loot RENAME TO customers",
            "ALTER TABLE staging.loot RENAME TO notes",
            "ALTER VIEW staging.loot RENAME TO customers",
            "ALTER VIEW IF EXISTS staging.loot RENAME TO customers",
            "ALTER MATERIALIZED VIEW staging.loot RENAME TO customers",
            "ALTER INDEX staging.loot_pkey RENAME TO notes",
            "ALTER SEQUENCE staging.loot_id_seq RENAME TO customers",
            "ALTER FUNCTION staging.capture(text) RENAME TO app_log",
            "ALTER PROCEDURE staging.capture(text) RENAME TO app_log",
            "ALTER FUNCTION staging.app_log(text) SET SCHEMA sh_app",
    })
    void aRenameOrMoveToANameInUseIsRefused(String sql) {
        assertRefusedToTheAgentOnly(sql, Dialect.POSTGRESQL, SESSION, "shadow");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE TABLE staging.loot (id int, name text, secret text)",
            "CREATE TABLE loot (id int, secret text)",
            "CREATE VIEW public.open_notes AS SELECT 1 AS id",
            "CREATE FUNCTION staging.capture(text) RETURNS void LANGUAGE sql AS 'SELECT 1'",
            "CREATE INDEX customers_name ON public.customers (name)",
            "ALTER TABLE public.notes SET SCHEMA staging",
            "ALTER TABLE staging.loot RENAME TO loot2",
            "ALTER VIEW staging.loot RENAME TO loot2",
            "ALTER SEQUENCE staging.loot_id_seq RENAME TO loot_seq",
            "CREATE TEMP TABLE customers (id int)",
    })
    void aNameNoOtherSchemaUsesIsNotRefusedForShadowing(String sql) {
        Decision decision = decide(AGENT, sql, Dialect.POSTGRESQL, SESSION);
        assertThat(decision.reason()).as(sql).doesNotContain("shadow");
        if (!sql.startsWith("CREATE TEMP")) {
            assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.ALLOW);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE TABLE staging.loot (id int, secret text)",
            "CREATE VIEW v AS SELECT 1 AS id",
            "CREATE FUNCTION staging.capture(text) RETURNS void LANGUAGE sql AS 'SELECT 1'",
    })
    void whereTheCatalogCannotTellWhichNamesAreInUseACreationIsRefused(String sql) {
        assertRefusedToTheAgentOnly(sql, Dialect.POSTGRESQL, DecisionContext.none(), "cannot tell");
    }

    @Test
    void whereEveryNameIsCertainlyInOneSchemaAnObjectOfAnotherSchemaWouldShadowIt() {
        DecisionContext publicOnly = DecisionContext.defaultSchema("public");
        assertRefusedToTheAgentOnly("CREATE TABLE staging.loot (id int, secret text)", Dialect.POSTGRESQL, publicOnly,
                "exists in schema public", "shadow");
        for (String sql : List.of("CREATE TABLE loot (id int, secret text)", "CREATE VIEW public.v AS SELECT 1 AS id",
                "ALTER TABLE notes RENAME TO remarks")) {
            Decision decision = decide(AGENT, sql, Dialect.POSTGRESQL, publicOnly);
            assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.ALLOW);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SET search_path = staging, public",
            "SET SESSION search_path TO staging",
            "SELECT * FROM customers",
    })
    void theSessionsOwnSearchPathIsStillTheCallersToSet(String sql) {
        Decision decision = decide(AGENT, sql, Dialect.POSTGRESQL, SESSION);
        assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.ALLOW);
    }
}
