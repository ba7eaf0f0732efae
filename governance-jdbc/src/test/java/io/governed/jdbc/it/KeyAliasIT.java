package io.governed.jdbc.it;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
 * MariaDB's {@code _rowid} and H2's {@code _rowid_} are the table's single-column integer key under another name. When
 * that key is a masked column, selecting the key's other name must not return it in clear.
 */
class KeyAliasIT {
    private static final long SECRET = 918273645501L;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "MARIADB"})
    void theKeysOtherNameIsTheMaskedKey(TestDatabase database) throws Exception {
        database.requireReachable();
        String table = UniqueNames.of("key_alias");
        String key = database == TestDatabase.H2 ? "_rowid_" : "_rowid";
        try (Connection raw = database.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + table + " (card BIGINT PRIMARY KEY, name VARCHAR(20))");
            s.execute("INSERT INTO " + table + " VALUES (" + SECRET + ", 'ada')");
        }
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: read, effect: permit, actions: [select] }
                masks:
                  - { id: hide-card, columns: { patterns: ["%s.card"] }, function: redact }
                """.formatted(table));
        List<String> leaks = new ArrayList<>();
        int answered = 0;
        try (Connection c = database.connectGoverned(policy, null, "analysts"); Statement s = c.createStatement()) {
            for (String sql : List.of("SELECT " + key + " FROM " + table,
                    "SELECT " + table + "." + key + " FROM " + table,
                    "SELECT k." + key + " AS v, name FROM " + table + " k",
                    "SELECT " + key + " + 0 FROM " + table,
                    "SELECT x.v FROM (SELECT " + key + " AS v FROM " + table + ") x")) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    answered++;
                    if (EveryGetter.ofAllRows(rs).stream().anyMatch(v -> v.contains(String.valueOf(SECRET)))) {
                        leaks.add(sql);
                    }
                } catch (SQLException e) {
                    assertThat(e.getSQLState()).as(sql).isEqualTo("42501");
                }
            }
        } finally {
            try (Connection raw = database.connectRaw(); Statement s = raw.createStatement()) {
                s.execute("DROP TABLE " + table);
            }
        }
        assertThat(answered).as("statements answered").isPositive();
        assertThat(leaks).as("statements that returned the masked key in clear").isEmpty();
    }
}
