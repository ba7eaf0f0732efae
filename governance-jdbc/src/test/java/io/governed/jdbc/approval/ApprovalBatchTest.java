package io.governed.jdbc.approval;

import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.MovableClock;
import io.governed.policy.approval.ApprovalStatus;
import io.governed.policy.approval.InMemoryApprovalStore;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * An approval allows one execution. A batch is several: a batch that would run a statement needing approval more
 * than once is refused before anything of it runs, without recording a request or using an approval up; a batch of
 * one entry is one execution, and an exact approval of its values lets it run once. Outcomes are checked in the
 * database through a raw connection and in the store.
 */
class ApprovalBatchTest {
    private static final Identity DAN = Identity.builder("dan").groups("dba").build();
    private static final String DELETE = "DELETE FROM batch_users WHERE id = ?";
    private static final String UPDATE = "UPDATE batch_accounts SET balance = ? WHERE id = ?";

    private final MovableClock clock = new MovableClock(Instant.now());
    private final InMemoryApprovalStore store = new InMemoryApprovalStore(clock);
    private final JdbcDataSource h2 = new JdbcDataSource();
    private GovernedDataSource app;

    @BeforeEach
    void database() throws SQLException {
        h2.setURL("jdbc:h2:mem:approval-batch-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE batch_users (id INT PRIMARY KEY, name VARCHAR(20))");
            s.execute("INSERT INTO batch_users VALUES (1, 'ann'), (2, 'bob'), (3, 'cy'), (4, 'di')");
            s.execute("CREATE TABLE batch_accounts (id INT PRIMARY KEY, balance INT)");
            s.execute("INSERT INTO batch_accounts VALUES (1, 10), (2, 20)");
        }
        Governance governance = Governance.builder().withoutAudit().approvalStore(store)
                .policy(PolicyLoader.fromString("batch.yaml", """
                        version: 1
                        rules: [{ id: all, effect: permit, actions: ["*"], resources: ["*"] }]
                        approvals:
                          - { id: deletes, actions: [delete], resources: [batch_users], approvers: { groups: [dba] }, ttl: 1h, scope: fingerprint }
                          - { id: balances, actions: [update], resources: [batch_accounts], approvers: { groups: [dba] }, ttl: 1h }
                        """))
                .defaultIdentity(Identity.builder("dora").groups("dev").build())
                .build();
        app = new GovernedDataSource(h2, governance);
    }

    private List<Integer> users() throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Connection c = h2.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM batch_users ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }

    private int balance(int id) throws SQLException {
        try (Connection c = h2.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT balance FROM batch_accounts WHERE id = " + id)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Deletes user {@code id} on its own: the request it waits for, or {@code null} when it ran. */
    private String deleteOne(int id) throws SQLException {
        try (Connection c = app.getConnection(); PreparedStatement ps = c.prepareStatement(DELETE)) {
            ps.setInt(1, id);
            ps.executeUpdate();
            return null;
        } catch (ApprovalPendingException pending) {
            return pending.approvalRequestId();
        }
    }

    /** A fingerprint-scoped approval for one delete of a user, granted. */
    private String approvedDelete() throws SQLException {
        String request = deleteOne(4);
        assertThat(request).isNotNull();
        store.approve(request, DAN);
        return request;
    }

    @Test
    void aPreparedBatchRunningAnApprovedStatementThreeTimesIsRefusedAndUsesTheApprovalNotUp() throws SQLException {
        String approved = approvedDelete();
        int requestsBefore = store.list(java.util.EnumSet.allOf(ApprovalStatus.class)).size();

        try (Connection c = app.getConnection(); PreparedStatement ps = c.prepareStatement(DELETE)) {
            for (int id = 1; id <= 3; id++) {
                ps.setInt(1, id);
                ps.addBatch();
            }
            GovernanceException refused = catchThrowableOfType(GovernanceException.class, ps::executeBatch);
            assertThat((Throwable) refused).isNotInstanceOf(BatchUpdateException.class).isNotInstanceOf(ApprovalPendingException.class);
            assertThat(refused.getSQLState()).isEqualTo("42501");
            assertThat(refused.getMessage()).contains("needs approval deletes, which allows one execution")
                    .contains("this batch runs it 3 times at once").contains("nothing of it ran");

            assertThat(ps.executeBatch()).as("the refused batch is spent, as JDBC says").isEmpty();

            assertThat(users()).as("rows in the database").containsExactly(1, 2, 3, 4);
            assertThat(store.find(approved).orElseThrow().statusAt(clock.instant())).as("the approval is not used up")
                    .isEqualTo(ApprovalStatus.APPROVED);
            assertThat(store.list(java.util.EnumSet.allOf(ApprovalStatus.class))).as("no request recorded for the batch")
                    .hasSize(requestsBefore);

            ps.setInt(1, 1);
            assertThat(ps.executeUpdate()).as("one delete on its own, the same statement, uses the approval").isEqualTo(1);
        }
        assertThat(users()).containsExactly(2, 3, 4);
        assertThat(deleteOne(2)).as("the next one waits for an approval of its own").isNotNull();
    }

    @Test
    void aPlainBatchOfOneTextTwiceIsRefusedTooAndNothingRuns() throws SQLException {
        String approved = approvedDelete();
        try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
            String sql = "DELETE FROM batch_users WHERE id = 1";
            s.addBatch(sql);
            s.addBatch(sql);
            GovernanceException refused = catchThrowableOfType(GovernanceException.class, s::executeBatch);
            assertThat(refused.getMessage()).contains("this batch runs it 2 times at once");
        }
        assertThat(users()).containsExactly(1, 2, 3, 4);
        assertThat(store.find(approved).orElseThrow().statusAt(clock.instant())).isEqualTo(ApprovalStatus.APPROVED);
    }

    @Test
    void aBatchOfStatementsThatNeedNoApprovalStillRunsWhole() throws SQLException {
        try (Connection c = app.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO batch_users (id, name) VALUES (?, ?)")) {
            for (int id = 10; id < 13; id++) {
                ps.setInt(1, id);
                ps.setString(2, "n" + id);
                ps.addBatch();
            }
            assertThat(ps.executeBatch()).containsExactly(1, 1, 1);
        }
        assertThat(users()).containsExactly(1, 2, 3, 4, 10, 11, 12);
    }

    @Test
    void aPreparedBatchOfOneEntryIsOneExecutionThatAnExactApprovalOfItsValuesLetsRunOnce() throws SQLException {
        String request;
        try (Connection c = app.getConnection(); PreparedStatement ps = c.prepareStatement(UPDATE)) {
            ps.setInt(1, 99);
            ps.setInt(2, 1);
            ps.addBatch();
            request = catchThrowableOfType(ApprovalPendingException.class, ps::executeBatch).approvalRequestId();
        }
        assertThat(balance(1)).isEqualTo(10);
        store.approve(request, DAN);

        try (Connection c = app.getConnection(); PreparedStatement ps = c.prepareStatement(UPDATE)) {
            ps.setInt(1, 50);
            ps.setInt(2, 1);
            ps.addBatch();
            String other = catchThrowableOfType(ApprovalPendingException.class, ps::executeBatch).approvalRequestId();
            assertThat(other).as("other values: a request of their own").isNotEqualTo(request);

            ps.setInt(1, 99);
            ps.setInt(2, 1);
            ps.addBatch();
            assertThat(ps.executeBatch()).as("the approved values, batched once").containsExactly(1);
        }
        assertThat(balance(1)).isEqualTo(99);
        assertThat(store.find(request).orElseThrow().status()).isEqualTo(ApprovalStatus.CONSUMED);

        try (Connection c = app.getConnection(); PreparedStatement ps = c.prepareStatement(UPDATE)) {
            ps.setInt(1, 99);
            ps.setInt(2, 1);
            ps.addBatch();
            assertThat(catchThrowableOfType(ApprovalPendingException.class, ps::executeBatch).approvalRequestId())
                    .as("used up: a new request").isNotEqualTo(request);
        }
    }
}
