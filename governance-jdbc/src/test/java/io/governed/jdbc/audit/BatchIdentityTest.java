package io.governed.jdbc.audit;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A batch is decided, run and audited as the one identity that built it: a framework that flushes a batch an agent
 * built in its scope after the scope ended, as the connection's own identity, must not run the agent's statements as
 * (and audit them as) that identity; entries of two identities never share a batch.
 */
class BatchIdentityTest {
    private static final Identity SERVICE = Identity.builder("order-service").kind(IdentityKind.SERVICE).build();
    private static final Identity AGENT = Identity.builder("support-bot").kind(IdentityKind.AGENT)
            .onBehalfOf(Identity.human("bob")).purpose("ticket 4711").build();

    private JdbcDataSource h2;
    private Connection raw;
    private ControllableSink sink;
    private AuditDispatcher dispatcher;
    private Connection governed;

    @BeforeEach
    void database() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:batch-identity-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE items(id INT PRIMARY KEY, name VARCHAR(40))");
            s.execute("INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        }
        sink = new ControllableSink();
        dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).audit(dispatcher)
                .defaultIdentity(SERVICE).build();
        governed = new GovernedDataSource(h2, governance).getConnection();
    }

    @AfterEach
    void close() throws SQLException {
        governed.close();
        dispatcher.close();
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private List<AuditEvent> events() {
        assertThat(dispatcher.flush(Duration.ofSeconds(5))).as("the audit queue drained").isTrue();
        return sink.stored();
    }

    /** The names of the items, read through the raw connection, in id order. */
    private List<String> names() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM items ORDER BY id")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Test
    void aBatchAnAgentBuiltIsRefusedWhenFlushedAfterItsScopeAsTheConnectionsIdentity() throws Exception {
        try (Statement s = governed.createStatement()) {
            IdentityContext.runAs(AGENT, () -> {
                s.addBatch("UPDATE items SET name = 'agent' WHERE id = 1");
                s.addBatch("DELETE FROM items WHERE id = 2");
            });
            assertThatThrownBy(s::executeBatch).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining("added as support-bot for bob")
                    .hasMessageContaining("runs as order-service")
                    .hasMessageContaining("IdentityContext.runAs")
                    .hasMessageContaining("nothing of the batch was sent to the database");
            assertThat(s.executeBatch()).as("the refused batch is spent").isEmpty();
        }
        assertThat(names()).containsExactly("one", "two", "three");
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(AuditDecision.DENY);
            assertThat(e.principal()).isEqualTo("order-service");
            assertThat(e.action()).isEqualTo("update");
        });
    }

    @Test
    void aPreparedBatchAnAgentBuiltIsRefusedWhenFlushedAfterItsScope() throws Exception {
        try (PreparedStatement ps = governed.prepareStatement("UPDATE items SET name = ? WHERE id = ?")) {
            IdentityContext.runAs(AGENT, () -> {
                ps.setString(1, "agent");
                ps.setInt(2, 1);
                ps.addBatch();
            });
            assertThatThrownBy(ps::executeBatch).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining("added as support-bot for bob");
            assertThat(ps.executeLargeBatch()).as("the refused batch is spent").isEmpty();
        }
        assertThat(names()).containsExactly("one", "two", "three");
    }

    @Test
    void aBatchTheServiceBuiltIsRefusedWhenRunInAnAgentsScope() throws Exception {
        try (Statement s = governed.createStatement()) {
            s.addBatch("UPDATE items SET name = 'service' WHERE id = 1");
            IdentityContext.runAs(AGENT, () -> assertThatThrownBy(s::executeBatch).isInstanceOf(SQLException.class)
                    .hasMessageContaining("added as order-service")
                    .hasMessageContaining("runs as support-bot for bob"));
        }
        assertThat(names()).containsExactly("one", "two", "three");
    }

    @Test
    void anEntryOfAnotherIdentityIsRefusedAndTheBatchKeepsWhatItHeld() throws Exception {
        try (Statement s = governed.createStatement()) {
            s.addBatch("UPDATE items SET name = 'service' WHERE id = 1");
            IdentityContext.runAs(AGENT, () -> assertThatThrownBy(() -> s.addBatch("DELETE FROM items WHERE id = 3"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining("is added as support-bot for bob")
                    .hasMessageContaining("the batch holds what it held before this call"));
            assertThat(s.executeBatch()).containsExactly(1);
        }
        assertThat(names()).containsExactly("service", "two", "three");
        List<AuditEvent> events = events();
        assertThat(events).extracting(AuditEvent::decision).containsExactly(AuditDecision.DENY, AuditDecision.ALLOW);
        assertThat(events).extracting(AuditEvent::principal).containsExactly("support-bot", "order-service");
    }

    @Test
    void aBatchBuiltAndRunAsOneIdentityRunsAcrossTwoScopesOfIt() throws Exception {
        try (PreparedStatement ps = governed.prepareStatement("UPDATE items SET name = ? WHERE id = ?")) {
            for (int id = 1; id <= 2; id++) {
                int row = id;
                IdentityContext.runAs(AGENT, () -> {
                    ps.setString(1, "agent");
                    ps.setInt(2, row);
                    ps.addBatch();
                });
            }
            int[] counts = IdentityContext.runAs(AGENT, () -> ps.executeBatch());
            assertThat(counts).containsExactly(1, 1);
        }
        assertThat(names()).containsExactly("agent", "agent", "three");
        assertThat(events()).hasSize(2).allSatisfy(e -> {
            assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
            assertThat(e.principal()).isEqualTo("support-bot");
            assertThat(e.onBehalfOf()).isEqualTo("bob");
        });
    }

    @Test
    void aClearedBatchTakesEntriesOfAnotherIdentity() throws Exception {
        try (Statement s = governed.createStatement()) {
            s.addBatch("UPDATE items SET name = 'service' WHERE id = 1");
            s.clearBatch();
            int[] counts = IdentityContext.runAs(AGENT, () -> {
                s.addBatch("UPDATE items SET name = 'agent' WHERE id = 3");
                return s.executeBatch();
            });
            assertThat(counts).containsExactly(1);
        }
        assertThat(names()).containsExactly("one", "two", "agent");
    }
}
