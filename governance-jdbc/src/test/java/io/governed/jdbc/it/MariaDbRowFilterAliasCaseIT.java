package io.governed.jdbc.it;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
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
 * A row filter is placed on the alias the query gives the filtered table. MariaDB compares aliases exactly (with
 * {@code lower_case_table_names=0}), so in {@code FROM orders AS X, notes AS x} the filter must land on {@code X}, not
 * on {@code notes}: another tenant's orders must never come back.
 */
class MariaDbRowFilterAliasCaseIT {

    @TempDir
    Path dir;

    @Test
    void theFilterLandsOnTheAliasOfTheFilteredTable() throws Exception {
        TestDatabase database = TestDatabase.MARIADB;
        database.requireReachable();
        String orders = UniqueNames.of("rf_orders");
        String notes = UniqueNames.of("rf_notes");
        try (Connection raw = database.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + orders + " (id INT, tenant VARCHAR(10), item VARCHAR(20))");
            s.execute("INSERT INTO " + orders + " VALUES (1, 'a', 'mine'), (2, 'b', 'theirs')");
            s.execute("CREATE TABLE " + notes + " (id INT, tenant VARCHAR(10))");
            s.execute("INSERT INTO " + notes + " VALUES (1, 'a')");
        }
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: read, effect: permit, actions: [select] }
                row-filters:
                  - { id: tenant, tables: ["%s"], filter: "tenant = :identity.tenant" }
                """.formatted(orders));
        List<String> seen = new ArrayList<>();
        try (Connection c = database.connectGoverned(policy, "a", "analysts"); Statement s = c.createStatement()) {
            for (String sql : List.of(
                    "SELECT X.item FROM " + orders + " AS X, " + notes + " AS x",
                    "SELECT X.item FROM " + notes + " AS x, " + orders + " AS X",
                    "SELECT (SELECT max(X.item) FROM " + notes + " AS x) FROM " + orders + " AS X",
                    "SELECT X.item FROM " + orders + " X WHERE EXISTS (SELECT 1 FROM " + notes + " x WHERE x.id = 1)")) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        seen.add(sql + " -> " + rs.getString(1));
                    }
                } catch (SQLException e) {
                    assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo("42501");
                }
            }
        } finally {
            try (Connection raw = database.connectRaw(); Statement s = raw.createStatement()) {
                s.execute("DROP TABLE " + orders + ", " + notes);
            }
        }
        assertThat(seen).as("rows of the caller's tenant").anyMatch(r -> r.endsWith("mine"));
        assertThat(seen).as("rows of another tenant").noneMatch(r -> r.endsWith("theirs"));
    }
}
