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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MariaDB Connector/J names a derived table's or CTE's alias for each column of a {@code *} over it, as H2 does: a
 * {@code *} over a derived {@code *} of a table keeps the masks of the table's columns when no detector knows their
 * values, read through the real driver.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbDerivedStarIT {
    private static final String KEY = "k7-internal-000451";
    private final String table = UniqueNames.of("dstar_keys");

    @TempDir
    Path dir;
    private Path policy;

    @BeforeEach
    void fixture() throws Exception {
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                classification:
                  tags:
                    secret: ["*.api_key"]
                rules:
                  - { id: read, effect: permit, actions: [select] }
                masks:
                  - { id: hide-secrets, columns: { tags: [secret] }, function: redact }
                """);
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, owner VARCHAR(20), api_key VARCHAR(40))");
            s.execute("INSERT INTO " + table + " VALUES (1, 'ada', '" + KEY + "')");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    private List<String> values(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = TestDatabase.MARIADB.connectGoverned(policy, null, "analysts");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getString(i));
                    values.add(String.valueOf(rs.getObject(i)));
                }
            }
        }
        return values;
    }

    @Test
    void aStarOverADerivedStarOrACteStarKeepsTheMasksOfTheTablesColumns() throws SQLException {
        assertThat(values("SELECT api_key FROM " + table)).doesNotContain(KEY);
        for (String sql : new String[] {"SELECT * FROM (SELECT * FROM " + table + ") x",
                "SELECT x.* FROM (SELECT * FROM " + table + ") x",
                "WITH c AS (SELECT * FROM " + table + ") SELECT * FROM c"}) {
            assertThat(values(sql)).as(sql).isNotEmpty().noneMatch(v -> v.contains(KEY));
        }
    }
}
