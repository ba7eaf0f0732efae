package io.governed.jdbc.masking;

import io.governed.jdbc.GovernanceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On H2, an UPDATE that writes a masked column's value back in the form its caller reads it (an entity read and saved
 * whole, as Hibernate does without {@code @DynamicUpdate}) is refused (42501, naming the mask, never the value), run
 * alone or batched; the stored value stays in clear (read through a raw connection). A new value in any other form is
 * written, and a caller the mask exempts writes whatever it binds.
 */
class H2MaskedWriteBackTest {
    private final String db = "jdbc:h2:mem:write-back-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private Path policy;
    private Path key;
    private Connection raw;

    @BeforeEach
    void fixture() throws Exception {
        policy = Files.createTempFile("write-back", ".yaml");
        key = Files.createTempFile("write-back", ".key");
        Files.writeString(key, "0123456789abcdef0123456789abcdef");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: work, effect: permit, actions: [select, insert, update, delete] }
                masks:
                  - { id: mask-ssn, columns: { patterns: ["*.people.ssn"] }, function: partial, keep-last: 4, unless: { groups: [hr] } }
                  - { id: hide-note, columns: { patterns: ["*.people.note"] }, function: "null", unless: { groups: [hr] } }
                  - { id: hash-card, columns: { patterns: ["*.people.card"] }, function: hash, key-file: "%s", unless: { groups: [hr] } }
                """.formatted(key));
        raw = DriverManager.getConnection(db);
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(40), ssn VARCHAR(11), note VARCHAR(40),"
                    + " card VARCHAR(80))");
            s.execute("INSERT INTO people VALUES (1, 'ada', '219-45-6789', 'n1', '4111111111111111'),"
                    + " (2, 'bob', '321-54-9876', 'n2', '5500000000000004')");
        }
    }

    @AfterEach
    void close() throws Exception {
        raw.close();
        Files.deleteIfExists(policy);
        Files.deleteIfExists(key);
    }

    private Connection governed(String groups) throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "hana");
        p.setProperty("governed.groups", groups);
        p.setProperty("governed.audit", "memory");
        return DriverManager.getConnection("jdbc:governed:" + db.substring("jdbc:".length()), p);
    }

    private String raw(int id) throws SQLException {
        try (Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT name || ' ' || ssn || ' ' || note FROM people WHERE id = " + id)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void anEntityWrittenBackWholeIsRefusedAndTheStoredValueStays() throws SQLException {
        try (Connection c = governed("sales")) {
            String masked;
            try (ResultSet rs = c.createStatement().executeQuery("SELECT ssn FROM people WHERE id = 1")) {
                rs.next();
                masked = rs.getString(1);
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE people SET name = ?, ssn = ? WHERE id = ?")) {
                update.setString(1, "ada l.");
                update.setString(2, masked);
                update.setInt(3, 1);
                assertThatThrownBy(update::executeUpdate).isInstanceOf(GovernanceException.class)
                        .hasMessageContaining("mask-ssn").hasMessageContaining("ssn").hasMessageContaining("@DynamicUpdate")
                        .hasMessageNotContaining(masked).hasMessageNotContaining("6789")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
                update.setString(2, "123-45-6789");
                assertThat(update.executeUpdate()).isEqualTo(1); // a new value is written
            }
        }
        assertThat(raw(1)).isEqualTo("ada l. 123-45-6789 n1");
    }

    @Test
    void aBatchEntryWritingTheMaskedFormIsRefusedBeforeAnythingRuns() throws SQLException {
        try (Connection c = governed("sales");
             PreparedStatement update = c.prepareStatement("UPDATE people SET name = ?, ssn = ? WHERE id = ?")) {
            update.setString(1, "bob b.");
            update.setString(2, "555-12-3456");
            update.setInt(3, 2);
            update.addBatch();
            update.setString(1, "ada b.");
            update.setString(2, "*******6789");
            update.setInt(3, 1);
            assertThatThrownBy(update::addBatch).isInstanceOf(GovernanceException.class).hasMessageContaining("mask-ssn");
        }
        assertThat(raw(1)).isEqualTo("ada 219-45-6789 n1");
        assertThat(raw(2)).isEqualTo("bob 321-54-9876 n2");
    }

    @Test
    void aNullWrittenOverAColumnTheNullMaskHidesIsRefused() throws SQLException {
        try (Connection c = governed("sales");
             PreparedStatement update = c.prepareStatement("UPDATE people SET name = ?, note = ? WHERE id = ?")) {
            update.setString(1, "ada n.");
            update.setNull(2, Types.VARCHAR);
            update.setInt(3, 1);
            assertThatThrownBy(update::executeUpdate).isInstanceOf(GovernanceException.class).hasMessageContaining("hide-note");
        }
        assertThat(raw(1)).isEqualTo("ada 219-45-6789 n1");
    }

    @Test
    void aCallerTheMaskExemptsWritesWhatItBinds() throws SQLException {
        try (Connection c = governed("hr");
             PreparedStatement update = c.prepareStatement("UPDATE people SET ssn = ?, note = ? WHERE id = ?")) {
            update.setString(1, "*******6789");
            update.setNull(2, Types.VARCHAR);
            update.setInt(3, 1);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT ssn, note FROM people WHERE id = 1")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("*******6789");
            assertThat(rs.getString(2)).isNull();
        }
    }

    @Test
    void aHashedValueWrittenBackIsRefusedAndANewNumberIsWritten() throws SQLException {
        try (Connection c = governed("sales")) {
            String hashed;
            try (ResultSet rs = c.createStatement().executeQuery("SELECT card FROM people WHERE id = 2")) {
                rs.next();
                hashed = rs.getString(1);
            }
            assertThat(hashed).hasSize(64);
            try (PreparedStatement update = c.prepareStatement("UPDATE people SET card = ?, name = ? WHERE id = ?")) {
                update.setString(1, hashed);
                update.setString(2, "bob c.");
                update.setInt(3, 2);
                assertThatThrownBy(update::executeUpdate).isInstanceOf(GovernanceException.class)
                        .hasMessageContaining("hash-card").hasMessageNotContaining(hashed);
                update.setString(1, "4000056655665556");
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
        }
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT card, name FROM people WHERE id = 2")) {
            rs.next();
            assertThat(rs.getString(1) + " " + rs.getString(2)).isEqualTo("4000056655665556 bob c.");
        }
    }
}
