package io.governed.jdbc.rowfilter;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * A view over a row-filtered table would hand every tenant's rows out: the rewrite restricts the tables a
 * statement names, not those a view reads. So a caller the filter restricts is refused any view defined
 * (directly or through other views) over a filtered table, naming the filter; views over other tables, and
 * callers the filter exempts, are unaffected. The database is read through a raw connection to show what the
 * view would have returned.
 */
class RowFilterViewTest {
    private final JdbcDataSource h2 = new JdbcDataSource();
    private Governance governance;

    @BeforeEach
    void tables() throws SQLException {
        h2.setURL("jdbc:h2:mem:rowfilter-views-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection raw = h2.getConnection(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE orders (id INT PRIMARY KEY, tenant_id VARCHAR(5), total INT)");
            st.execute("CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(20))");
            st.execute("INSERT INTO orders VALUES (1, 't1', 10), (2, 't2', 20)");
            st.execute("INSERT INTO notes VALUES (1, 'hello')");
            st.execute("CREATE VIEW all_orders AS SELECT id, total FROM orders");
            st.execute("CREATE VIEW big_orders AS SELECT id FROM all_orders WHERE total > 5");
            st.execute("CREATE VIEW note_view AS SELECT id, body FROM notes");
        }
        governance = Governance.builder()
                .policy(PolicyLoader.fromString("views.yaml", """
                        version: 1
                        rules:
                          - { id: everything, effect: permit, actions: ["*"] }
                        row-filters:
                          - id: tenant-isolation
                            tables: [orders]
                            filter: "tenant_id = :identity.tenant"
                            unless: { groups: [auditors] }
                        """))
                .defaultIdentity(Identity.builder("svc").attribute("tenant", "t1").build())
                .withoutAudit().build();
        try (Connection raw = h2.getConnection(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM big_orders")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the view, read raw, holds both tenants' rows").isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM all_orders",
            "SELECT count(*) FROM big_orders",
            "SELECT n.body FROM note_view n JOIN all_orders o ON o.id = n.id",
            "SELECT id FROM notes WHERE id IN (SELECT id FROM big_orders)",
    })
    void aViewOverAFilteredTableIsRefusedToARestrictedCaller(String sql) throws SQLException {
        try (Connection c = new GovernedDataSource(h2, governance).getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery(sql).close())
                    .isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation")
                    .hasMessageContaining("view")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
    }

    @Test
    void otherViewsAndExemptCallersAreUnaffected() throws Exception {
        try (Connection c = new GovernedDataSource(h2, governance).getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT body FROM note_view")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("hello");
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM orders")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the table itself is restricted as before").isEqualTo(1);
            }
        }
        int seen = IdentityContext.runAs(Identity.builder("ada").groups("auditors").build(), () -> {
            try (Connection c = new GovernedDataSource(h2, governance).getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM big_orders")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(seen).as("an auditor the filter exempts reads the view").isEqualTo(2);
    }

    /**
     * A linked table a DBA made beforehand, pointing back at the filtered table of the same database: its rows are
     * every tenant's, under a name the filter does not restrict. Reading or writing it is refused to the restricted
     * caller (the table, read raw, unchanged); an auditor the filter exempts reads it.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM linked_orders",
            "SELECT count(*) FROM linked_orders",
            "SELECT id FROM notes WHERE id IN (SELECT id FROM linked_orders)",
            "UPDATE linked_orders SET total = 0",
            "DELETE FROM linked_orders WHERE tenant_id = 't2'",
            "INSERT INTO linked_orders VALUES (3, 't2', 30)",
    })
    void aLinkedTableOverTheFilteredTableIsRefusedToARestrictedCaller(String sql) throws Exception {
        try (Connection raw = h2.getConnection(); Statement st = raw.createStatement()) {
            st.execute("CREATE LINKED TABLE linked_orders('org.h2.Driver', '" + h2.getURL() + "', '', '', 'ORDERS')");
        }
        try (Connection c = new GovernedDataSource(h2, governance).getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(sql))
                    .isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation")
                    .hasMessageContaining("neither a table nor a view")
                    .hasMessageContaining("cannot be traced to a table")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        try (Connection raw = h2.getConnection(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), sum(total) FROM orders")) {
            rs.next();
            assertThat(rs.getInt(1) + "/" + rs.getInt(2)).as("orders read raw").isEqualTo("2/30");
        }
        int seen = IdentityContext.runAs(Identity.builder("ada").groups("auditors").build(), () -> {
            try (Connection c = new GovernedDataSource(h2, governance).getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM linked_orders")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(seen).as("an auditor the filter exempts reads the linked table").isEqualTo(2);
    }
}
