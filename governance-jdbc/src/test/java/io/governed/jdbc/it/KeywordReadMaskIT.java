package io.governed.jdbc.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A column named by a word the parser takes for a keyword ({@code settings}) read bare in a select list, a condition, an
 * ordering or a function's argument is read as that column, on PostgreSQL, MariaDB and H2, so a mask on it holds: every
 * getter of every row gives the redacted value, never the stored one; a copy of it into a column no mask covers is
 * refused, and the row, read raw, keeps its note. The plain read runs (it was refused to everyone as unparseable before).
 */
class KeywordReadMaskIT {
    private static final String SECRET = "topsecret-4711";

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB", "H2"})
    void aMaskedColumnNamedByAKeywordStaysMaskedWhereverItIsRead(TestDatabase db) throws Exception {
        db.requireReachable();
        String t = UniqueNames.of("mf_kwread");
        Path policy = Files.createTempFile("mf-kw-read", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                masks:
                  - { id: hide-settings, columns: { patterns: ['%s.settings'] }, function: redact }
                """.formatted(t));
        try (Connection raw = db.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + t);
            st.execute("CREATE TABLE " + t + " (id int PRIMARY KEY, settings varchar(40), note varchar(40))");
            st.execute("INSERT INTO " + t + " (id, settings, note) VALUES (1, '" + SECRET + "', 'plain')");
        }
        try {
            try (Connection c = db.connectGoverned(policy, null); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT settings FROM " + t)) {
                assertThat(rs.next()).as("the plain read runs").isTrue();
                assertThat(rs.getString(1)).isNotNull().doesNotContain(SECRET).doesNotContain("4711");
            }
            for (String sql : List.of(
                    "SELECT settings FROM " + t,
                    "SELECT id, settings, note FROM " + t + " WHERE settings IS NOT NULL ORDER BY settings",
                    "SELECT id, settings FROM " + t + " WHERE id = 1 AND settings <> 'x'",
                    "SELECT upper(settings), lower(settings) FROM " + t,
                    "SELECT max(settings), min(settings) FROM " + t,
                    "SELECT CASE WHEN id = 1 THEN settings END, settings FROM " + t,
                    "SELECT x.id, settings FROM " + t + " x JOIN (SELECT 1 AS k) y ON x.id = y.k",
                    "SELECT note FROM " + t + " WHERE settings = '" + SECRET + "'")) {
                List<String> seen = new ArrayList<>();
                try (Connection c = db.connectGoverned(policy, null); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery(sql)) {
                    seen.addAll(EveryGetter.ofAllRows(rs));
                } catch (SQLException refused) {
                    assertThat((Throwable) refused).as(sql).isInstanceOf(GovernanceException.class);
                    assertThat(refused.getMessage()).as(sql).doesNotContain(SECRET);
                }
                assertThat(String.join("\n", seen)).as(db + ": " + sql).doesNotContain(SECRET).doesNotContain("4711");
            }
            // a copy of the masked column into one no mask covers
            for (String sql : List.of("UPDATE " + t + " SET note = settings WHERE id = 1",
                    "UPDATE " + t + " SET note = upper(settings)")) {
                try (Connection c = db.connectGoverned(policy, null); Statement st = c.createStatement()) {
                    st.executeUpdate(sql);
                } catch (SQLException refused) {
                    assertThat((Throwable) refused).as(sql).isInstanceOf(GovernanceException.class);
                }
                try (Connection raw = db.connectRaw(); Statement st = raw.createStatement();
                     ResultSet rs = st.executeQuery("SELECT note FROM " + t)) {
                    rs.next();
                    assertThat(rs.getString(1)).as(db + ": " + sql).doesNotContain(SECRET).doesNotContain("4711")
                            .doesNotContain("TOPSECRET");
                }
            }
        } finally {
            try (Connection raw = db.connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + t);
            }
            Files.deleteIfExists(policy);
        }
    }
}
