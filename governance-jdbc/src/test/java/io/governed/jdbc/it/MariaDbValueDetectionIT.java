package io.governed.jdbc.it;

import io.governed.jdbc.support.EveryGetter;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On MariaDB, a column no tag names whose values are e-mail addresses: reading values computed from it first (their
 * first letters) does not settle it as holding no e-mail addresses, so a later read of the column, on this connection
 * or another, is masked; values computed from it, alone or with other columns, are handed out only once the driver has
 * classified the column from its own read of it (redacted, as its values are addresses); and the same addresses kept in VARBINARY and BLOB columns, which Connector/J gives as bytes, are
 * recognised as their text is and come out of no getter in clear.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbValueDetectionIT {
    private static final TestDatabase DATABASE = TestDatabase.MARIADB;
    private static final int ROWS = 30;
    private final String table = UniqueNames.of("vdet");

    @TempDir
    Path dir;
    private Path policy;

    @BeforeEach
    void fixture() throws Exception {
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                classification: { auto-detect: true, tags: { pii.email: ["*.email"] } }
                rules:
                  - { id: readers, effect: permit, principals: { groups: [readers] }, actions: [select], resources: ["*"] }
                masks:
                  - { id: mask-email, columns: { tags: [pii.email] }, function: email }
                """);
        try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, reach VARCHAR(80), reach_bytes VARBINARY(80), reach_blob BLOB)");
            for (int i = 1; i <= ROWS; i++) {
                String email = "'person.number" + i + "@example.org'";
                st.execute("INSERT INTO " + table + " VALUES (" + i + ", " + email + ", BINARY " + email + ", BINARY " + email + ")");
            }
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    private Connection reader() throws SQLException {
        return DATABASE.connectGoverned(policy, null, "readers");
    }

    private List<String> column(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    @Test
    void theFirstLettersReadFirstDoNotSettleTheColumnAsHoldingNoEmailAddresses() throws SQLException {
        try (Connection c = reader()) {
            assertThat(column(c, "SELECT SUBSTRING(reach, 1, 3) FROM " + table + " ORDER BY id")).hasSize(ROWS);
            assertThat(column(c, "SELECT reach FROM " + table + " ORDER BY id")).hasSize(ROWS)
                    .allSatisfy(v -> assertThat(v).startsWith("p***@").doesNotContain("person.number"));
        }
        try (Connection other = reader()) {
            assertThat(column(other, "SELECT reach FROM " + table + " ORDER BY id")).hasSize(ROWS)
                    .allSatisfy(v -> assertThat(v).startsWith("p***@").doesNotContain("person.number"));
        }
    }

    @Test
    void valuesComputedFromSeveralColumnsOfAnAddressColumnAreRedactedOnTheirFirstRead() throws SQLException {
        // the driver classifies the column from its own read of it first: a computed value of an address column is
        // redacted, as the computed value of a tagged one is
        try (Connection c = reader()) {
            for (String computed : List.of("COALESCE(reach, CAST(id AS CHAR))", "IF(id > 0, reach, CAST(id AS CHAR))",
                    "CONCAT(reach, '')")) {
                assertThat(column(c, "SELECT " + computed + " FROM " + table + " ORDER BY id")).as(computed).hasSize(ROWS)
                        .allSatisfy(v -> assertThat(v).isEqualTo("****"));
            }
        }
    }

    @Test
    void valuesReEncodedFromTheColumnWhileItIsSampledComeOutInNoReadableForm() throws SQLException {
        for (String computed : List.of("REPLACE(reach, '@', ' at ')", "SUBSTRING_INDEX(reach, '@', 1)", "REVERSE(reach)",
                "HEX(reach)", "TO_BASE64(reach)", "CONCAT(reach, '1')", "INSERT(reach, 15, 1, ' at ')",
                "REGEXP_REPLACE(reach, '[.@]', ' ')", "UPPER(REPLACE(reach, '.', ''))")) {
            try (Connection c = reader()) {
                assertThat(column(c, "SELECT " + computed + " FROM " + table + " ORDER BY id")).as(computed).hasSize(ROWS)
                        .allSatisfy(v -> assertThat(v.toLowerCase(java.util.Locale.ROOT)).as(computed)
                                .doesNotContain("person.number").doesNotContain("rebmun.nosrep")
                                .doesNotContain("706572736f6e2e6e756d626572").doesNotContain("cgvyc29ulm51bwjlc")
                                .doesNotContain("person number").doesNotContain("personnumber"));
            }
        }
    }

    @Test
    void valuesComputedFromAColumnOfDatesOrFractionsComeBackAsTheyAreAndFromAFewAddressesAreNotCopied() throws Exception {
        String typed = UniqueNames.of("vdet_typed");
        String few = UniqueNames.of("vdet_few");
        String copies = UniqueNames.of("vdet_copies");
        Path writing = dir.resolve("writers.yaml");
        Files.writeString(writing, """
                version: 1
                default: deny
                classification: { auto-detect: true, tags: { pii.email: ["*.email"] } }
                rules:
                  - { id: writers, effect: permit, principals: { groups: [writers] }, actions: [select, insert], resources: ["*"] }
                masks:
                  - { id: mask-email, columns: { tags: [pii.email] }, function: email }
                """);
        try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE " + typed + " (id INT PRIMARY KEY, created DATE, amount DECIMAL(10, 2), seen DATETIME)");
            for (int i = 1; i <= 300; i++) {
                st.execute("INSERT INTO " + typed + " VALUES (" + i + ", DATE '2026-01-01' + INTERVAL " + i + " DAY, " + i
                        + ".25, TIMESTAMP '2026-01-01 10:00:00' + INTERVAL " + i + " MINUTE)");
            }
            st.execute("CREATE TABLE " + few + " (id INT PRIMARY KEY, label VARCHAR(40), owner VARCHAR(80))");
            st.execute("INSERT INTO " + few + " VALUES (1, 'north hall', 'ann.example@example.org'),"
                    + " (2, 'south hall', 'bob.example@example.org'), (3, 'attic', NULL)");
            st.execute("CREATE TABLE " + copies + " (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(200))");
        }
        try (Connection raw = DATABASE.connectRaw(); Connection c = DATABASE.connectGoverned(writing, null, "writers");
             Statement s = c.createStatement()) {
            for (String computed : List.of("created + INTERVAL 1 DAY", "amount * 2", "seen + INTERVAL 1 HOUR", "MONTH(created)")) {
                String query = "SELECT " + computed + " FROM " + typed + " WHERE id = 40";
                assertThat(column(c, query)).as(computed).isEqualTo(column(raw, query)).doesNotContainNull()
                        .doesNotContain("****");
            }
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO " + copies + " (note) SELECT REPLACE(owner, '@', ' at ') FROM "
                    + few)).isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42501");
                        assertThat(e.getMessage()).contains("mask-email").contains("classification.tags").doesNotContain("example");
                    });
            assertThat(column(raw, "SELECT COUNT(*) FROM " + copies)).containsExactly("0");
            assertThat(s.executeUpdate("INSERT INTO " + copies + " (note) SELECT UPPER(label) FROM " + few)).isEqualTo(3);
        } finally {
            try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + typed + ", " + few + ", " + copies);
            }
        }
    }

    @Test
    void emailAddressesKeptAsBytesComeOutOfNoGetterInClear() throws SQLException {
        try (Connection c = reader(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT reach_bytes, reach_blob FROM " + table + " ORDER BY id")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                for (int i = 1; i <= 2; i++) {
                    assertThat(EveryGetter.of(rs, i, rs.getMetaData().getColumnLabel(i)).values()).as("column %d", i)
                            .allSatisfy(v -> assertThat(v).doesNotContain("person.number"));
                }
            }
            assertThat(rows).isEqualTo(ROWS);
        }
    }
}
