package io.governed.jdbc.statements;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MariaDB's {@code ALTER TABLE t RENAME TO otherdb.t} and {@code DROP EVENT [IF EXISTS] e}: a migration identity the
 * mask exempts runs them through the governed driver (read back in information_schema through a raw connection); a
 * caller the mask applies to is refused moving a table a pattern names to another database (42501 naming the mask),
 * and the table stays where it was.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("MariaDB events, databases")
class MariaDbRenameFormsIT {

    private static final String SSN = "219-45-6789";
    private static final String SUFFIX = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String DB = "pf_db_" + SUFFIX;
    private static final String OTHER = "pf_db2_" + SUFFIX;
    private static final String URL = "mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000";

    @BeforeAll
    static void databases() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
            st.execute("CREATE DATABASE " + OTHER);
            st.execute("CREATE TABLE " + DB + ".customers (id int PRIMARY KEY, ssn varchar(11))");
            st.execute("INSERT INTO " + DB + ".customers VALUES (1, '" + SSN + "')");
            st.execute("CREATE TABLE " + DB + ".pf_log (id int)");
            st.execute("CREATE EVENT " + DB + ".pf_purge ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM " + DB + ".pf_log");
            st.execute("CREATE EVENT " + DB + ".pf_purge2 ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM " + DB + ".pf_log");
        }
    }

    @AfterAll
    static void dropDatabases() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
            st.execute("DROP DATABASE IF EXISTS " + OTHER);
        }
    }

    private static Connection as(String principal, String kind) throws SQLException, IOException {
        Path policy = Files.createTempFile("pf-renames", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                masks:
                  - id: hide-ssn
                    columns: { patterns: ["%s.customers.ssn"] }
                    function: redact
                    unless: { names: [pf-migrator] }
                """.formatted(DB));
        policy.toFile().deleteOnExit();
        Properties settings = new Properties();
        settings.setProperty("user", "root");
        settings.setProperty("password", "");
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.principal", principal);
        settings.setProperty("governed.kind", kind);
        return DriverManager.getConnection("jdbc:governed:" + URL, settings);
    }

    private static List<String> rawRows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private static List<String> tablesOf(String db) throws SQLException {
        return rawRows("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + db + "' ORDER BY 1");
    }

    private static List<String> eventsOf(String db) throws SQLException {
        return rawRows("SELECT event_name FROM information_schema.events WHERE event_schema = '" + db + "' ORDER BY 1");
    }

    @Test
    void aCallerTheMaskAppliesToIsRefusedMovingAMaskedTableAway() throws Exception {
        for (String sql : new String[] {"ALTER TABLE customers RENAME TO " + OTHER + ".customers",
                "ALTER TABLE " + DB + ".customers RENAME " + OTHER + ".customers",
                "ALTER TABLE IF EXISTS customers /* c */ RENAME AS `" + OTHER + "`.`pf_c`"}) {
            try (Connection c = as("pf-analyst", "human"); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(e.getMessage()).isEqualTo("42501"))
                        .hasMessageContaining("hide-ssn").hasMessageNotContaining("unparseable").hasMessageNotContaining(SSN);
            }
        }
        assertThat(tablesOf(DB)).contains("customers");
        assertThat(tablesOf(OTHER)).doesNotContain("customers", "pf_c");
    }

    @Test
    void aMigrationMovesATableAndDropsEvents() throws Exception {
        try (Connection c = as("pf-migrator", "service"); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE pf_log RENAME TO " + OTHER + ".pf_log");
            st.execute("DROP EVENT pf_purge");
            st.execute("DROP EVENT IF EXISTS " + DB + ".pf_purge2");
            st.execute("DROP EVENT IF EXISTS pf_never_there");
        }
        assertThat(tablesOf(OTHER)).containsExactly("pf_log");
        assertThat(tablesOf(DB)).doesNotContain("pf_log");
        assertThat(eventsOf(DB)).isEmpty();
    }

    @Test
    void aSecondStatementAfterADropEventIsJudgedOnItsOwn() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:governed:" + URL + "&allowMultiQueries=true", settings());
             Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("DROP EVENT IF EXISTS pf_none; DROP TABLE customers"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(e.getMessage()).isEqualTo("42501"));
        }
        assertThat(tablesOf(DB)).contains("customers");
    }

    /** An analyst under a policy that forbids dropping tables. */
    private static Properties settings() throws IOException {
        Path policy = Files.createTempFile("pf-renames-drop", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                  - { id: keep-tables, effect: forbid, actions: [drop], resources: ["%s.customers"] }
                """.formatted(DB));
        policy.toFile().deleteOnExit();
        Properties settings = new Properties();
        settings.setProperty("user", "root");
        settings.setProperty("password", "");
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.principal", "pf-analyst");
        settings.setProperty("governed.kind", "human");
        return settings;
    }
}
