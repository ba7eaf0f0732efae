package io.governed.jdbc.session;

import io.governed.jdbc.GovernanceException;
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

/*
 * An identity permitted to read (and delete from) PUBLIC.* only, on an H2 session pointed at another schema holding a
 * table of the same name: by SET SCHEMA, SET SCHEMA_SEARCH_PATH and Connection.setSchema. The read of
 * the other schema's table is refused, public's allowed. A batch refused after an entry that may change the session
 * leaves the connection's names as they were.
 */
class H2SearchPathTest {
    private static final String URL = "h2:mem:" + UniqueNames.of("search_path") + ";DB_CLOSE_DELAY=-1";
    private static final String TABLE = UniqueNames.of("sp_t").toUpperCase();
    private static final String ONLY = UniqueNames.of("sp_only").toUpperCase();

    @TempDir
    Path dir;
    private Path policy;
    private Connection keeper;

    @BeforeEach
    void schemas() throws Exception {
        keeper = DriverManager.getConnection("jdbc:" + URL, "sa", "");
        try (Statement s = keeper.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS SECRET");
            s.execute("CREATE TABLE PUBLIC." + TABLE + " (V VARCHAR(20))");
            s.execute("INSERT INTO PUBLIC." + TABLE + " VALUES ('public-row')");
            s.execute("CREATE TABLE SECRET." + TABLE + " (V VARCHAR(20))");
            s.execute("INSERT INTO SECRET." + TABLE + " VALUES ('secret-row')");
            s.execute("CREATE TABLE SECRET." + ONLY + " (V VARCHAR(20))");
            s.execute("INSERT INTO SECRET." + ONLY + " VALUES ('secret-only')");
        }
        policy = dir.resolve("public-reader.yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                rules:
                  - id: read-public
                    effect: permit
                    actions: [select, set, delete]
                    resources: ["PUBLIC.*"]
                """);
    }

    @AfterEach
    void drop() throws SQLException {
        try (Statement s = keeper.createStatement()) {
            s.execute("DROP TABLE PUBLIC." + TABLE);
            s.execute("DROP SCHEMA SECRET CASCADE");
        }
        keeper.close();
    }

    private Connection governed() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        p.setProperty("governed.audit", "memory");
        return DriverManager.getConnection("jdbc:governed:" + URL, p);
    }

    private static String read(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void setSchema() throws SQLException {
        try (Connection c = governed()) {
            assertThat(read(c, "SELECT V FROM " + TABLE)).isEqualTo("public-row");
            execute(c, "SET SCHEMA SECRET");
            assertThat(read(c, "SELECT SCHEMA()")).as("what the database did").isEqualTo("SECRET");
            assertThatThrownBy(() -> read(c, "SELECT V FROM " + TABLE))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("SECRET." + TABLE);
            assertThat(read(c, "SELECT V FROM PUBLIC." + TABLE)).isEqualTo("public-row");
            execute(c, "SET SCHEMA PUBLIC");
            assertThat(read(c, "SELECT V FROM " + TABLE)).isEqualTo("public-row");
        }
    }

    @Test
    void setSchemaSearchPath() throws SQLException {
        try (Connection c = governed()) {
            assertThatThrownBy(() -> read(c, "SELECT V FROM " + ONLY)).as("PUBLIC has no such table: the database says so")
                    .isNotInstanceOf(GovernanceException.class).hasMessageContaining("not found");
            execute(c, "SET SCHEMA_SEARCH_PATH SECRET, PUBLIC");
            assertThatThrownBy(() -> read(c, "SELECT V FROM " + ONLY))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("SECRET." + ONLY);
            assertThat(read(c, "SELECT V FROM " + TABLE)).as("the current schema comes first").isEqualTo("public-row");
        }
        try (Connection raw = DriverManager.getConnection("jdbc:" + URL, "sa", "")) {
            execute(raw, "SET SCHEMA_SEARCH_PATH SECRET, PUBLIC");
            assertThat(read(raw, "SELECT V FROM " + ONLY)).as("what the database reads").isEqualTo("secret-only");
        }
    }

    @Test
    void setSchemaOnTheConnection() throws SQLException {
        try (Connection c = governed()) {
            c.setSchema("SECRET");
            assertThat(c.getSchema()).isEqualTo("SECRET");
            assertThatThrownBy(() -> read(c, "SELECT V FROM " + TABLE))
                    .isInstanceOf(GovernanceException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            c.setSchema("PUBLIC");
            assertThat(read(c, "SELECT V FROM " + TABLE)).isEqualTo("public-row");
        }
    }

    @Test
    void aBatchRefusedAfterAnEntryThatChangesTheSessionLeavesTheConnectionAsItWas() throws SQLException {
        try (Connection c = governed()) {
            try (Statement s = c.createStatement()) {
                s.addBatch("SET SCHEMA PUBLIC");
                s.addBatch("DELETE FROM " + TABLE + " WHERE V = 'public-row'");
                // run, the SET may change where the DELETE's table is: it could be any schema's, which no rule permits
                assertThatThrownBy(s::executeBatch).isInstanceOf(GovernanceException.class);
            }
            assertThat(read(c, "SELECT V FROM " + TABLE)).as("names resolve again once the batch is abandoned")
                    .isEqualTo("public-row");
            assertThat(read(c, "SELECT SCHEMA()")).as("nothing of the batch ran").isEqualTo("PUBLIC");
        }
    }
}
