package io.governed.jdbc.it;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.GovernedTwins;
import io.governed.jdbc.support.JdbcValues;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MariaDB twin of {@link PostgresQuotedDottedNameIT}, in a database of the test's own: a forbid of {@code drop},
 * {@code truncate}, {@code delete}, {@code alter} and
 * {@code rename} on {@code db.`tw_a.b`} and a mask on its column {@code ssn} hold
 * however the table is written, although the parser reads {@code `tw_a.b`} as the database {@code tw_a} and the table
 * {@code b}: the unqualified dotted name is refused as read otherwise (saying to qualify or rename it), the qualified one
 * is read whole and the forbid and the mask apply. The table and its row, read through a raw connection, are as they
 * were; no getter of a masked read gives the value.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbQuotedDottedNameIT {
    private static final String DB = "tw_dq_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String URL = "mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000";
    private static final String SSN = "219-45-6789";
    /** Forbids changing the table. */
    private static Path policy;
    /** Masks the table's column {@code ssn}, and nothing else. */
    private static Path masked;
    /** The one raw connection of the class. */
    private static Connection raw;

    @BeforeAll
    static void database() throws SQLException, IOException {
        raw = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + TestDatabase.DATABASE + "?allowMultiQueries=true&connectTimeout=5000",
                "root", "");
        policy = Files.createTempFile("tw-dotted", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                  - { id: keep-dotted, effect: forbid, actions: [drop, truncate, delete, alter, rename], resources: ['%1$s."tw_a.b"'] }
                """.formatted(DB));
        masked = Files.createTempFile("tw-dotted-masked", ".yaml");
        Files.writeString(masked, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                masks:
                  - { id: hide-ssn, columns: { patterns: ['%1$s."tw_a.b".ssn'] }, function: redact }
                """.formatted(DB));
    }

    @AfterAll
    static void dropDatabase() throws SQLException, IOException {
        try (Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
        } finally {
            raw.close();
            Files.deleteIfExists(policy);
            Files.deleteIfExists(masked);
        }
    }

    /** The database made anew in one round trip (MariaDB's DDL commits on its own). */
    @BeforeEach
    void table() throws SQLException {
        try (Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + "; CREATE DATABASE " + DB + ";"
                    + " CREATE TABLE " + DB + ".`tw_a.b` (id int, ssn varchar(11));"
                    + " INSERT INTO " + DB + ".`tw_a.b` VALUES (1, '" + SSN + "')");
        }
    }

    private static Connection governed() throws SQLException {
        return governed(policy);
    }

    private static Connection governed(Path policy) throws SQLException {
        return GovernedTwins.governed(URL, "root", policy, "tw-analyst", "human", null);
    }

    private static List<String> rawList(String sql) throws SQLException {
        return JdbcValues.firstColumnOfLast(raw, sql);
    }

    private static void assertUnchanged(String after) throws SQLException {
        assertThat(rawList("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + DB + "'"))
                .as("tables after " + after).containsExactly("tw_a.b");
        assertThat(rawList("SELECT concat(column_name, ' ', column_type) FROM information_schema.columns"
                + " WHERE table_schema = '" + DB + "' AND table_name = 'tw_a.b' ORDER BY ordinal_position"))
                .as("columns after " + after).containsExactly("id int(11)", "ssn varchar(11)");
        assertThat(rawList("SELECT concat(id, '|', ssn) FROM " + DB + ".`tw_a.b`")).as("rows after " + after)
                .containsExactly("1|" + SSN);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "DROP TABLE `tw_a.b`",
            "DROP TABLE IF EXISTS `tw_a.b`",
            "DROP TABLE {DB}.`tw_a.b`",
            "DROP TABLE `{DB}`.`tw_a.b`",
            "TRUNCATE `tw_a.b`",
            "TRUNCATE TABLE {DB}.`tw_a.b`",
            "DELETE FROM `tw_a.b`",
            "DELETE FROM {DB}.`tw_a.b` WHERE id = 1",
            "ALTER TABLE `tw_a.b` RENAME TO tw_gone",
            "ALTER TABLE {DB}.`tw_a.b` RENAME TO tw_gone",
            "ALTER TABLE `tw_a.b` DROP COLUMN ssn",
            "RENAME TABLE `tw_a.b` TO tw_gone",
            "RENAME TABLE {DB}.`tw_a.b` TO tw_gone",
    })
    void theForbidOnTheDottedNameHoldsHoweverItIsWritten(String form) throws SQLException {
        String sql = form.replace("{DB}", DB);
        try (Connection c = governed(); Statement st = c.createStatement()) {
            SQLException refused = null;
            try {
                st.execute(sql);
            } catch (SQLException e) {
                refused = e;
            }
            assertThat((Throwable) refused).as(sql).isInstanceOf(GovernanceException.class);
            assertThat(refused.getMessage()).as(sql).containsAnyOf("keep-dotted", "rename the object", "could not be parsed")
                    .doesNotContain(SSN);
        }
        assertUnchanged(sql);
    }

    /** The unqualified dotted name is refused; the qualified one reads the row with the masked column redacted. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "SELECT ssn FROM `tw_a.b`",
            "SELECT * FROM `tw_a.b`",
            "SELECT ssn FROM {DB}.`tw_a.b`",
            "SELECT * FROM {DB}.`tw_a.b`",
            "SELECT t.ssn, concat(t.ssn, '') FROM {DB}.`tw_a.b` t",
            "SELECT `tw_a.b`.ssn FROM {DB}.`tw_a.b`",
    })
    void theMaskOnTheDottedNameHoldsHoweverItIsWritten(String form) throws SQLException {
        String sql = form.replace("{DB}", DB);
        List<String> seen = new ArrayList<>();
        try (Connection c = governed(masked); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            seen.addAll(EveryGetter.ofAllRows(rs));
            assertThat(seen).as(sql).isNotEmpty();
        } catch (SQLException refused) {
            assertThat(refused.getMessage()).as(sql).doesNotContain(SSN);
            assertThat((Throwable) refused).as(sql).isInstanceOf(GovernanceException.class);
        }
        assertThat(String.join("\n", seen)).as(sql).doesNotContain(SSN).doesNotContain("6789");
        assertUnchanged(sql);
    }

    /** The qualified name is read whole: the column the mask does not name reads in clear, the masked one redacted. */
    @Test
    void theQualifiedNameIsReadWhole() throws SQLException {
        try (Connection c = governed(masked); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, ssn FROM " + DB + ".`tw_a.b`")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getString(2)).isNotNull().isNotEqualTo(SSN).doesNotContain("6789");
            assertThat(rs.next()).isFalse();
        }
    }
}
