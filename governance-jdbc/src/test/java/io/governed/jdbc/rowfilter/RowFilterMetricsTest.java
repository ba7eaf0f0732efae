package io.governed.jdbc.rowfilter;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.metrics.GovernanceMetrics;
import io.governed.policy.load.PolicyLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The metrics count statements restricted by row filters, and those refused because they could not be. */
class RowFilterMetricsTest {

    @Test
    void rewritesAndRefusalsAreCounted() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:rowfilters-metrics-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection raw = h2.getConnection(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE orders (id INT PRIMARY KEY, tenant_id VARCHAR(5))");
            st.execute("CREATE TABLE notes (id INT PRIMARY KEY)");
            st.execute("INSERT INTO orders VALUES (1, 't1'), (2, 't2')");
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Governance governance = Governance.builder()
                .policy(PolicyLoader.fromString("metrics.yaml", """
                        version: 1
                        rules:
                          - { id: everything, effect: permit, actions: ["*"] }
                        row-filters:
                          - { id: tenant-isolation, tables: [orders], filter: "tenant_id = :identity.tenant" }
                        """))
                .defaultIdentity(Identity.builder("svc").attribute("tenant", "t1").build())
                .metrics(new GovernanceMetrics(registry)).build();
        try (Connection c = new GovernedDataSource(h2, governance).getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM orders")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            st.executeQuery("SELECT * FROM notes").close();
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO orders VALUES (3, 't2')")).isInstanceOf(GovernanceException.class);
        }
        assertThat(registry.get(GovernanceMetrics.ROW_FILTER_REWRITES).tag("outcome", "rewritten").counter().count()).isEqualTo(1.0);
        assertThat(registry.get(GovernanceMetrics.ROW_FILTER_REWRITES).tag("outcome", "refused").counter().count()).isEqualTo(1.0);
    }
}
