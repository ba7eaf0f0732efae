package io.governed.jdbc.masking;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On H2, columns no tag names whose values auto-detection recognises: a value computed from such a column (its first
 * letters, say) is no sample of the column's values, so reading computed values first does not settle an e-mail
 * column as holding no e-mail addresses, for this connection or any other, nor is a result read in another identity's
 * scope while the column is sampled handed out unchecked, nor an array of its values, nor a value computed from it
 * before the column is classified (the driver reads the column itself first); and an e-mail address or SSN
 * kept as bytes (VARBINARY, BLOB) is recognised as its text is, so no getter hands the bytes out in clear.
 */
class H2ValueDetectionTest {
    private static final String POLICY = """
            version: 1
            classification: { auto-detect: true, tags: { pii.email: ["*.email"], pii.ssn: ["*.ssn"] } }
            rules:
              - { id: everyone, effect: permit, actions: [select] }
            masks:
              - { id: mask-email, columns: { tags: [pii.email] }, function: email }
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4 }
            """;
    private static final int ROWS = 30;

    private final String db = "jdbc:h2:mem:detection-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private Path policy;
    private Connection raw;

    @BeforeEach
    void fixture() throws Exception {
        policy = Files.createTempFile("detection", ".yaml");
        Files.writeString(policy, POLICY);
        raw = DriverManager.getConnection(db);
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE contacts (id INT PRIMARY KEY, reach VARCHAR(80), reach_bytes VARBINARY(80), reach_blob BLOB,"
                    + " tax_bytes VARBINARY(20), other_bytes VARBINARY(8))");
            for (int i = 1; i <= ROWS; i++) {
                String email = "person.number" + i + "@example.org";
                String ssn = String.format("%03d-%02d-%04d", 100 + i * 7, 10 + i, 1000 + i * 37);
                s.execute("INSERT INTO contacts VALUES (" + i + ", '" + email + "', X'" + hex(email) + "', X'" + hex(email)
                        + "', X'" + hex(ssn) + "', X'00FF10')");
            }
        }
    }

    @AfterEach
    void close() throws Exception {
        raw.close();
        Files.deleteIfExists(policy);
    }

    private static String hex(String text) {
        StringBuilder b = new StringBuilder();
        for (byte x : text.getBytes(StandardCharsets.UTF_8)) {
            b.append(String.format("%02X", x));
        }
        return b.toString();
    }

    private Connection as(String kind) throws SQLException {
        return as(db, policy, kind);
    }

    /**
     * A governed connection to the H2 database {@code db} under the policy file {@code policy}, as ann of that kind (an
     * agent acts for bob), auditing to memory.
     */
    static Connection as(String db, Path policy, String kind) throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "ann");
        p.setProperty("governed.kind", kind);
        if (kind.equals("agent")) {
            p.setProperty("governed.on-behalf-of", "bob");
        }
        p.setProperty("governed.audit", "memory");
        return DriverManager.getConnection("jdbc:governed:" + db.substring("jdbc:".length()), p);
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    @ParameterizedTest
    @ValueSource(strings = {"SUBSTRING(reach, 1, 3)", "LEFT(reach, 6)", "REPLACE(reach, '@', ' at ')", "UPPER(SUBSTRING(reach, 2))",
            "CAST(LENGTH(reach) AS VARCHAR)"})
    void computedValuesReadFirstDoNotSettleAnEmailColumnAsHoldingNone(String computed) throws SQLException {
        try (Connection c = as("human")) {
            assertThat(column(c, "SELECT " + computed + " FROM contacts ORDER BY id")).hasSize(ROWS);
            assertThat(column(c, "SELECT reach FROM contacts ORDER BY id")).as("read after " + computed)
                    .hasSize(ROWS).allSatisfy(v -> assertThat(v).startsWith("p***@").doesNotContain("person.number"));
        }
        try (Connection other = as("agent")) {
            assertThat(column(other, "SELECT reach FROM contacts ORDER BY id")).as("another connection, after " + computed)
                    .allSatisfy(v -> assertThat(v).startsWith("p***@").doesNotContain("person.number"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"WHERE note NOT LIKE '%@%'", "WHERE id > 25", "WHERE id IN (SELECT id FROM notes n WHERE n.note"
            + " NOT LIKE '%@%')", "ORDER BY note DESC LIMIT 24", "ORDER BY id DESC", "JOIN contacts c ON c.id = notes.id + 25"})
    void aQueryChoosingWhichValuesItReadsDoesNotSettleTheColumnForEveryone(String choice) throws SQLException {
        // half the notes are e-mail addresses: rows chosen not to be settle the column as holding none, unless chosen
        // rows are no sample of it
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE notes (id INT PRIMARY KEY, note VARCHAR(80))");
            for (int i = 1; i <= 50; i++) {
                s.execute("INSERT INTO notes VALUES (" + i + ", '" + (i <= 25 ? "person.number" + i + "@example.org"
                        : "unknown") + "')");
            }
        }
        try (Connection c = as("human")) {
            assertThat(column(c, "SELECT note FROM notes " + choice)).as(choice).isNotEmpty()
                    .noneSatisfy(v -> assertThat(v).contains("person.number"));
            assertThat(column(c, "SELECT note FROM notes")).as("read after " + choice).hasSize(50)
                    .noneSatisfy(v -> assertThat(v).contains("person.number"));
        }
    }

    @Test
    void aResultReadInAnotherIdentitysScopeWhileTheColumnIsSampledIsStillChecked() throws SQLException {
        try (Connection c = as("human"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT reach FROM contacts ORDER BY id")) {
            List<String> read = io.governed.jdbc.identity.IdentityContext.runAs(io.governed.identity.Identity.human("bob"), () -> {
                List<String> values = new ArrayList<>();
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
                return values;
            });
            assertThat(read).hasSize(ROWS).allSatisfy(v -> assertThat(v).startsWith("p***@").doesNotContain("person.number"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT ARRAY[reach] FROM contacts ORDER BY id", "SELECT ARRAY_AGG(reach ORDER BY id) FROM contacts",
            "SELECT ARRAY[CAST(id AS VARCHAR), reach] FROM contacts ORDER BY id"})
    void anArrayOfEmailAddressesIsNotHandedOutInClearWhileTheColumnIsSampled(String query) throws SQLException {
        try (Connection c = as("human"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                assertThat(io.governed.jdbc.support.EveryGetter.of(rs, 1, rs.getMetaData().getColumnLabel(1)).values())
                        .allSatisfy(v -> assertThat(v).doesNotContain("person.number"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"CONCAT(reach, '')", "COALESCE(reach, CAST(id AS VARCHAR))", "CASE WHEN id > 0 THEN reach ELSE CAST(id AS VARCHAR) END"})
    void aComputedValueOfAnEmailColumnIsRedactedOnItsFirstRead(String computed) throws SQLException {
        // the driver classifies the column from its own read of it first: a computed value of an e-mail column is redacted,
        // as the computed value of a tagged one is (part of it could give the address away)
        try (Connection c = as("human")) {
            assertThat(column(c, "SELECT " + computed + " FROM contacts ORDER BY id"))
                    .hasSize(ROWS).allSatisfy(v -> assertThat(v).isEqualTo("****"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"REPLACE(reach, '@', ' at ')", "SUBSTRING(reach, 1, 14)", "CONCAT(reach, '1')",
            "UPPER(REPLACE(reach, '.', ' '))", "REPLACE(reach, '.', '')", "TRANSLATE(reach, '@.', '#,')",
            "REGEXP_REPLACE(reach, '@.*', '')", "CONCAT(LEFT(reach, 7), ' ', SUBSTRING(reach, 8, 7))"})
    void aValueReEncodedFromAColumnStillSampledIsNotHandedOutInClear(String computed) throws SQLException {
        try (Connection c = as("human")) {
            assertThat(column(c, "SELECT " + computed + " FROM contacts ORDER BY id")).as(computed).hasSize(ROWS)
                    .allSatisfy(v -> assertThat(v.toLowerCase(java.util.Locale.ROOT)).as(computed)
                            .doesNotContain("person.number").doesNotContain("person number")
                            .doesNotContain("personnumber").doesNotContain("number1"));
        }
    }

    @Test
    void aValueComputedFromAFewValuesHoldingNoAddressIsHandedOutAndFromAFewAddressesIsNot() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE rooms (id INT PRIMARY KEY, label VARCHAR(40), owner VARCHAR(80))");
            s.execute("INSERT INTO rooms VALUES (1, 'north hall', 'ann.example@example.org'), (2, 'south hall', "
                    + "'bob.example@example.org'), (3, 'attic', NULL)");
        }
        try (Connection c = as("human")) {
            assertThat(column(c, "SELECT UPPER(label) FROM rooms ORDER BY id"))
                    .containsExactly("NORTH HALL", "SOUTH HALL", "ATTIC");
            assertThat(column(c, "SELECT REPLACE(owner, '@', ' at ') FROM rooms WHERE owner IS NOT NULL ORDER BY id"))
                    .hasSize(2).allSatisfy(v -> assertThat(v).doesNotContain("example at").doesNotContain("ann.example"));
        }
    }

    @Test
    void valuesOfSeveralColumnsStillSampledAreChecked() throws SQLException {
        try (Connection c = as("human")) {
            assertThat(column(c, "SELECT reach FROM contacts WHERE id <= 15 UNION ALL SELECT reach FROM contacts WHERE id > 15"))
                    .hasSize(ROWS).allSatisfy(v -> assertThat(v).startsWith("p***@").doesNotContain("person.number"));
        }
    }

    @Test
    void emailAddressesAndSsnsKeptAsBytesAreNotHandedOutInClear() throws Exception {
        try (Connection c = as("human"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT reach_bytes, reach_blob, tax_bytes, other_bytes FROM contacts ORDER BY id")) {
            while (rs.next()) {
                for (int i = 1; i <= 3; i++) {
                    for (String value : io.governed.jdbc.support.EveryGetter.of(rs, i, rs.getMetaData().getColumnLabel(i)).values()) {
                        assertThat(value).as("column %d", i).doesNotContain("person.number").doesNotContainPattern("\\d{3}-\\d{2}-\\d{4}");
                    }
                }
                assertThat(rs.getBytes(4)).as("bytes that are no text pass as they are").containsExactly(0x00, 0xFF, 0x10);
            }
        }
    }
}
