package io.governed.jdbc.pipeline;

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
import io.governed.sql.Action;
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
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An application adds its own stage with one line, {@code Governance.builder().stage(…)}: it sees
 * every statement once, after the identity and the decision, and what it refuses never reaches the
 * database and is audited as a refusal.
 */
class ApplicationStageTest {
    private static final Identity ALICE = Identity.builder("alice").groups("analysts").build();

    private final MemorySink sink = MemorySink.named("application-stage-" + UUID.randomUUID());
    private JdbcDataSource h2;
    private Connection raw;
    private AuditDispatcher dispatcher;

    /** Counts what it sees, and what it was told, per hook. */
    static final class CountingStage implements StatementStage {
        final AtomicInteger entered = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void enter(Execution execution) {
            entered.incrementAndGet();
            seen.add(execution.identity().principal() + " " + execution.decision().effect() + " " + execution.callKind()
                    + " " + execution.sql().sql());
        }

        @Override
        public void refused(Execution execution, SQLException refusal) {
            refused.incrementAndGet();
        }

        @Override
        public void completed(Execution execution) {
            completed.incrementAndGet();
        }

        @Override
        public SQLException failed(Execution execution, SQLException failure) {
            failed.incrementAndGet();
            return failure;
        }
    }

    /** Refuses every DELETE, whatever the policy says. */
    static final class NoDeletes implements StatementStage {
        @Override
        public void enter(Execution execution) throws SQLException {
            if (execution.analysis().statements().get(0).action() == Action.DELETE) {
                throw new SQLException("This application never deletes; archive the row instead", "42501");
            }
        }
    }

    @BeforeEach
    void database() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:stage-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE items(id INT PRIMARY KEY, name VARCHAR(40))");
            s.execute("INSERT INTO items VALUES (1, 'one'), (2, 'two')");
        }
        dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
    }

    @AfterEach
    void close() throws SQLException {
        dispatcher.close();
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private Connection governed(StatementStage... stages) throws SQLException {
        Governance.Builder builder = Governance.builder().policy(PolicyLoader.baseline()).audit(dispatcher).defaultIdentity(ALICE);
        for (StatementStage stage : stages) {
            builder.stage(stage);
        }
        return new GovernedDataSource(h2, builder.build()).getConnection();
    }

    private List<AuditEvent> events() {
        assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
        return sink.events();
    }

    private long rows() throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM items")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aStageSeesEveryStatementOnceAfterTheIdentityAndTheDecision() throws SQLException {
        CountingStage counting = new CountingStage();
        try (Connection c = governed(counting)) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM items ORDER BY id")) {
                while (rs.next()) {
                    assertThat(rs.getString(1)).isNotBlank();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE items SET name = ? WHERE id = ?")) {
                ps.setString(1, "uno");
                ps.setInt(2, 1);
                assertThat(ps.executeUpdate()).isEqualTo(1);
                ps.setString(1, "dos");
                ps.setInt(2, 2);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
        assertThat(counting.seen).containsExactly(
                "alice ALLOW QUERY SELECT name FROM items ORDER BY id",
                "alice ALLOW PREPARE UPDATE items SET name = ? WHERE id = ?",
                "alice ALLOW UPDATE UPDATE items SET name = ? WHERE id = ?",
                "alice ALLOW UPDATE UPDATE items SET name = ? WHERE id = ?");
        assertThat(counting.completed).as("the query and the two updates ran; the prepare only checks").hasValue(3);
        assertThat(counting.refused).hasValue(0);
        assertThat(counting.failed).hasValue(0);
    }

    @Test
    void aStageThatRefusesStopsTheStatementBeforeTheDatabaseAndTheRefusalIsAudited() throws SQLException {
        CountingStage counting = new CountingStage();
        try (Connection c = governed(new NoDeletes(), counting)) {
            assertThatThrownBy(() -> c.createStatement().executeUpdate("DELETE FROM items WHERE id = 1"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("never deletes")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            assertThatThrownBy(() -> c.prepareStatement("DELETE FROM items WHERE id = ?"))
                    .hasMessageContaining("never deletes");
            assertThat(c.createStatement().executeUpdate("UPDATE items SET name = 'x' WHERE id = 2")).isEqualTo(1);
        }
        assertThat(rows()).as("nothing was deleted").isEqualTo(2);
        assertThat(counting.entered).as("a stage after the refusing one is not entered").hasValue(1);
        assertThat(counting.refused).as("but it is told of each refusal").hasValue(2);
        assertThat(counting.completed).hasValue(1);

        List<AuditEvent> events = events();
        assertThat(events).filteredOn(e -> "delete".equals(e.action())).hasSize(2).allSatisfy(e -> {
            assertThat(e.decision()).isEqualTo(AuditDecision.DENY);
            assertThat(e.principal()).isEqualTo("alice");
            assertThat(e.reason()).contains(NoDeletes.class.getName()).doesNotContain("archive");
        });
        assertThat(events).filteredOn(e -> "update".equals(e.action()))
                .singleElement().satisfies(e -> assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW));
    }

    @Test
    void aStageIsNotEnteredForWhatThePolicyDenies() throws SQLException {
        CountingStage counting = new CountingStage();
        try (Connection c = governed(counting)) {
            assertThatThrownBy(() -> c.createStatement().execute("DROP TABLE items"))
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
        }
        assertThat(counting.entered).hasValue(0);
        assertThat(counting.refused).hasValue(1);
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void aStageThatThrowsAnUncheckedExceptionRefusesTheStatement() throws SQLException {
        StatementStage broken = new StatementStage() {
            @Override
            public void enter(Execution execution) {
                throw new IllegalStateException("limit store unreachable");
            }
        };
        try (Connection c = governed(broken)) {
            assertThatThrownBy(() -> c.createStatement().executeUpdate("DELETE FROM items WHERE id = 1"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("nothing was sent to the database")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
        }
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void aStageSeesADriversUncheckedExceptionAsAFailureNamingItsClassOnly() throws SQLException {
        List<SQLException> seen = Collections.synchronizedList(new ArrayList<>());
        StatementStage watching = new StatementStage() {
            @Override
            public SQLException failed(Execution execution, SQLException failure) {
                seen.add(failure);
                return failure;
            }
        };
        IllegalArgumentException thrown = new IllegalArgumentException("bad value 'secret-value-123'");
        ThrowingDriver driver = new ThrowingDriver(h2, "items");
        driver.throwNext(thrown);
        try (Connection c = new GovernedDataSource(driver.dataSource(), Governance.builder()
                .policy(PolicyLoader.baseline()).audit(dispatcher).defaultIdentity(ALICE).stage(watching)
                .allowUnlistedDataSources(true).build())
                .getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE items SET name = ? WHERE id = ?")) {
            ps.setString(1, "uno");
            ps.setInt(2, 1);
            assertThatThrownBy(ps::executeUpdate).as("the caller gets the driver's own exception").isSameAs(thrown);
        }
        assertThat(seen).singleElement().satisfies(failure -> {
            assertThat(failure.getClass()).isEqualTo(UncheckedDriverException.class);
            assertThat(failure.getMessage()).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(failure.getSQLState()).isNull();
            assertThat(failure.getCause()).as("nothing through which the driver's message could be read").isNull();
        });
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(AuditDecision.ERROR);
            assertThat(e.error().message()).isEqualTo(IllegalArgumentException.class.getName());
        });
    }

    @Test
    void aStageWhoseFailedHookThrowsKeepsNeitherTheDatabasesErrorFromTheCallerNorTheFailureFromTheAudit()
            throws SQLException {
        StatementStage broken = new StatementStage() {
            @Override
            public SQLException failed(Execution execution, SQLException failure) {
                throw new IllegalStateException("metrics store unreachable");
            }
        };
        try (Connection c = governed(broken); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO items VALUES (1, 'again')"))
                    .as("the database's error, a duplicate key")
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"))
                    .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                            .isInstanceOf(IllegalStateException.class));
        }
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(AuditDecision.ERROR);
            assertThat(e.error().sqlState()).isEqualTo("23505");
        });
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void theStagesRunInTheirDocumentedOrder() {
        StatementStage mine = new CountingStage();
        Governance governance = Governance.builder().policy(PolicyLoader.fromString("filtered.yaml", """
                version: 1
                rules: [{ id: all, effect: permit, actions: ["*"] }]
                row-filters: [{ id: tenants, tables: ["orders"], filter: "tenant_id = :identity.tenant" }]
                limits: [{ id: agents, principals: { kinds: [agent] }, max-rows: 10 }]
                """)).stage(mine).defaultIdentity(ALICE).build();
        assertThat(governance.pipeline().stages()).extracting(s -> s.getClass().getSimpleName())
                .containsExactly("IdentityStage", "WrapperRefusalStage", "BatchIdentityStage", "SessionRoleStage", "SessionLeftoversStage", "FreshReadingStage", "PreparedNamesStage", "DecisionStage", "SessionStage", "RowFilterStage", "MaskingStage", "LimitStage",
                        "CountingStage", "BeforeRun", "BeforeRun", "BeforeRun", "ErrorScrubbingStage", "AuditStage");
    }

    @Test
    void aPolicyWithoutMasksRowFiltersOrLimitsLeavesTheirStagesOut() {
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).stage(new CountingStage())
                .defaultIdentity(ALICE).build();
        assertThat(governance.pipeline().stages()).extracting(s -> s.getClass().getSimpleName())
                .containsExactly("IdentityStage", "WrapperRefusalStage", "BatchIdentityStage", "SessionRoleStage", "SessionLeftoversStage", "FreshReadingStage", "PreparedNamesStage", "DecisionStage", "SessionStage", "MaskingStage", "CountingStage",
                        "BeforeRun", "BeforeRun", "BeforeRun", "ErrorScrubbingStage", "AuditStage");
    }
}
