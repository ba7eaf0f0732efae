package io.governed.jdbc.masking;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On H2, with auto-detection on, columns the driver reads itself before a statement is decided: a column whose values
 * are of a type that holds no text (dates, booleans, fractions, UUIDs) is settled by that read as holding nothing to mask,
 * so what a query computes from it comes back as it is and an agent may filter on it; a column the read cannot settle
 * because a detector recognised some of its few values, or because its values could not be read, counts for the
 * decision as a column the masks may select: copying values computed from it into another table is refused, and so is
 * an agent's filter on it.
 */
class H2UnprovenColumnsTest {
    private static final String POLICY = """
            version: 1
            classification: { auto-detect: true, tags: { pii.email: ["*.email"] } }
            rules:
              - { id: everyone, effect: permit, actions: [select, insert] }
            masks:
              - { id: mask-email, columns: { tags: [pii.email] }, function: email }
            """;

    private final String db = "jdbc:h2:mem:unproven-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private Path policy;
    private Connection raw;

    @BeforeEach
    void fixture() throws Exception {
        policy = Files.createTempFile("unproven", ".yaml");
        Files.writeString(policy, POLICY);
        raw = DriverManager.getConnection(db);
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE orders (id INT PRIMARY KEY, created DATE, paid BOOLEAN, amount DECIMAL(10, 2),"
                    + " ratio DOUBLE PRECISION, ref UUID, seen TIMESTAMP)");
            for (int i = 1; i <= 300; i++) {
                s.execute("INSERT INTO orders VALUES (" + i + ", DATE '2026-01-01' + " + i + ", " + (i % 2 == 0) + ", " + i
                        + ".25, " + i + ".5, RANDOM_UUID(), TIMESTAMP '2026-01-01 10:00:00' + INTERVAL '" + i + "' MINUTE)");
            }
            s.execute("CREATE TABLE visits (id INT PRIMARY KEY, visited DATE)");
            s.execute("INSERT INTO visits VALUES (1, DATE '2026-02-01'), (2, DATE '2026-02-02')");
            s.execute("CREATE TABLE rooms (id INT PRIMARY KEY, label VARCHAR(40), owner VARCHAR(80))");
            s.execute("INSERT INTO rooms VALUES (1, 'north hall', 'ann.example@example.org'), (2, 'south hall', "
                    + "'bob.example@example.org'), (3, 'attic', NULL)");
            s.execute("CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(200))");
        }
    }

    @AfterEach
    void close() throws Exception {
        raw.close();
        Files.deleteIfExists(policy);
    }

    private Connection as(String kind) throws SQLException {
        return H2ValueDetectionTest.as(db, policy, kind);
    }

    private static List<String> row(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getString(i));
            }
        }
        return values;
    }

    private int notes() throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM notes")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"human", "agent"})
    void valuesComputedFromColumnsOfDatesBooleansFractionsAndUuidsComeBackAsTheyAre(String kind) throws SQLException {
        String query = "SELECT created + 1, NOT paid, amount * 2, ratio * 2, CAST(ref AS VARCHAR), seen + INTERVAL '1' HOUR,"
                + " EXTRACT(MONTH FROM created) FROM orders WHERE id = 40";
        try (Connection c = as(kind)) {
            assertThat(row(c, query)).isEqualTo(row(raw, query)).doesNotContainNull().doesNotContain("****");
            String few = "SELECT visited + 7 FROM visits WHERE id = 2";
            assertThat(row(c, few)).as("a table of two dates").isEqualTo(row(raw, few)).containsExactly("2026-02-09");
        }
    }

    @Test
    void anAgentMayFilterOnADateColumnAndCopyWhatItComputesFromIt() throws SQLException {
        try (Connection c = as("agent"); Statement s = c.createStatement()) {
            String filtered = "SELECT COUNT(*) FROM orders WHERE created > DATE '2026-10-01' AND paid";
            assertThat(row(c, filtered)).isEqualTo(row(raw, filtered)).doesNotContain("0");
            assertThat(s.executeUpdate("INSERT INTO notes (note) SELECT CAST(created + 1 AS VARCHAR) FROM orders WHERE id <= 3"))
                    .isEqualTo(3);
        }
        assertThat(notes()).isEqualTo(3);
    }

    @Test
    void valuesComputedFromAColumnHoldingAFewAddressesMayNotBeCopiedElsewhere() throws SQLException {
        try (Connection c = as("human"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO notes (note) SELECT REPLACE(owner, '@', ' at ') FROM rooms"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42501");
                        assertThat(e.getMessage()).contains("OWNER").contains("mask-email")
                                .contains("holds values auto-detection recognises, too few yet to classify it")
                                .contains("classification.tags").doesNotContain("example");
                    });
            assertThat(notes()).isZero();
            // the column beside it holds no address: what is computed from it is copied
            assertThat(s.executeUpdate("INSERT INTO notes (note) SELECT UPPER(label) FROM rooms")).isEqualTo(3);
        }
        assertThat(notes()).isEqualTo(3);
    }

    @Test
    void anAgentMayNotFilterOnAColumnHoldingAFewAddresses() throws SQLException {
        try (Connection c = as("agent"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT label FROM rooms WHERE owner LIKE 'ann%'"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            assertThat(row(c, "SELECT label FROM rooms WHERE id = 1")).containsExactly("north hall");
        }
    }

    @Test
    void valuesComputedFromAColumnWhoseValuesCannotBeReadMayNotBeCopiedElsewhere() throws SQLException {
        // the driver's own read of the view's column fails on the fourth row; the caller's statement reads the first three
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE people (id INT PRIMARY KEY, reach VARCHAR(80))");
            for (int i = 1; i <= 4; i++) {
                s.execute("INSERT INTO people VALUES (" + i + ", 'person.number" + i + "@example.org')");
            }
            s.execute("CREATE VIEW contact AS SELECT id, CASE WHEN id <= 3 THEN reach ELSE CAST(1 / (id - id) AS VARCHAR) END"
                    + " AS reach FROM people");
        }
        try (Connection c = as("human"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO notes (note) SELECT REPLACE(reach, '@', ' at ') FROM contact"
                    + " WHERE id <= 3"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42501");
                        assertThat(e.getMessage()).contains("its values could not be read").doesNotContain("person.number");
                    });
        }
        assertThat(notes()).isZero();
    }
}
