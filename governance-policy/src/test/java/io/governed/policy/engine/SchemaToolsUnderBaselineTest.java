package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What schema tools (Flyway, Liquibase, Spring's SQL init, Hibernate's ddl-auto) and hand-written H2 and
 * PostgreSQL schema scripts send, decided under the built-in baseline: for everyone, and for the migration
 * identity (a human or service whose purpose is {@code migration}).
 */
class SchemaToolsUnderBaselineTest {

    private static final SqlAnalyzer ANALYZER = new SqlAnalyzer();
    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.baseline());

    private static final Identity APP = Identity.builder("app").kind(IdentityKind.SERVICE).build();
    private static final Identity APP_WITH_OTHER_PURPOSE = Identity.builder("app").kind(IdentityKind.SERVICE)
            .purpose("reporting").build();
    private static final Identity MIGRATION = Identity.builder("schema-owner").kind(IdentityKind.SERVICE)
            .purpose("migration").build();
    private static final Identity HUMAN_MIGRATION = Identity.builder("dba-on-call").purpose("migration").build();
    private static final Identity AGENT_CLAIMING_MIGRATION = Identity.builder("helper-bot").kind(IdentityKind.AGENT)
            .onBehalfOf(Identity.human("alice")).purpose("migration").build();

    private Decision decide(Identity identity, String sql, Dialect dialect) {
        SqlAnalysis analysis = ANALYZER.analyze(sql, dialect);
        assertThat(analysis.parseError()).as("parse error of %s", sql).isNull();
        return engine.decide(identity, analysis);
    }

    /** What any identity may run: everyday schema tooling that destroys nothing. */
    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "H2         | CALL SCHEMA()                                                                         | baseline-data-and-session",
        "H2         | call schema()                                                                         | baseline-data-and-session",
        "H2         | SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MODE'     | baseline-data-and-session",
        "H2         | select value from information_schema.settings where name = ?                          | baseline-data-and-session",
        "H2         | ALTER TABLE orders ADD CONSTRAINT fk_c FOREIGN KEY (customer_id) REFERENCES customers(id) | baseline-additive-alter",
        "H2         | ALTER TABLE t ADD COLUMN c varchar(10)                                                | baseline-additive-alter",
        "H2         | CREATE INDEX ON t (c)                                                                 | baseline-data-and-session",
        "H2         | COMMENT ON TABLE t IS 'orders of a customer'                                          | baseline-data-and-session",
        "H2         | COMMENT ON COLUMN t.c IS 'x'                                                          | baseline-data-and-session",
        "H2         | SET SCHEMA \"PUBLIC\"                                                                 | baseline-data-and-session",
        "POSTGRESQL | ALTER TABLE \"public\".\"flyway_schema_history\" ADD CONSTRAINT \"flyway_schema_history_pk\" PRIMARY KEY (\"installed_rank\") | baseline-additive-alter",
        "POSTGRESQL | alter table if exists orders add constraint FKabc foreign key (customer_id) references customer | baseline-additive-alter",
        "POSTGRESQL | ALTER TABLE t ADD COLUMN IF NOT EXISTS c int                                          | baseline-additive-alter",
        "POSTGRESQL | SELECT pg_try_advisory_lock(77431708279161)                                           | baseline-data-and-session",
        "POSTGRESQL | SELECT pg_advisory_unlock(77431708279161)                                             | baseline-data-and-session",
        "POSTGRESQL | SET search_path = \"public\"                                                          | baseline-data-and-session",
        "POSTGRESQL | SET search_path TO \"public\", app                                                    | baseline-data-and-session",
        "POSTGRESQL | SET SESSION search_path TO 'public'                                                   | baseline-data-and-session",
        "POSTGRESQL | COMMENT ON TABLE t IS 'x'                                                             | baseline-data-and-session",
        "POSTGRESQL | CREATE INDEX ON t (c)                                                                 | baseline-data-and-session",
        "POSTGRESQL | SELECT current_setting('server_version_num')                                          | baseline-data-and-session",
        "MARIADB    | SELECT * FROM information_schema.settings                                             | baseline-data-and-session",
        "MARIADB    | SET NAMES utf8mb4                                                                     | baseline-data-and-session",
        "POSTGRESQL | SET lock_timeout TO '10s'                                                             | baseline-data-and-session",
    })
    void everydaySchemaToolingIsAllowedForEveryone(Dialect dialect, String sql, String rule) {
        for (Identity identity : new Identity[] {APP, APP_WITH_OTHER_PURPOSE, MIGRATION, AGENT_CLAIMING_MIGRATION}) {
            Decision decision = decide(identity, sql, dialect);
            assertThat(decision.effect()).as("%s for %s", sql, identity.principal()).isEqualTo(Decision.Effect.ALLOW);
            assertThat(decision.rules()).as("%s for %s", sql, identity.principal()).contains(rule);
        }
    }

    /** What only the migration identity may run; every other identity is refused as before. */
    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "H2         | DROP TABLE x IF EXISTS                          | baseline-no-destructive-ddl",
        "H2         | DROP TABLE a, b IF EXISTS CASCADE               | baseline-no-destructive-ddl",
        "H2         | DROP TABLE IF EXISTS x                          | baseline-no-destructive-ddl",
        "POSTGRESQL | DROP TABLE IF EXISTS x CASCADE                  | baseline-no-destructive-ddl",
        "POSTGRESQL | TRUNCATE t                                      | baseline-no-destructive-ddl",
        "POSTGRESQL | ALTER TABLE t DROP COLUMN c                     | baseline-no-destructive-alter",
        "POSTGRESQL | ALTER TABLE t RENAME COLUMN a TO b              | baseline-no-destructive-alter",
        "POSTGRESQL | ALTER TABLE t ALTER COLUMN c TYPE bigint        | baseline-no-destructive-alter",
        "POSTGRESQL | ALTER TABLE t ALTER COLUMN c TYPE text USING NULL | baseline-no-destructive-alter",
        "POSTGRESQL | ALTER TABLE t ALTER COLUMN c DROP NOT NULL      | baseline-no-destructive-alter",
        "MARIADB    | ALTER TABLE t MODIFY c INT                      | baseline-no-destructive-alter",
        "POSTGRESQL | ALTER TABLE t ALTER COLUMN c SET NOT NULL       | ",
        "POSTGRESQL | ALTER TABLE t ALTER COLUMN c SET DATA TYPE varchar(200) | baseline-no-destructive-alter",
        "H2         | ALTER TABLE t ALTER COLUMN c SET DATA TYPE VARCHAR(200) | baseline-no-destructive-alter",
        "POSTGRESQL | ALTER TABLE t ADD COLUMN c int, DROP COLUMN d   | baseline-no-destructive-alter",
        "POSTGRESQL | GRANT SELECT ON t TO reporting                  | baseline-no-privilege-changes",
        "MARIADB    | SET foreign_key_checks = 0                      | baseline-no-unlisted-settings",
        "MARIADB    | SET foreign_key_checks = ?, sql_safe_updates = ? | baseline-no-unlisted-settings",
        "POSTGRESQL | SET session_replication_role = replica          | baseline-no-unlisted-settings",
        "MARIADB    | USE `app`                                       | ",
    })
    void schemaChangesThatDestroyAreForTheMigrationIdentityAlone(Dialect dialect, String sql, String forbiddenBy) {
        for (Identity identity : new Identity[] {APP, APP_WITH_OTHER_PURPOSE, AGENT_CLAIMING_MIGRATION}) {
            Decision decision = decide(identity, sql, dialect);
            assertThat(decision.effect()).as("%s for %s", sql, identity.describe()).isEqualTo(Decision.Effect.DENY);
            if (forbiddenBy != null) {
                assertThat(decision.rules()).as("%s for %s", sql, identity.describe()).contains(forbiddenBy);
            } else {
                assertThat(decision.rules()).as("%s for %s: denied by default", sql, identity.describe()).isEmpty();
            }
        }
        for (Identity identity : new Identity[] {MIGRATION, HUMAN_MIGRATION}) {
            Decision decision = decide(identity, sql, dialect);
            assertThat(decision.effect()).as("%s for %s", sql, identity.describe()).isEqualTo(Decision.Effect.ALLOW);
            assertThat(decision.rules()).containsAnyOf("baseline-schema-migration", "baseline-migration-session");
        }
    }

    /**
     * A whole table's rows changed, as Liquibase clears its lock table on its first run and a migration backfills a new
     * column: for the migration identity, which may truncate and drop the table anyway, and nobody else.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "DELETE FROM app.databasechangeloglock",
        "UPDATE account SET nickname = name",
    })
    void unboundedWritesAreForTheMigrationIdentityAlone(String sql) {
        for (Identity identity : new Identity[] {APP, APP_WITH_OTHER_PURPOSE, AGENT_CLAIMING_MIGRATION}) {
            Decision decision = decide(identity, sql, Dialect.POSTGRESQL);
            assertThat(decision.effect()).as("%s for %s", sql, identity.describe()).isEqualTo(Decision.Effect.DENY);
            assertThat(decision.rules()).contains("baseline-no-unbounded-writes");
        }
        for (Identity identity : new Identity[] {MIGRATION, HUMAN_MIGRATION}) {
            Decision decision = decide(identity, sql, Dialect.POSTGRESQL);
            assertThat(decision.effect()).as("%s for %s: %s", sql, identity.describe(), decision.reason())
                    .isEqualTo(Decision.Effect.ALLOW);
            assertThat(decision.rules()).contains("baseline-data-and-session");
        }
    }

    /** The migration identity is exempt from the schema forbids only: what escapes the analysis stays forbidden. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "DO $$ BEGIN EXECUTE 'DROP TABLE t'; END $$         | baseline-no-dynamic-sql",
        "COPY t FROM PROGRAM 'curl http://example.org'      | baseline-no-program-execution",
        "COPY t TO '/tmp/dump.csv'                           | baseline-no-file-access",
        "DROP TABLE a; DROP TABLE b                          | baseline-no-multi-statement",
    })
    void theMigrationIdentityIsNotExemptFromTheRest(String sql, String forbiddenBy) {
        Decision decision = decide(MIGRATION, sql, Dialect.POSTGRESQL);
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).contains(forbiddenBy);
    }

    @org.junit.jupiter.api.Test
    void anUnparseableDenialNamesTheStatementAndWhereParsingStopped() {
        SqlAnalysis analysis = ANALYZER.analyze("SELECT name FROM t WHERE x = 'hunter2' 'hunter3'", Dialect.POSTGRESQL);
        assertThat(analysis.parseError()).as("the parser's own message").isNotNull();
        Decision decision = engine.decide(APP, analysis);
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).contains("on-unparseable: deny", analysis.fingerprint(), "parsing stopped at line 1, column ")
                .doesNotContain("hunter");
    }
}
