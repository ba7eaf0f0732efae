package io.governed.jdbc.limits;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.ThrowingDriver;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A policy's {@code limits}, end to end through the governed driver on H2: what an agent sees when it
 * reaches them, that it cannot get round them by re-executing, batching or opening new statements and
 * connections, that they bound only the identities they name, and that each bite is audited.
 */
class H2LimitsTest {
    private static final String POLICY = String.join("\n",
            "version: 1",
            "default: deny",
            "rules:",
            "  - id: everyone-reads-and-writes",
            "    effect: permit",
            "    actions: [select, insert]",
            "    resources: [\"*\"]",
            "limits:",
            "  - id: agent-rows",
            "    principals: { kinds: [agent] }",
            "    max-rows: 5",
            "  - id: strict-rows",
            "    principals: { names: [strict-agent] }",
            "    max-rows: 3",
            "    on-max-rows: refuse",
            "  - id: agent-rate",
            "    principals: { kinds: [agent] }",
            "    max-statements: 4",
            "  - id: agent-time",
            "    principals: { kinds: [agent] }",
            "    statement-timeout: 7s",
            "");

    private static final Identity AGENT = Identity.builder("report-agent").kind(IdentityKind.AGENT).build();
    private static final Identity STRICT = Identity.builder("strict-agent").kind(IdentityKind.AGENT).build();
    private static final Identity HUMAN = Identity.human("alice");

    private final MemorySink sink = MemorySink.named("limits-" + UUID.randomUUID());
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    /** The query timeouts the governed driver gave the database's statements, in order. */
    private final List<Integer> timeoutsGiven = Collections.synchronizedList(new ArrayList<>());
    private JdbcDataSource h2;
    private Connection raw;
    private AuditDispatcher dispatcher;
    private DataSource governed;

    @BeforeEach
    void database() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:limits-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE agents_items(id INT PRIMARY KEY, name VARCHAR(40))");
            s.execute("INSERT INTO agents_items SELECT x, 'item ' || x FROM SYSTEM_RANGE(1, 20)");
            s.execute("CREATE TABLE agents_log(id INT)");
        }
        dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
        Governance governance = Governance.builder().policy(PolicyLoader.fromString("limits.yaml", POLICY))
                .audit(dispatcher).limitClock(clock::get)
                .allowUnlistedDataSources(true) // a test's recording proxy, whose settings cannot be read
                .build();
        governed = new GovernedDataSource(recordingTimeouts(h2), governance);
    }

    @AfterEach
    void close() throws SQLException {
        dispatcher.close();
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private List<AuditEvent> events() {
        assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
        return sink.events();
    }

    private long logged() throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM agents_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> names(ResultSet rs) throws SQLException {
        List<String> names = new ArrayList<>();
        while (rs.next()) {
            names.add(rs.getString("name"));
        }
        return names;
    }

    private static void as(Identity identity, IdentityContext.VoidWork<SQLException> work) throws SQLException {
        IdentityContext.runAs(identity, work);
    }

    private List<String> readAll(Identity identity) throws SQLException {
        return IdentityContext.runAs(identity, () -> {
            try (Connection c = governed.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name FROM agents_items ORDER BY id")) {
                return names(rs);
            }
        });
    }

    @Test
    void anAgentsResultEndsAtMaxRowsWithAWarningAndTheCutIsAudited() throws SQLException {
        as(AGENT, () -> {
            try (Connection c = governed.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name FROM agents_items ORDER BY id")) {
                assertThat(names(rs)).containsExactly("item 1", "item 2", "item 3", "item 4", "item 5");
                SQLWarning warning = rs.getWarnings();
                assertThat((Object) warning).isNotNull();
                assertThat(warning.getSQLState()).isEqualTo("01004");
                assertThat(warning.getMessage()).contains("agent-rows", "5 rows").doesNotContain("item");
                assertThat(rs.next()).as("asking again does not reach past the bound").isFalse();
                assertThatThrownBy(() -> rs.getString(1)).as("the row past the bound cannot be read")
                        .isInstanceOf(SQLException.class);
            }
        });
        assertThat(events()).filteredOn(e -> "select".equals(e.action())).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
            assertThat(e.rules()).contains("agent-rows");
            assertThat(e.reason()).contains("max-rows");
            assertThat(e.rows()).isEqualTo(5L);
        });
    }

    @Test
    void aResultThatFitsIsNeitherCutNorWarnedAbout() throws SQLException {
        as(AGENT, () -> {
            try (Connection c = governed.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name FROM agents_items WHERE id <= 5 ORDER BY id")) {
                assertThat(names(rs)).hasSize(5);
                assertThat((Object) rs.getWarnings()).isNull();
            }
        });
        assertThat(events()).filteredOn(e -> "select".equals(e.action())).singleElement()
                .satisfies(e -> assertThat(e.rules()).doesNotContain("agent-rows"));
    }

    @Test
    void limitsBoundOnlyTheIdentitiesTheyName() throws SQLException {
        assertThat(readAll(HUMAN)).hasSize(20);
        assertThat(readAll(AGENT)).hasSize(5);
        for (int i = 0; i < 10; i++) {
            assertThat(readAll(HUMAN)).as("a human has no statement rate").hasSize(20);
        }
    }

    @Test
    void underRefuseReadingPastMaxRowsFailsAndIsAuditedAsARefusal() throws SQLException {
        as(STRICT, () -> {
            try (Connection c = governed.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name FROM agents_items ORDER BY id")) {
                for (int i = 0; i < 3; i++) {
                    assertThat(rs.next()).isTrue();
                }
                assertThatThrownBy(rs::next).isInstanceOf(SQLException.class)
                        .hasMessageContaining("strict-rows").hasMessageNotContaining("item")
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
                assertThat(rs.next()).isFalse();
            }
        });
        assertThat(events()).filteredOn(e -> "select".equals(e.action())).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(AuditDecision.ERROR);
            assertThat(e.rules()).contains("strict-rows");
            assertThat(e.error()).isNotNull();
        });
    }

    @Test
    void aScrollableCursorCannotJumpPastMaxRows() throws SQLException {
        as(AGENT, () -> {
            try (Connection c = governed.getConnection();
                 Statement s = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY);
                 ResultSet rs = s.executeQuery("SELECT name FROM agents_items ORDER BY id")) {
                for (String move : List.of("last", "afterLast", "absolute(6)", "absolute(-1)")) {
                    assertThatThrownBy(() -> {
                        switch (move) {
                            case "last" -> rs.last();
                            case "afterLast" -> rs.afterLast();
                            case "absolute(6)" -> rs.absolute(6);
                            default -> rs.absolute(-1);
                        }
                    }).as(move).isInstanceOf(SQLException.class)
                            .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
                }
                assertThat(rs.absolute(5)).isTrue();
                assertThat(rs.getString(1)).isEqualTo("item 5");
                assertThatThrownBy(() -> rs.relative(1)).isInstanceOf(SQLException.class);
                assertThat(rs.relative(-4)).isTrue();
                assertThat(rs.getString(1)).isEqualTo("item 1");
            }
        });
    }

    @Test
    void theStatementRateHoldsAcrossReExecutionNewStatementsAndNewConnections() throws SQLException {
        as(AGENT, () -> {
            try (Connection c = governed.getConnection(); PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO agents_log VALUES (?)")) {
                for (int i = 1; i <= 4; i++) {
                    insert.setInt(1, i);
                    insert.executeUpdate();
                }
                insert.setInt(1, 5);
                assertThatThrownBy(insert::executeUpdate).as("re-executing").isInstanceOf(SQLException.class)
                        .hasMessageContaining("agent-rate").hasMessageContaining("max-statements")
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
                assertThatThrownBy(() -> c.createStatement().executeUpdate("INSERT INTO agents_log VALUES (6)"))
                        .as("a new statement").isInstanceOf(SQLException.class);
            }
            try (Connection other = governed.getConnection()) {
                assertThatThrownBy(() -> other.createStatement().executeQuery("SELECT 1"))
                        .as("a new connection").hasMessageContaining("agent-rate");
            }
        });
        assertThat(logged()).as("nothing past the rate reached the database").isEqualTo(4);
        assertThat(events()).filteredOn(e -> e.decision() == AuditDecision.DENY).hasSize(3)
                .allSatisfy(e -> assertThat(e.rules()).containsExactly("agent-rate"));

        clock.addAndGet(TimeUnit.SECONDS.toNanos(61));
        as(AGENT, () -> {
            try (Connection c = governed.getConnection()) {
                assertThat(c.createStatement().executeUpdate("INSERT INTO agents_log VALUES (7)"))
                        .as("a minute later the agent may run statements again").isEqualTo(1);
            }
        });
    }

    @Test
    void eachRowWrittenThroughAnUpdatableResultSetCountsAgainstTheRate() throws SQLException {
        as(AGENT, () -> {
            try (Connection c = governed.getConnection();
                 Statement s = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE);
                 ResultSet rs = s.executeQuery("SELECT id, name FROM agents_items")) {
                for (int id = 101; id <= 103; id++) {
                    rs.moveToInsertRow();
                    rs.updateInt("id", id);
                    rs.updateString("name", "new");
                    rs.insertRow();
                }
                rs.moveToInsertRow();
                rs.updateInt("id", 104);
                rs.updateString("name", "new");
                assertThatThrownBy(rs::insertRow).as("the query and three rows spent the rate")
                        .isInstanceOf(SQLException.class).hasMessageContaining("agent-rate")
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            }
        });
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM agents_items WHERE id > 100")) {
            rs.next();
            assertThat(rs.getLong(1)).as("no row past the rate reached the database").isEqualTo(3);
        }
        assertThat(events()).filteredOn(e -> e.action().equals("insert"))
                .extracting(AuditEvent::decision).containsExactly(AuditDecision.ALLOW, AuditDecision.ALLOW,
                        AuditDecision.ALLOW, AuditDecision.DENY);
    }

    @Test
    void eachEntryOfABatchCountsAgainstTheRate() throws SQLException {
        as(AGENT, () -> {
            try (Connection c = governed.getConnection(); PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO agents_log VALUES (?)")) {
                for (int i = 1; i <= 5; i++) {
                    insert.setInt(1, i);
                    insert.addBatch();
                }
                assertThatThrownBy(insert::executeBatch).hasMessageContaining("agent-rate");
                insert.setInt(1, 9);
                insert.addBatch();
                insert.addBatch();
                assertThatThrownBy(insert::executeBatch).as("the first batch spent the rate")
                        .hasMessageContaining("agent-rate");
            }
            try (Connection c = governed.getConnection(); Statement s = c.createStatement()) {
                for (int i = 1; i <= 5; i++) {
                    s.addBatch("INSERT INTO agents_log VALUES (" + i + ")");
                }
                assertThatThrownBy(s::executeBatch).hasMessageContaining("agent-rate");
            }
        });
        assertThat(logged()).as("no entry of a batch over the rate ran").isZero();
    }

    @Test
    void aBatchWhoseTimeoutTheDriverCannotTakeWithAnUncheckedExceptionRunsNoEntryAndEachIsAuditedAsFailed()
            throws SQLException {
        IllegalStateException thrown = new IllegalStateException("timeout store broke on secret-value-123");
        assertBatchNotRunWhenTheTimeoutCannotBeSet(thrown, IllegalStateException.class.getName());
    }

    @Test
    void aBatchWhoseTimeoutTheDriverRefusesRunsNoEntryAndEachIsAuditedAsFailed() throws SQLException {
        SQLException thrown = new SQLException("statement is closed", "08003");
        assertBatchNotRunWhenTheTimeoutCannotBeSet(thrown, "SQLException: statement is closed");
    }

    /**
     * An agent's batch, whose statement-timeout the driver cannot take ({@code setQueryTimeout} throws {@code thrown}):
     * the caller sees the failure, no entry runs (then or with a later batch), and each entry is one failed event.
     */
    private void assertBatchNotRunWhenTheTimeoutCannotBeSet(Throwable thrown, String recordedMessage) throws SQLException {
        ThrowingDriver driver = new ThrowingDriver(h2, "agents_log");
        DataSource throwing = new GovernedDataSource(driver.dataSource(), Governance.builder()
                .policy(PolicyLoader.fromString("limits.yaml", POLICY)).audit(dispatcher).limitClock(clock::get)
                .allowUnlistedDataSources(true).build());
        as(AGENT, () -> {
            try (Connection c = throwing.getConnection(); Statement s = c.createStatement()) {
                s.addBatch("INSERT INTO agents_log VALUES (1)");
                s.addBatch("INSERT INTO agents_log VALUES (2)");
                driver.throwNextFrom("setQueryTimeout", thrown);
                assertThatThrownBy(s::executeBatch).satisfies(e -> {
                    if (thrown instanceof RuntimeException) {
                        assertThat(e).isSameAs(thrown);
                    } else {
                        assertThat(((SQLException) e).getSQLState()).isEqualTo("08003");
                    }
                });
                assertThat(driver.spent()).isTrue();
                assertThat(s.executeBatch()).as("the batch was spent, the driver's too").isEmpty();
            }
        });
        assertThat(logged()).as("no entry ran").isZero();
        assertThat(events()).filteredOn(e -> "insert".equals(e.action())).hasSize(2).allSatisfy(e -> {
            assertThat(e.decision()).isEqualTo(AuditDecision.ERROR);
            assertThat(e.error().message()).isEqualTo(recordedMessage);
            assertThat(e.toString()).doesNotContain("secret-value-123");
        });
    }

    @Test
    void theStatementTimeoutCapsTheApplicationsButNeverLengthensIt() throws SQLException {
        as(AGENT, () -> {
            try (Connection c = governed.getConnection(); Statement s = c.createStatement()) {
                s.executeQuery("SELECT 1").close();
                s.setQueryTimeout(60);
                s.executeQuery("SELECT 1").close();
                s.setQueryTimeout(2);
                s.executeQuery("SELECT 1").close();
                assertThat(s.getQueryTimeout()).as("the application sees what it set").isEqualTo(2);
            }
        });
        assertThat(timeoutsGiven).as("none set: the limit's 7s; 60s asked: 7s; 2s asked: 2s")
                .containsExactly(7, 60, 7, 2);
        timeoutsGiven.clear();
        as(HUMAN, () -> {
            try (Connection c = governed.getConnection(); Statement s = c.createStatement()) {
                s.executeQuery("SELECT 1").close();
                s.setQueryTimeout(60);
                s.executeQuery("SELECT 1").close();
            }
        });
        assertThat(timeoutsGiven).as("a human's statements keep the application's timeout").containsExactly(60);
    }

    @Test
    void underConcurrencyTheCapAndTheRateBiteExactlyAndOnlyForTheNamedIdentities() throws Exception {
        List<Identity> identities = List.of(AGENT, Identity.builder("second-agent").kind(IdentityKind.AGENT).build(),
                HUMAN, Identity.human("bob"));
        Map<String, AtomicInteger> ran = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
        Map<String, List<Integer>> rowCounts = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                Identity identity = identities.get(t % 4);
                done.add(pool.submit(() -> IdentityContext.runAs(identity, () -> {
                    for (int i = 0; i < 3; i++) {
                        try (Connection c = governed.getConnection(); Statement s = c.createStatement();
                             ResultSet rs = s.executeQuery("SELECT name FROM agents_items")) {
                            rowCounts.computeIfAbsent(identity.principal(), p -> Collections.synchronizedList(new ArrayList<>()))
                                    .add(names(rs).size());
                            ran.computeIfAbsent(identity.principal(), p -> new AtomicInteger()).incrementAndGet();
                        } catch (SQLException e) {
                            assertThat(e.getSQLState()).isEqualTo("42501");
                            refused.computeIfAbsent(identity.principal(), p -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                    return null;
                })));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (String agent : List.of("report-agent", "second-agent")) {
            assertThat(ran.get(agent)).as(agent + " ran its 4 a minute").hasValue(4);
            assertThat(refused.get(agent)).as(agent + " was refused the other 8").hasValue(8);
            assertThat(rowCounts.get(agent)).as(agent + " read 5 rows each time").containsOnly(5);
        }
        for (String human : List.of("alice", "bob")) {
            assertThat(ran.get(human)).hasValue(12);
            assertThat(refused.get(human)).isNull();
            assertThat(rowCounts.get(human)).containsOnly(20);
        }
    }

    /** {@code source}, whose statements record each query timeout they are given. */
    private DataSource recordingTimeouts(DataSource source) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(source, method, args);
                    return result instanceof Connection c ? recording(c, Connection.class) : result;
                });
    }

    private <T> T recording(T target, Class<T> type) {
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            if (method.getName().equals("setQueryTimeout")) {
                timeoutsGiven.add((Integer) args[0]);
            }
            Object result = invoke(target, method, args);
            if (result instanceof PreparedStatement ps && type == Connection.class) {
                return recording(ps, PreparedStatement.class);
            }
            return result instanceof Statement st && type == Connection.class ? recording(st, Statement.class) : result;
        }));
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
