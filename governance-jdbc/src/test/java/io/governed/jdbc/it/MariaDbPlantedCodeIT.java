package io.governed.jdbc.it;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On MariaDB, an AI agent a mask applies to shares the application's database user and plants code the application's
 * statements run later with the application's identity, which sees SSNs in clear: a trigger on the application's table,
 * a replaced routine of the application's, an event. Each attack is planted through the governed driver, the
 * application then works as it always does, and the agent reads its copy: whether an SSN reached the agent's table is
 * checked through a raw connection, and every getter of the agent's read. And a caller a mask applies to, connected as
 * a user without the TRIGGER privilege (whose session cannot list the table's triggers), may not write a table whose
 * triggers may copy what it hides, as on PostgreSQL, where such code counts as unread.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("GRANT/REVOKE, MariaDB events, databases, roles or users")
class MariaDbPlantedCodeIT {
    private static final String DB = TestDatabase.forkName("pc_db");
    private static final String LIMITED = "pc_limited";
    private static final String SSN = "987-65-4321";
    private static final String STORED_SSN = "123-45-6789";
    private static final List<String> CLEAR = List.of("987-65", "123-45");
    private static final String URL = "mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000";
    private static final String POLICY = "classpath:policies/search-path-shadowing.yaml";

    @BeforeAll
    static void database() throws SQLException {
        TestDatabase.MARIADB.requireReachable();
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
            st.execute("CREATE DATABASE " + DB);
            for (String host : List.of("%", "localhost", "127.0.0.1")) {
                st.execute("DROP USER IF EXISTS '" + LIMITED + "'@'" + host + "'");
                st.execute("CREATE USER '" + LIMITED + "'@'" + host + "' IDENTIFIED BY 'pc-limited-pw'");
                // every privilege a writer needs, but not TRIGGER: its session cannot list the tables' triggers
                st.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON " + DB + ".* TO '" + LIMITED + "'@'" + host + "'");
            }
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
            for (String host : List.of("%", "localhost", "127.0.0.1")) {
                st.execute("DROP USER IF EXISTS '" + LIMITED + "'@'" + host + "'");
            }
        }
    }

    @BeforeEach
    void tables() throws Exception {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP EVENT IF EXISTS pc_grab");
            st.execute("DROP TRIGGER IF EXISTS pc_grab");
            st.execute("DROP TRIGGER IF EXISTS pc_audit");
            st.execute("DROP FUNCTION IF EXISTS app_log");
            st.execute("DROP TABLE IF EXISTS customers, pc_loot");
            st.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(20))");
            st.execute("INSERT INTO customers VALUES (1, 'Ann', '" + STORED_SSN + "')");
            st.execute("CREATE FUNCTION app_log(v VARCHAR(20)) RETURNS VARCHAR(20) DETERMINISTIC RETURN 'logged'");
            st.execute("CREATE TABLE pc_loot (v VARCHAR(40))");
        }
        Thread.sleep(1100);
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + URL, "root", "");
    }

    private static Connection governed(String kind, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("governed.policy", POLICY);
        p.setProperty("governed.principal", kind.equals("agent") ? "bot" : "customer-service");
        p.setProperty("governed.kind", kind);
        if (kind.equals("agent")) {
            p.setProperty("governed.on-behalf-of", "ann");
        }
        return DriverManager.getConnection("jdbc:governed:" + URL, p);
    }

    private static List<SQLException> agentPlants(String... statements) throws SQLException {
        List<SQLException> refusals = new ArrayList<>();
        try (Connection c = governed("agent", "root", ""); Statement st = c.createStatement()) {
            for (String sql : statements) {
                try {
                    st.execute(sql);
                } catch (SQLException refused) {
                    refusals.add(refused);
                }
            }
        }
        return refusals;
    }

    private static void applicationWorks() throws SQLException {
        try (Connection app = governed("service", "root", ""); Statement st = app.createStatement()) {
            st.execute("INSERT INTO customers (id, name, ssn) VALUES (2, 'Bob', '" + SSN + "')");
            try (ResultSet rs = st.executeQuery("SELECT id, name, ssn, app_log(ssn) FROM customers ORDER BY id")) {
                while (rs.next()) {
                    rs.getString(4);
                }
            }
        }
    }

    private static List<String> loot() throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection raw = raw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT v FROM pc_loot")) {
            while (rs.next()) {
                String v = rs.getString(1);
                if (v != null && CLEAR.stream().anyMatch(v::contains)) {
                    values.add(v);
                }
            }
        }
        return values;
    }

    private static void assertAgentReadsNoClearSsn() throws Exception {
        List<String> seen = new ArrayList<>();
        try (Connection c = governed("agent", "root", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT v FROM pc_loot")) {
            while (rs.next()) {
                seen.addAll(EveryGetter.of(rs, 1, "v").values());
            }
        } catch (SQLException refused) {
            seen.addAll(ExceptionTexts.of(refused));
        }
        assertThat(seen).as("what the agent reads of its table")
                .allSatisfy(v -> CLEAR.forEach(clear -> assertThat(v).doesNotContain(clear)));
    }

    private static void assertPlantingRefused(List<SQLException> refusals) throws Exception {
        assertThat(loot()).as("SSNs in the agent's table").isEmpty();
        assertAgentReadsNoClearSsn();
        // refused by governance (42501, naming the mask); a later step may then fail in the database for what it lacks
        assertThat(refusals).as("the agent's planting").anySatisfy(refused -> {
            assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
            assertThat(refused.getMessage()).contains("mask-ssn");
        });
        assertThat(refusals).allSatisfy(refused -> assertThat(refused.getMessage()).doesNotContain(SSN)
                .doesNotContain(STORED_SSN));
    }

    @Test
    void aTriggerCopyingTheApplicationsRowsIsRefused() throws Exception {
        List<SQLException> refused = agentPlants(
                "CREATE TRIGGER pc_grab AFTER INSERT ON customers FOR EACH ROW INSERT INTO pc_loot VALUES (NEW.ssn)");
        applicationWorks();
        assertPlantingRefused(refused);
        assertThat(refused.get(0).getMessage()).contains("runs later in other sessions' statements",
                "such as the migration identity");
    }

    @Test
    void aReplacedRoutineOfTheApplicationsIsRefused() throws Exception {
        List<SQLException> refused = agentPlants("CREATE OR REPLACE FUNCTION app_log(v VARCHAR(20)) RETURNS VARCHAR(20)"
                + " MODIFIES SQL DATA BEGIN INSERT INTO pc_loot VALUES (v); RETURN 'logged'; END");
        applicationWorks();
        assertPlantingRefused(refused);
    }

    @Test
    void anEventIsRefused() throws Exception {
        List<SQLException> refused = agentPlants(
                "CREATE EVENT pc_grab ON SCHEDULE EVERY 1 HOUR DO INSERT INTO pc_loot VALUES ('tick')");
        assertThat(refused).isNotEmpty();
        assertThat(refused.get(0).getMessage()).contains("mask-ssn", "runs later in other sessions' statements");
        try (Connection raw = raw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = '"
                     + DB + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    /**
     * A user without the TRIGGER privilege cannot list the triggers of the table it writes: for a caller a mask applies
     * to, what they run counts as code no analysis reads (as on PostgreSQL), not as a call a permit of every routine
     * covers, and the write is refused before the trigger copies the stored SSN out.
     */
    @Test
    void aMaskedWriteOfATableWhoseTriggersCannotBeListedIsRefused() throws Exception {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TRIGGER pc_audit AFTER UPDATE ON customers FOR EACH ROW INSERT INTO pc_loot VALUES (OLD.ssn)");
        }
        Thread.sleep(1100);
        SQLException refused = null;
        try (Connection c = governed("agent", LIMITED, "pc-limited-pw"); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE customers SET name = 'Ann L' WHERE id = 1");
        } catch (SQLException e) {
            refused = e;
        }
        assertThat(loot()).as("SSNs the trigger copied").isEmpty();
        assertThat(refused == null ? null : refused.getMessage()).as("the masked caller's update").isNotNull();
        assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
        assertThat(refused.getMessage()).contains("mask-ssn").doesNotContain(STORED_SSN);
        // the application, which the mask exempts, still writes the table
        try (Connection c = governed("service", LIMITED, "pc-limited-pw"); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE customers SET name = 'Ann L' WHERE id = 1")).isEqualTo(1);
        }
    }
}
