package io.governed.jdbc.masking;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Under a policy that lets statements reach files (default allow, or a permit naming the file-access trait), masks
 * still hold: H2's CSVWRITE(file, query) ran its query past the analysis and wrote the SSNs in clear to a file, and
 * FILE_WRITE(ssn, …) wrote one; both are refused to a caller the mask applies to, and nothing is written. A caller the
 * mask exempts, and file functions that read no table, are unaffected.
 */
class OutOfSightCopyTest {
    private static final String SSN = "219-45-6789";
    private static final String POLICY = """
            version: 1
            default: allow
            classification:
              auto-detect: false
              tags:
                pii.ssn: ["*.ssn"]
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { groups: [pii-readers] } }
            """;

    @TempDir
    Path dir;
    private final String db = "jdbc:h2:mem:out-of-sight-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private Connection raw;
    private Path policy;

    @BeforeEach
    void fixture() throws Exception {
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, POLICY);
        raw = DriverManager.getConnection(db);
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE people (id INT PRIMARY KEY, ssn VARCHAR(11))");
            s.execute("INSERT INTO people VALUES (1, '" + SSN + "')");
        }
    }

    @AfterEach
    void close() throws SQLException {
        raw.close();
    }

    private Connection as(String groups) throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "ann");
        p.setProperty("governed.groups", groups);
        return DriverManager.getConnection("jdbc:governed:" + db.substring("jdbc:".length()), p);
    }

    @Test
    void writingMaskedValuesToAFileIsRefusedAndNothingIsWritten() throws Exception {
        Path csv = dir.resolve("dump.csv");
        Path bytes = dir.resolve("ssn.bin");
        try (Connection c = as("analysts"); Statement s = c.createStatement()) {
            for (String sql : List.of(
                    "CALL CSVWRITE('" + csv + "', 'SELECT ssn FROM people')",
                    "SELECT CSVWRITE('" + csv + "', 'SELECT * FROM people')",
                    "SELECT FILE_WRITE(STRINGTOUTF8(ssn), '" + bytes + "') FROM people")) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                        .hasMessageContaining("mask-ssn")
                        .hasMessageNotContaining(SSN);
            }
        }
        assertThat(csv).doesNotExist();
        assertThat(bytes).doesNotExist();
    }

    @Test
    void aCallerTheMaskExemptsAndFileFunctionsThatReadNoTableAreUnaffected() throws Exception {
        Path csv = dir.resolve("exempt.csv");
        try (Connection c = as("pii-readers"); Statement s = c.createStatement()) {
            s.execute("CALL CSVWRITE('" + csv + "', 'SELECT ssn FROM people')");
        }
        assertThat(Files.readString(csv)).contains(SSN);
        try (Connection c = as("analysts"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM CSVREAD('" + csv + "')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("a file's values are untraceable, so redacted").doesNotContain("45");
        }
    }
}
