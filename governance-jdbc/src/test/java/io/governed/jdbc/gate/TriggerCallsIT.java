package io.governed.jdbc.gate;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On MariaDB and H2 a trigger runs code when its table is written: deleting a ticket runs a trigger that empties the
 * audit table. A clerk permitted to delete tickets, but not to call the trigger, is refused (42501, naming the trigger
 * and the table), and the audit table keeps its rows, read through a raw connection; a permit of {@code call} on the
 * trigger alone is refused too (on MariaDB its body, a delete on the audit table, is read and not permitted; H2's Java
 * trigger is not read, so it may do anything); with the policy's declaration of what it does (a delete on the audit
 * table) and a permit of that, the delete runs. On MariaDB a user without the {@code TRIGGER} privilege cannot see a table's triggers:
 * its writes count as a call of any routine.
 */
@ServerWide("GRANT/REVOKE, roles or users")
class TriggerCallsIT {

    /** H2's trigger: empties the audit table named by the trigger's name's suffix. */
    public static final class WipeAudit implements org.h2.api.Trigger {
        private String audit;

        @Override
        public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
                         int type) {
            audit = triggerName.replace("TRG_", "AUDIT_");
        }

        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
            try (Statement st = conn.createStatement()) {
                st.execute("DELETE FROM " + audit);
            }
        }
    }

    @Nested
    @RequiresDatabase(TestDatabase.MARIADB)
    class OnMariaDb {
        @Test
        void aTriggerIsACallThePolicyMustPermit() throws Exception {
            String suffix = UniqueNames.of("t");
            new Scenario(TestDatabase.MARIADB, suffix, "CREATE TRIGGER trg_" + suffix + " AFTER DELETE ON tickets_" + suffix
                    + " FOR EACH ROW DELETE FROM audit_" + suffix).run();
        }

        @Test
        void aUserThatCannotSeeTheTriggersWritesOnlyUnderAPermitToCallAnyRoutine() throws Exception {
            String suffix = UniqueNames.of("t");
            String user = "notrig_" + suffix;
            try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
                st.execute("CREATE TABLE tickets_" + suffix + " (id INT PRIMARY KEY)");
                st.execute("INSERT INTO tickets_" + suffix + " VALUES (1), (2)");
                st.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw-" + suffix + "'");
                st.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON " + raw.getCatalog() + ".* TO '" + user + "'@'%'");
            }
            Path policy = Files.createTempFile("triggers", ".yaml");
            try {
                Files.writeString(policy, """
                        version: 1
                        default: deny
                        rules:
                          - { id: clerks-tickets, effect: permit, principals: { groups: [clerks] },
                              actions: [select, delete], resources: ["tickets_%1$s"] }
                          - { id: callers, effect: permit, principals: { groups: [callers] }, actions: [call], resources: ["*"] }
                        """.formatted(suffix));
                Properties p = new Properties();
                p.setProperty("user", user);
                p.setProperty("password", "pw-" + suffix);
                p.setProperty("governed.policy", policy.toString());
                p.setProperty("governed.principal", "cleo");
                p.setProperty("governed.groups", "clerks");
                try (Connection c = DriverManager.getConnection(TestDatabase.MARIADB.governedUrl(), p);
                     Statement st = c.createStatement()) {
                    assertThatThrownBy(() -> st.execute("DELETE FROM tickets_" + suffix + " WHERE id = 1"))
                            .isInstanceOf(GovernanceException.class)
                            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                            .hasMessageContaining("call on any routine").hasMessageContaining("TRIGGER privilege");
                }
                p.setProperty("governed.groups", "clerks,callers");
                try (Connection c = DriverManager.getConnection(TestDatabase.MARIADB.governedUrl(), p);
                     Statement st = c.createStatement()) {
                    assertThat(st.executeUpdate("DELETE FROM tickets_" + suffix + " WHERE id = 1")).isEqualTo(1);
                }
            } finally {
                Files.deleteIfExists(policy);
                try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
                    st.execute("DROP USER IF EXISTS '" + user + "'@'%'");
                    st.execute("DROP TABLE IF EXISTS tickets_" + suffix);
                }
            }
        }
    }

    @Nested
    @RequiresDatabase(TestDatabase.H2)
    class OnH2 {
        @Test
        void aTriggerIsACallThePolicyMustPermit() throws Exception {
            String suffix = UniqueNames.of("t").toUpperCase(Locale.ROOT);
            new Scenario(TestDatabase.H2, suffix, "CREATE TRIGGER TRG_" + suffix + " AFTER DELETE ON TICKETS_" + suffix
                    + " FOR EACH ROW CALL \"" + WipeAudit.class.getName() + "\"").run();
        }

        @Test
        void aSelectTriggerIsACallOfEveryRead() throws Exception {
            // H2 runs a BEFORE SELECT trigger's Java class for a query of its table: reading runs code
            String suffix = UniqueNames.of("t").toUpperCase(Locale.ROOT);
            String tickets = "TICKETS_" + suffix;
            String audit = "AUDIT_" + suffix;
            String trigger = "TRG_" + suffix;
            try (Connection raw = TestDatabase.H2.connectRaw(); Statement st = raw.createStatement()) {
                st.execute("CREATE TABLE " + tickets + " (id INT PRIMARY KEY)");
                st.execute("CREATE TABLE " + audit + " (id INT PRIMARY KEY)");
                st.execute("INSERT INTO " + tickets + " VALUES (1)");
                st.execute("INSERT INTO " + audit + " VALUES (7)");
                st.execute("CREATE TRIGGER " + trigger + " BEFORE SELECT ON " + tickets + " CALL \""
                        + WipeAudit.class.getName() + "\"");
            }
            Path policy = Files.createTempFile("select-trigger", ".yaml");
            try {
                Files.writeString(policy, """
                        version: 1
                        default: deny
                        rules:
                          - { id: clerks-tickets, effect: permit, principals: { groups: [clerks] },
                              actions: [select, insert, update, delete], resources: ["%s"] }
                        """.formatted(tickets));
                try (Connection c = TestDatabase.H2.connectGoverned(policy, null, "clerks");
                     Statement st = c.createStatement()) {
                    assertThatThrownBy(() -> st.executeQuery("SELECT id FROM " + tickets))
                            .isInstanceOf(GovernanceException.class)
                            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                            .hasMessageContaining("call on PUBLIC." + trigger + ", which the database runs when the"
                                    + " statement reads PUBLIC." + tickets);
                    // a write fires no SELECT trigger
                    assertThat(st.executeUpdate("UPDATE " + tickets + " SET id = 2 WHERE id = 1")).isEqualTo(1);
                }
                try (Connection raw = TestDatabase.H2.connectRaw(); Statement st = raw.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*) FROM " + audit)) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("the audit rows the trigger would have deleted").isEqualTo(1);
                }
            } finally {
                Files.deleteIfExists(policy);
                try (Connection raw = TestDatabase.H2.connectRaw(); Statement st = raw.createStatement()) {
                    st.execute("DROP TABLE IF EXISTS " + tickets);
                    st.execute("DROP TABLE IF EXISTS " + audit);
                }
            }
        }
    }

    private record Scenario(TestDatabase database, String suffix, String createTrigger) {
        private String sql(String template) {
            boolean upper = database == TestDatabase.H2;
            return template.replace("{T}", (upper ? "TICKETS_" : "tickets_") + suffix)
                    .replace("{A}", (upper ? "AUDIT_" : "audit_") + suffix)
                    .replace("{G}", (upper ? "TRG_" : "trg_") + suffix)
                    .replace("{S}", upper ? "PUBLIC" : TestDatabase.DATABASE);
        }

        void run() throws Exception {
            try (Connection raw = database.connectRaw(); Statement st = raw.createStatement()) {
                st.execute(sql("CREATE TABLE {T} (id INT PRIMARY KEY)"));
                st.execute(sql("CREATE TABLE {A} (id INT PRIMARY KEY)"));
                st.execute(sql("INSERT INTO {T} VALUES (1), (2)"));
                st.execute(sql("INSERT INTO {A} VALUES (7)"));
                st.execute(createTrigger);
            }
            Path policy = Files.createTempFile("triggers", ".yaml");
            Path declaring = Files.createTempFile("triggers-declared", ".yaml");
            try {
                Files.writeString(policy, sql("""
                        version: 1
                        default: deny
                        rules:
                          - { id: clerks-tickets, effect: permit, principals: { groups: [clerks] },
                              actions: [select, insert, update, delete], resources: ["{T}"] }
                          - { id: clerks-trigger, effect: permit, principals: { groups: [auditors] }, actions: [call],
                              resources: ["{G}"] }
                        """));
                try (Connection c = database.connectGoverned(policy, null, "clerks"); Statement st = c.createStatement()) {
                    assertThatThrownBy(() -> st.execute(sql("DELETE FROM {T} WHERE id = 1"))).isInstanceOf(GovernanceException.class)
                            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                            .satisfies(e -> assertThat(e.getMessage()).contains(sql("{G}, which the database runs when the"
                                    + " statement writes "), sql("{T}")));
                    try (ResultSet rs = st.executeQuery(sql("SELECT count(*) FROM {T}"))) {
                        assertThat(rs.next()).as("a read runs no trigger").isTrue();
                    }
                    // the trigger fires on DELETE only (information_schema.TRIGGERS.EVENT_MANIPULATION): an insert and an
                    // update run no code of it
                    assertThat(st.executeUpdate(sql("INSERT INTO {T} VALUES (3)"))).isEqualTo(1);
                    assertThat(st.executeUpdate(sql("UPDATE {T} SET id = 4 WHERE id = 3"))).isEqualTo(1);
                }
                assertThat(count(sql("SELECT count(*) FROM {A}"))).as("the audit rows").isEqualTo(1);
                assertThat(count(sql("SELECT count(*) FROM {T} WHERE id = 4"))).as("the ticket inserted and updated")
                        .isEqualTo(1);
                // a permit to call the trigger is no permit to do what it does: on MariaDB its body is read (a delete
                // on the audit table), H2's Java class is not (it may do anything)
                try (Connection c = database.connectGoverned(policy, null, "clerks", "auditors");
                     Statement st = c.createStatement()) {
                    assertThatThrownBy(() -> st.execute(sql("DELETE FROM {T} WHERE id = 1"))).isInstanceOf(GovernanceException.class)
                            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                            .satisfies(e -> assertThat(e.getMessage()).contains(database == TestDatabase.H2
                                    ? new String[] {"on any table, which routine ", sql("{G} may do"),
                                        "Declare in the policy's routines section"}
                                    : new String[] {sql("No rule permits delete on {S}.{A}, which the body of routine {S}.{G}")}));
                }
                assertThat(count(sql("SELECT count(*) FROM {A}"))).as("the audit rows, after a call permit alone").isEqualTo(1);
                String declared = sql("""
                          - { id: auditors-clean-audit, effect: permit, principals: { groups: [auditors] }, actions: [delete],
                              resources: ["{S}.{A}"] }
                        routines:
                          - { id: trigger-cleans-audit, routines: ["{G}"], does: [{ actions: [delete], resources: ["{S}.{A}"] }] }
                        """);
                Files.writeString(declaring, Files.readString(policy) + declared);
                try (Connection c = database.connectGoverned(declaring, null, "clerks", "auditors");
                     Statement st = c.createStatement()) {
                    assertThat(st.executeUpdate(sql("DELETE FROM {T} WHERE id = 1"))).isEqualTo(1);
                }
                assertThat(count(sql("SELECT count(*) FROM {A}"))).as("the trigger ran").isZero();
            } finally {
                Files.deleteIfExists(policy);
                Files.deleteIfExists(declaring);
                try (Connection raw = database.connectRaw(); Statement st = raw.createStatement()) {
                    st.execute(sql("DROP TABLE IF EXISTS {T}"));
                    st.execute(sql("DROP TABLE IF EXISTS {A}"));
                }
            }
        }

        private long count(String query) throws SQLException {
            try (Connection raw = database.connectRaw(); Statement st = raw.createStatement();
                 ResultSet rs = st.executeQuery(query)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
