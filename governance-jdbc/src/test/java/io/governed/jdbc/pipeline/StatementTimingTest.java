package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.AuditSink;
import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.metrics.GovernanceMetrics;
import io.governed.policy.load.PolicyLoader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A statement is timed (its clock read when it is handed to the database and when it ends) only while something keeps
 * its durations: a sink that takes events, or a meter registry that reads the metrics. Either may start doing so
 * while the application runs (a logger turned on, a registry added to Micrometer's global one), and the next
 * statement is timed again. Whether the sinks record a statement is asked of them once, as it enters the pipeline; a
 * check that does not run (a prepare, an {@code addBatch}, a {@code nativeSQL}) is never timed, and the sinks are asked
 * about it only when it is refused.
 */
class StatementTimingTest {
    private static final Identity ALICE = Identity.builder("alice").build();

    private JdbcDataSource h2;
    private Connection raw;

    /** A sink whose logger, say, can be switched on and off. */
    private static final class SwitchableSink implements AuditSink {
        volatile boolean on;
        final java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        final List<AuditEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public String describe() {
            return "switchable";
        }

        @Override
        public boolean accepting() {
            asked.incrementAndGet();
            return on;
        }

        @Override
        public void write(List<AuditEvent> batch) {
            events.addAll(batch);
        }

        @Override
        public void close() {
        }
    }

    /**
     * Notes when each completed statement entered the pipeline ({@link Execution#entered()}) and was handed to the
     * database ({@link Execution#started()}); 0: not timed, its clock not read.
     */
    private static final class StartedSeen implements StatementStage {
        final List<Long> entered = new CopyOnWriteArrayList<>();
        final List<Long> started = new CopyOnWriteArrayList<>();

        @Override
        public void completed(Execution execution) {
            entered.add(execution.entered());
            started.add(execution.started());
        }
    }

    @BeforeEach
    void database() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:timing-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE items(id INT PRIMARY KEY, name VARCHAR(40))");
            s.execute("INSERT INTO items VALUES (1, 'one'), (2, 'two')");
        }
    }

    @AfterEach
    void close() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private static void select(PreparedStatement statement) throws SQLException {
        statement.setInt(1, 1);
        try (ResultSet rs = statement.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("one");
        }
    }

    /** What a test does with a governed connection. */
    @FunctionalInterface
    private interface OnConnection {
        void run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on a connection governed by the baseline policy as {@code ALICE}, with {@code sink} the audit's
     * only sink and {@code stage} (or none) among the pipeline's stages, then waits until the sink has every event.
     */
    private void audited(SwitchableSink sink, StatementStage stage, OnConnection work) throws SQLException {
        AuditDispatcher dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
        try {
            Governance.Builder builder = Governance.builder().policy(PolicyLoader.baseline()).audit(dispatcher)
                    .defaultIdentity(ALICE);
            if (stage != null) {
                builder.stage(stage);
            }
            try (Connection c = new GovernedDataSource(h2, builder.build()).getConnection()) {
                work.run(c);
            }
            assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
        } finally {
            dispatcher.close();
        }
    }

    @Test
    void aStatementIsTimedOnlyWhileTheSinkTakesEvents() throws SQLException {
        SwitchableSink sink = new SwitchableSink();
        StartedSeen seen = new StartedSeen();
        audited(sink, seen, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
                select(s);
                sink.on = true;
                select(s);
                sink.on = false;
                select(s);
            }
        });
        assertThat(seen.started).hasSize(3);
        assertThat(seen.started.get(0)).as("no sink took events: not timed").isZero();
        assertThat(seen.started.get(1)).as("the sink took events: timed").isNotZero();
        assertThat(seen.started.get(2)).as("switched off again").isZero();
        assertThat(seen.entered).as("the clock is read as a statement enters the pipeline only when it is timed")
                .satisfiesExactly(t -> assertThat(t).isZero(), t -> assertThat(t).isNotZero(), t -> assertThat(t).isZero());
        assertThat(sink.events).as("only the statement run while the sink took events is recorded").singleElement()
                .satisfies(e -> {
                    assertThat(e.action()).isEqualTo("select");
                    assertThat(e.durationUs()).isNotNull().isNotNegative();
                });
    }

    @Test
    void aStatementIsTimedOnceARegistryReadsTheMetrics() throws SQLException {
        CompositeMeterRegistry global = new CompositeMeterRegistry(); // as Micrometer's global one starts: empty
        StartedSeen seen = new StartedSeen();
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).withoutAudit()
                .metrics(new GovernanceMetrics(global)).defaultIdentity(ALICE).stage(seen).build();
        SimpleMeterRegistry added = new SimpleMeterRegistry();
        try (Connection c = new GovernedDataSource(h2, governance).getConnection();
             PreparedStatement s = c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
            select(s);
            global.add(added);
            select(s);
            select(s);
        }
        assertThat(seen.started).hasSize(3);
        assertThat(seen.started.get(0)).as("no registry reads the metrics: not timed").isZero();
        assertThat(seen.started.subList(1, 3)).as("a registry was added: timed").allSatisfy(t -> assertThat(t).isNotZero());
        assertThat(seen.entered.get(0)).as("not timed: no clock read as it entered the pipeline").isZero();
        assertThat(seen.entered.subList(1, 3)).allSatisfy(t -> assertThat(t).isNotZero());
        assertThat(added.get(GovernanceMetrics.DATABASE_TIME).timer().count()).as("the database time of the two timed statements")
                .isEqualTo(2);
        assertThat(added.get(GovernanceMetrics.OVERHEAD).timer().count()).isEqualTo(2);
    }

    @Test
    void aRegistryAddedWhileAStatementRunsMeasuresTheStatementsThatEnterAfter() throws SQLException {
        CompositeMeterRegistry global = new CompositeMeterRegistry(); // as Micrometer's global one starts: empty
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).withoutAudit()
                .metrics(new GovernanceMetrics(global)).defaultIdentity(ALICE).build();
        SimpleMeterRegistry added = new SimpleMeterRegistry();
        try (Connection c = new GovernedDataSource(h2, governance).getConnection();
             PreparedStatement s = c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
            s.setInt(1, 2);
            try (ResultSet rs = s.executeQuery()) {
                global.add(added); // the statement has entered untimed; it completes as the result closes
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("two");
            }
            select(s);
        }
        assertThat(added.get(GovernanceMetrics.DATABASE_TIME).timer().count())
                .as("only the statement that entered after the registry was added: no zero duration for the one before")
                .isEqualTo(1);
        assertThat(added.get(GovernanceMetrics.STATEMENTS).counters()).as("counted as it was timed")
                .extracting(Counter::count).containsExactly(1.0);
    }

    @Test
    void aStatementThatFailsAfterARegistryWasAddedIsNotMeasuredEither() throws SQLException {
        CompositeMeterRegistry global = new CompositeMeterRegistry(); // as Micrometer's global one starts: empty
        SimpleMeterRegistry added = new SimpleMeterRegistry();
        StatementStage addsTheRegistry = new StatementStage() {
            @Override
            public void enter(Execution execution) {
                if (execution.runs() && global.getRegistries().isEmpty()) {
                    global.add(added); // after the statement was asked whether it is timed: it entered untimed
                }
            }
        };
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).withoutAudit()
                .metrics(new GovernanceMetrics(global)).defaultIdentity(ALICE).stage(addsTheRegistry).build();
        try (Connection c = new GovernedDataSource(h2, governance).getConnection();
             PreparedStatement s = c.prepareStatement("SELECT name FROM items WHERE id = 1 / ?")) {
            s.setInt(1, 0);
            assertThatThrownBy(s::executeQuery).isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22012");
            s.setInt(1, 1);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("one");
            }
        }
        assertThat(added.get(GovernanceMetrics.DATABASE_TIME).timer().count())
                .as("the failure, which entered untimed, gives no zero duration; the next statement is measured")
                .isEqualTo(1);
        assertThat(added.get(GovernanceMetrics.STATEMENTS).counters()).extracting(Counter::count).containsExactly(1.0);
    }

    @Test
    void theSinksAreAskedOnceWhetherTheyRecordAStatement() throws SQLException {
        SwitchableSink sink = new SwitchableSink();
        int[] asked = new int[2];
        audited(sink, null, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
                int before = sink.asked.get();
                for (int i = 0; i < 5; i++) {
                    select(s);
                }
                asked[0] = sink.asked.get() - before;
                sink.on = true;
                before = sink.asked.get();
                for (int i = 0; i < 5; i++) {
                    select(s);
                }
                asked[1] = sink.asked.get() - before;
            }
        });
        assertThat(asked[0]).as("five statements while the sink takes nothing: asked once each").isEqualTo(5);
        assertThat(asked[1]).as("five recorded statements: asked once each, and once more as each event is handed over")
                .isEqualTo(10);
        assertThat(sink.events).hasSize(5).allSatisfy(e -> assertThat(e.durationUs()).isNotNull());
    }

    @Test
    void aSinkSwitchedOnWhileAStatementRunsRecordsTheStatementsThatEnterAfter() throws SQLException {
        SwitchableSink sink = new SwitchableSink();
        audited(sink, null, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
                s.setInt(1, 2);
                try (ResultSet rs = s.executeQuery()) {
                    sink.on = true; // the statement has entered; its event would end with its result
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("two");
                }
                select(s);
            }
        });
        assertThat(sink.events).as("the statement that entered while the sink took nothing is not recorded; the next is, in full")
                .singleElement().satisfies(e -> {
                    assertThat(e.rows()).isEqualTo(1L);
                    assertThat(e.durationUs()).isNotNull();
                });
    }

    @Test
    void aBatchsRowsAreRecordedAsItsFirstRowWas() throws SQLException {
        SwitchableSink sink = new SwitchableSink();
        StatementStage switchOnAtTheSecondRow = new StatementStage() {
            @Override
            public void repeated(Execution execution) {
                sink.on = true;
            }
        };
        audited(sink, switchOnAtTheSecondRow, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE items SET name = ? WHERE id = ?")) {
                for (int id = 1; id <= 2; id++) {
                    s.setString(1, "renamed");
                    s.setInt(2, id);
                    s.addBatch();
                }
                assertThat(s.executeBatch()).containsExactly(1, 1);
                s.setString(1, "again");
                s.setInt(2, 1);
                s.addBatch();
                assertThat(s.executeBatch()).containsExactly(1);
            }
        });
        assertThat(sink.events).as("the batch that began while the sink took nothing is not recorded, not even in part; "
                + "the next batch is").singleElement().satisfies(e -> assertThat(e.action()).isEqualTo("update"));
    }

    @Test
    void aCheckThatDoesNotRunIsNotTimedAndAsksTheSinksOnlyWhenRefused() throws SQLException {
        SwitchableSink sink = new SwitchableSink();
        sink.on = true;
        List<CallKindEntered> checks = new CopyOnWriteArrayList<>();
        StatementStage seen = new StatementStage() {
            @Override
            public void enter(Execution execution) {
                if (!execution.runs()) {
                    checks.add(new CallKindEntered(execution.callKind(), execution.entered()));
                }
            }
        };
        int[] asked = new int[1];
        audited(sink, seen, c -> {
            int before = sink.asked.get();
            try (PreparedStatement s = c.prepareStatement("UPDATE items SET name = ? WHERE id = ?")) {
                for (int id = 1; id <= 2; id++) {
                    s.setString(1, "renamed");
                    s.setInt(2, id);
                    s.addBatch();
                }
                assertThat(c.nativeSQL("SELECT name FROM items")).isEqualTo("SELECT name FROM items");
                asked[0] = sink.asked.get() - before;
                assertThat(s.executeBatch()).containsExactly(1, 1);
            }
            assertThatThrownBy(() -> c.prepareStatement("DROP TABLE items")).isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
        });
        assertThat(checks).as("the prepares, the batch's entries and nativeSQL entered the pipeline, none of them timed")
                .extracting(CallKindEntered::callKind).contains(CallKind.PREPARE, CallKind.NATIVE_SQL);
        assertThat(checks).allSatisfy(check -> assertThat(check.entered()).as(check.callKind().name()).isZero());
        assertThat(asked[0]).as("the sink records, but nothing was asked for checks that do not run").isZero();
        assertThat(sink.events).as("the batch's two rows, and the refused prepare (asked about as it was refused)")
                .extracting(AuditEvent::action, AuditEvent::decision)
                .containsExactly(tuple("update", AuditDecision.ALLOW), tuple("update", AuditDecision.ALLOW),
                        tuple("drop", AuditDecision.DENY));
        assertThat(sink.events.subList(0, 2)).as("the rows that ran are timed").allSatisfy(e -> assertThat(e.durationUs()).isNotNull());
        try (Statement read = raw.createStatement();
             ResultSet rs = read.executeQuery("SELECT COUNT(*) FROM items WHERE name = 'renamed'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("the batch ran").isEqualTo(2);
        }
    }

    @Test
    void aPrepareTheDatabaseRejectsHasNoDatabaseTimeInItsEventOrTheMetrics() throws SQLException {
        SwitchableSink sink = new SwitchableSink();
        sink.on = true;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AuditDispatcher dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
        try {
            Governance governance = Governance.builder().policy(PolicyLoader.baseline()).audit(dispatcher)
                    .metrics(new GovernanceMetrics(registry)).defaultIdentity(ALICE).build();
            try (Connection c = new GovernedDataSource(h2, governance).getConnection()) {
                assertThatThrownBy(() -> c.prepareStatement("SELECT name FROM missing_items WHERE id = ?"))
                        .isInstanceOf(SQLException.class)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42S02");
                assertThatThrownBy(() -> c.prepareStatement("INSERT INTO missing_items(name) VALUES (?)",
                        Statement.RETURN_GENERATED_KEYS)).isInstanceOf(SQLException.class)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42S02");
                try (PreparedStatement s = c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
                    select(s);
                }
            }
            assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
        } finally {
            dispatcher.close();
        }
        assertThat(sink.events).as("each rejected prepare is an error event, as a failed run is")
                .extracting(AuditEvent::action, AuditEvent::decision)
                .containsExactly(tuple("select", AuditDecision.ERROR), tuple("insert", AuditDecision.ERROR),
                        tuple("select", AuditDecision.ALLOW));
        assertThat(sink.events.subList(0, 2)).allSatisfy(e -> {
            assertThat(e.error().sqlState()).isEqualTo("42S02");
            assertThat(e.durationUs()).as("a prepare is a check, never timed: no database time, not 0").isNull();
        });
        assertThat(sink.events.get(2).durationUs()).as("the statement that ran").isNotNull().isNotNegative();
        assertThat(registry.get(GovernanceMetrics.DATABASE_TIME).timer().count())
                .as("the database time of the statement that ran alone: no zero for the rejected prepares").isEqualTo(1);
        assertThat(registry.get(GovernanceMetrics.STATEMENTS).counters()).as("all three are counted")
                .extracting(Counter::count).containsExactlyInAnyOrder(1.0, 1.0, 1.0);
    }

    /** A check's JDBC call and the entry time the pipeline gave it. */
    private record CallKindEntered(CallKind callKind, long entered) {
    }
}
