package io.governed.jdbc.statements;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On MariaDB under the baseline: routines, triggers and events, calls of stored code, file access
 * ({@code INTO OUTFILE/DUMPFILE}, {@code LOAD_FILE}, {@code LOAD DATA}), global settings, role
 * changes and MariaDB's unbounded write forms are refused and change nothing.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("MariaDB events, SET ROLE / SESSION AUTHORIZATION, global variables, roles or users, server catalogs")
class MariaDbEscapesIT extends ServerEscapesSpec {

    private final String table = UniqueNames.of("esc_orders");
    private final String other = UniqueNames.of("esc_other");
    private final String wipe = UniqueNames.of("esc_wipe");

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    List<String> snapshotQueries() {
        return List.of("SELECT * FROM " + table + " ORDER BY id", "SELECT * FROM " + other + " ORDER BY id",
                "SELECT routine_name FROM information_schema.routines WHERE routine_schema = '" + TestDatabase.DATABASE + "' AND routine_name LIKE 'esc%' ORDER BY 1",
                "SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = '" + TestDatabase.DATABASE + "' AND trigger_name LIKE 'esc%' ORDER BY 1",
                "SELECT event_name FROM information_schema.events WHERE event_name LIKE 'esc%' ORDER BY 1",
                "SELECT user FROM mysql.user WHERE user LIKE 'esc%' ORDER BY 1",
                "SELECT @@global.general_log, @@global.max_connections");
    }

    @BeforeEach
    void fixture() throws Exception {
        try (Connection c = raw()) {
            execute(c, "CREATE TABLE " + table + " (id INT PRIMARY KEY, status VARCHAR(10) NOT NULL, total INT)",
                    "INSERT INTO " + table + " VALUES (1, 'new', 10), (2, 'shipped', 20), (3, 'new', 30)",
                    "CREATE TABLE " + other + " (id INT PRIMARY KEY, flag INT)",
                    "INSERT INTO " + other + " VALUES (1, 1), (2, 0), (3, 1)",
                    "CREATE PROCEDURE " + wipe + "() DELETE FROM " + table);
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        try (Connection c = raw()) {
            execute(c, "DROP PROCEDURE IF EXISTS " + wipe, "DROP TABLE IF EXISTS " + table, "DROP TABLE IF EXISTS " + other);
        }
    }

    @Test
    void storedCodeIsNotCreatedAndNotCalled() throws Exception {
        assertRefused("CREATE PROCEDURE esc_evil() DROP TABLE " + table, "baseline-no-code-definitions");
        assertRefused("CREATE FUNCTION esc_f() RETURNS INT RETURN (SELECT count(*) FROM " + table + ")",
                "baseline-no-code-definitions");
        assertRefused("CREATE TRIGGER esc_trg BEFORE INSERT ON " + table + " FOR EACH ROW DELETE FROM " + other,
                "baseline-no-code-definitions");
        assertRefused("CREATE EVENT esc_ev ON SCHEDULE EVERY 1 HOUR DO DELETE FROM " + table,
                "baseline-no-code-definitions");
        // a stored procedure's body is read on MariaDB: a call does what its body does, a DELETE without WHERE here
        assertRefused("CALL " + wipe + "()", "baseline-no-unbounded-writes");
        assertRefused("{call " + wipe + "()}", "baseline-no-unbounded-writes");
    }

    @Test
    void fileAccessIsRefused() throws Exception {
        assertRefused("SELECT * FROM " + table + " INTO OUTFILE '/tmp/governed-jdbc-pwned'", "baseline-no-file-access");
        assertRefused("SELECT status FROM " + table + " LIMIT 1 INTO DUMPFILE '/tmp/governed-jdbc-pwned'",
                "baseline-no-file-access");
        assertRefused("SELECT LOAD_FILE('/etc/hostname')", "baseline-no-file-access");
        assertRefused("LOAD DATA INFILE '/tmp/governed-jdbc-dump.sql' INTO TABLE " + table, "baseline-no-file-access");
        assertThat(new java.io.File("/tmp/governed-jdbc-pwned")).doesNotExist();
    }

    @Test
    void globalSettingsAndRoleChangesAreRefused() throws Exception {
        assertRefused("SET GLOBAL general_log = 1", "baseline-no-server-settings");
        assertRefused("SET @@global.max_connections = 5", "baseline-no-server-settings");
        assertRefused("SET SESSION sql_mode = 'STRICT_ALL_TABLES'", "baseline-no-unlisted-settings");
        assertRefused("SET SESSION sql_log_bin = 0", "baseline-no-unlisted-settings");
        assertRefused("SET foreign_key_checks = 0", "baseline-no-unlisted-settings");
        assertRefused("CREATE USER esc_mallory IDENTIFIED BY 'x'", "baseline-no-role-changes");
        assertRefused("SET PASSWORD = PASSWORD('x')", "baseline-no-role-changes");
        assertRefused("SET ROLE NONE", "baseline-no-role-changes");
    }

    @Test
    void mariadbsUnboundedWriteFormsAreRefused() throws Exception {
        assertRefused("DELETE FROM " + table + " WHERE id <=> id", "baseline-no-unbounded-writes");
        assertRefused("UPDATE " + table + " SET total = 0 WHERE status <=> status", "baseline-no-unbounded-writes");
        assertRefused("DELETE " + table + " FROM " + table + " JOIN " + other + " ON " + table + ".id = " + other + ".id",
                "baseline-no-unbounded-writes");
        assertRefused("UPDATE " + table + " JOIN " + other + " ON " + table + ".id = " + other + ".id SET "
                + table + ".total = 0", "baseline-no-unbounded-writes");
        assertRefused("REPLACE INTO " + table + " SELECT id, 'gone', 0 FROM " + table, "baseline-no-unbounded-writes");
        assertRefused("INSERT INTO " + table + " SELECT * FROM " + table + " ON DUPLICATE KEY UPDATE total = 0",
                "baseline-no-unbounded-writes");
        assertRefused("DELETE FROM " + table + " WHERE id IN (SELECT id FROM (SELECT id FROM " + table + ") x)",
                "baseline-no-unbounded-writes");
    }

    @Test
    void ordinaryWorkStillRuns() throws Exception {
        try (Connection c = governed(); Statement s = c.createStatement()) {
            s.execute("SET SESSION time_zone = '+00:00', innodb_lock_wait_timeout = 10");
            assertThat(s.executeUpdate("REPLACE INTO " + table + " (id, status, total) VALUES (3, 'new', 31)")).isPositive();
            try (ResultSet r = s.executeQuery("SELECT concat(status, '!'), ifnull(total, 0) FROM " + table + " WHERE id = 3")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("new!");
                assertThat(r.getInt(2)).isEqualTo(31);
            }
        }
    }
}
