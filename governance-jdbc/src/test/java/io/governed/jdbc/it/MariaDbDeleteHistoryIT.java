package io.governed.jdbc.it;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MariaDB's {@code DELETE HISTORY FROM t} removes the history rows of a system-versioned table: the trail of what its
 * rows were. It is judged as the unbounded delete of {@code t} it is, not as a delete of a table named
 * {@code history}, which no rule names; what the table keeps is read back through a raw connection.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbDeleteHistoryIT {
    private final String table = UniqueNames.of("ledger_versions");

    @TempDir
    Path dir;
    private Path policy;

    @BeforeEach
    void fixture() throws Exception {
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                default: allow
                rules:
                  - { id: keep-the-ledger, effect: forbid, actions: [delete, truncate, drop], resources: ["%s"] }
                """.formatted(table));
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, amount INT) WITH SYSTEM VERSIONING");
            s.execute("INSERT INTO " + table + " VALUES (1, 100)");
            s.execute("UPDATE " + table + " SET amount = 90 WHERE id = 1");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    private int versions() throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " FOR SYSTEM_TIME ALL")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void deleteHistoryOfAProtectedTableIsRefusedAndItsHistoryStays() throws SQLException {
        assertThat(versions()).as("the fixture: the row and the version it replaced").isEqualTo(2);
        try (Connection c = TestDatabase.MARIADB.connectGoverned(policy, null, "staff"); Statement s = c.createStatement()) {
            for (String sql : new String[] {"DELETE HISTORY FROM " + table, "delete history from " + table}) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
                        .hasMessageContaining("keep-the-ledger");
                assertThatThrownBy(() -> c.prepareStatement(sql).execute()).as(sql)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            }
        }
        assertThat(versions()).isEqualTo(2);
    }
}
