package io.governed.jdbc.connect;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/*
 * MariaDB Connector/J settings acted on at connect time, on the real server: initSql dropping tables the policy
 * protects, createDatabaseIfNotExist creating a database, and sessionVariables switching off foreign key checks,
 * which the policy refuses as a SET. Each governed connect is refused (08001) naming the setting; the tables, the
 * absent database and the absent orphan row are read through a raw connection.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("MariaDB list of databases")
class MariaDbConnectSettingsIT {
    private static final String TABLE = UniqueNames.of("connect_victim");
    private static final String CHILD = UniqueNames.of("connect_child");
    private static final String DATABASE = UniqueNames.of("connect_created");
    private static final String SSN = "219-09-9999";

    @TempDir
    static Path dir;
    private static Path policy;

    /** The table each test starts with (an attack that worked on it drops it). */
    @BeforeEach
    void table() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id INT PRIMARY KEY, ssn VARCHAR(20))");
            s.execute("CREATE TABLE IF NOT EXISTS " + CHILD + " (id INT PRIMARY KEY, parent_id INT, "
                    + "FOREIGN KEY (parent_id) REFERENCES " + TABLE + " (id))");
            s.execute("DELETE FROM " + CHILD);
            s.execute("REPLACE INTO " + TABLE + " VALUES (1, '" + SSN + "')");
        }
    }

    @BeforeAll
    static void policy() throws Exception {
        policy = Files.writeString(dir.resolve("services.yaml"), """
                version: 1
                default: deny
                classification:
                  auto-detect: false
                  tags:
                    pii.ssn: ["*.ssn"]
                rules:
                  - id: services-crud
                    effect: permit
                    principals: { kinds: [service] }
                    actions: [select, insert, update, delete]
                    resources: ["*"]
                masks:
                  - id: hide-ssn
                    columns: { tags: [pii.ssn] }
                    function: redact
                """);
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + CHILD);
            s.execute("DROP TABLE IF EXISTS " + TABLE);
            s.execute("DROP DATABASE IF EXISTS " + DATABASE);
        }
    }

    private static Properties service() {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.MARIADB.user());
        p.setProperty("password", TestDatabase.MARIADB.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "mallory");
        p.setProperty("governed.kind", "service");
        p.setProperty("governed.audit", "memory");
        return p;
    }

    @Test
    void initSqlThatDropsATableIsRefusedAndTheTableStays() throws SQLException {
        SQLException refusal = attempt(TestDatabase.MARIADB.governedUrl() + "&initSql=DROP TABLE " + CHILD + ", " + TABLE, service());
        assertThat(tableExists()).as("the table after a governed connect whose URL has initSql=DROP TABLE").isTrue();
        assertRefused(refusal, "initSql", "runs statements at connect time");
    }

    @Test
    void createDatabaseIfNotExistIsRefusedAndNoDatabaseIsCreated() throws SQLException {
        String url = TestDatabase.MARIADB.governedUrl(DATABASE) + "&createDatabaseIfNotExist=true";
        SQLException refusal = attempt(url, service());
        assertThat(databaseExists()).as("the database after a governed connect with createDatabaseIfNotExist").isFalse();
        assertRefused(refusal, "createDatabaseIfNotExist", "creates a database");
    }

    /** allowMultiQueries passes the check: each statement of the text is analysed, and a DROP after a SELECT is refused. */
    @Test
    void allowMultiQueriesIsAcceptedAndEachStatementOfATextIsStillChecked() throws SQLException {
        assertThat(TestDatabase.MARIADB.governedUrl()).contains("allowMultiQueries=true");
        try (Connection c = DriverManager.getConnection(TestDatabase.MARIADB.governedUrl(), service());
             Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("SELECT 1; DROP TABLE " + CHILD)).isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
        }
        assertThat(count("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + TestDatabase.DATABASE + "' AND TABLE_NAME = ?", CHILD))
                .as("the table after a governed SELECT 1; DROP TABLE").isEqualTo(1);
    }

    @Test
    void switchingOffForeignKeyChecksThroughTheGovernedConnectionIsRefusedByThePolicy() throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabase.MARIADB.governedUrl(), service());
             Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("SET foreign_key_checks = 0")).isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
        }
    }

    @Test
    void sessionVariablesThatSwitchOffForeignKeyChecksAreRefusedAndNoOrphanIsWritten() throws SQLException {
        Properties p = service();
        p.setProperty("SessionVariables", "foreign_key_checks=0");
        SQLException refusal = null;
        try (Connection c = DriverManager.getConnection(TestDatabase.MARIADB.governedUrl(), p);
             Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO " + CHILD + " (id, parent_id) VALUES (1, 999)");
        } catch (SQLException e) {
            refusal = e;
        }
        assertThat(count("SELECT COUNT(*) FROM " + CHILD + " WHERE parent_id = ?", "999"))
                .as("rows without a parent after a governed connect with foreign_key_checks=0").isZero();
        assertRefused(refusal, "SessionVariables", "session variables");
    }

    private static SQLException attempt(String url, Properties p) {
        try (Connection ignored = DriverManager.getConnection(url, p)) {
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    private static void assertRefused(SQLException refusal, String key, String why) {
        if (refusal == null) {
            fail("the connect was not refused");
        }
        assertThat(refusal.getSQLState()).isEqualTo("08001");
        assertThat(refusal.getMessage()).contains("'" + key + "'").contains(why)
                .doesNotContain("DROP TABLE").doesNotContain("foreign_key_checks");
    }

    private static boolean tableExists() throws SQLException {
        return count("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + TestDatabase.DATABASE + "' AND TABLE_NAME = ?", TABLE) == 1;
    }

    private static boolean databaseExists() throws SQLException {
        return count("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", DATABASE) == 1;
    }

    private static int count(String sql, String name) throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); PreparedStatement s = raw.prepareStatement(sql)) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
