package io.governed.jdbc.it;

import io.governed.jdbc.support.EveryGetter;
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
 * MariaDB (with {@code lower_case_table_names=0}, its default on Linux) compares table aliases exactly: in
 * {@code SELECT X.ssn FROM open AS x, vault AS X}, {@code X} is {@code vault}, and in a subquery {@code X.ssn} is an
 * enclosing {@code X}'s past the subquery's own {@code x}. The analysis reads unquoted names without their case, so an
 * alias that several relations may answer to stands for all of them: the masked column never comes back in clear.
 */
class MariaDbAliasCaseIT {
    private static final String SECRET = "k7secret0042";

    @TempDir
    Path dir;

    @Test
    void anAliasDifferingOnlyInCaseMayNameEitherRelation() throws Exception {
        TestDatabase database = TestDatabase.MARIADB;
        database.requireReachable();
        String open = UniqueNames.of("alias_open");
        String vault = UniqueNames.of("alias_vault");
        try (Connection raw = database.connectRaw(); Statement s = raw.createStatement()) {
            assertThat(lowerCaseTableNames(s)).as("the server compares aliases exactly").isZero();
            s.execute("CREATE TABLE " + open + " (id INT, ssn VARCHAR(20))");
            s.execute("INSERT INTO " + open + " VALUES (1, 'open')");
            s.execute("CREATE TABLE " + vault + " (id INT, ssn VARCHAR(20))");
            s.execute("INSERT INTO " + vault + " VALUES (1, '" + SECRET + "')");
        }
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: read, effect: permit, actions: [select] }
                masks:
                  - { id: hide-vault, columns: { patterns: ["%s.ssn"] }, function: redact }
                """.formatted(vault));
        List<String> leaks = new ArrayList<>();
        int answered = 0;
        try (Connection c = database.connectGoverned(policy, null, "analysts"); Statement s = c.createStatement()) {
            for (String sql : List.of(
                    "SELECT X.ssn FROM " + open + " AS x, " + vault + " AS X",
                    "SELECT X.ssn FROM " + open + " AS x JOIN (SELECT id, ssn FROM " + vault + ") AS X ON x.id = X.id",
                    "SELECT (SELECT X.ssn FROM " + open + " AS x LIMIT 1) FROM " + vault + " AS X",
                    "SELECT X.* FROM " + open + " AS x, " + vault + " AS X",
                    "SELECT concat(X.ssn, '') AS v FROM " + open + " AS x, " + vault + " AS X")) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    answered++;
                    if (EveryGetter.ofAllRows(rs).stream().anyMatch(v -> v.contains(SECRET))) {
                        leaks.add(sql);
                    }
                } catch (SQLException e) {
                    assertThat(e.getSQLState()).as(sql).isEqualTo("42501");
                }
            }
        } finally {
            try (Connection raw = database.connectRaw(); Statement s = raw.createStatement()) {
                s.execute("DROP TABLE " + open + ", " + vault);
            }
        }
        assertThat(answered).as("statements answered").isPositive();
        assertThat(leaks).as("statements that returned the masked column in clear").isEmpty();
    }

    private static int lowerCaseTableNames(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT @@lower_case_table_names")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
