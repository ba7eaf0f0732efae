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
 * The embedded H2 twin of {@link PostgresQuotedDottedNameIT}, in an in-memory database of the test's own: a forbid of
 * {@code drop}, {@code truncate}, {@code delete}, {@code alter} and
 * {@code rename} on {@code PUBLIC."tw_a.b"} and a mask on its column
 * {@code SSN} hold however the table is written, although the parser reads {@code "tw_a.b"} as the schema {@code tw_a}
 * and the table {@code b}: the unqualified dotted name is refused as read otherwise, the qualified one is read whole and
 * the forbid and the mask apply. The table and its row, read through a raw connection, are as they were; no getter of
 * a masked read gives the value.
 */
@RequiresDatabase(TestDatabase.H2)
class H2QuotedDottedNameIT {
    private static final String URL = "h2:mem:tw_dotted_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8)
            + ";DB_CLOSE_DELAY=-1";
    private static final String SSN = "219-45-6789";
    /** Forbids changing the table. */
    private static Path policy;
    /** Masks the table's column {@code ssn}, and nothing else. */
    private static Path masked;
    /** The one raw connection of the class; it also keeps the in-memory database open. */
    private static Connection raw;

    @BeforeAll
    static void database() throws SQLException, IOException {
        raw = DriverManager.getConnection("jdbc:" + URL, "sa", "");
        policy = Files.createTempFile("tw-h2-dotted", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                  - { id: keep-dotted, effect: forbid, actions: [drop, truncate, delete, alter, rename], resources: ['PUBLIC."tw_a.b"'] }
                """);
        masked = Files.createTempFile("tw-dotted-masked", ".yaml");
        Files.writeString(masked, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                masks:
                  - { id: hide-ssn, columns: { patterns: ['PUBLIC."tw_a.b".ssn'] }, function: redact }
                """);
    }

    @AfterAll
    static void dropDatabase() throws SQLException, IOException {
        try (Statement st = raw.createStatement()) {
            st.execute("DROP ALL OBJECTS");
        } finally {
            raw.close();
            Files.deleteIfExists(policy);
            Files.deleteIfExists(masked);
        }
    }

    /** The table made anew in one statement text (H2's DDL commits on its own). */
    @BeforeEach
    void table() throws SQLException {
        try (Statement st = raw.createStatement()) {
            st.execute("DROP ALL OBJECTS; CREATE TABLE PUBLIC.\"tw_a.b\" (ID INT, SSN VARCHAR(11));"
                    + " INSERT INTO PUBLIC.\"tw_a.b\" VALUES (1, '" + SSN + "')");
        }
    }

    private static Connection governed() throws SQLException {
        return governed(policy);
    }

    private static Connection governed(Path policy) throws SQLException {
        return GovernedTwins.governed(URL, "sa", policy, "tw-analyst", "human", null);
    }

    private static List<String> rawList(String sql) throws SQLException {
        return JdbcValues.firstColumnOfLast(raw, sql);
    }

    private static void assertUnchanged(String after) throws SQLException {
        assertThat(rawList("SELECT TABLE_SCHEMA || '.' || TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE TABLE_SCHEMA <> 'INFORMATION_SCHEMA'")).as("tables after " + after).containsExactly("PUBLIC.tw_a.b");
        assertThat(rawList("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'tw_a.b'"
                + " ORDER BY ORDINAL_POSITION")).as("columns after " + after).containsExactly("ID", "SSN");
        assertThat(rawList("SELECT ID || '|' || SSN FROM PUBLIC.\"tw_a.b\"")).as("rows after " + after)
                .containsExactly("1|" + SSN);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "DROP TABLE \"tw_a.b\"",
            "DROP TABLE IF EXISTS \"tw_a.b\"",
            "DROP TABLE PUBLIC.\"tw_a.b\"",
            "DROP TABLE \"PUBLIC\".\"tw_a.b\" CASCADE",
            "TRUNCATE TABLE \"tw_a.b\"",
            "TRUNCATE TABLE PUBLIC.\"tw_a.b\"",
            "DELETE FROM \"tw_a.b\"",
            "DELETE FROM PUBLIC.\"tw_a.b\" WHERE ID = 1",
            "ALTER TABLE \"tw_a.b\" RENAME TO TW_GONE",
            "ALTER TABLE PUBLIC.\"tw_a.b\" RENAME TO TW_GONE",
            "ALTER TABLE \"tw_a.b\" DROP COLUMN SSN",
            "ALTER TABLE PUBLIC.\"tw_a.b\" ALTER COLUMN SSN RENAME TO SSN2",
    })
    void theForbidOnTheDottedNameHoldsHoweverItIsWritten(String sql) throws SQLException {
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
            "SELECT SSN FROM \"tw_a.b\"",
            "SELECT * FROM \"tw_a.b\"",
            "SELECT SSN FROM PUBLIC.\"tw_a.b\"",
            "SELECT * FROM PUBLIC.\"tw_a.b\"",
            "SELECT t.SSN, CONCAT(t.SSN, '') FROM PUBLIC.\"tw_a.b\" t",
            "SELECT \"tw_a.b\".SSN FROM PUBLIC.\"tw_a.b\"",
    })
    void theMaskOnTheDottedNameHoldsHoweverItIsWritten(String sql) throws SQLException {
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
             ResultSet rs = st.executeQuery("SELECT ID, SSN FROM PUBLIC.\"tw_a.b\"")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getString(2)).isNotNull().isNotEqualTo(SSN).doesNotContain("6789");
            assertThat(rs.next()).isFalse();
        }
    }
}
