package io.governed.jdbc.masking;

import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A MariaDB event runs its body on its schedule, as its definer: an agent the {@code hide-ssn} mask applies to, under
 * {@link LaunderingFormsHarness#PERMISSIVE_POLICY} (which lets it define code), may not define or alter an event whose
 * body copies the SSN into a table it reads, nor one whose body the analysis cannot read; an event copying a clear
 * column stays allowed. When the server lets the test switch its event scheduler on, the events that were allowed
 * run, and a raw connection finds no SSN in clear; the scheduler is switched back to what it was.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("MariaDB events, databases, global variables")
class MariaDbEventBodyIT {
    private static final Logger LOG = LoggerFactory.getLogger(MariaDbEventBodyIT.class);
    private static final String DB = "lqe_test";

    private static DataSource source(String database) {
        try {
            MariaDbDataSource maria = new MariaDbDataSource();
            maria.setUrl(TestDatabase.MARIADB.rawUrl(database));
            maria.setUser(TestDatabase.MARIADB.user());
            maria.setPassword(TestDatabase.MARIADB.password());
            return maria;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private final DataSource raw = source(DB);
    /**
     * {@link LaunderingFormsHarness#PERMISSIVE_POLICY} with the mask letting agents define code on others' objects
     * ({@code deny-shaping: []}): an event is code that runs later, which the mask's default {@code deny-shaping} refuses
     * to an agent outright ({@link #byDefaultAnAgentsEventIsRefusedAsCodeThatRunsLater}); here the event's body is what
     * is judged.
     */
    private static final String SHAPING_POLICY = LaunderingFormsHarness.PERMISSIVE_POLICY.replace(
            "    function: redact\n", "    function: redact\n    deny-shaping: []\n");

    static {
        if (SHAPING_POLICY.equals(LaunderingFormsHarness.PERMISSIVE_POLICY)) {
            throw new IllegalStateException("the mask's deny-shaping was not set");
        }
    }

    private final DataSource agent = new GovernedDataSource(raw, io.governed.jdbc.Governance.builder()
            .policy(io.governed.policy.load.PolicyLoader.fromString("events.yaml", SHAPING_POLICY)).withoutAudit()
            .defaultIdentity(LaunderingFormsHarness.AGENT).build());
    private final DataSource agentByDefault = new GovernedDataSource(raw, LaunderingFormsHarness.PERMISSIVE);

    @BeforeEach
    void fixture() throws SQLException {
        try (Connection c = source("").getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + DB);
        }
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            drop(s);
            s.execute("CREATE TABLE lq_people(id INT PRIMARY KEY, name VARCHAR(200) NOT NULL, ssn VARCHAR(11))");
            for (int i = 0; i < LaunderingFormsHarness.SSNS.size(); i++) {
                s.execute("INSERT INTO lq_people VALUES (" + (i + 1) + ", 'name " + (i + 1) + "', '"
                        + LaunderingFormsHarness.SSNS.get(i) + "')");
            }
            s.execute("CREATE TABLE lq_clear(id INT PRIMARY KEY, note VARCHAR(200))");
            // an event the agent may try to alter: disabled, so that it never runs here
            s.execute("CREATE EVENT lq_ev_old ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM lq_clear WHERE id < 0");
        }
    }

    @AfterEach
    void cleanUp() throws SQLException {
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            drop(s);
        }
    }

    private static void drop(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT event_name FROM information_schema.events WHERE event_schema = '"
                + DB + "' AND event_name LIKE 'lq\\_%'")) {
            List<String> events = new ArrayList<>();
            while (rs.next()) {
                events.add(rs.getString(1));
            }
            for (String e : events) {
                s.execute("DROP EVENT IF EXISTS `" + e + "`");
            }
        }
        s.execute("DROP TABLE IF EXISTS lq_people, lq_clear");
    }

    /** Every place outside the masked column the agent could read: the clear table and the events' definitions. */
    private String clearPlaces() throws SQLException {
        try (Connection c = raw.getConnection()) {
            return LaunderingFormsHarness.rowsOf(c, "SELECT id, note FROM lq_clear ORDER BY id")
                    + LaunderingFormsHarness.rowsOf(c, "SELECT event_name, event_definition FROM information_schema.events"
                    + " WHERE event_schema = '" + DB + "'");
        }
    }

    /** The body of the event so named in {@value #DB}, or {@code null} when there is none. */
    private String eventBody(String name) throws SQLException {
        try (Connection c = raw.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_definition FROM information_schema.events WHERE event_schema = '"
                     + DB + "' AND event_name = '" + name + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private void assertRefusedNamingTheMask(String sql) throws SQLException {
        try (Connection c = agent.getConnection(); Statement s = c.createStatement()) {
            Throwable thrown = catchThrowable(() -> s.execute(sql));
            assertThat(thrown).as("refused: " + sql).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).as(sql).isEqualTo("42501");
                assertThat(e.getMessage()).as(sql).contains("hide-ssn");
                for (String text : ExceptionTexts.of(e)) {
                    LaunderingFormsHarness.assertNoSsn(null, "the refusal of " + sql, text);
                }
            });
        }
    }

    @Test
    void anEventWhoseBodyCopiesTheSsnIsRefusedAndNoneRuns() throws SQLException {
        String[] copies = {
                "CREATE EVENT lq_ev ON SCHEDULE AT CURRENT_TIMESTAMP DO INSERT INTO lq_clear(id, note) SELECT id + 50,"
                        + " ssn FROM lq_people",
                "CREATE EVENT lq_ev ON SCHEDULE AT CURRENT_TIMESTAMP DO BEGIN INSERT INTO lq_clear(id, note) SELECT"
                        + " id + 60, ssn FROM lq_people; END",
                "CREATE OR REPLACE DEFINER = CURRENT_USER EVENT lq_ev ON SCHEDULE EVERY 1 SECOND COMMENT 'do' DO"
                        + " INSERT INTO lq_clear(id, note) SELECT MAX(id) + 90, MAX(ssn) FROM lq_people",
                "ALTER EVENT lq_ev_old ON SCHEDULE AT CURRENT_TIMESTAMP ENABLE DO INSERT INTO lq_clear(id, note)"
                        + " SELECT id + 70, ssn FROM lq_people",
                // a body the analysis cannot read: refused to a caller the mask applies to, whatever it does
                "CREATE EVENT lq_ev ON SCHEDULE AT CURRENT_TIMESTAMP DO EXECUTE IMMEDIATE 'INSERT INTO lq_clear(id, note)"
                        + " SELECT id + 80, ssn FROM lq_people'",
                "CREATE EVENT lq_ev ON SCHEDULE AT CURRENT_TIMESTAMP DO lbl: BEGIN END lbl",
        };
        for (String sql : copies) {
            assertRefusedNamingTheMask(sql);
            LaunderingFormsHarness.assertNoSsn(null, "the clear places after " + sql, clearPlaces());
        }
        assertThat(eventBody("lq_ev")).as("no event was created").isNull();
        assertThat(eventBody("lq_ev_old")).as("the old event keeps its body").contains("id < 0")
                .doesNotContain("lq_people");
        runTheScheduler(() -> LaunderingFormsHarness.assertNoSsn(null, "the clear places after the scheduler ran",
                clearPlaces()), false);
    }

    @Test
    void anEventCopyingAClearColumnStaysAllowedAndRuns() throws SQLException {
        String sql = "CREATE EVENT lq_ev_ok ON SCHEDULE AT CURRENT_TIMESTAMP + INTERVAL 1 SECOND DO INSERT INTO"
                + " lq_clear(id, note) SELECT id + 100, name FROM lq_people";
        try (Connection c = agent.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
        assertThat(eventBody("lq_ev_ok")).as("the harmless event was created").contains("name FROM lq_people");
        runTheScheduler(() -> {
            String places = clearPlaces();
            LaunderingFormsHarness.assertNoSsn(null, "the clear places after the scheduler ran", places);
            assertThat(places).as("the harmless event ran").contains("name 1", "name 3");
        }, true);
    }

    @Test
    void byDefaultAnAgentsEventIsRefusedAsCodeThatRunsLater() throws SQLException {
        String sql = "CREATE EVENT lq_ev_ok ON SCHEDULE AT CURRENT_TIMESTAMP + INTERVAL 1 SECOND DO INSERT INTO"
                + " lq_clear(id, note) SELECT id + 100, name FROM lq_people";
        try (Connection c = agentByDefault.getConnection(); Statement s = c.createStatement()) {
            Throwable thrown = catchThrowable(() -> s.execute(sql));
            assertThat(thrown).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("hide-ssn", "runs later in other sessions' statements");
            });
        }
        assertThat(eventBody("lq_ev_ok")).as("no event was created").isNull();
    }

    private interface Check {
        void run() throws SQLException;
    }

    /**
     * Switches the server's event scheduler on if it is off and the server lets the test (SUPER), waits for the events
     * in {@value #DB} to have run ({@code waitForClearRows}: until {@code lq_clear} has the rows, at most ten seconds;
     * otherwise three seconds),
     * runs {@code check}, and switches it back off in a {@code finally}. Without the privilege, nothing runs and the
     * check of the refusals stands alone.
     */
    private void runTheScheduler(Check check, boolean waitForClearRows) throws SQLException {
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            String before;
            try (ResultSet rs = s.executeQuery("SELECT @@global.event_scheduler")) {
                rs.next();
                before = rs.getString(1);
            }
            boolean switched = false;
            if (!"ON".equalsIgnoreCase(before)) {
                try {
                    s.execute("SET GLOBAL event_scheduler = ON");
                    switched = true;
                    LOG.info("event scheduler switched on for the test (it was {})", before);
                } catch (SQLException e) {
                    LOG.info("event scheduler left {}: the server does not let the test switch it ({})", before,
                            e.getSQLState());
                    return;
                }
            }
            try {
                for (int i = 0; i < (waitForClearRows ? 100 : 30); i++) {
                    if (waitForClearRows && clearPlaces().contains("name 3")) {
                        break;
                    }
                    Thread.sleep(100);
                }
                check.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                if (switched) {
                    s.execute("SET GLOBAL event_scheduler = " + ("DISABLED".equalsIgnoreCase(before) ? "OFF" : before));
                }
            }
        }
    }
}
