package io.governed.jdbc.it;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
 * On MariaDB with Connector/J's {@code allowMultiQueries=true}, a statement after a routine's, trigger's or event's
 * definition in the same text runs on the server: under a policy that permits everything but dropping, and updating
 * {@code mb_accounts}, such a text is refused and the table survives (read through a raw connection), nothing of it
 * having run; a definition followed by a permitted statement runs whole.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("MariaDB events, databases")
class MariaDbStatementAfterDefinitionIT {
    private static final String URL = "mariadb://127.0.0.1:3306/mb_db?allowMultiQueries=true&connectTimeout=5000";

    @TempDir
    Path dir;
    private Path policy;

    @BeforeAll
    static void database() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS mb_db");
            st.execute("CREATE DATABASE mb_db");
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS mb_db");
        }
    }

    @BeforeEach
    void fixture() throws Exception {
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: all, effect: permit, actions: ["*"] }
                  - { id: no-drop, effect: forbid, actions: [drop] }
                  - { id: no-update-accounts, effect: forbid, actions: [update],
                      resources: ["mb_accounts", "mb_db.mb_accounts"] }
                """);
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            for (String routine : new String[] {"PROCEDURE mb_p", "FUNCTION mb_f", "TRIGGER mb_t", "EVENT mb_e"}) {
                st.execute("DROP " + routine.replace(" ", " IF EXISTS "));
            }
            st.execute("DROP TABLE IF EXISTS mb_customers, mb_accounts");
            st.execute("CREATE TABLE mb_customers (id INT PRIMARY KEY)");
            st.execute("INSERT INTO mb_customers VALUES (1), (2)");
            st.execute("CREATE TABLE mb_accounts (id INT PRIMARY KEY, balance INT)");
            st.execute("INSERT INTO mb_accounts VALUES (1, 100)");
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + URL, "root", "");
    }

    private Connection governed() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", TestDatabase.GOVERNED_PRINCIPAL);
        p.setProperty("governed.kind", "service");
        return DriverManager.getConnection("jdbc:governed:" + URL, p);
    }

    private static long single(String query) throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long customers() throws SQLException {
        return single("SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mb_db' "
                + "AND TABLE_NAME = 'mb_customers'");
    }

    private static long routines() throws SQLException {
        return single("SELECT (SELECT count(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'mb_db') "
                + "+ (SELECT count(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'mb_db') "
                + "+ (SELECT count(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'mb_db')");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CREATE PROCEDURE mb_p() SELECT 1; DROP TABLE mb_customers",
        "CREATE FUNCTION mb_f() RETURNS INT RETURN 1; DROP TABLE mb_customers",
        "CREATE PROCEDURE mb_p() BEGIN SELECT 1; END; DROP TABLE mb_customers",
        "CREATE PROCEDURE mb_p() BEGIN IF 1 THEN SELECT CASE WHEN 1 THEN 'END;' END; END IF; END;\nDROP TABLE mb_customers",
        "CREATE TRIGGER mb_t BEFORE INSERT ON mb_accounts FOR EACH ROW BEGIN SET NEW.balance = 0; END; "
                + "DROP TABLE mb_customers",
        "CREATE EVENT mb_e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM mb_accounts WHERE id = 0; END; "
                + "DROP TABLE mb_customers",
        "CREATE PROCEDURE mb_p() BEGIN SELECT 1; END x; DROP TABLE mb_customers",
    })
    void aDropAfterADefinitionIsRefusedAndTheTableSurvives(String sql) throws Exception {
        try (Connection c = governed(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(GovernanceException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("42501", "42000"));
        }
        assertThat(customers()).as("mb_customers, read raw: " + sql).isEqualTo(1);
        assertThat(routines()).as("nothing of the text ran: " + sql).isZero();
    }

    @Test
    void anUpdateAfterADefinitionIsRefusedAndTheBalanceKept() throws Exception {
        String sql = "CREATE PROCEDURE mb_p() BEGIN SELECT 1; END; UPDATE mb_accounts SET balance = 0";
        try (Connection c = governed(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(sql)).isInstanceOf(GovernanceException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        assertThat(single("SELECT balance FROM mb_accounts WHERE id = 1")).isEqualTo(100);
        assertThat(routines()).isZero();
    }

    @Test
    void aDefinitionFollowedByAPermittedStatementRunsWhole() throws Exception {
        try (Connection c = governed(); Statement st = c.createStatement()) {
            st.execute("CREATE PROCEDURE mb_p() BEGIN SELECT 1; END; INSERT INTO mb_customers VALUES (3)");
        }
        assertThat(routines()).isEqualTo(1);
        assertThat(single("SELECT count(*) FROM mb_customers")).isEqualTo(3);
    }
}
