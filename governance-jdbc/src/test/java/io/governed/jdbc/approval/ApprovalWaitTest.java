package io.governed.jdbc.approval;

import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.approval.ApprovalRequest;
import io.governed.policy.approval.ApprovalStatus;
import io.governed.policy.approval.InMemoryApprovalStore;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code governed.approvals.wait}: a statement that needs approval waits for it, then runs or fails as pending. */
class ApprovalWaitTest {
    private final InMemoryApprovalStore store = new InMemoryApprovalStore();
    private final JdbcDataSource h2 = new JdbcDataSource();

    ApprovalWaitTest() throws SQLException {
        h2.setURL("jdbc:h2:mem:approvals-wait-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE approvals_wait (id INT)");
        }
    }

    private GovernedDataSource app(Duration wait) {
        return new GovernedDataSource(h2, Governance.builder().withoutAudit().approvalStore(store).approvalWait(wait)
                .defaultIdentity(Identity.human("dora"))
                .policy(PolicyLoader.fromString("wait.yaml", """
                        version: 1
                        rules: [{ id: all, effect: permit, actions: ["*"] }]
                        approvals: [{ id: inserts, actions: [insert], approvers: { names: [dan] }, ttl: 1h }]
                        """)).build());
    }

    /** Runs the insert: null when it ran, else the exception it failed with. */
    private static SQLException insert(GovernedDataSource app) {
        try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO approvals_wait VALUES (1)");
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    private int rows() throws SQLException {
        try (Connection c = h2.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM approvals_wait")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private ApprovalRequest awaitRequest() throws InterruptedException {
        for (int i = 0; i < 2_000; i++) {
            List<ApprovalRequest> pending = store.list(EnumSet.of(ApprovalStatus.PENDING));
            if (!pending.isEmpty()) {
                return pending.get(0);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no request was made");
    }

    @Test
    void anApprovalGivenWhileTheStatementWaitsLetsItRun() throws Exception {
        GovernedDataSource app = app(Duration.ofMinutes(1));
        CompletableFuture<SQLException> waiting = CompletableFuture.supplyAsync(() -> insert(app));
        ApprovalRequest request = awaitRequest();
        store.approve(request.id(), Identity.human("dan"));
        assertThat((Throwable) waiting.get(1, TimeUnit.MINUTES)).as("it ran").isNull();
        assertThat(rows()).isEqualTo(1);
        assertThat(store.find(request.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.CONSUMED);
    }

    @Test
    void withoutAnApprovalInTimeItFailsAsPending() throws Exception {
        SQLException failure = insert(app(Duration.ofMillis(200)));
        assertThat((Throwable) failure).isInstanceOf(ApprovalPendingException.class);
        assertThat(failure.getSQLState()).isEqualTo("XGA01");
        assertThat(rows()).isZero();
    }

    @Test
    void aDenialWhileWaitingEndsTheWaitWithTheDenial() throws Exception {
        GovernedDataSource app = app(Duration.ofMinutes(1));
        CompletableFuture<SQLException> waiting = CompletableFuture.supplyAsync(() -> insert(app));
        store.deny(awaitRequest().id(), Identity.human("dan"), "not today");
        SQLException failure = waiting.get(1, TimeUnit.MINUTES);
        assertThat((Throwable) failure).isNotInstanceOf(ApprovalPendingException.class);
        assertThat(failure.getSQLState()).isEqualTo("42501");
        assertThat(failure.getMessage()).contains("not today");
    }

    @Test
    void anInterruptEndsTheWaitAndKeepsTheInterrupt() throws Exception {
        GovernedDataSource app = app(Duration.ofMinutes(10));
        AtomicReference<SQLException> failure = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            failure.set(insert(app));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        awaitRequest();
        caller.interrupt();
        caller.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(caller.isAlive()).isFalse();
        assertThat((Throwable) failure.get()).isInstanceOf(ApprovalPendingException.class);
        assertThat(stillInterrupted.get()).isTrue();
        assertThat(rows()).isZero();
    }
}
