package io.governed.jdbc.it;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.gate.DecisionFunction;
import io.governed.jdbc.support.JdbcValues;
import io.governed.jdbc.support.UniqueNames;
import io.governed.policy.Decision;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * Proves that a governance decision holds on every path by which a governed connection writes: with
 * a decision function that permits reads only, a plain UPDATE is refused with SQLState 42501, and
 * so is a write through an updatable result set of a permitted SELECT; the data stays as it was.
 */
class ReadOnlyPolicyIT {
    private static final DecisionFunction READS_ONLY = request ->
            request.sql().sql().strip().toUpperCase(Locale.ROOT).startsWith("SELECT")
                    ? Decision.allow(List.of("reads"), "reads are allowed")
                    : Decision.deny(List.of("reads-only"), "only reads are allowed here");

    private final String table = UniqueNames.of("read_only");
    private JdbcDataSource h2;
    private GovernedDataSource governed;

    @BeforeEach
    void createTable() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:read_only_policy;DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        try (Connection c = h2.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(20))");
            st.execute("INSERT INTO " + table + " VALUES (1, 'original')");
        }
        Governance governance = Governance.builder().decisionFunction(READS_ONLY)
                .defaultIdentity(Identity.builder("reader").kind(IdentityKind.HUMAN).build()).build();
        governed = new GovernedDataSource(h2, governance);
    }

    @AfterEach
    void dropTable() throws SQLException {
        try (Connection c = h2.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE " + table);
        }
    }

    @Test
    void aPlainUpdateIsRefusedAndChangesNothing() throws Exception {
        try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE " + table + " SET name = 'changed' WHERE id = 1"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        assertThat(rowsAsStored()).containsExactly(List.of(1, "original"));
    }

    @Test
    void aWriteThroughAnUpdatableResultSetIsRefusedAndChangesNothing() throws Exception {
        try (Connection c = governed.getConnection();
             Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE);
             ResultSet rs = st.executeQuery("SELECT id, name FROM " + table)) {
            assertThat(rs.next()).isTrue();
            assertThatThrownBy(() -> {
                rs.updateString("name", "changed");
                rs.updateRow();
            }).as("updateRow writes the table, which this policy does not permit")
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        assertThat(rowsAsStored()).containsExactly(List.of(1, "original"));
    }

    private List<List<Object>> rowsAsStored() throws SQLException {
        try (Connection c = h2.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name FROM " + table + " ORDER BY id")) {
            return JdbcValues.rows(rs);
        }
    }
}
