package io.governed.jdbc.statements;

import io.governed.jdbc.GovernanceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
 * Code definitions, calls of user code, file functions, privilege changes, server settings,
 * unbounded writes and pathological statements, sent through {@code jdbc:governed:h2} under the
 * baseline policy: each is refused with SQLState 42501 and a message that says why, and a raw
 * connection then finds the database exactly as it was.
 */
class H2EscapesThroughTheDriverTest {

    private String name;
    private Connection raw;
    private Path file;

    @BeforeEach
    void createDatabase() throws Exception {
        name = "escapes_" + UUID.randomUUID().toString().replace('-', '_');
        raw = DriverManager.getConnection("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE orders (id INT PRIMARY KEY, status VARCHAR(10) NOT NULL, total INT)");
            s.execute("INSERT INTO orders VALUES (1, 'new', 10), (2, 'shipped', 20), (3, 'new', 30)");
            // user code that empties the table when called
            s.execute("CREATE ALIAS WIPE AS 'int wipe(java.sql.Connection c) throws Exception { "
                    + "c.createStatement().execute(\"DELETE FROM ORDERS\"); return 1; }'");
        }
        file = Files.createTempDirectory("governed-escapes").resolve("out.csv");
    }

    @AfterEach
    void dropDatabase() throws Exception {
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
        raw.close();
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.getParent());
    }

    private Connection governed(Properties extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        p.setProperty("governed.principal", "alice");
        p.setProperty("governed.kind", "human");
        p.putAll(extra);
        return DriverManager.getConnection("jdbc:governed:h2:mem:" + name, p);
    }

    private Connection governed() throws SQLException {
        return governed(new Properties());
    }

    /** Every row of every table and every routine, read through the raw connection. */
    private List<String> snapshot() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = raw.createStatement()) {
            for (String query : List.of("SELECT * FROM orders ORDER BY id",
                    "SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA <> 'INFORMATION_SCHEMA' ORDER BY 1, 2",
                    "SELECT ROUTINE_NAME FROM INFORMATION_SCHEMA.ROUTINES ORDER BY 1",
                    "SELECT TRIGGER_NAME FROM INFORMATION_SCHEMA.TRIGGERS ORDER BY 1",
                    "SELECT USER_NAME, IS_ADMIN FROM INFORMATION_SCHEMA.USERS ORDER BY 1",
                    "SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME IN ('MODE', 'EXCLUSIVE', 'WRITE_DELAY') ORDER BY 1")) {
                try (ResultSet r = s.executeQuery(query)) {
                    int columns = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        StringBuilder row = new StringBuilder(query.substring(0, 20)).append(':');
                        for (int i = 1; i <= columns; i++) {
                            row.append(r.getString(i)).append('|');
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }

    private void assertRefused(String sql, String... reasonParts) throws Exception {
        List<String> before = snapshot();
        try (Connection c = governed(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql))
                    .as(sql)
                    .isInstanceOf(GovernanceException.class)
                    .satisfies(e -> {
                        assertThat(((SQLException) e).getSQLState()).isEqualTo("42501");
                        assertThat(e.getMessage()).contains(reasonParts);
                    });
            assertThatThrownBy(() -> c.prepareStatement(sql).execute()).as("prepared " + sql)
                    .isInstanceOf(GovernanceException.class);
        }
        assertThat(snapshot()).as("the database after %s", sql).isEqualTo(before);
        assertThat(file).doesNotExist();
    }

    @Test
    void callingUserCodeIsRefusedAndTheTableKeepsItsRows() throws Exception {
        // an alias runs Java code the analysis does not read: it may do anything, which the baseline forbids
        assertRefused("SELECT WIPE()", "which routine PUBLIC.WIPE may do");
        assertRefused("CALL WIPE()", "which routine PUBLIC.WIPE may do");
        assertRefused("SELECT id FROM orders WHERE total > WIPE()", "which routine PUBLIC.WIPE may do");
        assertRefused("{call WIPE()}", "which routine PUBLIC.WIPE may do");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CREATE ALIAS EXEC_CMD FOR 'java.lang.Runtime.getRuntime'",
        "CREATE ALIAS EVIL AS 'int evil(java.sql.Connection c) throws Exception { c.createStatement().execute(\"DROP TABLE ORDERS\"); return 1; }'",
        "CREATE TRIGGER T_WIPE BEFORE INSERT ON orders FOR EACH ROW CALL 'org.h2.tools.TriggerAdapter'",
        "CREATE AGGREGATE AGG_EVIL FOR 'org.example.Evil'",
    })
    void definingCodeIsForAdministrators(String sql) throws Exception {
        assertRefused(sql, "baseline-no-code-definitions", "administrators");
    }

    @Test
    void fileFunctionsAndCommandsAreRefusedAndWriteNoFile() throws Exception {
        String path = file.toString().replace("'", "''");
        assertRefused("CALL CSVWRITE('" + path + "', 'SELECT * FROM orders')", "baseline-no-file-access");
        assertRefused("SELECT * FROM CSVREAD('" + path + "')", "baseline-no-file-access");
        assertRefused("SELECT FILE_WRITE('x', '" + path + "')", "baseline-no-file-access");
        assertRefused("SELECT FILE_READ('" + path + "')", "baseline-no-file-access");
        assertRefused("SCRIPT TO '" + path + "'", "baseline-no-file-access");
        assertRefused("RUNSCRIPT FROM '" + path + "'", "baseline-no-file-access");
        assertRefused("BACKUP TO '" + path + "'", "baseline-no-file-access");
        assertRefused("CALL LINK_SCHEMA('LINKED', '', 'jdbc:h2:mem:other', 'sa', '', 'PUBLIC')", "baseline-no-file-access");
        assertRefused("CREATE LINKED TABLE LT('org.h2.Driver', 'jdbc:h2:mem:other', 'sa', '', 'T')", "baseline-no-file-access");
    }

    @Test
    void aScriptOfTheWholeDatabaseIsRefused() throws Exception {
        assertRefused("SCRIPT", "copy");
    }

    @Test
    void privilegeChangesAndServerSettingsAreRefused() throws Exception {
        assertRefused("CREATE USER MALLORY PASSWORD 'x' ADMIN", "baseline-no-role-changes");
        assertRefused("ALTER USER SA SET PASSWORD 'x'", "baseline-no-role-changes");
        assertRefused("SET MODE MySQL", "baseline-no-server-settings");
        assertRefused("SET WRITE_DELAY 0", "baseline-no-server-settings");
        assertRefused("SET DATABASE_EVENT_LISTENER 'org.example.Listener'", "baseline-no-server-settings");
    }

    @Test
    void sessionSettingsAndBuiltInsStillRun() throws Exception {
        try (Connection c = governed(); Statement s = c.createStatement()) {
            s.execute("SET LOCK_TIMEOUT 2000");
            try (ResultSet r = s.executeQuery("SELECT UPPER(status), COALESCE(total, 0), COUNT(*) FROM orders "
                    + "GROUP BY status, total ORDER BY 2")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("NEW");
            }
            try (ResultSet r = s.executeQuery("SELECT X FROM SYSTEM_RANGE(1, 3)")) {
                assertThat(r.next()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "DELETE FROM orders WHERE id IN (SELECT id FROM orders)",
        "UPDATE orders SET total = 0 WHERE status IS NOT NULL",
        "UPDATE orders SET total = 0 WHERE id = id",
        "DELETE FROM orders WHERE EXISTS (SELECT 1 FROM orders o WHERE o.id = orders.id)",
    })
    void unboundedWritesAreRefusedAndChangeNothing(String sql) throws Exception {
        assertRefused(sql, "baseline-no-unbounded-writes");
    }

    @Test
    void boundedWritesStillRun() throws Exception {
        try (Connection c = governed(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE orders SET total = 11 WHERE id = 1")).isEqualTo(1);
        }
        try (Statement s = raw.createStatement(); ResultSet r = s.executeQuery("SELECT total FROM orders WHERE id = 1")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getInt(1)).isEqualTo(11);
        }
    }

    @Test
    void aUnicodeEscapedIdentifierIsRefused() throws Exception {
        assertRefused("DELETE FROM U&\"ORDERS\" WHERE id = 1", "Unicode-escaped identifier", "write the name plainly");
    }

    @Test
    void pathologicalStatementsAreRefusedAsUnanalysable() throws Exception {
        assertRefused("SELECT " + "(".repeat(400) + "1" + ")".repeat(400), "unanalysable", "governed.analysis.max-depth");
        assertRefused("SELECT " + "CASE WHEN id = 1 THEN ".repeat(300) + "1" + " END".repeat(300) + " FROM orders",
                "unanalysable");
    }

    @Test
    void theAnalysisLimitsAreSettings() throws Exception {
        Properties shallow = new Properties();
        shallow.setProperty("governed.analysis.max-depth", "4");
        shallow.setProperty("governed.analysis.max-length", "200");
        try (Connection c = governed(shallow); Statement s = c.createStatement()) {
            assertThat(s.executeQuery("SELECT ((1))").next()).isTrue();
            assertThatThrownBy(() -> s.executeQuery("SELECT (((((1)))))"))
                    .isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("limit of 4");
            assertThatThrownBy(() -> s.executeQuery("SELECT 1 FROM orders WHERE id IN (" + "1, ".repeat(100) + "2)"))
                    .isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("governed.analysis.max-length");
        }
        Properties bad = new Properties();
        bad.setProperty("governed.analysis.max-time", "soon");
        assertThatThrownBy(() -> governed(bad).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("governed.analysis.max-time");
    }
}
