package io.governed.jdbc.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * On MariaDB, {@code getGeneratedKeys()} after a write run without asking for generated keys fails in the driver; the
 * governed driver's scrubbing left its message as "Cannot return generated keys: ?" with no SQLState. The caller is now
 * told what is wrong and how to have the keys: a text with a {@code RETURNING} list of its own gives its rows as the
 * statement's result set; without one, the write is run asking for generated keys. SQLState {@code HY010} (the call
 * does not fit how the statement was run). The statement's own result set holds the rows, masked.
 */
class OwnReturningKeysIT {
    private static final String SSN = "123-45-6789";

    @Test
    void keysAskedOfAWriteRunWithoutThemSayHowToReadThem() throws Exception {
        TestDatabase db = TestDatabase.MARIADB;
        db.requireReachable();
        String t = UniqueNames.of("mf_keys");
        Path policy = Files.createTempFile("mf-keys", ".yaml");
        Files.writeString(policy, """
                version: 1
                classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                masks:
                  - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: redact }
                """);
        try (Connection raw = db.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + t);
            st.execute("CREATE TABLE " + t + " (id int PRIMARY KEY AUTO_INCREMENT, ssn varchar(20))");
        }
        try (Connection c = db.connectGoverned(policy, null)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + " (ssn) VALUES (?) RETURNING id, ssn")) {
                ps.setString(1, SSN);
                assertThat(ps.execute()).isTrue();
                try (ResultSet own = ps.getResultSet()) {
                    assertThat(own.next()).isTrue();
                    assertThat(own.getInt(1)).isEqualTo(1);
                    assertThat(own.getString(2)).doesNotContain("6789");
                }
                assertThatThrownBy(ps::getGeneratedKeys).isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("HY010");
                    assertThat(e.getMessage()).doesNotEndWith("?").doesNotContain("6789")
                            .contains("RETURNING", "getResultSet", "RETURN_GENERATED_KEYS");
                    assertThat(e.getCause()).as("the driver's error, scrubbed, as the cause").isInstanceOf(SQLException.class);
                    assertThat(io.governed.jdbc.support.ExceptionTexts.of(e)).noneMatch(text -> text.contains("6789"));
                });
            }
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO " + t + " (ssn) VALUES ('" + SSN + "')");
                assertThatThrownBy(st::getGeneratedKeys).isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("HY010");
                    assertThat(e.getMessage()).doesNotEndWith("?").doesNotContain("6789")
                            .contains("RETURN_GENERATED_KEYS").doesNotContain("getResultSet");
                    assertThat(e.getCause()).as("the driver's error, scrubbed, as the cause").isInstanceOf(SQLException.class);
                    assertThat(io.governed.jdbc.support.ExceptionTexts.of(e)).noneMatch(text -> text.contains("6789"));
                });
            }
        } finally {
            try (Connection raw = db.connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + t);
            }
            Files.deleteIfExists(policy);
        }
    }
}
