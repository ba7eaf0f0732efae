package io.governed.jdbc.masking;

import io.governed.jdbc.wrapper.GovernedConnection;
import io.governed.jdbc.wrapper.GovernedStatement;
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
 * On H2, an updatable, scrollable result with a masked column: updating another column writes the row back without
 * the masked placeholder (the real value stays, read through a raw connection), and neither refreshRow nor moving
 * back and forth shows the value in clear; an array of masked values is not handed out by getArray; the result's
 * statement and connection are the governed ones.
 */
class H2UpdatableMaskedRowTest {
    private static final String SSN = "219-45-6789";
    private final String db = "jdbc:h2:mem:upd-masked-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private Path policy;
    private Connection raw;

    @BeforeEach
    void fixture() throws Exception {
        policy = Files.createTempFile("upd-masked", ".yaml");
        Files.writeString(policy, """
                version: 1
                classification:
                  tags:
                    pii.ssn: ["*.ssn"]
                rules:
                  - { id: work, effect: permit, actions: [select, insert, update, delete] }
                masks:
                  - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4 }
                """);
        raw = DriverManager.getConnection(db);
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE accounts (id INT PRIMARY KEY, owner VARCHAR(40), ssn VARCHAR(11))");
            s.execute("INSERT INTO accounts VALUES (1, 'ada', '" + SSN + "'), (2, 'bob', '321-54-9876')");
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
        p.setProperty("governed.principal", "hana");
        p.setProperty("governed.kind", kind);
        p.setProperty("governed.audit", "memory");
        return DriverManager.getConnection("jdbc:governed:" + db.substring("jdbc:".length()), p);
    }

    private String raw(String column, int id) throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT " + column + " FROM accounts WHERE id = " + id)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void updatingAnotherColumnKeepsTheRealValueAndShowsNoneInClear() throws SQLException {
        try (Connection c = governed("agent");
             Statement s = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE);
             ResultSet rs = s.executeQuery("SELECT id, owner, ssn FROM accounts ORDER BY id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(3)).isEqualTo("*******6789");
            rs.updateString(2, "zed");
            rs.updateRow();
            assertThat(raw("owner", 1)).isEqualTo("zed");
            assertThat(raw("ssn", 1)).isEqualTo(SSN);
            assertThat(rs.getString(3)).isEqualTo("*******6789");
            rs.refreshRow();
            assertThat(rs.getString(3)).isEqualTo("*******6789");
            assertThat(rs.absolute(2)).isTrue();
            assertThat(rs.getString("SSN")).isEqualTo("*******9876");
            assertThat(rs.previous()).isTrue();
            assertThat(rs.getObject(3)).isEqualTo("*******6789");
            assertThatThrownBy(() -> rs.updateString(3, "000-00-0000")).isInstanceOf(SQLException.class);
        }
        assertThat(raw("ssn", 1)).isEqualTo(SSN);
    }

    @Test
    void anArrayOfMaskedValuesIsNotHandedOut() throws SQLException {
        try (Connection c = governed("human"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ARRAY_AGG(ssn) FROM accounts")) {
            assertThat(rs.next()).isTrue();
            assertThatThrownBy(() -> rs.getArray(1)).isInstanceOf(SQLException.class);
            assertThat(String.valueOf(rs.getObject(1))).doesNotContain("45-6789").doesNotContain("54-9876");
            assertThat(rs.getStatement()).isInstanceOf(GovernedStatement.class);
            assertThat(rs.getStatement().getConnection()).isInstanceOf(GovernedConnection.class);
        }
    }
}
