package io.governed.jdbc.audit;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Every statement a governed connection runs, or refuses, becomes one audit event tied to the
 * identity that ran it; and when events cannot be recorded, each delivery mode does what it promises.
 */
class AuditedStatementsTest {
    private static final Identity ALICE = Identity.builder("alice").groups("analysts").attribute("tenant", "acme").build();
    private static final Identity AGENT = Identity.builder("support-bot").kind(IdentityKind.AGENT)
            .onBehalfOf(Identity.human("bob")).purpose("ticket 4711").build();

    private JdbcDataSource h2;
    private Connection raw;
    private ControllableSink sink;
    private AuditDispatcher dispatcher;

    @BeforeEach
    void database() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:audited-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE items(id INT PRIMARY KEY, name VARCHAR(40))");
            s.execute("INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        }
        sink = new ControllableSink();
    }

    @AfterEach
    void close() throws SQLException {
        if (dispatcher != null) {
            dispatcher.close();
        }
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private Connection governed(AuditSettings settings) throws SQLException {
        return governed(settings, ALICE);
    }

    private Connection governed(AuditSettings settings, Identity defaultIdentity) throws SQLException {
        dispatcher = AuditDispatcher.start(List.of(sink), settings);
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).audit(dispatcher)
                .defaultIdentity(defaultIdentity).build();
        return new GovernedDataSource(h2, governance).getConnection();
    }

    private List<AuditEvent> events() {
        assertThat(dispatcher.flush(Duration.ofSeconds(5))).as("the audit queue drained").isTrue();
        return sink.stored();
    }

    private long count() throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM items")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aQueryIsOneEventWithItsIdentityTablesAndTheRowsRead() throws SQLException {
        try (Connection c = governed(AuditSettings.defaults())) {
            IdentityContext.runAs(AGENT, () -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, name FROM items WHERE id < 3")) {
                    while (rs.next()) {
                        rs.getString(2);
                    }
                }
            });
        }
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.principal()).isEqualTo("support-bot");
            assertThat(e.kind()).isEqualTo("agent");
            assertThat(e.onBehalfOf()).isEqualTo("bob");
            assertThat(e.purpose()).isEqualTo("ticket 4711");
            assertThat(e.action()).isEqualTo("select");
            assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
            assertThat(e.tables()).containsExactly("ITEMS");
            assertThat(e.columns()).contains("ITEMS.ID", "ITEMS.NAME");
            assertThat(e.rows()).isEqualTo(2L);
            assertThat(e.durationUs()).isNotNull().isNotNegative();
            assertThat(e.statement()).isEqualTo("select id, name from items where id < ?");
            assertThat(e.connectionId()).startsWith("gc-");
        });
    }

    @Test
    void anUpdateRecordsTheRowsItChanged() throws SQLException {
        try (Connection c = governed(AuditSettings.defaults()); PreparedStatement ps = c.prepareStatement("UPDATE items SET name = ? WHERE id >= ?")) {
            ps.setString(1, "renamed");
            ps.setInt(2, 2);
            assertThat(ps.executeUpdate()).isEqualTo(2);
        }
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("update");
            assertThat(e.rows()).isEqualTo(2L);
            assertThat(e.principal()).isEqualTo("alice");
        });
    }

    @Test
    void aRefusedStatementIsAnEventNamingTheRuleAndNothingRuns() throws SQLException {
        try (Connection c = governed(AuditSettings.defaults())) {
            assertThatThrownBy(() -> c.createStatement().execute("DELETE FROM items")).isInstanceOf(GovernanceException.class);
        }
        assertThat(count()).isEqualTo(3);
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(AuditDecision.DENY);
            assertThat(e.action()).isEqualTo("delete");
            assertThat(e.rules()).containsExactly("baseline-no-unbounded-writes");
            assertThat(e.reason()).contains("WHERE");
            assertThat(e.rows()).isNull();
            assertThat(e.durationUs()).isNull();
        });
    }

    @Test
    void aStatementTheDatabaseFailsIsAnErrorEventWithItsSqlState() throws SQLException {
        try (Connection c = governed(AuditSettings.defaults())) {
            assertThatThrownBy(() -> c.createStatement().executeUpdate("INSERT INTO items VALUES (1, 'again')"))
                    .isInstanceOf(SQLException.class);
        }
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(AuditDecision.ERROR);
            assertThat(e.error().sqlState()).isEqualTo("23505");
        });
    }

    @Test
    void aBatchRecordsEachStatementWithItsCount() throws SQLException {
        try (Connection c = governed(AuditSettings.defaults()); PreparedStatement ps = c.prepareStatement("INSERT INTO items VALUES (?, ?)")) {
            for (int id = 10; id < 14; id++) {
                ps.setInt(1, id);
                ps.setString(2, "batched");
                ps.addBatch();
            }
            ps.executeBatch();
            Statement s = c.createStatement();
            s.addBatch("UPDATE items SET name = 'x' WHERE id = 10");
            s.addBatch("DELETE FROM items WHERE id > 11");
            s.executeBatch();
        }
        assertThat(events()).extracting(AuditEvent::action, AuditEvent::rows).containsExactly(
                org.assertj.core.groups.Tuple.tuple("insert", 1L), org.assertj.core.groups.Tuple.tuple("insert", 1L),
                org.assertj.core.groups.Tuple.tuple("insert", 1L), org.assertj.core.groups.Tuple.tuple("insert", 1L),
                org.assertj.core.groups.Tuple.tuple("update", 1L), org.assertj.core.groups.Tuple.tuple("delete", 2L));
    }

    @Test
    void requiredModeRunsNothingWhileTheSinkCannotStoreEventsAndResumesWhenItCan() throws Exception {
        AuditSettings required = AuditSettings.defaults().withMode(DeliveryMode.REQUIRED)
                .withRetryBackoff(Duration.ofMillis(20)).withSubmitTimeout(Duration.ofMillis(200));
        try (Connection c = governed(required)) {
            c.createStatement().executeUpdate("INSERT INTO items VALUES (4, 'four')");
            sink.failWith(new IOException("disk full"));
            awaitFailureNoticed(c);
            assertThatThrownBy(() -> c.createStatement().executeUpdate("INSERT INTO items VALUES (5, 'five')"))
                    .isInstanceOf(AuditUnavailableException.class)
                    .hasMessageContaining("disk full")
                    .hasMessageContaining("nothing run unaudited");
            assertThat(count()).as("the refused insert did not run").isEqualTo(4);

            sink.heal();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                try {
                    c.createStatement().executeUpdate("INSERT INTO items VALUES (5, 'five')");
                    break;
                } catch (AuditUnavailableException stillDown) {
                    assertThat(System.nanoTime()).as("the sink came back within 10 s").isLessThan(deadline);
                    Thread.sleep(20);
                }
            }
        }
        assertThat(count()).isEqualTo(5);
        assertThat(events()).extracting(AuditEvent::action).contains("insert");
    }

    /** Runs harmless statements until the dispatcher has seen the sink fail (its writer retries in the background). */
    private void awaitFailureNoticed(Connection c) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                c.createStatement().executeQuery("SELECT 1").close();
            } catch (AuditUnavailableException noticed) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the dispatcher never noticed the failing sink");
    }

    @Test
    void requiredModeWritesNoRowThroughAnUpdatableResultSetWhileTheSinkCannotStoreEvents() throws Exception {
        AuditSettings required = AuditSettings.defaults().withMode(DeliveryMode.REQUIRED)
                .withRetryBackoff(Duration.ofMillis(20)).withSubmitTimeout(Duration.ofMillis(200));
        try (Connection c = governed(required);
             Statement s = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE);
             ResultSet rs = s.executeQuery("SELECT id, name FROM items WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.next()).as("the query ends, and is audited, while the sink works").isFalse();
            assertThat(rs.first()).isTrue();
            sink.failWith(new IOException("disk full"));
            awaitFailureNoticed(c);
            rs.updateString("name", "unaudited");
            assertThatThrownBy(rs::updateRow).isInstanceOf(AuditUnavailableException.class)
                    .hasMessageContaining("nothing run unaudited");
            rs.cancelRowUpdates();
        }
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM items WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("the row write did not run").isEqualTo("one");
        }
    }

    @Test
    void requiredModeRunsNothingWhileTheAuditDatabaseIsDown() throws Exception {
        // Nothing listens on port 1: the jdbc sink's server is down from the start.
        dispatcher = AuditDispatcher.start("jdbc:postgresql://127.0.0.1:1/audit?connectTimeout=1",
                AuditSettings.defaults().withMode(DeliveryMode.REQUIRED).withRetryBackoff(Duration.ofMillis(50))
                        .withSubmitTimeout(Duration.ofMillis(200)));
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).audit(dispatcher).defaultIdentity(ALICE).build();
        try (Connection c = new GovernedDataSource(h2, governance).getConnection()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            boolean refused = false;
            for (int id = 100; !refused && System.nanoTime() < deadline; id++) {
                try {
                    c.createStatement().executeUpdate("INSERT INTO items VALUES (" + id + ", 'while down')");
                } catch (AuditUnavailableException e) {
                    refused = true;
                    assertThat(e.getSQLState()).isEqualTo("55000");
                }
            }
            assertThat(refused).as("statements are refused once the sink's failure is known").isTrue();
            long before = count();
            assertThatThrownBy(() -> c.createStatement().executeUpdate("INSERT INTO items VALUES (999, 'refused')"))
                    .isInstanceOf(AuditUnavailableException.class);
            assertThat(count()).as("the refused insert did not run").isEqualTo(before);
        }
    }

    @Test
    void blockModeLosesNothingOnceTheSinkRecovers() throws Exception {
        AuditSettings block = AuditSettings.defaults().withMode(DeliveryMode.BLOCK).withRetryBackoff(Duration.ofMillis(20));
        try (Connection c = governed(block)) {
            sink.failWith(new IOException("network down"));
            for (int i = 0; i < 50; i++) {
                c.createStatement().executeQuery("SELECT name FROM items WHERE id = " + (i % 3 + 1)).close();
            }
            assertThat(sink.stored()).isEmpty();
            sink.heal();
        }
        assertThat(events()).hasSize(50).allSatisfy(e -> assertThat(e.principal()).isEqualTo("alice"));
    }

    @Test
    void dropModeCountsWhatItDrops() throws Exception {
        AuditSettings drop = AuditSettings.defaults().withMode(DeliveryMode.DROP).withQueueCapacity(4).withBatchSize(1);
        try (Connection c = governed(drop)) {
            sink.hold();
            for (int i = 0; i < 40; i++) {
                c.createStatement().executeQuery("SELECT 1").close();
            }
            assertThat(dispatcher.droppedEvents()).as("dropped while the sink was stuck").isGreaterThan(0);
            long dropped = dispatcher.droppedEvents();
            sink.open();
            assertThat(events().size() + dropped).isEqualTo(40);
        }
    }

    @Test
    void noLiteralBoundValueOrValueInAnErrorMessageReachesTheTrail(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("audit.jsonl");
        dispatcher = AuditDispatcher.start("jsonl:" + log, AuditSettings.defaults());
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).audit(dispatcher).defaultIdentity(ALICE).build();
        try (Connection c = new GovernedDataSource(h2, governance).getConnection()) {
            c.createStatement().executeQuery("SELECT id FROM items WHERE name = 'LITERAL-ZEBRA-7781'").close();
            c.createStatement().executeUpdate("INSERT INTO items VALUES (90210, 'LITERAL-OKAPI-5523')");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO items VALUES (?, ?)")) {
                ps.setInt(1, 777001);
                ps.setString(2, "BOUND-TAPIR-9902");
                ps.executeUpdate();
                ps.setInt(1, 777001); // duplicate key: the driver's message quotes the value
                ps.setString(2, "BOUND-TAPIR-9902");
                assertThatThrownBy(ps::executeUpdate).isInstanceOf(SQLException.class);
            }
            assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT CAST('VALUE-GECKO-3141' AS INT)"))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> c.createStatement().execute("DELETE FROM items WHERE 'LITERAL-LLAMA-2718' = 'LITERAL-LLAMA-2718'"))
                    .isInstanceOf(GovernanceException.class);
        }
        dispatcher.close();
        // Ids, hashes, times and durations are random or measured: a digit run in them is no leak, so they go first.
        String trail = Files.readString(log)
                .replaceAll("\"(time|event_id|prev_hash|hash|fingerprint)\":\"[^\"]*\"", "")
                .replaceAll("\"duration_us\":\\d+", "");
        assertThat(trail.lines()).hasSize(6);
        assertThat(trail).doesNotContain("ZEBRA", "OKAPI", "TAPIR", "GECKO", "LLAMA", "90210", "777001", "7781", "5523", "9902", "3141");
    }

    /**
     * A batch is decided, run and audited as the one identity that built it: a framework that flushes a batch an agent
     * built in its scope after the scope ended, as the connection's own identity, must not run the agent's statements as
     * (and audit them as) that identity; entries of two identities never share a batch.
     */
    @Nested
    class BatchesOfOneIdentity {
        private final Identity service = Identity.builder("order-service").kind(IdentityKind.SERVICE).build();

        /** A connection whose own identity is the service. */
        private Connection asService() throws SQLException {
            return governed(AuditSettings.defaults(), service);
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
            try (Connection c = asService(); Statement s = c.createStatement()) {
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
            try (Connection c = asService(); PreparedStatement ps = c.prepareStatement("UPDATE items SET name = ? WHERE id = ?")) {
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
            try (Connection c = asService(); Statement s = c.createStatement()) {
                s.addBatch("UPDATE items SET name = 'service' WHERE id = 1");
                IdentityContext.runAs(AGENT, () -> assertThatThrownBy(s::executeBatch).isInstanceOf(SQLException.class)
                        .hasMessageContaining("added as order-service")
                        .hasMessageContaining("runs as support-bot for bob"));
            }
            assertThat(names()).containsExactly("one", "two", "three");
        }

        @Test
        void anEntryOfAnotherIdentityIsRefusedAndTheBatchKeepsWhatItHeld() throws Exception {
            try (Connection c = asService(); Statement s = c.createStatement()) {
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
            try (Connection c = asService(); PreparedStatement ps = c.prepareStatement("UPDATE items SET name = ? WHERE id = ?")) {
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
            try (Connection c = asService(); Statement s = c.createStatement()) {
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

    /**
     * A transaction ended through the JDBC API is an event as the same end in SQL text is: the trail tells a change that
     * was committed from one that was rolled back, for the identity in effect when it ended.
     */
    @Nested
    class TransactionEnds {
        /** The events' statements, in order. */
        private List<String> statements() {
            return events().stream().map(AuditEvent::statement).toList();
        }

        @Test
        void aCommitAndARollbackAreEventsOfTheIdentityInEffectAndOnlyTheCommittedRowStays() throws Exception {
            try (Connection c = governed(AuditSettings.defaults())) {
                c.setAutoCommit(false);
                IdentityContext.runAs(AGENT, () -> {
                    c.createStatement().executeUpdate("INSERT INTO items VALUES (4, 'four')");
                    c.commit();
                    c.createStatement().executeUpdate("INSERT INTO items VALUES (5, 'five')");
                    c.rollback();
                });
            }
            assertThat(count()).isEqualTo(4);
            List<AuditEvent> events = events();
            assertThat(events).extracting(AuditEvent::action, AuditEvent::statement).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("insert", "insert into items values(?, ?)"),
                    org.assertj.core.groups.Tuple.tuple("transaction", "commit"),
                    org.assertj.core.groups.Tuple.tuple("insert", "insert into items values(?, ?)"),
                    org.assertj.core.groups.Tuple.tuple("transaction", "rollback"));
            assertThat(events.subList(1, 4)).allSatisfy(e -> {
                assertThat(e.principal()).isEqualTo("support-bot");
                assertThat(e.onBehalfOf()).isEqualTo("bob");
                assertThat(e.connectionId()).isEqualTo(events.get(0).connectionId());
            });
            assertThat(events.get(1)).satisfies(e -> {
                assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
                assertThat(e.reason()).contains("Connection.commit()");
                assertThat(e.durationUs()).isNotNull().isNotNegative();
                assertThat(e.tables()).isEmpty();
            });
            assertThat(events.get(3).reason()).contains("Connection.rollback()");
        }

        @Test
        void theJdbcCallsAreRecordedAsTheSqlTheyAmountTo() throws Exception {
            try (Connection c = governed(AuditSettings.defaults())) {
                c.setAutoCommit(false);
                c.createStatement().executeUpdate("UPDATE items SET name = 'a' WHERE id = 1");
                c.createStatement().execute("COMMIT");
                c.createStatement().executeUpdate("UPDATE items SET name = 'b' WHERE id = 1");
                c.commit();
            }
            List<AuditEvent> events = events();
            assertThat(events).hasSize(4);
            assertThat(events.get(3)).satisfies(e -> {
                assertThat(e.action()).isEqualTo(events.get(1).action());
                assertThat(e.statement()).isEqualTo(events.get(1).statement());
                assertThat(e.fingerprint()).isEqualTo(events.get(1).fingerprint());
            });
        }

        @Test
        void aRollbackToASavepointAndAnAutoCommitSwitchThatCommitsAreEvents() throws Exception {
            try (Connection c = governed(AuditSettings.defaults())) {
                c.setAutoCommit(false);
                c.createStatement().executeUpdate("INSERT INTO items VALUES (4, 'four')");
                java.sql.Savepoint named = c.setSavepoint("before_five");
                c.createStatement().executeUpdate("INSERT INTO items VALUES (5, 'five')");
                c.rollback(named);
                c.setAutoCommit(true);
            }
            assertThat(count()).isEqualTo(4);
            assertThat(events()).extracting(AuditEvent::statement, AuditEvent::reason).endsWith(
                    org.assertj.core.groups.Tuple.tuple("rollback to savepoint", "Connection.rollback(Savepoint) ended the transaction"),
                    org.assertj.core.groups.Tuple.tuple("commit", "Connection.setAutoCommit(true) ended the transaction"));
            assertThat(statements()).noneMatch(text -> text.contains("before_five"));
        }

        @Test
        void endingATransactionInWhichNothingRanIsNoEvent() throws Exception {
            try (Connection c = governed(AuditSettings.defaults())) {
                c.setAutoCommit(false);
                c.commit();
                c.rollback();
                c.setAutoCommit(true);
                c.setAutoCommit(false);
                c.createStatement().executeQuery("SELECT id FROM items").close();
                c.commit();
                c.commit();
            }
            assertThat(statements()).containsExactly("select id from items", "commit");
        }

        @Test
        void closingWithTheTransactionOpenIsARollbackAndTheRowIsGone() throws Exception {
            try (Connection c = governed(AuditSettings.defaults())) {
                c.setAutoCommit(false);
                c.createStatement().executeUpdate("INSERT INTO items VALUES (4, 'four')");
            }
            assertThat(count()).isEqualTo(3);
            assertThat(events()).last().satisfies(e -> {
                assertThat(e.statement()).isEqualTo("rollback");
                assertThat(e.reason()).contains("Connection.close()");
                assertThat(e.principal()).isEqualTo("alice");
            });
        }

        @Test
        void requiredModeCommitsNothingTheAuditCannotRecordAndRollsBackWithItsEventQueued() throws Exception {
            AuditSettings required = AuditSettings.defaults().withMode(DeliveryMode.REQUIRED)
                    .withRetryBackoff(Duration.ofMillis(20)).withSubmitTimeout(Duration.ofMillis(200));
            try (Connection c = governed(required)) {
                c.setAutoCommit(false);
                c.createStatement().executeUpdate("INSERT INTO items VALUES (4, 'four')");
                sink.failWith(new IOException("disk full"));
                awaitFailureNoticed(c);
                assertThatThrownBy(c::commit).isInstanceOf(AuditUnavailableException.class)
                        .hasMessageContaining("disk full");
                assertThat(count()).as("nothing was committed").isEqualTo(3);
                c.rollback(); // never refused: its event waits in the queue for the sink
                sink.heal();
                assertThat(statements()).as("the refused commit is no event; the rollback is, once the sink works")
                        .containsSubsequence("insert into items values(?, ?)", "rollback").doesNotContain("commit");
                try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM items")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("the connection's own view: the rollback ran").isEqualTo(3);
                }
            }
            assertThat(count()).isEqualTo(3);
        }
    }
}
