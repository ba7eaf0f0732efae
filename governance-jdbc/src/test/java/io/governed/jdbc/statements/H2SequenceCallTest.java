package io.governed.jdbc.statements;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * H2's {@code CALL NEXT VALUE FOR s}, the form older ORMs' H2 dialects generate ids with, is the advance of a sequence
 * like {@code SELECT NEXT VALUE FOR s}: an identity that may insert gets the sequence's values as they are, one that may
 * only read is refused and the sequence does not move (read back through a raw connection).
 */
class H2SequenceCallTest {
    private final String db = "jdbc:h2:mem:sequence-call-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private Path policy;
    private Connection raw;

    @BeforeEach
    void fixture() throws Exception {
        policy = Files.createTempFile("sequence-call", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: writers, effect: permit, principals: { kinds: [service] }, actions: [select, insert] }
                  - { id: readers, effect: permit, principals: { kinds: [human] }, actions: [select] }
                """);
        raw = DriverManager.getConnection(db);
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE SEQUENCE ticket_seq START WITH 1000");
        }
    }

    @AfterEach
    void close() throws Exception {
        raw.close();
        Files.deleteIfExists(policy);
    }

    private Connection governed(String kind) throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "ids");
        p.setProperty("governed.kind", kind);
        p.setProperty("governed.audit", "memory");
        return DriverManager.getConnection("jdbc:governed:" + db.substring("jdbc:".length()), p);
    }

    private long nextValueCalled(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL NEXT VALUE FOR ticket_seq")) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    @Test
    void anIdentityThatMayInsertGetsTheSequencesValues() throws SQLException {
        try (Connection service = governed("service")) {
            assertThat(nextValueCalled(service)).isEqualTo(1000);
            assertThat(nextValueCalled(service)).isEqualTo(1001);
        }
    }

    @Test
    void anIdentityThatMayOnlyReadIsRefusedAndTheSequenceStays() throws SQLException {
        try (Connection reader = governed("human")) {
            assertThatThrownBy(() -> nextValueCalled(reader)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("insert on a sequence the statement advances")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        assertThat(nextValueCalled(raw)).as("the first value, read raw").isEqualTo(1000);
    }
}
