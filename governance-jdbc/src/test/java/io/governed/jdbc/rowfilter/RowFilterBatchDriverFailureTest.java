package io.governed.jdbc.rowfilter;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.support.ThrowingDriver;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A plain statement's batch with a row-filter rewrite in it runs entry by entry; when the driver throws an unchecked
 * exception from the rewrite's run, the caller gets that exception, the entries before it are audited as they ran,
 * it and those after it as failed, each once, and nothing after it runs.
 */
class RowFilterBatchDriverFailureTest {

    @Test
    void aRewrittenBatchEntryWhoseDriverThrowsEndsTheBatchAndEveryEntryIsAuditedOnce() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:rowfilters-unchecked-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        MemorySink sink = MemorySink.named("rowfilter-unchecked-" + UUID.randomUUID());
        try (Connection raw = h2.getConnection(); Statement st = raw.createStatement();
             AuditDispatcher dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults())) {
            st.execute("CREATE TABLE orders (id INT PRIMARY KEY, tenant_id VARCHAR(5), note VARCHAR(20))");
            st.execute("CREATE TABLE notes (id INT PRIMARY KEY)");
            st.execute("INSERT INTO orders VALUES (1, 't1', 'a'), (2, 't2', 'b')");
            Governance governance = Governance.builder()
                    .policy(PolicyLoader.fromString("tenants.yaml", """
                            version: 1
                            rules:
                              - { id: everything, effect: permit, actions: ["*"] }
                            row-filters:
                              - { id: tenant-isolation, tables: [orders], filter: "tenant_id = :identity.tenant" }
                            """))
                    .defaultIdentity(Identity.builder("svc").attribute("tenant", "t1").build())
                    .audit(dispatcher).allowUnlistedDataSources(true).build();
            // only the rewrite's statement names the filter's column: it is the one that throws
            ThrowingDriver driver = new ThrowingDriver(h2, "tenant_id");
            IllegalStateException thrown = new IllegalStateException("secret-value-123");
            try (Connection c = new GovernedDataSource(driver.dataSource(), governance).getConnection();
                 Statement s = c.createStatement()) {
                s.addBatch("INSERT INTO notes VALUES (1)");
                s.addBatch("UPDATE orders SET note = 'x' WHERE id = 1");
                s.addBatch("INSERT INTO notes VALUES (2)");
                driver.throwNext(thrown);
                assertThatThrownBy(s::executeBatch).isSameAs(thrown);
                assertThat(driver.spent()).as("the rewrite's run threw").isTrue();
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM notes")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the entry before the failed one ran, the one after it did not").isEqualTo(1);
            }
            assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
            List<AuditEvent> events = sink.events();
            assertThat(events).extracting(AuditEvent::decision)
                    .containsExactly(AuditDecision.ALLOW, AuditDecision.ERROR, AuditDecision.ERROR);
            assertThat(events.get(0).rows()).isEqualTo(1L);
            assertThat(events.subList(1, 3)).allSatisfy(e -> {
                assertThat(e.error().message()).isEqualTo(IllegalStateException.class.getName());
                assertThat(e.toString()).doesNotContain("secret-value-123");
            });
        }
    }
}
