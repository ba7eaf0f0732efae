package io.governed.jdbc.gate;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * A forbid on a table holds for the views defined over it, at any depth, read as the database defines them: an agent
 * barred from salaries reads no salary through a reporting view, and updates none through an updatable one; the
 * database, read raw, shows what the view would have returned and that nothing changed. Views over other tables, and
 * callers the forbid does not name, are unaffected.
 */
class ViewRulesH2Test {
    private final JdbcDataSource h2 = new JdbcDataSource();
    private Governance governance;

    @BeforeEach
    void tables() throws SQLException {
        h2.setURL("jdbc:h2:mem:view-rules-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection raw = h2.getConnection(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE salaries (id INT PRIMARY KEY, amount INT)");
            st.execute("CREATE TABLE orders (id INT PRIMARY KEY, total INT)");
            st.execute("INSERT INTO salaries VALUES (1, 91000), (2, 87000)");
            st.execute("INSERT INTO orders VALUES (1, 10)");
            st.execute("CREATE VIEW pay AS SELECT id, amount FROM salaries");
            st.execute("CREATE VIEW pay_total AS SELECT sum(amount) AS total FROM pay");
            st.execute("CREATE VIEW order_view AS SELECT id, total FROM orders");
        }
        governance = Governance.builder()
                .policy(PolicyLoader.fromString("views.yaml", """
                        version: 1
                        rules:
                          - { id: everything, effect: permit, actions: ["*"] }
                          - { id: no-salaries-for-agents, effect: forbid, actions: [select, update, delete],
                              resources: ["salaries"], principals: { kinds: [agent] } }
                        """))
                .withoutAudit().build();
    }

    private Connection governed() throws SQLException {
        return new GovernedDataSource(h2, governance).getConnection();
    }

    private static Identity agent() {
        return Identity.builder("report-bot").kind(IdentityKind.AGENT)
                .onBehalfOf(Identity.builder("ann").build()).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM pay",
            "SELECT total FROM pay_total",
            "SELECT o.id FROM orders o JOIN pay p ON p.id = o.id",
            "UPDATE pay SET amount = 0 WHERE id = 1",
            "DELETE FROM pay WHERE id = 2",
    })
    void anAgentBarredFromATableReachesItThroughNoView(String sql) throws SQLException {
        try (Connection c = governed(); Statement st = c.createStatement()) {
            IdentityContext.runAs(agent(), () -> assertThatThrownBy(() -> st.execute(sql))
                    .isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("no-salaries-for-agents")
                    .hasMessageContaining("beneath view")
                    .hasMessageNotContaining("91000")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501")));
        }
        try (Connection raw = h2.getConnection(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT sum(amount), count(*) FROM salaries")) {
            rs.next();
            assertThat(rs.getInt(1)).as("nothing changed, read raw").isEqualTo(178000);
            assertThat(rs.getInt(2)).isEqualTo(2);
        }
    }

    @Test
    void viewsOverOtherTablesAndCallersTheForbidDoesNotNameAreUnaffected() throws SQLException {
        try (Connection c = governed(); Statement st = c.createStatement()) {
            IdentityContext.runAs(agent(), () -> {
                try (ResultSet rs = st.executeQuery("SELECT total FROM order_view")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(10);
                }
            });
            IdentityContext.runAs(Identity.builder("ann").build(), () -> {
                try (ResultSet rs = st.executeQuery("SELECT total FROM pay_total")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(178000);
                }
            });
        }
    }
}
