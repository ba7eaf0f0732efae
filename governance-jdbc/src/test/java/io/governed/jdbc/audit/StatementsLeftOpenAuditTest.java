package io.governed.jdbc.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.Governance;
import io.governed.jdbc.identity.IdentityContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A statement that ran has its audit event however the application closes: an application that closes the connection
 * and leaves its statements and results open (read in part, or not at all) still leaves one event per statement, with
 * the rows it read, when the connection closes; and one only, when it closed the statement itself first. Through a
 * {@link GovernedDataSource} over a pool too, whose connection's close hands the physical connection back and never
 * closes the governed statements.
 */
class StatementsLeftOpenAuditTest {

    private static final Identity ANALYST = Identity.builder("alice").kind(IdentityKind.HUMAN).groups("analysts").build();

    private MemorySink memory;
    private AuditDispatcher dispatcher;
    private JdbcDataSource h2;
    private Connection keepAlive;

    @BeforeEach
    void database() throws Exception {
        memory = MemorySink.named("left-open-" + UUID.randomUUID());
        dispatcher = AuditDispatcher.start(List.of(memory), AuditSettings.defaults());
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:left-open-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        keepAlive = h2.getConnection();
        try (Statement s = keepAlive.createStatement()) {
            s.execute("CREATE TABLE lo_orders(id INT PRIMARY KEY, total INT)");
            s.execute("INSERT INTO lo_orders VALUES (1, 10), (2, 20), (3, 30)");
        }
    }

    @AfterEach
    void close() throws Exception {
        dispatcher.close();
        try (Statement s = keepAlive.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    @Test
    void closingTheConnectionRecordsTheStatementsLeftOpenWithTheRowsTheyRead() throws Exception {
        GovernedDataSource governed = new GovernedDataSource(h2, Governance.builder().audit(dispatcher).build());
        IdentityContext.runAs(ANALYST, () -> {
            Connection c = governed.getConnection();
            ResultSet partly = c.createStatement().executeQuery("SELECT total FROM lo_orders ORDER BY id");
            assertThat(partly.next()).isTrue();
            PreparedStatement prepared = c.prepareStatement("SELECT id FROM lo_orders WHERE total > ?");
            prepared.setInt(1, 0);
            prepared.executeQuery(); // not read at all: no rows counted
            try (Statement closed = c.createStatement(); ResultSet all = closed.executeQuery("SELECT id FROM lo_orders")) {
                while (all.next()) {
                    // read to the end and closed: its event is recorded once, not again at the connection's close
                }
            }
            c.close();
            return null;
        });
        assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();

        assertThat(selects()).extracting(AuditEvent::statement, AuditEvent::rows).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("select total from lo_orders order by id", 1L),
                org.assertj.core.groups.Tuple.tuple("select id from lo_orders where total > ?", null),
                org.assertj.core.groups.Tuple.tuple("select id from lo_orders", 3L));
        assertThat(selects()).allSatisfy(e -> assertThat(e.principal()).isEqualTo("alice"));
    }

    @Test
    void aPooledConnectionClosedWithItsStatementsOpenRecordsThemToo() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setDataSource(h2);
        config.setMaximumPoolSize(1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            DataSource governed = new GovernedDataSource(pool, Governance.builder().audit(dispatcher).build());
            IdentityContext.runAs(ANALYST, () -> {
                for (int borrowing = 1; borrowing <= 2; borrowing++) {
                    Connection c = governed.getConnection();
                    ResultSet rs = c.createStatement().executeQuery("SELECT total FROM lo_orders WHERE id = " + borrowing);
                    assertThat(rs.next()).isTrue();
                    c.close(); // the physical connection goes back to the pool, the governed statement stays open
                }
                return null;
            });
        }
        assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();

        // the trail's text of a statement has its literals replaced: both borrowings ran the same one
        assertThat(selects()).extracting(AuditEvent::statement).containsExactly(
                "select total from lo_orders where id = ?", "select total from lo_orders where id = ?");
        assertThat(selects()).extracting(AuditEvent::rows).containsOnly(1L);
    }

    @Test
    void statementsClosedInAnyOrderAndTheOthersLeftOpenHaveOneEventEach() throws Exception {
        GovernedDataSource governed = new GovernedDataSource(h2, Governance.builder().audit(dispatcher).build());
        int closedFirst = IdentityContext.runAs(ANALYST, () -> {
            Connection c = governed.getConnection();
            List<Statement> statements = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Statement s = c.createStatement();
                assertThat(s.executeQuery("SELECT id FROM lo_orders").next()).isTrue();
                statements.add(s);
            }
            int closed = 0;
            for (int i = statements.size() - 1; i >= 0; i -= 3) { // from the end, then from the start
                statements.get(i).close();
                closed++;
            }
            for (int i = 1; i < statements.size(); i += 4) {
                if (!statements.get(i).isClosed()) {
                    statements.get(i).close();
                    closed++;
                }
            }
            statements.get(39).close(); // closed twice: nothing more
            assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(selects()).hasSize(closed);
            c.close();
            return closed;
        });
        assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();

        assertThat(closedFirst).isBetween(20, 30);
        assertThat(selects()).hasSize(40);
        assertThat(selects()).extracting(AuditEvent::eventId).doesNotHaveDuplicates();
        assertThat(selects()).extracting(AuditEvent::rows).containsOnly(1L);
    }

    @Test
    void aStatementDroppedUnclosedIsNotKeptAliveByItsConnection() throws Exception {
        GovernedDataSource governed = new GovernedDataSource(h2, Governance.builder().audit(dispatcher).build());
        IdentityContext.runAs(ANALYST, () -> {
            try (Connection c = governed.getConnection()) {
                java.lang.ref.WeakReference<Statement> dropped = ranAndDropped(c);
                for (int i = 0; i < 40; i++) { // past the point where the connection looks for collected statements
                    try (Statement s = c.createStatement()) {
                        s.executeQuery("SELECT id FROM lo_orders").close();
                    }
                }
                for (int i = 0; i < 50 && !dropped.refersTo(null); i++) {
                    System.gc();
                    Thread.sleep(20);
                }
                assertThat(dropped.refersTo(null)).as("the dropped statement was collected").isTrue();
            }
            return null;
        });
    }

    private static java.lang.ref.WeakReference<Statement> ranAndDropped(Connection c) throws Exception {
        Statement s = c.createStatement();
        s.executeQuery("SELECT id FROM lo_orders").close();
        return new java.lang.ref.WeakReference<>(s);
    }

    private List<AuditEvent> selects() {
        return memory.events().stream().filter(e -> e.statement() != null && e.statement().startsWith("select")).toList();
    }
}
