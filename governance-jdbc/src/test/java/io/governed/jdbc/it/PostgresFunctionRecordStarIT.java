package io.governed.jdbc.it;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
 * {@code (f(…)).*} expands the record a function returns into columns the server names no base column for: an array of
 * whole rows of a masked table built in a subquery and unnested this way gives the masked column back, so what the
 * function reads must count as read (its mask, its row filter, its call), as for {@code f(…)} without the {@code .*}.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresFunctionRecordStarIT {
    private static final String SSN = "078-05-1120";
    private static final String HIDDEN = "Hidden Parisienne";
    private final String table = UniqueNames.of("sf2_people");

    @TempDir
    Path dir;
    private Path policy;
    private Path masksOnly;

    @BeforeEach
    void fixture() throws Exception {
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                classification:
                  tags:
                    pii.ssn: ["*.ssn"]
                rules:
                  - { id: read, effect: permit, actions: [select] }
                masks:
                  - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4 }
                row-filters:
                  - { id: lyon-only, tables: ["public.%s"], filter: "city = 'Lyon'" }
                """.formatted(table));
        masksOnly = dir.resolve("masks.yaml");
        Files.writeString(masksOnly, Files.readString(policy).substring(0, Files.readString(policy).indexOf("row-filters:")));
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, name text, ssn text, city text)");
            s.execute("INSERT INTO " + table + " VALUES (1, 'Ada', '" + SSN + "', 'Lyon'), (2, '" + HIDDEN + "', '"
                    + SSN.replace('0', '9') + "', 'Paris')");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("DROP TABLE IF EXISTS " + table + "_o");
        }
    }

    private static List<String> values(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return new ArrayList<>(EveryGetter.ofAllRows(rs));
        }
    }

    /** A table the policy forbids reading, read in the subquery of a function's argument whose record is expanded. */
    @org.junit.jupiter.api.Test
    void aForbiddenTableReadInsideTheFunctionIsRefused() throws Exception {
        Path forbidding = dir.resolve("forbid.yaml");
        Files.writeString(forbidding, """
                version: 1
                rules:
                  - { id: read, effect: permit, actions: [select] }
                  - { id: no-people, effect: forbid, actions: [select], resources: ["public.%s"] }
                """.formatted(table));
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + "_o (id int)");
            s.execute("INSERT INTO " + table + "_o VALUES (1)");
        }
        String sql = "SELECT (unnest(ARRAY(SELECT c FROM " + table + " c))).* FROM " + table + "_o";
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw()) {
            assertThat(values(raw, sql)).as("the raw driver").anyMatch(v -> v.contains(SSN));
        }
        try (Connection governed = TestDatabase.POSTGRESQL.connectGoverned(forbidding, null, "analysts")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> values(governed, sql))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .satisfies(e -> assertThat(e.getMessage()).contains("no-people").doesNotContain(SSN));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT (unnest(ARRAY(SELECT c FROM %s c))).*",
        "SELECT (unnest(ARRAY[c])).* FROM %s c",
        "SELECT (unnest(ARRAY(SELECT c FROM %s c))).* ORDER BY 1",
    })
    void aFunctionsRecordExpandedKeepsTheMaskAndTheFilter(String form) throws SQLException {
        String sql = form.formatted(table);
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw()) {
            assertThat(values(raw, sql)).as("the raw driver: " + sql).anyMatch(v -> v.contains(SSN)).anyMatch(v -> v.contains(HIDDEN));
        }
        try (Connection governed = TestDatabase.POSTGRESQL.connectGoverned(masksOnly, null, "analysts")) {
            List<String> seen = values(governed, sql);
            assertThat(seen).as(sql).isNotEmpty()
                    .noneMatch(v -> v.contains(SSN) || v.contains(SSN.replace('0', '9')));
        }
        // under the row filter, the whole row of the restricted table is an anonymous record the server cannot expand:
        // the statement fails, or its rows are the filter's, masked
        try (Connection governed = TestDatabase.POSTGRESQL.connectGoverned(policy, null, "analysts")) {
            List<String> seen;
            try {
                seen = values(governed, sql);
            } catch (SQLException e) {
                seen = List.of(String.valueOf(e.getMessage()));
            }
            assertThat(seen).as(sql).isNotEmpty()
                    .noneMatch(v -> v.contains(SSN) || v.contains(SSN.replace('0', '9')) || v.contains(HIDDEN));
        }
    }
}
