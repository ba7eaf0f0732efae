package io.governed.jdbc.statements;

import io.governed.jdbc.GovernanceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * H2 knows only {@code $$…$$} strings and reads a {@code $} before a name as a parameter marker: {@code $a$ … $a$},
 * a string on PostgreSQL, is two parameters there with the code between them running. Prepared through
 * {@code jdbc:governed:h2} under the reference policy, with the parameter bound, such a statement is refused before
 * it reaches the database: a masked column between the markers never comes back, and a DELETE bounded only in the
 * analysis' reading deletes nothing.
 */
class H2PreparedDollarTagTest {

    private static final String SSN = "123-45-6789";
    private static final String EMAIL_LOCAL = "annsecret";

    private String name;
    private Connection raw;

    @BeforeEach
    void createDatabase() throws Exception {
        name = "dollar_tags_" + UUID.randomUUID().toString().replace('-', '_');
        raw = DriverManager.getConnection("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200), "
                    + "ssn VARCHAR(11))");
            s.execute("INSERT INTO customers VALUES (1, 'Ann', '" + EMAIL_LOCAL + "@example.com', '" + SSN + "')");
            s.execute("CREATE TABLE payments (id INT PRIMARY KEY, amount INT NOT NULL)");
            s.execute("INSERT INTO payments VALUES (1, 10), (2, 20)");
        }
    }

    @AfterEach
    void dropDatabase() throws Exception {
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
        raw.close();
    }

    private Connection governed(String principal, String kind, String onBehalfOf) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        p.setProperty("governed.policy", "classpath:policies/masking-policy.yaml");
        p.setProperty("governed.principal", principal);
        p.setProperty("governed.kind", kind);
        if (onBehalfOf != null) {
            p.setProperty("governed.on-behalf-of", onBehalfOf);
        }
        return DriverManager.getConnection("jdbc:governed:h2:mem:" + name, p);
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = raw.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.add(r.getString(1) + "," + r.getString(2));
            }
        }
        return rows;
    }

    @Test
    void theRawDriverRunsTheCodeBetweenTheMarkers() throws SQLException {
        try (PreparedStatement p = raw.prepareStatement("SELECT $a$, ssn FROM customers --$a$")) {
            p.setInt(1, 7);
            try (ResultSet r = p.executeQuery()) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(2)).isEqualTo(SSN);
            }
        }
    }

    @Test
    void aMaskedColumnBetweenTwoMarkersIsRefusedToAnAgent() throws SQLException {
        try (Connection c = governed("bot", "agent", "ann")) {
            assertThatThrownBy(() -> {
                try (PreparedStatement p = c.prepareStatement("SELECT $a$, ssn, email FROM customers --$a$")) {
                    p.setInt(1, 7);
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            assertThat(r.getString(2)).doesNotContain(SSN.substring(0, 6));
                            assertThat(r.getString(3)).doesNotContain(EMAIL_LOCAL);
                        }
                    }
                }
            }).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("H2 reads it as a parameter marker")
                    .hasMessageNotContaining(SSN)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
    }

    @Test
    void aDeleteWhoseBoundIsOnlyInAStringTheDatabaseDoesNotReadIsRefused() throws SQLException {
        List<String> before = rows("SELECT id, amount FROM payments ORDER BY id");
        try (Connection c = governed("order-service", "service", null)) {
            assertThatThrownBy(() -> {
                try (PreparedStatement p = c.prepareStatement(
                        "DELETE FROM payments WHERE id IN (SELECT $a$ UNION SELECT id FROM payments) --$a$)")) {
                    p.setInt(1, 7);
                    p.executeUpdate();
                }
            }).isInstanceOf(GovernanceException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        assertThat(rows("SELECT id, amount FROM payments ORDER BY id")).isEqualTo(before).hasSize(2);
    }
}
