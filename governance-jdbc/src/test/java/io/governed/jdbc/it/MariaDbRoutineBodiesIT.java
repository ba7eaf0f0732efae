package io.governed.jdbc.it;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On MariaDB a stored routine's or trigger's body is read, so a call is judged by what its body does: with a permit to
 * call every routine and none on {@code customers}, a procedure or function whose body reads or deletes
 * {@code customers} (in a DECLARE default, an IF, a handler, a cursor's query, a RETURN) is refused and the table keeps
 * its rows, read through a raw connection; a procedure whose body writes only what the caller may write runs; a
 * trigger deleting from {@code audit} makes a write refused to a caller who may not delete from {@code audit} and
 * permitted to one who may; a procedure using dynamic SQL ({@code PREPARE}), or whose body the session's user may not
 * see, still counts as doing anything.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("GRANT/REVOKE, databases, roles or users")
class MariaDbRoutineBodiesIT {
    private static final TestDatabase DATABASE = TestDatabase.MARIADB;
    private final String s = UniqueNames.of("rb");

    @TempDir
    Path dir;
    private Path policy;

    private String sql(String template) {
        return template.replace("{C}", "customers_" + s).replace("{A}", "audit_" + s).replace("{N}", "notes_" + s)
                .replace("{T}", "tickets_" + s).replace("{P}", "p_" + s).replace("{F}", "f_" + s)
                .replace("{G}", "trg_" + s).replace("{D}", TestDatabase.DATABASE);
    }

    @BeforeEach
    void fixture() throws Exception {
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, sql("""
                version: 1
                default: deny
                rules:
                  - { id: call-any, effect: permit, principals: { groups: [callers] }, actions: [call], resources: ["*"] }
                  - { id: notes, effect: permit, principals: { groups: [callers] }, actions: [select, insert],
                      resources: ["{N}"] }
                  - { id: tickets, effect: permit, principals: { groups: [clerks] }, actions: [select, insert],
                      resources: ["{T}"] }
                  - { id: audit, effect: permit, principals: { groups: [auditors] }, actions: [delete],
                      resources: ["{D}.{A}"] }
                """));
        try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("CREATE TABLE {C} (id INT PRIMARY KEY, name VARCHAR(20))"));
            st.execute(sql("INSERT INTO {C} VALUES (1, 'ada'), (2, 'bob')"));
            st.execute(sql("CREATE TABLE {N} (id INT PRIMARY KEY)"));
            st.execute(sql("CREATE TABLE {T} (id INT PRIMARY KEY)"));
            st.execute(sql("CREATE TABLE {A} (id INT PRIMARY KEY)"));
            st.execute(sql("INSERT INTO {A} VALUES (1), (2)"));
            st.execute(sql("CREATE PROCEDURE {P}_read() SELECT name FROM {C}"));
            st.execute(sql("CREATE PROCEDURE {P}_del(IN k INT) BEGIN DECLARE n INT DEFAULT 0; "
                    + "IF k > 0 THEN DELETE FROM {C} WHERE id = k; END IF; END"));
            st.execute(sql("CREATE PROCEDURE {P}_default() BEGIN DECLARE n INT DEFAULT (SELECT count(*) FROM {C}); "
                    + "INSERT INTO {N} VALUES (n + 100); END"));
            st.execute(sql("CREATE PROCEDURE {P}_handler() BEGIN "
                    + "DECLARE EXIT HANDLER FOR SQLEXCEPTION DELETE FROM {C}; INSERT INTO {N} VALUES (200); END"));
            st.execute(sql("CREATE PROCEDURE {P}_cursor() BEGIN DECLARE done INT DEFAULT 0; DECLARE v INT; "
                    + "DECLARE c CURSOR FOR SELECT id FROM {C}; DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1; "
                    + "OPEN c; l: LOOP FETCH c INTO v; IF done THEN LEAVE l; END IF; END LOOP; CLOSE c; END"));
            st.execute(sql("CREATE FUNCTION {F}_count() RETURNS INT READS SQL DATA RETURN (SELECT count(*) FROM {C})"));
            st.execute(sql("CREATE PROCEDURE {P}_note(IN k INT) BEGIN DECLARE v INT DEFAULT k; "
                    + "IF v > 0 THEN INSERT INTO {N} VALUES (v); END IF; END"));
            st.execute(sql("CREATE PROCEDURE {P}_dynamic() BEGIN PREPARE q FROM 'SELECT 1'; EXECUTE q; "
                    + "DEALLOCATE PREPARE q; END"));
            st.execute(sql("CREATE TRIGGER {G} AFTER INSERT ON {T} FOR EACH ROW DELETE FROM {A} WHERE id = NEW.id"));
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
            for (String p : new String[] {"_read", "_del", "_default", "_handler", "_cursor", "_note", "_dynamic"}) {
                st.execute(sql("DROP PROCEDURE IF EXISTS {P}" + p));
            }
            st.execute(sql("DROP FUNCTION IF EXISTS {F}_count"));
            for (String t : new String[] {"{T}", "{A}", "{N}", "{C}"}) {
                st.execute(sql("DROP TABLE IF EXISTS " + t));
            }
        }
    }

    private long count(String table) throws SQLException {
        try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery(sql("SELECT count(*) FROM " + table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void assertRefused(Statement st, String statement, String... fragments) {
        assertThatThrownBy(() -> st.execute(statement)).as(statement).isInstanceOf(GovernanceException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
    }

    /** Refused for what the body does, named: not as a routine that may do anything. */
    private static void assertRefusedForItsBody(Statement st, String statement, String table) {
        assertRefused(st, statement, table);
        assertThatThrownBy(() -> st.execute(statement)).as(statement)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("may do"));
    }

    @Test
    void aCallWhoseBodyReadsOrDeletesCustomersIsRefused() throws Exception {
        try (Connection c = DATABASE.connectGoverned(policy, null, "callers"); Statement st = c.createStatement()) {
            assertRefusedForItsBody(st, sql("CALL {P}_read()"), sql("{C}"));
            assertRefusedForItsBody(st, sql("CALL {P}_del(1)"), sql("{C}"));
            assertRefusedForItsBody(st, sql("CALL {P}_default()"), sql("{C}"));
            assertRefusedForItsBody(st, sql("CALL {P}_handler()"), sql("{C}"));
            assertRefusedForItsBody(st, sql("CALL {P}_cursor()"), sql("{C}"));
            assertRefusedForItsBody(st, sql("SELECT {F}_count()"), sql("{C}"));
        }
        assertThat(count("{C}")).as("the customers, read raw").isEqualTo(2);
        assertThat(count("{N}")).as("the notes, read raw").isZero();
    }

    @Test
    void aCallWhoseBodyWritesOnlyWhatTheCallerMayIsPermitted() throws Exception {
        try (Connection c = DATABASE.connectGoverned(policy, null, "callers"); Statement st = c.createStatement()) {
            st.execute(sql("CALL {P}_note(5)"));
        }
        assertThat(count("{N}")).as("the procedure ran").isEqualTo(1);
    }

    /**
     * A user who may execute the procedure but not see its body ({@code ROUTINE_DEFINITION} is NULL for it): the call
     * may do anything, which that caller may not.
     */
    @Test
    void aBodyTheUserMayNotSeeMayDoAnything() throws Exception {
        String user = "rbuser_" + s;
        try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw-" + s + "'");
            st.execute("GRANT SELECT, INSERT, EXECUTE ON " + raw.getCatalog() + ".* TO '" + user + "'@'%'");
        }
        try {
            Properties p = new Properties();
            p.setProperty("user", user);
            p.setProperty("password", "pw-" + s);
            p.setProperty("governed.policy", policy.toString());
            p.setProperty("governed.principal", "cleo");
            p.setProperty("governed.groups", "callers");
            try (Connection c = DriverManager.getConnection(DATABASE.governedUrl(), p);
                 Statement st = c.createStatement()) {
                assertRefused(st, sql("CALL {P}_note(5)"), sql("{P}_note may do"));
            }
            assertThat(count("{N}")).as("the notes, read raw").isZero();
        } finally {
            try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP USER IF EXISTS '" + user + "'@'%'");
            }
        }
    }

    /**
     * A procedure of another database names its unqualified tables there: its {@code INSERT INTO notes} writes that
     * database's table, not the caller's {@code test.notes}, which the caller may write. The call may do anything.
     */
    @Test
    void aBodyInAnotherDatabaseMayDoAnything() throws Exception {
        String other = "mariabody_" + s;
        try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE DATABASE " + other);
            st.execute(sql("CREATE TABLE " + other + ".{N} (id INT PRIMARY KEY)"));
            st.execute(sql("CREATE PROCEDURE " + other + ".{P}_elsewhere() INSERT INTO {N} VALUES (9)"));
        }
        try {
            try (Connection c = DATABASE.connectGoverned(policy, null, "callers"); Statement st = c.createStatement()) {
                assertRefused(st, sql("CALL " + other + ".{P}_elsewhere()"), sql("{P}_elsewhere may do"));
            }
            try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement();
                 ResultSet rs = st.executeQuery(sql("SELECT count(*) FROM " + other + ".{N}"))) {
                rs.next();
                assertThat(rs.getLong(1)).as("the other database's notes, read raw").isZero();
            }
        } finally {
            try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + other);
            }
        }
    }

    @Test
    void dynamicSqlStillMayDoAnything() throws Exception {
        try (Connection c = DATABASE.connectGoverned(policy, null, "callers"); Statement st = c.createStatement()) {
            assertRefused(st, sql("CALL {P}_dynamic()"), sql("{P}_dynamic may do"));
        }
    }

    @Test
    void aTriggersBodyIsJudgedWithTheWriteThatFiresIt() throws Exception {
        try (Connection c = DATABASE.connectGoverned(policy, null, "clerks", "callers");
             Statement st = c.createStatement()) {
            assertRefusedForItsBody(st, sql("INSERT INTO {T} VALUES (1)"), sql("{A}"));
        }
        assertThat(count("{T}")).as("the tickets, after a refusal").isZero();
        assertThat(count("{A}")).as("the audit rows, after a refusal").isEqualTo(2);
        try (Connection c = DATABASE.connectGoverned(policy, null, "clerks", "callers", "auditors");
             Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql("INSERT INTO {T} VALUES (1)"))).isEqualTo(1);
        }
        assertThat(count("{A}")).as("the trigger ran").isEqualTo(1);
    }
}
