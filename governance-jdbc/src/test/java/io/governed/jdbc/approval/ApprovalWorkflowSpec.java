package io.governed.jdbc.approval;

import com.zaxxer.hikari.HikariDataSource;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.MovableClock;
import io.governed.jdbc.support.TestDatabase;
import io.governed.policy.Policy;
import io.governed.policy.approval.ApprovalRequest;
import io.governed.policy.approval.ApprovalStatus;
import io.governed.policy.model.ApprovalScope;
import io.governed.policy.model.Approvers;
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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;

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

    /** The URL the store objects connect with: the database's own, unless a subclass sets the store's session up otherwise. */
    String storeUrl() {
        return database().rawUrl();
    }

    /** A store object of its own, as another instance would have. */
    JdbcApprovalStore store() {
        return new JdbcApprovalStore(storeUrl(), database().user(), database().password(), STORE_TABLE, clock);
    }

    @BeforeEach
    void cleanTables() throws SQLException {
        database().requireReachable();
        store(); // creates the tables
        try (Connection c = database().connectRaw(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM " + STORE_TABLE + "_votes");
            s.execute("DELETE FROM " + STORE_TABLE + "_requests");
            s.execute("DELETE FROM " + STORE_TABLE + "_keys");
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

    /** The ids of the requests the store holds, oldest first. */
    private List<String> recordedRequests() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = database().connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM " + STORE_TABLE + "_requests ORDER BY requested_at, id")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Sixteen executions of one statement from two instances at once: the requests they were told to wait for. */
    private static Set<String> raceForFirstRequest(GovernedDataSource first, GovernedDataSource second) throws Exception {
        Set<String> waitingFor = java.util.concurrent.ConcurrentHashMap.newKeySet();
        int ran = ApprovalRaceProcess.race(16, i -> {
            GovernedDataSource instance = i % 2 == 0 ? first : second;
            return () -> {
                String id = insert(instance, INSERT, "first");
                if (id != null) {
                    waitingFor.add(id);
                }
                return id;
            };
        });
        assertThat(ran).as("executions that ran without an approval").isZero();
        return waitingFor;
    }

    /** A first request for one statement, as an execution makes it: an id of its own, the statement's key. */
    private ApprovalRequest candidate(String key) {
        Instant now = clock.instant();
        return new ApprovalRequest(ApprovalRequest.newId(), key, "recorded-runs", "dora", null, null, "insert",
                List.of(RUNS), "insert into " + RUNS + " (runner) values (?)", INSERT, "none", ApprovalScope.EXACT,
                new Approvers(Set.of(), Set.of("dba")), Duration.ofMinutes(30), now, now.plus(Duration.ofDays(1)),
                ApprovalStatus.PENDING, List.of(), null);
    }

    private List<String> requestsWithKey(String key) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = database().connectRaw();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM " + STORE_TABLE + "_requests WHERE request_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /**
     * Eight store objects (eight instances) record the first request for one statement at the same moment, released
     * together by a barrier, in 25 rounds: each round, one request is recorded and every instance is handed that one.
     */
    @Test
    void storeObjectsRecordingOneStatementsFirstRequestAtOnceKeepOneRequest() throws Exception {
        int instances = 8;
        List<JdbcApprovalStore> stores = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            stores.add(store());
        }
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        try {
            for (int round = 0; round < 25; round++) {
                String key = "first-request-race-" + round;
                CyclicBarrier together = new CyclicBarrier(instances);
                List<Future<String>> handed = new ArrayList<>();
                for (JdbcApprovalStore store : stores) {
                    ApprovalRequest mine = candidate(key);
                    handed.add(pool.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        return store.request(mine).id();
                    }));
                }
                Set<String> ids = new HashSet<>();
                for (Future<String> f : handed) {
                    ids.add(f.get(30, TimeUnit.SECONDS));
                }
                assertThat(ids).as("requests handed to the instances in round %d", round).hasSize(1);
                assertThat(requestsWithKey(key)).as("requests recorded in round %d", round).containsExactlyElementsOf(ids);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Requests in every status (pending, approved, denied, consumed, and expired from each), listed by every set of
     * statuses: the list is exactly the requests whose status is in the set, oldest first, then by id; and pages of
     * every size, read one after another, give the list.
     */
    @Test
    void pagesOfEveryStatusSetAddUpToTheListAndTheListToEachRequestsStatus() {
        JdbcApprovalStore store = store();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            ids.add(store.request(candidate("page-" + i)).id());
            if (i == 6) {
                clock.advance(Duration.ofHours(23)); // the first seven will be a day old
            }
        }
        for (int i : new int[] {0, 1, 7, 8, 9}) {
            store.approve(ids.get(i), DAN);
        }
        store.decide(ids.get(2), DAN, true, false, "not now");
        store.decide(ids.get(10), DAN, true, false, "not now");
        store.consume(List.of(ids.get(1), ids.get(9)));
        clock.advance(Duration.ofHours(2)); // the first seven's requests and every approval so far have expired
        store.approve(ids.get(11), DAN);

        Instant now = clock.instant();
        Map<String, ApprovalStatus> statusById = new java.util.HashMap<>();
        for (String id : ids) {
            statusById.put(id, store.find(id).orElseThrow().statusAt(now));
        }
        assertThat(EnumSet.copyOf(statusById.values())).as("the statuses made").isEqualTo(EnumSet.allOf(ApprovalStatus.class));
        List<ApprovalStatus> all = List.of(ApprovalStatus.values());
        // what the store lists of every status, read once: nothing changes the store while the sets are listed
        List<ApprovalRequest> listedAll = store.list(EnumSet.allOf(ApprovalStatus.class));
        for (int mask = 0; mask < 1 << all.size(); mask++) {
            Set<ApprovalStatus> statuses = EnumSet.noneOf(ApprovalStatus.class);
            for (int b = 0; b < all.size(); b++) {
                if ((mask & 1 << b) != 0) {
                    statuses.add(all.get(b));
                }
            }
            List<String> listed = store.list(statuses).stream().map(ApprovalRequest::id).toList();
            List<String> expected = listedAll.stream()
                    .filter(r -> statuses.contains(statusById.get(r.id()))).map(ApprovalRequest::id).toList();
            assertThat(listed).as("list of %s", statuses).isEqualTo(expected);
            for (int size = 1; size <= 5; size++) {
                List<String> paged = new ArrayList<>();
                for (int offset = 0; offset <= ids.size(); offset += size) {
                    List<ApprovalRequest> page = store.list(statuses, offset, size);
                    assertThat(page.size()).isLessThanOrEqualTo(size);
                    page.forEach(r -> paged.add(r.id()));
                }
                assertThat(paged).as("pages of %d of %s", size, statuses).isEqualTo(listed);
            }
        }
        List<ApprovalRequest> everything = store.list(EnumSet.allOf(ApprovalStatus.class));
        assertThat(everything).extracting(ApprovalRequest::id).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(everything).as("oldest first, then by id").isSortedAccordingTo(
                java.util.Comparator.comparing(ApprovalRequest::requestedAt).thenComparing(ApprovalRequest::id));
        assertThat(store.find(ids.get(2)).orElseThrow().votes()).as("a page carries the votes")
                .isEqualTo(store.list(EnumSet.of(ApprovalStatus.EXPIRED), 0, 14).stream()
                        .filter(r -> r.id().equals(ids.get(2))).findFirst().orElseThrow().votes());
    }

    @Test
    void ofSixteenFirstRequestsForOneStatementFromTwoInstancesOneIsRecordedAndAllWaitForIt() throws Exception {
        GovernedDataSource first = instance(DORA);
        GovernedDataSource second = instance(DORA);

        Set<String> waitingFor = raceForFirstRequest(first, second);

        assertThat(waitingFor).as("requests the executions wait for").hasSize(1);
        assertThat(recordedRequests()).as("requests recorded").containsExactlyElementsOf(waitingFor);
        assertThat(rows()).as("rows in the database").isZero();
    }

    @Test
    void onceARequestExpiredSixteenRacingExecutionsRecordOneNewRequest() throws Exception {
        GovernedDataSource first = instance(DORA);
        GovernedDataSource second = instance(DORA);
        String expired = insert(first, INSERT, "first");
        assertThat(expired).isNotNull();
        clock.advance(Duration.ofHours(25)); // past the default request-ttl of a day

        Set<String> waitingFor = raceForFirstRequest(first, second);

        assertThat(waitingFor).as("requests the executions wait for").hasSize(1).doesNotContain(expired);
        assertThat(recordedRequests()).as("requests recorded").containsExactly(expired, waitingFor.iterator().next());
        assertThat(store().find(expired).orElseThrow().statusAt(clock.instant())).isEqualTo(ApprovalStatus.EXPIRED);
        assertThat(rows()).as("rows in the database").isZero();
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

    /** A name of {@code length} characters that begins with {@code prefix}. */
    private static String longName(String prefix, int length) {
        return prefix + "x".repeat(length - prefix.length());
    }

    /**
     * An agent acting through two other agents for lee, a DBA: the chain it acts for is longer than the store's
     * {@code on_behalf_of} column. A store that cut it would lose lee from the request's parties, and lee could approve
     * what was asked for him; the statement is refused instead, nothing recorded, nothing run.
     */
    @Test
    void aRequestWhoseAgentChainTheStoreCannotHoldWholeIsRefusedRatherThanCut() throws Exception {
        Identity lee = Identity.builder("lee").groups("dba").build();
        Identity planner = Identity.builder(longName("planner-agent-", 120)).kind(IdentityKind.AGENT).onBehalfOf(lee).build();
        Identity orchestrator = Identity.builder(longName("orchestrator-agent-", 120)).kind(IdentityKind.AGENT)
                .onBehalfOf(planner).build();
        Identity agent = Identity.builder("support-agent").kind(IdentityKind.AGENT).onBehalfOf(orchestrator).build();

        GovernanceException refused;
        try (Connection c = instance(agent).getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, "one");
            refused = catchThrowableOfType(GovernanceException.class, ps::executeUpdate);
        }
        assertThat((Throwable) refused).as("the agent's insert").isNotNull().isNotInstanceOf(ApprovalPendingException.class);
        assertThat(refused.getSQLState()).isEqualTo(GovernanceException.SQLSTATE_DENIED);
        assertThat(refused.getMessage()).contains("on_behalf_of").contains("holds at most 200 characters")
                .contains(String.valueOf(orchestrator.describe().length()));
        assertThat(recordedRequests()).as("requests in the store").isEmpty();
        assertThat(rows()).isZero();
    }

    /**
     * An approver whose name is longer than the votes table's {@code approver} column: a store that cut it would no
     * longer recognise the approver's earlier vote, and one person could give both approvals of a quorum of two. The
     * vote is refused instead, and none is recorded.
     */
    @Test
    void anApproverWhoseNameTheStoreCannotHoldWholeIsRefusedRatherThanCut() throws Exception {
        try (Connection c = database().connectRaw(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + RUNS + " (runner) VALUES ('old')");
        }
        String delete = "DELETE FROM " + RUNS + " WHERE runner = ?";
        String id = insert(instance(DORA), delete, "old");
        Identity longNamed = Identity.builder(longName("dba-", 250)).groups("dba").build();

        for (int vote = 1; vote <= 2; vote++) {
            io.governed.policy.approval.ApprovalException refused = catchThrowableOfType(
                    io.governed.policy.approval.ApprovalException.class, () -> store().approve(id, longNamed));
            assertThat(refused).as("vote %d", vote).isNotNull();
            assertThat(refused).hasMessageContaining("approver").hasMessageContaining("holds at most 200 characters");
        }
        assertThat(storedStatus(id)).isEqualTo("pending");
        try (Connection c = database().connectRaw();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + STORE_TABLE + "_votes WHERE request_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("votes recorded").isZero();
            }
        }
        assertThat(insert(instance(DORA), delete, "old")).as("still waiting").isEqualTo(id);
        assertThat(rows()).isEqualTo(1);
    }
}
