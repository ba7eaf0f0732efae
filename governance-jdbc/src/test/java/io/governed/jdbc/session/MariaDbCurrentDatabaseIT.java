package io.governed.jdbc.session;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

/*
 * An identity permitted to read test.* only, on MariaDB: after USE other or setCatalog(other), an
 * unqualified (plain or backquoted) read of other's table of the same name is refused; test's is allowed.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbCurrentDatabaseIT {
    private static final String OTHER = UniqueNames.of("sp_other");
    private static final String TABLE = UniqueNames.of("sp_t");

    @TempDir
    static Path dir;
    private static Path policy;

    @BeforeAll
    static void databases() throws Exception {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + OTHER);
            s.execute("CREATE TABLE " + TestDatabase.DATABASE + "." + TABLE + " (v VARCHAR(20))");
            s.execute("INSERT INTO " + TestDatabase.DATABASE + "." + TABLE + " VALUES ('test-row')");
            s.execute("CREATE TABLE " + OTHER + "." + TABLE + " (v VARCHAR(20))");
            s.execute("INSERT INTO " + OTHER + "." + TABLE + " VALUES ('other-row')");
        }
        policy = dir.resolve("test-reader.yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                rules:
                  - id: read-test
                    effect: permit
                    actions: [select, use]
                    resources: ["%s.*"]
                """.formatted(TestDatabase.DATABASE));
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TestDatabase.DATABASE + "." + TABLE);
            s.execute("DROP DATABASE IF EXISTS " + OTHER);
        }
    }

    private static Connection governed() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.MARIADB.user());
        p.setProperty("password", TestDatabase.MARIADB.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        p.setProperty("governed.audit", "memory");
        return DriverManager.getConnection(TestDatabase.MARIADB.governedUrl(), p);
    }

    private static String read(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static void assertRefused(Connection c, String sql) {
        assertThatThrownBy(() -> read(c, sql)).isInstanceOf(GovernanceException.class)
                .hasMessageContaining(OTHER + "." + TABLE)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
    }

    @Test
    void useAnotherDatabase() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("USE " + OTHER);
            assertThat(read(raw, "SELECT v FROM " + TABLE)).as("what the database reads").isEqualTo("other-row");
        }
        try (Connection c = governed()) {
            assertThat(read(c, "SELECT v FROM " + TABLE)).isEqualTo("test-row");
            try (Statement s = c.createStatement()) {
                s.execute("USE " + OTHER);
            }
            assertThat(read(c, "SELECT DATABASE()")).isEqualTo(OTHER);
            assertRefused(c, "SELECT v FROM " + TABLE);
            assertRefused(c, "SELECT v FROM `" + TABLE + "`");
            assertThat(read(c, "SELECT v FROM " + TestDatabase.DATABASE + "." + TABLE)).isEqualTo("test-row");
            assertThat(read(c, "SELECT v FROM `" + TestDatabase.DATABASE + "`.`" + TABLE + "`")).isEqualTo("test-row");
            try (Statement s = c.createStatement()) {
                s.execute("USE " + TestDatabase.DATABASE);
            }
            assertThat(read(c, "SELECT v FROM `" + TABLE + "`")).isEqualTo("test-row");
        }
    }

    @Test
    void setCatalog() throws SQLException {
        try (Connection c = governed()) {
            c.setCatalog(OTHER);
            assertRefused(c, "SELECT v FROM " + TABLE);
            c.setCatalog(TestDatabase.DATABASE);
            assertThat(read(c, "SELECT v FROM " + TABLE)).isEqualTo("test-row");
        }
    }
}
