package io.governed.jdbc.approval;

import com.zaxxer.hikari.HikariDataSource;
import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.MovableClock;
import io.governed.jdbc.support.TestDatabase;
import io.governed.policy.Policy;
import io.governed.policy.approval.ApprovalStatus;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The approval workflow through the governed driver with a {@link JdbcApprovalStore} on one database:
 * two application instances (two runtimes, two store objects) share the store; approvals are bound
 * to the exact statement, its values and the identity; one approval runs one execution however many race for it.
 */
abstract class ApprovalWorkflowSpec {
    static final String STORE_TABLE = "approvals_store";
    private static final String RUNS = "approvals_runs";
    private static final String INSERT = "INSERT INTO " + RUNS + " (runner) VALUES (?)";
    private static final Identity DORA = Identity.builder("dora").groups("dev").build();
    private static final Identity DAN = Identity.builder("dan").groups("dba").build();
    private static final Policy POLICY = PolicyLoader.fromString("approvals.yaml", """
            version: 1
            rules:
              - { id: everything, effect: permit, actions: ["*"], resources: ["*"] }
            approvals:
              - { id: recorded-runs, actions: [insert], resources: ["*"], approvers: { groups: [dba] }, ttl: 30m }
              - { id: two-for-deletes, actions: [delete], resources: ["*"], approvers: { groups: [dba], require: 2 }, ttl: 30m }
            """);

    private final MovableClock clock = new MovableClock(Instant.now());
    private final List<HikariDataSource> pools = new ArrayList<>();

    abstract TestDatabase database();

    /** A store object of its own, as another instance would have. */
    JdbcApprovalStore store() {
        return new JdbcApprovalStore(database().rawUrl(), database().user(), database().password(), STORE_TABLE, clock);
    }

    @BeforeEach
    void cleanTables() throws SQLException {
        database().requireReachable();
        store(); // creates the tables
        try (Connection c = database().connectRaw(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM " + STORE_TABLE + "_votes");
            s.execute("DELETE FROM " + STORE_TABLE + "_requests");
            s.execute("DROP TABLE IF EXISTS " + RUNS);
            s.execute("CREATE TABLE " + RUNS + " (runner VARCHAR(40))");
        }
    }

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    /** An application instance: its own runtime and store object, running as {@code identity}. */
    GovernedDataSource instance(Identity identity) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(database().rawUrl());
        pool.setUsername(database().user());
        pool.setPassword(database().password());
        pool.setMaximumPoolSize(10);
        pools.add(pool);
        Governance governance = Governance.builder().policy(POLICY).approvalStore(store()).defaultIdentity(identity)
                .withoutAudit().build();
        return new GovernedDataSource(pool, governance);
    }

    private int rows() throws SQLException {
        try (Connection c = database().connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + RUNS)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private String storedStatus(String requestId) throws SQLException {
        try (Connection c = database().connectRaw();
             PreparedStatement ps = c.prepareStatement("SELECT status FROM " + STORE_TABLE + "_requests WHERE id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Runs the insert with {@code value} on a new connection of {@code instance}: the request it waits for, or null when it ran. */
    private static String insert(GovernedDataSource instance, String sql, String value) throws SQLException {
        try (Connection c = instance.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (value != null) {
                ps.setString(1, value);
            }
            ps.executeUpdate();
            return null;
        } catch (ApprovalPendingException pending) {
            assertThat(pending.getSQLState()).isEqualTo(ApprovalPendingException.SQLSTATE_PENDING_APPROVAL);
            return pending.approvalRequestId();
        }
    }

    @Test
    void ofSixteenExecutionsInTwoInstancesRacingForOneApprovalExactlyOneRuns() throws Exception {
        GovernedDataSource first = instance(DORA);
        GovernedDataSource second = instance(DORA);
        String requestId = insert(first, INSERT, "once");
        assertThat(requestId).isNotNull();
        assertThat(store().approve(requestId, DAN).status()).isEqualTo(ApprovalStatus.APPROVED);

        int ran = ApprovalRaceProcess.race(16, i -> {
            GovernedDataSource instance = i % 2 == 0 ? first : second;
            return () -> insert(instance, INSERT, "once");
        });
        assertThat(ran).as("executions that ran").isEqualTo(1);
        assertThat(rows()).as("rows in the database").isEqualTo(1);
        assertThat(storedStatus(requestId)).isEqualTo("consumed");
    }

    @Test
    void anApprovalRunsExactlyTheApprovedStatementWithItsValuesForItsRequesterOnce() throws Exception {
        GovernedDataSource dora = instance(DORA);
        String requestId = insert(dora, INSERT, "one");
        store().approve(requestId, DAN);

        assertThat(insert(dora, INSERT, "two")).as("a different parameter value").isNotNull().isNotEqualTo(requestId);
        assertThat(insert(dora, "INSERT INTO " + RUNS + " (runner) VALUES ('one')", null)).as("the value as a literal").isNotNull();
        assertThat(insert(dora, INSERT.replace("VALUES", " VALUES"), "one")).as("other text, same fingerprint").isNotNull();
        assertThat(insert(instance(Identity.builder("dirk").groups("dev").build()), INSERT, "one")).as("another identity").isNotNull();
        assertThat(rows()).isZero();

        assertThat(insert(dora, INSERT, "one")).as("the approved statement").isNull();
        assertThat(rows()).isEqualTo(1);
        String replay = insert(dora, INSERT, "one");
        assertThat(replay).as("replayed after use: a new request").isNotNull().isNotEqualTo(requestId);
        assertThat(rows()).isEqualTo(1);

        store().approve(replay, DAN);
        clock.advance(Duration.ofMinutes(31));
        String afterExpiry = insert(dora, INSERT, "one");
        assertThat(afterExpiry).as("approved, then unused past its ttl").isNotNull().isNotEqualTo(replay);
        assertThat(store().find(replay).orElseThrow().statusAt(clock.instant())).isEqualTo(ApprovalStatus.EXPIRED);
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void aDenialReachesTheRequesterWithItsReasonAndTheRequesterCannotApprove() throws Exception {
        GovernedDataSource dora = instance(DORA);
        String requestId = insert(dora, INSERT, "one");
        JdbcApprovalStore store = store();
        io.governed.policy.approval.ApprovalException own = catchThrowableOfType(
                io.governed.policy.approval.ApprovalException.class,
                () -> store.approve(requestId, Identity.builder("dora").groups("dba").build()));
        assertThat(own).hasMessageContaining("dora cannot approve or deny request " + requestId);
        store.deny(requestId, DAN, "use the archive job instead");

        GovernanceException denied;
        try (Connection c = dora.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, "one");
            denied = catchThrowableOfType(GovernanceException.class, ps::executeUpdate);
        }
        assertThat((Throwable) denied).isNotInstanceOf(ApprovalPendingException.class);
        assertThat(denied.getSQLState()).isEqualTo(GovernanceException.SQLSTATE_DENIED);
        assertThat(denied.getMessage()).contains("was denied by dan").contains("use the archive job instead");
        assertThat(store.list(EnumSet.of(ApprovalStatus.DENIED))).extracting(r -> r.votes().get(0).reason())
                .containsExactly("use the archive job instead");
        assertThat(rows()).isZero();
    }

    @Test
    void theStoreKeepsTheExactTextAndADigestOfTheValuesNeverTheValues() throws Exception {
        String requestId = insert(instance(DORA), INSERT, "secret-value-42");
        try (Connection c = database().connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + STORE_TABLE + "_requests")) {
            assertThat(rs.next()).isTrue();
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.append(rs.getString(i)).append('|');
            }
            assertThat(row.toString()).contains(requestId).contains(INSERT).doesNotContain("secret-value-42");
        }
    }

    @Test
    void aQuorumOfTwoIsCountedAcrossStoreObjectsAndKeptInTheVotesTable() throws Exception {
        GovernedDataSource dora = instance(DORA);
        try (Connection c = database().connectRaw(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + RUNS + " (runner) VALUES ('old')");
        }
        String delete = "DELETE FROM " + RUNS + " WHERE runner = ?";
        String id = insert(dora, delete, "old");
        assertThat(store().approve(id, DAN).status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(insert(dora, delete, "old")).as("one of two approvals").isEqualTo(id);
        io.governed.policy.approval.ApprovalException twice = catchThrowableOfType(
                io.governed.policy.approval.ApprovalException.class, () -> store().approve(id, DAN));
        assertThat(twice).hasMessageContaining("dan has already approved request " + id);
        assertThat(store().approve(id, Identity.builder("dirk").groups("dba").build()).status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(insert(dora, delete, "old")).as("two approvals: it runs").isNull();
        assertThat(rows()).isZero();
        try (Connection c = database().connectRaw();
             PreparedStatement ps = c.prepareStatement("SELECT approver FROM " + STORE_TABLE + "_votes WHERE request_id = ? ORDER BY approver")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> approvers = new ArrayList<>();
                while (rs.next()) {
                    approvers.add(rs.getString(1));
                }
                assertThat(approvers).containsExactly("dan", "dirk");
            }
        }
    }
}
