package io.governed.sql;

import static io.governed.sql.Analyses.first;
import static io.governed.sql.Analyses.maria;
import static io.governed.sql.Analyses.pg;
import static io.governed.sql.Analyses.table;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Code definitions, routine calls, privilege changes and server settings: what escapes the analysis. */
class CodeAndPrivilegeTest {

    private static StatementAnalysis h2(String sql) {
        return first(sql, Dialect.H2);
    }

    private static StatementAnalysis of(Dialect dialect, String sql) {
        return first(sql, dialect);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | CREATE FUNCTION f() RETURNS int AS $$ DROP TABLE t; SELECT 1 $$ LANGUAGE sql",
        "POSTGRESQL | CREATE OR REPLACE FUNCTION app.f() RETURNS int AS 'select 1' LANGUAGE sql",
        "POSTGRESQL | CREATE PROCEDURE p() LANGUAGE sql AS $$ DELETE FROM t $$",
        "POSTGRESQL | CREATE OR REPLACE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN TRUNCATE t; END $$",
        "POSTGRESQL | CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
        "POSTGRESQL | CREATE CONSTRAINT TRIGGER trg AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
        "POSTGRESQL | CREATE RULE r AS ON INSERT TO t DO INSTEAD DELETE FROM u",
        "POSTGRESQL | CREATE OR REPLACE RULE r AS ON SELECT TO t DO INSTEAD SELECT * FROM u",
        "POSTGRESQL | CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION f()",
        "POSTGRESQL | CREATE EXTENSION dblink",
        "POSTGRESQL | CREATE EXTENSION IF NOT EXISTS plpython3u",
        "POSTGRESQL | CREATE POLICY p ON t USING (true)",
        "POSTGRESQL | CREATE AGGREGATE a (int) (sfunc = f, stype = int)",
        "POSTGRESQL | CREATE OPERATOR === (procedure = f, leftarg = int, rightarg = int)",
        "POSTGRESQL | CREATE CAST (int AS text) WITH FUNCTION f(int)",
        "POSTGRESQL | CREATE TRUSTED PROCEDURAL LANGUAGE plx HANDLER h",
        "POSTGRESQL | CREATE FOREIGN DATA WRAPPER w HANDLER h",
        "POSTGRESQL | CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw",
        "POSTGRESQL | ALTER FUNCTION f() SECURITY DEFINER",
        "POSTGRESQL | ALTER FUNCTION f() OWNER TO postgres",
        "POSTGRESQL | ALTER TRIGGER trg ON t RENAME TO x",
        "POSTGRESQL | ALTER EXTENSION dblink UPDATE",
        "POSTGRESQL | ALTER POLICY p ON t USING (true)",
        "POSTGRESQL | DO $$ BEGIN DROP TABLE t; END $$",
        "POSTGRESQL | DO LANGUAGE plpgsql $$ BEGIN DROP TABLE t; END $$",
        "MARIADB    | CREATE FUNCTION f() RETURNS INT RETURN (SELECT count(*) FROM t)",
        "MARIADB    | CREATE DEFINER=CURRENT_USER TRIGGER x BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1",
        "MARIADB    | CREATE DEFINER=`root`@`localhost` PROCEDURE p() DELETE FROM t",
        "MARIADB    | CREATE OR REPLACE DEFINER=root@localhost SQL SECURITY DEFINER FUNCTION f() RETURNS INT RETURN 1",
        "MARIADB    | CREATE EVENT e ON SCHEDULE EVERY 1 HOUR DO DELETE FROM t",
        "MARIADB    | CREATE AGGREGATE FUNCTION agg(x INT) RETURNS INT BEGIN RETURN 1; END",
        "MARIADB    | ALTER EVENT e ENABLE",
        "H2         | CREATE ALIAS MY_ABS FOR 'java.lang.Math.abs'",
        "H2         | CREATE ALIAS EXEC AS 'String x(String c) throws Exception { return c; }'",
        "H2         | CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW CALL 'org.example.Trigger'",
        "H2         | CREATE AGGREGATE agg FOR 'org.example.Agg'",
    })
    void definingCodeIsItsOwnAction(Dialect dialect, String sql) {
        assertThat(of(dialect, sql).action()).isEqualTo(Action.DEFINE_CODE);
    }

    @Test
    void aCodeDefinitionNamesTheObjectAndTheTableItIsOn() {
        assertThat(pg("CREATE OR REPLACE FUNCTION app.f() RETURNS int AS 'select 1' LANGUAGE sql").tablesWritten())
                .contains(table("app", "f"));
        assertThat(pg("CREATE TRIGGER trg BEFORE INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION f()").tablesWritten())
                .contains(table("trg"), table("app", "t"));
        assertThat(pg("CREATE RULE r AS ON INSERT TO app.t DO INSTEAD NOTHING").tablesWritten())
                .contains(table("app", "t"));
    }

    @Test
    void aDoBlockIsDynamicSqlToo() {
        assertThat(pg("DO $$ BEGIN DROP TABLE t; END $$").traits()).contains(Trait.DYNAMIC_SQL);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "CREATE TABLE t (id int)", "CREATE VIEW v AS SELECT * FROM t", "CREATE INDEX i ON t (a)",
        "CREATE UNIQUE INDEX i ON t (a)", "CREATE SCHEMA s", "CREATE SEQUENCE s",
        "CREATE TEMPORARY TABLE t (id int)", "CREATE MATERIALIZED VIEW m AS SELECT 1", "CREATE TYPE mood AS ENUM ('a')",
    })
    void plainDataDefinitionStaysCreate(String sql) {
        assertThat(pg(sql).action()).isEqualTo(Action.CREATE);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | SET ROLE admin",
        "POSTGRESQL | SET LOCAL ROLE admin",
        "POSTGRESQL | SET SESSION ROLE admin",
        "POSTGRESQL | SET SESSION AUTHORIZATION admin",
        "POSTGRESQL | SET SESSION AUTHORIZATION DEFAULT",
        "POSTGRESQL | RESET ALL",
        "POSTGRESQL | RESET ROLE",
        "POSTGRESQL | RESET SESSION AUTHORIZATION",
        "POSTGRESQL | GRANT SELECT ON t TO bob",
        "POSTGRESQL | GRANT admin TO bob",
        "POSTGRESQL | REVOKE SELECT ON t FROM bob",
        "POSTGRESQL | CREATE ROLE bob SUPERUSER",
        "POSTGRESQL | CREATE USER bob WITH PASSWORD 'x'",
        "POSTGRESQL | ALTER ROLE bob SUPERUSER",
        "POSTGRESQL | ALTER USER bob WITH PASSWORD 'x'",
        "POSTGRESQL | DROP ROLE bob",
        "POSTGRESQL | DROP USER IF EXISTS bob",
        "POSTGRESQL | DROP OWNED BY bob",
        "POSTGRESQL | REASSIGN OWNED BY bob TO postgres",
        "POSTGRESQL | ALTER TABLE t OWNER TO bob",
        "POSTGRESQL | ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO bob",
        "POSTGRESQL | SELECT set_config('role', 'postgres', false)",
        "MARIADB    | SET ROLE admin",
        "MARIADB    | SET DEFAULT ROLE admin FOR bob",
        "MARIADB    | SET PASSWORD FOR bob = PASSWORD('x')",
        "MARIADB    | CREATE USER bob IDENTIFIED BY 'x'",
        "MARIADB    | RENAME USER bob TO alice",
        "MARIADB    | ALTER USER bob IDENTIFIED BY 'x'",
        "H2         | CREATE USER bob PASSWORD 'x' ADMIN",
        "H2         | ALTER USER bob ADMIN TRUE",
    })
    void privilegeChangesHaveTheirTrait(Dialect dialect, String sql) {
        assertThat(of(dialect, sql).traits()).contains(Trait.PRIVILEGE_CHANGE);
    }

    @Test
    void setRoleIsASetThatChangesPrivileges() {
        StatementAnalysis s = pg("SET ROLE admin");
        assertThat(s.action()).isEqualTo(Action.SET);
        assertThat(s.traits()).containsExactly(Trait.PRIVILEGE_CHANGE);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | ALTER SYSTEM SET work_mem = '1GB'",
        "POSTGRESQL | ALTER DATABASE test SET work_mem = '1GB'",
        "POSTGRESQL | ALTER ROLE bob SET search_path = x",
        "MARIADB    | SET GLOBAL general_log = 1",
        "MARIADB    | SET @@global.general_log = 1",
        "MARIADB    | SET PERSIST max_connections = 1",
        "MARIADB    | SET SESSION sql_mode = '', GLOBAL general_log = 1",
        "H2         | SET DATABASE_EVENT_LISTENER 'org.example.L'",
        "H2         | SET EXCLUSIVE 1",
        "H2         | SET MODE MySQL",
        "H2         | SET WRITE_DELAY 0",
        "H2         | SET BUILTIN_ALIAS_OVERRIDE TRUE",
    })
    void serverSettingsHaveTheirTrait(Dialect dialect, String sql) {
        assertThat(of(dialect, sql).traits()).contains(Trait.SERVER_SETTING);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | SET search_path = app",
        "POSTGRESQL | SET statement_timeout = 1000",
        "POSTGRESQL | SET LOCAL work_mem = '64MB'",
        "POSTGRESQL | SET SESSION search_path TO \"$user\", public",
        "POSTGRESQL | SET TIME ZONE 'UTC'",
        "POSTGRESQL | SET timezone TO 'Europe/Berlin'",
        "POSTGRESQL | SET application_name = 'orders'",
        "POSTGRESQL | SET lock_timeout TO '5s'",
        "POSTGRESQL | SET idle_in_transaction_session_timeout = 0",
        "POSTGRESQL | SET client_encoding = 'UTF8'",
        "POSTGRESQL | SET NAMES 'UTF8'",
        "POSTGRESQL | SET DateStyle = ISO, MDY",
        "POSTGRESQL | SET extra_float_digits = 3",
        "POSTGRESQL | SET enable_seqscan = off",
        "POSTGRESQL | SET jit = off",
        "POSTGRESQL | SET SCHEMA 'app'",
        "POSTGRESQL | RESET statement_timeout",
        "POSTGRESQL | RESET TIME ZONE",
        "MARIADB    | SET @x = 1",
        "MARIADB    | SET @x = (SELECT 1), @y = 2",
        "MARIADB    | SET NAMES utf8mb4",
        "MARIADB    | SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci",
        "MARIADB    | SET time_zone = '+00:00'",
        "MARIADB    | SET SESSION time_zone = '+00:00', autocommit = 1",
        "MARIADB    | SET @@session.time_zone = 'UTC'",
        "MARIADB    | SET @@autocommit = 0",
        "MARIADB    | SET transaction_isolation = 'READ-COMMITTED'",
        "MARIADB    | SET max_statement_time = 5",
        "MARIADB    | SET innodb_lock_wait_timeout = 10",
        "MARIADB    | SET optimizer_switch = 'index_merge=off'",
        "H2         | SET SCHEMA app",
        "H2         | SET LOCK_TIMEOUT 1000",
    })
    void sessionSettingsAreOrdinary(Dialect dialect, String sql) {
        StatementAnalysis s = of(dialect, sql);
        assertThat(s.action()).isEqualTo(Action.SET);
        assertThat(s.traits()).doesNotContain(Trait.SERVER_SETTING, Trait.PRIVILEGE_CHANGE, Trait.UNLISTED_SETTING);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | SET session_replication_role = replica",
        "POSTGRESQL | SET SESSION session_replication_role TO 'replica'",
        "POSTGRESQL | SET LOCAL session_replication_role = replica",
        "POSTGRESQL | SET row_security = off",
        "POSTGRESQL | SET log_statement = 'none'",
        "POSTGRESQL | SET log_min_duration_statement = -1",
        "POSTGRESQL | SET default_transaction_read_only = off",
        "POSTGRESQL | SET transaction_read_only = off",
        "POSTGRESQL | SET TRANSACTION READ WRITE",
        "POSTGRESQL | SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
        "POSTGRESQL | SET TRANSACTION SNAPSHOT '00000003-0000001B-1'",
        "POSTGRESQL | SET backslash_quote = on",
        "POSTGRESQL | SET standard_conforming_strings = off",
        "POSTGRESQL | SET check_function_bodies = off",
        "POSTGRESQL | SET app.tenant = '42'",
        "POSTGRESQL | SET \"session_replication_role\" = replica",
        "POSTGRESQL | SET search_path.x = 1",
        "POSTGRESQL | RESET session_replication_role",
        "POSTGRESQL | RESET app.tenant",
        "MARIADB    | SET SESSION sql_log_bin = 0",
        "MARIADB    | SET sql_log_bin = 0",
        "MARIADB    | SET @@session.sql_log_bin = 0",
        "MARIADB    | SET @@sql_log_bin = OFF",
        "MARIADB    | SET foreign_key_checks = 0",
        "MARIADB    | SET unique_checks = 0",
        "MARIADB    | SET sql_safe_updates = 0",
        "MARIADB    | SET SESSION sql_mode = ''",
        "MARIADB    | SET SESSION sql_mode = 'ORACLE'",
        "MARIADB    | SET time_zone = '+00:00', foreign_key_checks = 0",
        "MARIADB    | SET @x = 1, sql_log_bin = 0",
        "MARIADB    | SET NAMES utf8mb4, foreign_key_checks = 0",
        "MARIADB    | SET @x = (SELECT 1, 2), sql_log_bin = 0",
        "MARIADB    | SET STATEMENT sql_log_bin = 0 FOR DELETE FROM t WHERE id = 1",
        "MARIADB    | SET SESSION TRANSACTION READ WRITE",
    })
    void unlistedSessionSettingsHaveTheirTrait(Dialect dialect, String sql) {
        StatementAnalysis s = of(dialect, sql);
        assertThat(s.action()).isEqualTo(Action.SET);
        assertThat(s.traits()).contains(Trait.UNLISTED_SETTING);
        assertThat(Trait.UNLISTED_SETTING.escape()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"SET REFERENTIAL_INTEGRITY FALSE", "SET ALLOW_LITERALS ALL", "SET IGNORECASE TRUE"})
    void h2DatabaseSettingsStayServerSettings(String sql) {
        assertThat(h2(sql).traits()).contains(Trait.SERVER_SETTING);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | SELECT f()                                      | f",
        "POSTGRESQL | SELECT app.f(a) FROM t                          | app.f",
        "POSTGRESQL | SELECT * FROM t WHERE a = evil(b)               | evil",
        "POSTGRESQL | SELECT * FROM app.set_returning(1)               | app.set_returning",
        "POSTGRESQL | SELECT upper(x) FROM t ORDER BY sneaky(x)       | sneaky",
        "POSTGRESQL | INSERT INTO t (a) VALUES (f())                   | f",
        "POSTGRESQL | UPDATE t SET a = f(a) WHERE id = 1              | f",
        "POSTGRESQL | DELETE FROM t WHERE id = f()                    | f",
        "POSTGRESQL | SELECT \"UPPER\"(x) FROM t                      | UPPER",
        "POSTGRESQL | SELECT public.upper(x) FROM t                   | public.upper",
        "POSTGRESQL | SELECT setval('s', 1)                           | setval",
        "POSTGRESQL | SELECT pg_terminate_backend(1)                  | pg_terminate_backend",
        "POSTGRESQL | CALL app.refresh()                              | app.refresh",
        "POSTGRESQL | {call app.refresh(?)}                           | app.refresh",
        "POSTGRESQL | { ? = call app.compute(?) }                     | app.compute",
        "POSTGRESQL | CREATE TABLE t (a int DEFAULT f())              | f",
        "POSTGRESQL | CREATE TABLE t (a int CHECK (g(a) > 0))         | g",
        "POSTGRESQL | CREATE TABLE t (a int GENERATED ALWAYS AS (h(b)) STORED, b int) | h",
        "POSTGRESQL | ALTER TABLE t ALTER COLUMN a SET DEFAULT f()     | f",
        "MARIADB    | SELECT f()                                      | f",
        "MARIADB    | SELECT sleep(1)                                 | sleep",
        "MARIADB    | CALL p()                                        | p",
        "H2         | SELECT MY_ALIAS(1)                              | MY_ALIAS",
        "H2         | CALL MY_ALIAS(1)                                | MY_ALIAS",
    })
    void aCallOfARoutineThatIsNotABuiltInIsNamed(Dialect dialect, String sql, String routine) {
        String[] parts = routine.split("\\.");
        TableRef expected = parts.length == 2 ? table(parts[0], parts[1]) : table(parts[0]);
        assertThat(of(dialect, sql).routines()).contains(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | SELECT upper(a), count(*), coalesce(b, 'x'), now(), pg_catalog.lower(a) FROM t GROUP BY a, b",
        "POSTGRESQL | SELECT version(), current_setting('work_mem'), generate_series(1, 3)",
        "POSTGRESQL | INSERT INTO t (id, at) VALUES (nextval('s'), now())",
        "POSTGRESQL | CREATE TABLE t (id int DEFAULT nextval('s'), at timestamp DEFAULT now(), n varchar(10) DEFAULT 'x')",
        "MARIADB    | SELECT concat(a, b), ifnull(c, 0), date_format(d, '%Y') FROM t",
        "H2         | SELECT UPPER(a), COALESCE(b, 'x'), RANDOM_UUID() FROM t",
    })
    void builtInsAreNoCalls(Dialect dialect, String sql) {
        assertThat(of(dialect, sql).routines()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "H2         | SELECT * FROM CSVREAD('/tmp/x.csv')                     | FILE_ACCESS",
        "H2         | CALL CSVWRITE('/tmp/x.csv', 'SELECT * FROM t')          | FILE_ACCESS",
        "H2         | SELECT FILE_READ('/etc/passwd')                         | FILE_ACCESS",
        "H2         | SELECT FILE_WRITE('x', '/tmp/x')                        | FILE_ACCESS",
        "H2         | CALL LINK_SCHEMA('s', '', 'jdbc:h2:mem:x', 'sa', '', 'PUBLIC') | FILE_ACCESS",
        "H2         | SCRIPT TO '/tmp/governed-jdbc-dump.sql'                 | FILE_ACCESS",
        "H2         | RUNSCRIPT FROM '/tmp/governed-jdbc-dump.sql'            | FILE_ACCESS",
        "H2         | BACKUP TO '/tmp/backup.zip'                             | FILE_ACCESS",
        "H2         | CREATE LINKED TABLE lt('org.h2.Driver', 'jdbc:h2:mem:x', 'sa', '', 't') | FILE_ACCESS",
        "POSTGRESQL | SELECT pg_ls_dir('.')                                   | FILE_ACCESS",
        "POSTGRESQL | SELECT * FROM pg_stat_file('postgresql.conf')           | FILE_ACCESS",
        "POSTGRESQL | SELECT pg_read_file('/etc/passwd')                      | FILE_ACCESS",
        "POSTGRESQL | SELECT pg_read_binary_file('/etc/passwd')               | FILE_ACCESS",
        "POSTGRESQL | SELECT lo_import('/etc/passwd')                         | FILE_ACCESS",
        "POSTGRESQL | SELECT lo_export(1, '/tmp/x')                           | FILE_ACCESS",
        "POSTGRESQL | COPY t TO '/tmp/x'                                      | FILE_ACCESS",
        "POSTGRESQL | COPY t FROM '/tmp/x'                                    | FILE_ACCESS",
        "POSTGRESQL | COPY t TO PROGRAM 'cat > /tmp/x'                        | PROGRAM_EXECUTION",
        "POSTGRESQL | COPY t FROM PROGRAM 'id'                                | PROGRAM_EXECUTION",
        "POSTGRESQL | SELECT * FROM dblink('x', 'DROP TABLE t') AS r(a int)   | DYNAMIC_SQL",
        "POSTGRESQL | SELECT * FROM dblink('x', 'DROP TABLE t') AS r(a int)   | FILE_ACCESS",
        "POSTGRESQL | SELECT dblink_exec('x', 'INSERT INTO t VALUES (1)')     | FILE_ACCESS",
        "H2         | CALL CSVWRITE('/tmp/x', 'SELECT 1')                     | DYNAMIC_SQL",
        "MARIADB    | SELECT a INTO OUTFILE '/tmp/x' FROM t                   | FILE_ACCESS",
        "MARIADB    | SELECT a FROM t INTO DUMPFILE '/tmp/x'                  | FILE_ACCESS",
        "MARIADB    | SELECT LOAD_FILE('/etc/passwd')                         | FILE_ACCESS",
        "MARIADB    | LOAD DATA INFILE '/tmp/x' INTO TABLE t                  | FILE_ACCESS",
        "MARIADB    | LOAD DATA LOCAL INFILE '/tmp/x' INTO TABLE t            | FILE_ACCESS",
    })
    void fileAndHostFunctionsHaveTheirTrait(Dialect dialect, String sql, Trait trait) {
        assertThat(of(dialect, sql).traits()).contains(trait);
    }

    @Test
    void h2ScriptWithoutAFileReadsEveryTable() {
        StatementAnalysis s = h2("SCRIPT");
        assertThat(s.action()).isEqualTo(Action.COPY);
        assertThat(s.tablesRead()).containsExactly(table("*", "*"));
    }

    @Test
    void maria_callOfAProcedureIsACallOnIt() {
        assertThat(maria("CALL app.p(1)").routines()).containsExactly(table("app", "p"));
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | SELECT U&\"d\\0061ta\" FROM t",
        "POSTGRESQL | SELECT * FROM U&\"s\\0065crets\"",
        "POSTGRESQL | SELECT u&\"ssn\" FROM people",
        "POSTGRESQL | SELECT U&\"d!0061ta\" UESCAPE '!' FROM t",
        "H2         | SELECT U&\"SS\\004E\" FROM PEOPLE",
        "H2         | DROP TABLE U&\"ORDERS\"",
        "GENERIC    | SELECT U&\"ssn\" FROM people",
    })
    void unicodeEscapedIdentifiersAreRefusedNotMatchedRaw(Dialect dialect, String sql) {
        SqlAnalysis analysis = Analyses.analyze(sql, dialect);
        assertThat(analysis.parsed()).isFalse();
        assertThat(analysis.parseError()).startsWith("Unicode-escaped identifier").contains("write the name plainly");
    }

    @Test
    void postgresqlFoldsOnlyAsciiLetters() {
        assertThat(Dialect.POSTGRESQL.normalizeIdentifier("ÄRGER")).isEqualTo("Ärger");
        assertThat(Dialect.POSTGRESQL.normalizeIdentifier("Users")).isEqualTo("users");
        assertThat(Dialect.POSTGRESQL.normalizeIdentifier("\"Users\"")).isEqualTo("Users");
    }
}
