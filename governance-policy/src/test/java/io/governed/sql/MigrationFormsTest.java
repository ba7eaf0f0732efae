package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Statements that schema migrations (Flyway and Liquibase scripts, what Rails, Django and similar tools emit) commonly
 * run on PostgreSQL and MariaDB. Each is read, so a migration identity's policy decides on it; the few that stay
 * unparseable (refused to everyone) are listed with the reason, and are the known limits POLICY.md names.
 */
class MigrationFormsTest {

    private static SqlAnalysis analyze(String sql, Dialect dialect) {
        return new SqlAnalyzer().analyze(sql, dialect);
    }

    private static StatementAnalysis only(String sql, Dialect dialect) {
        SqlAnalysis analysis = analyze(sql, dialect);
        assertThat(analysis.parseError()).as(sql).isNull();
        assertThat(analysis.statements()).as(sql).hasSize(1);
        return analysis.statements().get(0);
    }

    private static TableRef ref(String schema, String name) {
        return new TableRef(schema, name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "POSTGRESQL | CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email ON users (email)",
            "POSTGRESQL | CREATE UNIQUE INDEX CONCURRENTLY idx_users_email ON users (lower(email))",
            "POSTGRESQL | CREATE INDEX idx_orders_open ON orders (created_at) WHERE status = 'open'",
            "POSTGRESQL | CREATE INDEX idx_orders_cov ON orders (customer_id) INCLUDE (total, status)",
            "POSTGRESQL | CREATE UNIQUE INDEX idx_u ON users USING btree (tenant_id, email) INCLUDE (name) WHERE deleted_at IS NULL",
            "POSTGRESQL | CREATE INDEX idx_gin ON docs USING gin (body jsonb_path_ops)",
            "POSTGRESQL | CREATE INDEX idx_desc ON events (created_at DESC NULLS LAST)",
            "POSTGRESQL | CREATE INDEX ON users (email)",
            "POSTGRESQL | DROP INDEX CONCURRENTLY IF EXISTS idx_users_email",
            "POSTGRESQL | ALTER TABLE users ADD COLUMN IF NOT EXISTS status varchar(20) DEFAULT 'active' NOT NULL",
            "POSTGRESQL | ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now()",
            "POSTGRESQL | ALTER TABLE users ADD COLUMN prefs jsonb DEFAULT '{}'::jsonb NOT NULL",
            "POSTGRESQL | ALTER TABLE users ADD COLUMN uuid uuid DEFAULT gen_random_uuid()",
            "POSTGRESQL | ALTER TABLE users ADD COLUMN full_name text GENERATED ALWAYS AS (lower(email)) STORED",
            "POSTGRESQL | ALTER TABLE users ALTER COLUMN email SET NOT NULL",
            "POSTGRESQL | ALTER TABLE users ALTER COLUMN email DROP NOT NULL",
            "POSTGRESQL | ALTER TABLE users ALTER COLUMN age TYPE integer USING age::integer",
            "POSTGRESQL | ALTER TABLE users ALTER COLUMN email SET DATA TYPE varchar(320)",
            "POSTGRESQL | ALTER TABLE users ALTER COLUMN status SET DEFAULT 'active'",
            "POSTGRESQL | ALTER TABLE users ALTER COLUMN status DROP DEFAULT",
            "POSTGRESQL | ALTER TABLE users DROP COLUMN IF EXISTS legacy",
            "POSTGRESQL | ALTER TABLE users RENAME COLUMN name TO full_name",
            "POSTGRESQL | ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE",
            "POSTGRESQL | ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID",
            "POSTGRESQL | ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) DEFERRABLE INITIALLY DEFERRED",
            "POSTGRESQL | ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_user",
            "POSTGRESQL | ALTER TABLE orders ADD CONSTRAINT chk_total CHECK (total >= 0) NOT VALID",
            "POSTGRESQL | ALTER TABLE orders DROP CONSTRAINT IF EXISTS chk_total",
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)",
            "POSTGRESQL | ALTER TABLE ONLY users ADD CONSTRAINT users_pkey PRIMARY KEY (id)",
            "POSTGRESQL | ALTER TABLE ONLY orders ALTER COLUMN id SET DEFAULT nextval('order_seq'::regclass)",
            "POSTGRESQL | CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
            "POSTGRESQL | ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ecstatic' AFTER 'happy'",
            "POSTGRESQL | ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'",
            "POSTGRESQL | COMMENT ON TABLE users IS 'the users'",
            "POSTGRESQL | COMMENT ON COLUMN users.email IS 'login'",
            "POSTGRESQL | CREATE EXTENSION IF NOT EXISTS pgcrypto",
            "POSTGRESQL | CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\"",
            "POSTGRESQL | CREATE SEQUENCE IF NOT EXISTS order_seq START WITH 1000 INCREMENT BY 1",
            "POSTGRESQL | ALTER SEQUENCE order_seq RESTART WITH 5000",
            "POSTGRESQL | ALTER SEQUENCE order_seq OWNED BY orders.id",
            "POSTGRESQL | CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL)",
            "POSTGRESQL | CREATE TABLE items2 (id bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 10) PRIMARY KEY)",
            "POSTGRESQL | ALTER TABLE items ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY",
            "POSTGRESQL | CREATE TABLE IF NOT EXISTS flyway_schema_history (installed_rank int NOT NULL, version varchar(50), success boolean NOT NULL, CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank))",
            "POSTGRESQL | CREATE TABLE t_dj (id bigserial PRIMARY KEY, name varchar(100) NOT NULL, created timestamp with time zone NOT NULL)",
            "POSTGRESQL | GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app_rw",
            "POSTGRESQL | GRANT USAGE ON SCHEMA app TO app_ro",
            "POSTGRESQL | ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO app_ro",
            "POSTGRESQL | CREATE TABLE measurements (id bigint, logdate date NOT NULL) PARTITION BY RANGE (logdate)",
            "POSTGRESQL | CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
            "POSTGRESQL | CREATE TABLE measurements_def PARTITION OF measurements DEFAULT",
            "POSTGRESQL | ALTER TABLE measurements ATTACH PARTITION m_old FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')",
            "POSTGRESQL | ALTER TABLE measurements DETACH PARTITION m_old CONCURRENTLY",
            "POSTGRESQL | ALTER INDEX idx_meas ATTACH PARTITION idx_meas_2024",
            "POSTGRESQL | ALTER INDEX idx_users_email SET TABLESPACE pg_default",
            "POSTGRESQL | ALTER INDEX IF EXISTS idx_users_email RENAME TO idx_users_email2",
            "POSTGRESQL | CREATE SCHEMA IF NOT EXISTS app",
            "POSTGRESQL | CREATE OR REPLACE VIEW active_users AS SELECT id, email FROM users WHERE status = 'active'",
            "POSTGRESQL | CREATE MATERIALIZED VIEW IF NOT EXISTS mv_totals AS SELECT user_id, sum(total) FROM orders GROUP BY user_id",
            "POSTGRESQL | REFRESH MATERIALIZED VIEW CONCURRENTLY mv_totals",
            "POSTGRESQL | ALTER TABLE users SET (fillfactor = 70)",
            "POSTGRESQL | ALTER TABLE users REPLICA IDENTITY FULL",
            "POSTGRESQL | SET lock_timeout TO '5s'",
            "MARIADB    | ALTER TABLE users ADD COLUMN status VARCHAR(20) NOT NULL DEFAULT 'active', ALGORITHM=INPLACE, LOCK=NONE",
            "MARIADB    | ALTER TABLE users ADD INDEX idx_email (email), ALGORITHM=INPLACE, LOCK=NONE",
            "MARIADB    | ALTER TABLE users ADD UNIQUE INDEX uq_email (email)",
            "MARIADB    | ALTER TABLE users MODIFY COLUMN email VARCHAR(320) NOT NULL",
            "MARIADB    | ALTER TABLE users CHANGE COLUMN name full_name VARCHAR(200) NULL",
            "MARIADB    | ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
            "MARIADB    | ALTER TABLE users ADD COLUMN IF NOT EXISTS nick VARCHAR(50) AFTER email",
            "MARIADB    | ALTER TABLE users DROP INDEX idx_email",
            "MARIADB    | ALTER TABLE users DROP FOREIGN KEY fk_x",
            "MARIADB    | ALTER TABLE orders ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE",
            "MARIADB    | ALTER TABLE users RENAME INDEX a TO b",
            "MARIADB    | ALTER ONLINE TABLE users ADD COLUMN z INT",
            "MARIADB    | ALTER ONLINE TABLE users RENAME TO otherdb.users",
            "MARIADB    | ALTER TABLE users ALGORITHM=INPLACE, LOCK=NONE, ADD COLUMN z INT",
            "MARIADB    | CREATE INDEX idx_email ON users (email) ALGORITHM=INPLACE LOCK=NONE",
            "MARIADB    | CREATE UNIQUE INDEX IF NOT EXISTS uq ON users (email(100))",
            "MARIADB    | CREATE TABLE IF NOT EXISTS users (id BIGINT NOT NULL AUTO_INCREMENT, email VARCHAR(255) NOT NULL, PRIMARY KEY (id), UNIQUE KEY uq_email (email)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
            "MARIADB    | CREATE TABLE t_ts (id INT, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP)",
            "MARIADB    | ALTER TABLE users MODIFY email VARCHAR(320) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL",
            "MARIADB    | ALTER TABLE users AUTO_INCREMENT = 1000",
            "MARIADB    | ALTER TABLE users DROP PRIMARY KEY",
            "MARIADB    | RENAME TABLE users TO users_old, users_new TO users",
            "MARIADB    | DROP INDEX idx_email ON users",
            "MARIADB    | ALTER TABLE m ADD PARTITION (PARTITION p2 VALUES LESS THAN (2030))",
            "MARIADB    | ALTER TABLE users ADD COLUMN v INT AS (a + b) VIRTUAL",
            "MARIADB    | SET FOREIGN_KEY_CHECKS = 0",
            "POSTGRESQL | ALTER TABLE orders ADD CHECK (total >= 0)",
            "POSTGRESQL | ALTER TABLE orders ADD CHECK (total >= 0) NOT VALID",
            "POSTGRESQL | TRUNCATE TABLE users RESTART IDENTITY CASCADE",
            "POSTGRESQL | TRUNCATE users, orders CONTINUE IDENTITY RESTRICT",
            "POSTGRESQL | DROP TYPE IF EXISTS mood",
            "POSTGRESQL | DROP TYPE IF EXISTS mood CASCADE",
            "POSTGRESQL | DROP DOMAIN IF EXISTS positive_int RESTRICT",
            "MARIADB    | ALTER TABLE orders ADD CHECK (total >= 0)",
            "H2         | ALTER TABLE orders ADD CHECK (total >= 0)",
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX idx_users_email",
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email) INCLUDE (name)",
            "POSTGRESQL | CREATE INDEX idx_users_email ON users (lower(email) text_pattern_ops)",
            "MARIADB    | CREATE INDEX idx_users_name ON users (name(10))",
            "H2         | TRUNCATE TABLE users RESTART IDENTITY",
            "POSTGRESQL | ALTER TABLE orders ADD CONSTRAINT ex EXCLUDE USING gist (room WITH =, during WITH &&)",
            "POSTGRESQL | CREATE STATISTICS st_users (dependencies) ON city, zip FROM users",
            "POSTGRESQL | CREATE INDEX idx_users_norm ON users (public.norm(email))",
            "MARIADB    | ALTER TABLE users ADD INDEX IF NOT EXISTS (email)",
    })
    void aCommonMigrationStatementIsRead(Dialect dialect, String sql) {
        SqlAnalysis analysis = analyze(sql, dialect);
        assertThat(analysis.parsed()).as(sql + ": " + analysis.parseError()).isTrue();
        assertThat(analysis.actions()).as(sql).doesNotContain(Action.UNKNOWN);
    }

    /**
     * What the analysis still cannot read for certain: refused to everyone as unparseable (POLICY.md's known limits).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // an index has no schema of its own to move to (PostgreSQL refuses it too)
            "POSTGRESQL | ALTER INDEX idx_users_email SET SCHEMA archive",
            // adding a unique key under IGNORE deletes the rows that duplicate a kept one
            "MARIADB    | ALTER IGNORE TABLE users ADD UNIQUE INDEX uq (email)",
            "MARIADB    | GRANT SELECT, INSERT ON appdb.* TO 'app'@'%'",
    })
    void aFormTheAnalysisCannotReadStaysUnparseable(Dialect dialect, String sql) {
        SqlAnalysis analysis = analyze(sql, dialect);
        assertThat(analysis.parsed()).as(sql).isFalse();
        assertThat(analysis.actions()).containsExactly(Action.UNKNOWN);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID | ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id)",
            "POSTGRESQL | ALTER TABLE app.orders ADD CONSTRAINT c CHECK (log_it(ssn) > 0) NOT VALID          | ALTER TABLE app.orders ADD CONSTRAINT c CHECK (log_it(ssn) > 0)",
            "POSTGRESQL | ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES app.users (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED NOT VALID | ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES app.users (id) ON DELETE SET NULL",
            "POSTGRESQL | ALTER TABLE orders ADD CONSTRAINT u UNIQUE (x) NOT DEFERRABLE INITIALLY IMMEDIATE      | ALTER TABLE orders ADD CONSTRAINT u UNIQUE (x)",
            "POSTGRESQL | ALTER TABLE orders ADD CONSTRAINT c CHECK (f(a) > 0) NOT VALID, ADD CONSTRAINT u UNIQUE (x) DEFERRABLE | ALTER TABLE orders ADD CONSTRAINT c CHECK (f(a) > 0), ADD CONSTRAINT u UNIQUE (x)",
            "POSTGRESQL | alter table \"Orders\" add constraint \"Fk\" foreign key (u) references \"Users\" (id) /* c */ not valid | ALTER TABLE \"Orders\" ADD CONSTRAINT \"Fk\" FOREIGN KEY (u) REFERENCES \"Users\" (id)",
            "POSTGRESQL | ALTER INDEX IF EXISTS app.idx SET TABLESPACE fast                                   | ALTER TABLE IF EXISTS app.idx SET TABLESPACE fast",
            "POSTGRESQL | CREATE SEQUENCE IF NOT EXISTS app.order_seq START WITH 1000                          | CREATE SEQUENCE app.order_seq START WITH 1000",
            "POSTGRESQL | DROP INDEX CONCURRENTLY IF EXISTS app.idx_users_email CASCADE                      | DROP INDEX IF EXISTS app.idx_users_email CASCADE",
            "POSTGRESQL | DROP INDEX CONCURRENTLY idx_users_email                                             | DROP INDEX idx_users_email",
            "POSTGRESQL | DROP INDEX CONCURRENTLY idx_users_email CASCADE                                     | DROP INDEX idx_users_email CASCADE",
            "POSTGRESQL | drop index concurrently \"Idx\"                                                     | DROP INDEX \"Idx\"",
            "POSTGRESQL | DROP INDEX CONCURRENTLY a, app.b RESTRICT                                           | DROP INDEX a, app.b RESTRICT",
            "MARIADB    | ALTER TABLE app.users DROP FOREIGN KEY fk_x                                           | ALTER TABLE app.users DROP CONSTRAINT fk_x",
            "MARIADB    | ALTER TABLE users DROP FOREIGN KEY IF EXISTS fk_x, DROP COLUMN y                      | ALTER TABLE users DROP CONSTRAINT IF EXISTS fk_x, DROP COLUMN y",
            "MARIADB    | ALTER ONLINE TABLE users ADD COLUMN z INT, ALGORITHM=INPLACE, LOCK=NONE               | ALTER TABLE users ADD COLUMN z INT, ALGORITHM=INPLACE, LOCK=NONE",
            "MARIADB    | ALTER ONLINE TABLE users RENAME TO otherdb.users                                      | ALTER TABLE users RENAME TO otherdb.users",
            "MARIADB    | ALTER ONLINE TABLE users DROP FOREIGN KEY fk                                          | ALTER TABLE users DROP CONSTRAINT fk",
            // a column named like a word the parser reserves: read as the quoted name the database folds it to
            "POSTGRESQL | ALTER TABLE users ADD COLUMN settings jsonb NOT NULL                                | ALTER TABLE users ADD COLUMN \"settings\" jsonb NOT NULL",
            "POSTGRESQL | INSERT INTO users (id, Settings) VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET settings = 3 RETURNING settings | INSERT INTO users (id, \"settings\") VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET \"settings\" = 3 RETURNING \"settings\"",
            "MARIADB    | INSERT INTO users (id, settings) VALUES (1, 2) ON DUPLICATE KEY UPDATE settings = 3   | INSERT INTO users (id, `settings`) VALUES (1, 2) ON DUPLICATE KEY UPDATE `settings` = 3",
            "MARIADB    | ALTER TABLE users CHANGE settings prefs TEXT                                        | ALTER TABLE users CHANGE `settings` prefs TEXT",
            "H2         | CREATE TABLE prefs (id INT, settings VARCHAR(10), PRIMARY KEY (id, settings))       | CREATE TABLE prefs (id INT, \"SETTINGS\" VARCHAR(10), PRIMARY KEY (id, \"SETTINGS\"))",
            "H2         | COMMENT ON COLUMN prefs.settings IS NULL                                             | COMMENT ON COLUMN prefs.\"SETTINGS\" IS NULL",
            // an unnamed CHECK: as a named one (the name is no relation's)
            "POSTGRESQL | ALTER TABLE app.orders ADD CHECK (app.f(total) > 0)                               | ALTER TABLE app.orders ADD CONSTRAINT unnamed_check CHECK (app.f(total) > 0)",
            "POSTGRESQL | ALTER TABLE ONLY orders ADD CHECK (total > 0) NOT VALID, ADD CHECK (g(x) < 1)        | ALTER TABLE ONLY orders ADD CONSTRAINT c CHECK (total > 0), ADD CONSTRAINT d CHECK (g(x) < 1)",
            "MARIADB    | ALTER TABLE db1.orders ADD CHECK (total > 0)                                         | ALTER TABLE db1.orders ADD CONSTRAINT c CHECK (total > 0)",
            "H2         | ALTER TABLE orders ADD CHECK (f(total) > 0)                                          | ALTER TABLE orders ADD CONSTRAINT c CHECK (f(total) > 0)",
            // the identity clause and the default RESTRICT: the TRUNCATE without them (RESTART IDENTITY adds its trait)
            "POSTGRESQL | TRUNCATE TABLE ONLY app.a, b CONTINUE IDENTITY RESTRICT                            | TRUNCATE TABLE app.a, b",
            "POSTGRESQL | TRUNCATE a CONTINUE IDENTITY CASCADE                                               | TRUNCATE a CASCADE",
            "POSTGRESQL | truncate a restrict                                                                 | TRUNCATE a",
    })
    void aNewlyReadFormIsReadAsTheFormItEquals(Dialect dialect, String sql, String equivalent) {
        assertThat(only(sql, dialect)).isEqualTo(only(equivalent, dialect));
    }

    @Test
    void whatTheNewlyReadFormsTouch() {
        StatementAnalysis fk = only("ALTER TABLE app.orders ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES app.users (id)"
                + " DEFERRABLE INITIALLY DEFERRED NOT VALID", Dialect.POSTGRESQL);
        assertThat(fk.action()).isEqualTo(Action.ALTER);
        assertThat(fk.tablesWritten()).containsExactly(ref("app", "orders"));
        assertThat(fk.tablesRead()).containsExactly(ref("app", "users"));

        StatementAnalysis check = only("ALTER TABLE orders ADD CONSTRAINT c CHECK (app.log_it(ssn) > 0) NOT VALID",
                Dialect.POSTGRESQL);
        assertThat(check.tablesWritten()).containsExactly(ref(null, "orders"));
        assertThat(check.routines()).extracting(TableRef::name).contains("log_it");

        StatementAnalysis tablespace = only("ALTER INDEX app.idx SET TABLESPACE fast", Dialect.POSTGRESQL);
        assertThat(tablespace.action()).isEqualTo(Action.ALTER);
        assertThat(tablespace.tablesWritten()).containsExactly(ref("app", "idx"));
        assertThat(tablespace.routines()).isEmpty();

        StatementAnalysis attach = only("ALTER INDEX app.idx_meas ATTACH PARTITION app.\"Idx_2024\"", Dialect.POSTGRESQL);
        assertThat(attach.action()).isEqualTo(Action.ALTER);
        assertThat(attach.tablesWritten()).containsExactly(ref("app", "idx_meas"), ref("app", "Idx_2024"));
        assertThat(attach.tablesRead()).isEmpty();

        StatementAnalysis sequence = only("CREATE SEQUENCE IF NOT EXISTS app.s", Dialect.POSTGRESQL);
        assertThat(sequence.action()).isEqualTo(Action.CREATE);
        assertThat(sequence.tablesWritten()).containsExactly(ref("app", "s"));

        StatementAnalysis dropIndex = only("DROP INDEX CONCURRENTLY IF EXISTS app.idx_users_email", Dialect.POSTGRESQL);
        assertThat(dropIndex.action()).isEqualTo(Action.DROP);
        assertThat(dropIndex.tablesWritten()).containsExactly(ref("app", "idx_users_email"));
        assertThat(dropIndex.traits()).contains(Trait.IF_EXISTS);

        StatementAnalysis dropFk = only("ALTER TABLE db1.users DROP FOREIGN KEY fk_x", Dialect.MARIADB);
        assertThat(dropFk.action()).isEqualTo(Action.ALTER);
        assertThat(dropFk.tablesWritten()).containsExactly(ref("db1", "users"));

        StatementAnalysis restart = only("TRUNCATE TABLE ONLY app.a, b RESTART IDENTITY CASCADE", Dialect.POSTGRESQL);
        assertThat(restart.action()).isEqualTo(Action.TRUNCATE);
        assertThat(restart.tablesWritten()).containsExactly(ref("app", "a"), ref(null, "b"));
        assertThat(restart.traits()).containsExactlyInAnyOrder(Trait.CASCADE, Trait.RESTARTS_IDENTITY);
        assertThat(only("TRUNCATE a CONTINUE IDENTITY", Dialect.POSTGRESQL).traits()).isEmpty();

        StatementAnalysis dropType = only("DROP TYPE IF EXISTS app.mood, status", Dialect.POSTGRESQL);
        assertThat(dropType.action()).isEqualTo(Action.DROP);
        assertThat(dropType.tablesWritten()).containsExactly(ref("app", "mood"), ref(null, "status"));
        assertThat(dropType.traits()).containsExactly(Trait.IF_EXISTS);
        StatementAnalysis dropDomain = only("DROP DOMAIN \"Positive\" CASCADE", Dialect.POSTGRESQL);
        assertThat(dropDomain.tablesWritten()).containsExactly(ref(null, "Positive"), ref("*", "*"));
        assertThat(dropDomain.traits()).containsExactly(Trait.CASCADE);
        assertThat(only("DROP TYPE mood RESTRICT", Dialect.POSTGRESQL).tablesWritten()).containsExactly(ref(null, "mood"));

        StatementAnalysis unnamed = only("ALTER TABLE app.orders ADD CHECK (app.log_it(ssn) > 0) NOT VALID",
                Dialect.POSTGRESQL);
        assertThat(unnamed.tablesWritten()).containsExactly(ref("app", "orders"));
        assertThat(unnamed.routines()).containsExactly(ref("app", "log_it"));
        assertThat(unnamed.traits()).contains(Trait.ATTACHES_CODE);

        StatementAnalysis online = only("ALTER ONLINE TABLE users RENAME TO otherdb.users", Dialect.MARIADB);
        assertThat(online.traits()).contains(Trait.RENAMES);
        assertThat(online.tablesWritten()).containsExactly(ref(null, "users"), ref("otherdb", "users"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // a modifier word left where it is no modifier of a constraint
            "POSTGRESQL | ALTER TABLE orders ADD COLUMN valid int, ADD CONSTRAINT c CHECK (total > 0) NOT VALID",
            "POSTGRESQL | ALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0) NOT VALID x",
            "POSTGRESQL | ALTER TABLE orders ADD CONSTRAINT ex EXCLUDE USING gist (room WITH =) NOT VALID",
            "POSTGRESQL | ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES a.b.c (id) NOT VALID",
            "POSTGRESQL | ALTER INDEX i ATTACH PARTITION j k",
            "POSTGRESQL | ALTER INDEX IF EXISTS i ATTACH PARTITION j",
            "POSTGRESQL | ALTER INDEX i ATTACH PARTITION a.b.c",
            "POSTGRESQL | ALTER INDEX \"a.b\" SET TABLESPACE t",
            "POSTGRESQL | ALTER INDEX i SET TABLESPACE t.u",
            "POSTGRESQL | ALTER INDEX ALL IN TABLESPACE a SET TABLESPACE b",
            "POSTGRESQL | CREATE SEQUENCE IF NOT s",
            // the condition after the names is H2's alone
            "POSTGRESQL | DROP TABLE x IF EXISTS",
            "MARIADB    | DROP TABLE x IF EXISTS",
            "POSTGRESQL | DROP INDEX CONCURRENTLY CONCURRENTLY i",
            "POSTGRESQL | DROP INDEX CONCURRENTLY i j",
            "POSTGRESQL | DROP INDEX CONCURRENTLY i CASCADE x",
            "MARIADB    | ALTER TABLE users DROP FOREIGN KEY fk_x y",
            "MARIADB    | ALTER TABLE users DROP FOREIGN KEY a.b",
            "MARIADB    | ALTER ONLINE TABLE users DROP FOREIGN KEY",
            "MARIADB    | ALTER ONLINE IGNORE TABLE users ADD UNIQUE INDEX uq (email)",
            "MARIADB    | ALTER IGNORE TABLE users DROP FOREIGN KEY fk",
            "POSTGRESQL | TRUNCATE a RESTART IDENTITY x",
            "POSTGRESQL | TRUNCATE a x RESTART IDENTITY",
            "POSTGRESQL | TRUNCATE RESTART IDENTITY",
            "POSTGRESQL | TRUNCATE a CASCADE RESTART IDENTITY",
            "POSTGRESQL | TRUNCATE a RESTART IDENTITY RESTART IDENTITY",
            "POSTGRESQL | TRUNCATE a RESTART",
            "POSTGRESQL | TRUNCATE a RESTRICT CASCADE",
            "MARIADB    | TRUNCATE a RESTART IDENTITY",
            "POSTGRESQL | DROP TYPE a.b.c",
            "POSTGRESQL | DROP TYPE a b",
            "POSTGRESQL | DROP TYPE a,",
            "POSTGRESQL | DROP TYPE IF EXISTS",
            "POSTGRESQL | DROP DOMAIN a CASCADE RESTRICT",
            "POSTGRESQL | DROP TYPE a CASCADE x",
            "MARIADB    | DROP TYPE a",
            "POSTGRESQL | ALTER TABLE orders ADD CHECK total > 0",
            "POSTGRESQL | ALTER TABLE orders ADD CHECK (total > 0) x",
    })
    void nearMissesStayUnparseable(Dialect dialect, String sql) {
        SqlAnalysis analysis = analyze(sql, dialect);
        assertThat(analysis.parsed()).as(sql).isFalse();
        assertThat(analysis.actions()).containsExactly(Action.UNKNOWN);
    }

    @Test
    void aMigrationScriptOfTheNewFormsIsReadStatementByStatement() {
        SqlAnalysis script = analyze("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES users (id) NOT VALID;"
                + " ALTER TABLE orders VALIDATE CONSTRAINT fk; DROP TABLE x", Dialect.POSTGRESQL);
        assertThat(script.parsed()).isTrue();
        assertThat(script.statements()).extracting(StatementAnalysis::action)
                .containsExactly(Action.ALTER, Action.ALTER, Action.DROP);
        assertThat(Set.copyOf(script.statements().get(2).tablesWritten())).containsExactly(ref(null, "x"));
    }
}
