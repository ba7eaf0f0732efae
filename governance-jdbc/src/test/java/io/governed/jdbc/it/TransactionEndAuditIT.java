package io.governed.jdbc.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * The end of every transaction is in the trail on the real servers, however the application or its pool ends it: a
 * HikariCP pool of jdbc:governed: connections commits through Connection.commit() and rolls back what a borrower left
 * open when the connection is returned; a GovernedDataSource around a pool closes a borrowing with its transaction
 * open. What the database kept is read back through a raw connection.
 */
@ServerWide("other sessions")
class TransactionEndAuditIT {
    private static final Identity AGENT = Identity.builder("ledger-bot").kind(IdentityKind.AGENT)
            .onBehalfOf(Identity.human("carol")).purpose("month end").build();

    private final String table = "tx_end_" + UUID.randomUUID().toString().substring(0, 8);

    private void create(TestDatabase database) throws SQLException {
        try (Connection c = database.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, note VARCHAR(20))");
        }
    }

    private void drop(TestDatabase database) throws SQLException {
        try (Connection c = database.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + table);
        }
    }

    private List<Integer> rawIds(TestDatabase database) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Connection c = database.connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }

    /** The baseline, the ledger service as the default identity, audited to {@code dispatcher}. */
    private static Governance ledgerService(AuditDispatcher dispatcher) {
        return Governance.builder().policy(PolicyLoader.baseline()).audit(dispatcher)
                .defaultIdentity(Identity.builder("ledger-service").kind(IdentityKind.SERVICE).build()).build();
    }

    private static HikariConfig poolOf(String url, TestDatabase database) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(1);
        config.setAutoCommit(false);
        return config;
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void aPoolOfGovernedConnectionsRecordsTheCommitAndTheRollbackOfWhatABorrowerLeftOpen(TestDatabase database)
            throws Exception {
        database.requireReachable();
        create(database);
        String sink = "tx-end-" + UUID.randomUUID();
        HikariConfig config = poolOf(database.governedUrl(), database);
        Properties settings = new Properties();
        settings.setProperty("governed.principal", "ledger-service");
        settings.setProperty("governed.kind", "service");
        settings.setProperty("governed.audit", "memory:" + sink);
        config.setDataSourceProperties(settings);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO " + table + " VALUES (1, 'kept')");
                c.commit();
            }
            IdentityContext.runAs(AGENT, () -> {
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO " + table + " VALUES (2, 'left open')");
                } // returned with the transaction open: HikariCP rolls it back through the governed connection
            });
            try (Connection c = pool.getConnection()) {
                c.unwrap(io.governed.jdbc.wrapper.GovernedConnection.class).governance().flushAudit();
            }
            assertThat(rawIds(database)).containsExactly(1);
            List<AuditEvent> events = MemorySink.named(sink).events().stream()
                    .filter(e -> e.action().equals("transaction") || (e.tables() != null && e.tables().toString()
                            .toLowerCase().contains(table))).toList();
            assertThat(events).extracting(AuditEvent::action, AuditEvent::statement, AuditEvent::principal)
                    .map(t -> t.toList().subList(0, 3).toString())
                    .containsExactly("[insert, insert into " + table + " values(?, ?), ledger-service]",
                            "[transaction, commit, ledger-service]",
                            "[insert, insert into " + table + " values(?, ?), ledger-bot]",
                            "[transaction, rollback, ledger-bot]");
            assertThat(events.get(3).reason()).contains("Connection.rollback()");
            assertThat(events.get(3).onBehalfOf()).isEqualTo("carol");
        } finally {
            MemorySink.named(sink).clear();
            drop(database);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void aGovernedDataSourceRecordsABorrowingClosedWithItsTransactionOpenAsARollback(TestDatabase database)
            throws Exception {
        database.requireReachable();
        create(database);
        MemorySink sink = MemorySink.named("tx-end-" + UUID.randomUUID());
        AuditDispatcher dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
        Governance governance = ledgerService(dispatcher);
        try (HikariDataSource pool = new HikariDataSource(poolOf(database.rawUrl(), database))) {
            GovernedDataSource governed = new GovernedDataSource(pool, governance);
            IdentityContext.runAs(AGENT, () -> {
                try (Connection c = governed.getConnection(); Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO " + table + " VALUES (1, 'left open')");
                }
                try (Connection c = governed.getConnection(); Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO " + table + " VALUES (2, 'committed')");
                    c.setAutoCommit(true);
                }
            });
            assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(rawIds(database)).containsExactly(2);
            List<AuditEvent> events = sink.events();
            assertThat(events).extracting(AuditEvent::statement).containsExactly("insert into " + table + " values(?, ?)",
                    "rollback", "insert into " + table + " values(?, ?)", "commit");
            assertThat(events.get(1).reason()).isEqualTo(
                    "Connection.close() with the transaction open (the database or the pool rolls it back) ended the transaction");
            assertThat(events.get(3).reason()).isEqualTo("Connection.setAutoCommit(true) ended the transaction");
            assertThat(sink.events()).allSatisfy(e -> assertThat(e.principal()).isEqualTo("ledger-bot"));
        } finally {
            dispatcher.close();
            sink.clear();
            drop(database);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void anAbortedConnectionsOpenTransactionIsARollbackOfTheIdentityThatAbortedIt(TestDatabase database)
            throws Exception {
        database.requireReachable();
        create(database);
        MemorySink sink = MemorySink.named("tx-end-" + UUID.randomUUID());
        AuditDispatcher dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
        Governance governance = ledgerService(dispatcher);
        java.util.concurrent.ExecutorService aborter = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (HikariDataSource pool = new HikariDataSource(poolOf(database.rawUrl(), database))) {
            GovernedDataSource governed = new GovernedDataSource(pool, governance);
            Connection c = governed.getConnection();
            c.setAutoCommit(false);
            IdentityContext.runAs(AGENT, () -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO " + table + " VALUES (1, 'aborted')");
                }
                // pgjdbc closes in the executor's task, on another thread; MariaDB at once; HikariCP's proxy tells
                // neither, it finds the physical connection closed when the borrowing ends
                c.abort(aborter);
            });
            aborter.shutdown();
            assertThat(aborter.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(rawIds(database)).isEmpty();
            assertThat(sink.events()).extracting(AuditEvent::statement).containsExactly(
                    "insert into " + table + " values(?, ?)", "rollback");
            assertThat(sink.events().get(1).reason()).isEqualTo(
                    "Connection.abort() with the transaction open (the database rolls it back) ended the transaction");
            assertThat(sink.events()).allSatisfy(e -> assertThat(e.principal()).isEqualTo("ledger-bot"));
        } finally {
            aborter.shutdownNow();
            dispatcher.close();
            sink.clear();
            drop(database);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void aTransactionWhoseConnectionTheServerEndedIsARollbackAfterTheFailedStatement(TestDatabase database)
            throws Exception {
        database.requireReachable();
        create(database);
        MemorySink sink = MemorySink.named("tx-end-" + UUID.randomUUID());
        AuditDispatcher dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
        Governance governance = ledgerService(dispatcher);
        try (HikariDataSource pool = new HikariDataSource(poolOf(database.rawUrl(), database))) {
            GovernedDataSource governed = new GovernedDataSource(pool, governance);
            Connection c = governed.getConnection();
            long session;
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO " + table + " VALUES (1, 'lost')");
                try (ResultSet rs = s.executeQuery(database == TestDatabase.POSTGRESQL ? "SELECT pg_backend_pid()"
                        : "SELECT CONNECTION_ID()")) {
                    rs.next();
                    session = rs.getLong(1);
                }
            }
            try (Connection raw = database.connectRaw(); Statement s = raw.createStatement()) {
                s.execute(database == TestDatabase.POSTGRESQL ? "SELECT pg_terminate_backend(" + session + ")"
                        : "KILL " + session);
            }
            try (Statement s = c.createStatement()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> s.executeUpdate("INSERT INTO " + table + " VALUES (2, 'lost')")).isInstanceOf(SQLException.class);
            }
            c.close();
            assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(rawIds(database)).as("the server rolled the transaction back").isEmpty();
            List<AuditEvent> events = sink.events();
            assertThat(events).extracting(AuditEvent::statement).as("the rollback once, after the failed statement")
                    .endsWith("insert into " + table + " values(?, ?)", "rollback")
                    .filteredOn("rollback"::equals).hasSize(1);
            assertThat(events.get(events.size() - 2).decision()).isEqualTo(io.governed.jdbc.audit.AuditDecision.ERROR);
            assertThat(events.get(events.size() - 1).reason()).isEqualTo(
                    "the connection was lost (the database rolls the transaction back) ended the transaction");
            assertThat(events.get(events.size() - 1).durationUs()).as("the server's rollback was not timed: no duration, not 0")
                    .isNull();
            assertThat(events).allSatisfy(e -> assertThat(e.principal()).isEqualTo("ledger-service"));
        } finally {
            dispatcher.close();
            sink.clear();
            drop(database);
        }
    }
}
