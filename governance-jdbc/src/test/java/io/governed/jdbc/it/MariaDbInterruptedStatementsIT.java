package io.governed.jdbc.it;

import io.governed.jdbc.Governance;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/*
 * A governed statement interrupted while it runs on MariaDB (Connector/J 3), as an application drives it: cancel() from
 * another thread during a long SELECT SLEEP(…), setQueryTimeout, Connection.abort(executor), setNetworkTimeout, and the
 * statement closed from another thread. Each is run once through raw Connector/J and once through the governed driver
 * (a caller a mask applies to, the masked column in the query's result), and what the application sees must be the
 * same: the exception's class and SQLState (or the rows), whether the connection is closed after it and whether it
 * still runs a query. The server must hold no query of the statement once it settled (information_schema.PROCESSLIST,
 * read on a raw connection), and the governed statement has exactly one audit event, whose error carries the SQLState
 * the application saw. No timing is asserted: the interruption waits until the server shows the query running.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("other sessions")
class MariaDbInterruptedStatementsIT {
    private static final String TABLE = "gs_tx_interrupt_" + UUID.randomUUID().toString().substring(0, 8);
    private static final String SSN = "219-45-6789";
    private static final String POLICY = """
            version: 1
            default: deny
            on-unparseable: deny
            classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
            rules:
              - { id: work, effect: permit, actions: [select, call] }
            masks:
              - { id: hide-ssn, columns: { tags: [pii.ssn] }, function: redact }
            """;
    private static Path policy;
    private final String sink = "mariadb-interrupt-" + UUID.randomUUID();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeAll
    static void table() throws Exception {
        TestDatabase.MARIADB.requireReachable();
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, ssn VARCHAR(20))");
            s.execute("INSERT INTO " + TABLE + " VALUES (1, '" + SSN + "')");
        }
        policy = Files.createTempFile("gs_tx_interrupt", ".yaml");
        Files.writeString(policy, POLICY);
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
        Files.deleteIfExists(policy);
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private Connection governed() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.MARIADB.user());
        p.setProperty("password", TestDatabase.MARIADB.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        p.setProperty("governed.kind", "human");
        p.setProperty("governed.audit", "memory:" + sink);
        return DriverManager.getConnection(TestDatabase.MARIADB.governedUrl(), p);
    }

    @FunctionalInterface
    private interface Interruption {
        void interrupt(Connection c, Statement s) throws Exception;
    }

    @FunctionalInterface
    private interface Setup {
        void on(Connection c, Statement s) throws Exception;
    }

    /** What the application saw of one interrupted statement, and what the server held after it. */
    private record Seen(List<String> seen, SQLException error, List<String> values) {
    }

    /**
     * Runs a query of {@code seconds} of sleep marked with a name of its own on a statement of {@code c} (set up by
     * {@code setup}) in a thread of its own; when {@code interruption} is given, waits until the server shows the query
     * running and interrupts it from another thread. Gives what the application saw: the outcome (the rows' values, or
     * the exception's class and SQLState), whether the connection is closed after it, whether {@code SELECT 1} runs on it,
     * and whether the server still runs the query once it settled (waited on for up to two minutes).
     */
    private Seen interrupted(Connection c, int seconds, Setup setup, Interruption interruption) throws Exception {
        String marker = "gs_tx_mark_" + UUID.randomUUID().toString().replace("-", "");
        String sql = "SELECT id, ssn, SLEEP(" + seconds + ") AS " + marker + " FROM " + TABLE;
        List<String> seen = new ArrayList<>();
        List<String> values = new ArrayList<>();
        SQLException error = null;
        Statement s = c.createStatement();
        setup.on(c, s);
        Future<List<String>> running = threads.submit(() -> {
            List<String> read = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    read.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
                }
            }
            return read;
        });
        Future<?> interrupting = null;
        if (interruption != null) {
            awaitRunning(marker, running);
            interrupting = threads.submit(() -> {
                interruption.interrupt(c, s);
                return null;
            });
        }
        try {
            values.addAll(running.get(3, TimeUnit.MINUTES));
            seen.add("rows " + values.size());
        } catch (ExecutionException e) {
            assertThat(e.getCause()).as("what the statement threw").isInstanceOf(SQLException.class);
            error = (SQLException) e.getCause();
            seen.add(error.getClass().getName() + " " + error.getSQLState());
        }
        if (interrupting != null) {
            try {
                interrupting.get(3, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                fail("the interruption itself failed", e.getCause());
            }
        }
        boolean closed = c.isClosed();
        seen.add("closed " + closed);
        if (!closed) {
            try (Statement again = c.createStatement(); ResultSet rs = again.executeQuery("SELECT 1")) {
                rs.next();
                seen.add("then " + rs.getInt(1));
            } catch (SQLException e) {
                seen.add("then " + e.getClass().getName() + " " + e.getSQLState());
            }
        }
        assertThat(stillRunningOnceSettled(marker)).as("the server still runs the query (%s)", seen).isFalse();
        return new Seen(seen, error, values);
    }

    /** Waits (up to a minute) until the server shows a query holding {@code marker} running. */
    private static void awaitRunning(String marker, Future<?> running) throws Exception {
        for (int i = 0; i < 1200 && !running.isDone(); i++) {
            if (runningQueries(marker) > 0) {
                return;
            }
            Thread.sleep(50);
        }
        fail("the query never ran on the server" + (running.isDone() ? ": it ended first" : ""));
    }

    /** Whether a query holding {@code marker} still runs once the server settled: polled for up to two minutes. */
    private static boolean stillRunningOnceSettled(String marker) throws Exception {
        for (int i = 0; i < 1200; i++) {
            if (runningQueries(marker) == 0) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private static int runningQueries(String marker) throws SQLException {
        try (Connection monitor = TestDatabase.MARIADB.connectRaw(); Statement m = monitor.createStatement();
             ResultSet rs = m.executeQuery("SELECT count(*) FROM information_schema.PROCESSLIST WHERE command = 'Query'"
                     + " AND id <> CONNECTION_ID() AND info LIKE '%" + marker + "%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * The same interruption through raw Connector/J and through the governed driver: the same outcome; the governed
     * statement's single audit event records the error the application saw, under the caller's identity.
     */
    private List<String> sameAsRaw(int seconds, Setup setup, Interruption interruption) throws Exception {
        Seen raw;
        Connection r = TestDatabase.MARIADB.connectRaw();
        try {
            raw = interrupted(r, seconds, setup, interruption);
        } finally {
            r.close();
        }
        MemorySink.named(sink).clear();
        Connection c = governed();
        Governance governance = c.unwrap(GovernedConnection.class).governance();
        Seen governed;
        try {
            governed = interrupted(c, seconds, setup, interruption);
        } finally {
            c.close();
        }
        assertThat(governed.seen()).as("through the governed driver, as through raw Connector/J").isEqualTo(raw.seen());
        assertThat(governed.values()).as("the masked column").noneMatch(v -> v.contains(SSN));
        for (Throwable t = governed.error(); t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(SSN);
        }
        governance.flushAudit();
        List<AuditEvent> events = MemorySink.named(sink).events().stream()
                .filter(e -> "select".equals(e.action()) && e.statement() != null
                        && e.statement().toLowerCase(Locale.ROOT).contains("gs_tx_mark_"))
                .toList();
        assertThat(events).as("the interrupted statement's audit events").hasSize(1);
        AuditEvent event = events.get(0);
        assertThat(event.principal()).isEqualTo("analyst");
        if (governed.error() != null) {
            assertThat(event.error()).as("the event's error (%s)", event).isNotNull();
            assertThat(event.error().sqlState()).isEqualTo(governed.error().getSQLState());
            assertThat(String.valueOf(event.error().message())).doesNotContain(SSN);
        } else {
            assertThat(event.error()).isNull();
        }
        return raw.seen();
    }

    private static final Setup NONE = (c, s) -> { };

    @Test
    void cancelFromAnotherThreadFailsTheQueryAsRawConnectorJDoes() throws Exception {
        List<String> raw = sameAsRaw(60, NONE, (c, s) -> s.cancel());
        assertThat(raw.get(0)).as("raw: %s", raw).endsWith(" 70100");
        assertThat(raw).contains("closed false", "then 1");
    }

    @Test
    void aQueryTimeoutFailsTheQueryAsRawConnectorJDoes() throws Exception {
        List<String> raw = sameAsRaw(60, (c, s) -> s.setQueryTimeout(1), null);
        assertThat(raw.get(0)).as("raw: %s", raw).isEqualTo("java.sql.SQLTimeoutException 70100");
        assertThat(raw).contains("closed false", "then 1");
    }

    @Test
    void abortFromAnotherThreadEndsTheQueryAsRawConnectorJDoes() throws Exception {
        List<String> raw = sameAsRaw(60, NONE, (c, s) -> c.abort(Runnable::run));
        assertThat(raw).as("raw: %s", raw).contains("closed true");
    }

    @Test
    void aNetworkTimeoutEndsTheQueryAsRawConnectorJDoes() throws Exception {
        List<String> raw = sameAsRaw(8, (c, s) -> c.setNetworkTimeout(Runnable::run, 1000), null);
        assertThat(raw.get(0)).as("raw: %s", raw).doesNotStartWith("rows");
    }

    @Test
    void closingTheStatementFromAnotherThreadEndsAsRawConnectorJDoes() throws Exception {
        sameAsRaw(8, NONE, (c, s) -> s.close());
    }
}
