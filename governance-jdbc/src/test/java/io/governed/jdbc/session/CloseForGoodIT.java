package io.governed.jdbc.session;

import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * A connection opened through DriverManager (jdbc:governed:…) is a physical connection of its own: closing it ends its
 * session on the server, and with it every setting, variable, temporary table and open transaction the session held.
 * Nobody inherits it, so nothing is reset and nothing is logged: a user who left a transaction begun by BEGIN open
 * (PostgreSQL: DISCARD ALL cannot run inside it, so the session could not be reset) or a
 * user variable (MariaDB, whose reset needs useResetConnection=true) gets no warning at close. What the server sees is
 * checked raw: the transaction's row is gone, the session is gone.
 */
@ServerWide("other sessions (pg_stat_activity, information_schema.processlist)")
class CloseForGoodIT {

    /** What the governed driver logs (slf4j-simple writes to standard error) while {@code work} runs. */
    private static List<String> warningsWhile(SqlWork work) throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        err.print(log);
        return log.lines().filter(l -> l.contains("WARN") && (l.contains("GovernedConnection") || l.contains("reset")))
                .toList();
    }

    interface SqlWork {
        void run() throws Exception;
    }

    private static long count(TestDatabase database, String sql) throws SQLException {
        try (Connection raw = database.connectRaw(); Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void raw(TestDatabase database, String sql) throws SQLException {
        try (Connection raw = database.connectRaw(); Statement s = raw.createStatement()) {
            s.execute(sql);
        }
    }

    /** A transaction begun by JDBC (setAutoCommit(false)) and one begun by SQL (BEGIN), each with a custom setting. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void postgresClosedWithATransactionAndASettingOpenLogsNoWarning(boolean begunBySql) throws Exception {
        TestDatabase.POSTGRESQL.requireReachable();
        String table = "ed_close_pg";
        raw(TestDatabase.POSTGRESQL, "CREATE TABLE IF NOT EXISTS " + table + " (id int)");
        try {
            int[] pid = new int[1];
            List<String> warnings = warningsWhile(() -> {
                Connection c = TestDatabase.POSTGRESQL.connectGoverned();
                if (!begunBySql) {
                    c.setAutoCommit(false);
                }
                try (Statement s = c.createStatement()) {
                    if (begunBySql) {
                        s.execute("BEGIN");
                    }
                    s.execute("SET ed_app.key = 'x'");
                    s.execute("INSERT INTO " + table + " VALUES (1)");
                    try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                        rs.next();
                        pid[0] = rs.getInt(1);
                    }
                }
                c.close();
                assertThat(c.isClosed()).isTrue();
            });
            assertClosedForGood(TestDatabase.POSTGRESQL, warnings, table,
                    "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid[0]);
        } finally {
            raw(TestDatabase.POSTGRESQL, "DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void mariaDbClosedWithAUserVariableAndNoResetConnectionLogsNoWarning() throws Exception {
        TestDatabase.MARIADB.requireReachable();
        String table = "ed_close_maria";
        raw(TestDatabase.MARIADB, "CREATE TABLE IF NOT EXISTS " + table + " (id int) ENGINE=InnoDB");
        try {
            long[] id = new long[1];
            List<String> warnings = warningsWhile(() -> {
                Connection c = TestDatabase.MARIADB.connectGoverned();
                try (Statement s = c.createStatement()) {
                    s.execute("SET @ed_v = 'x'");
                    c.setAutoCommit(false);
                    s.execute("INSERT INTO " + table + " VALUES (1)");
                    try (ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                        rs.next();
                        id[0] = rs.getLong(1);
                    }
                }
                c.close();
                assertThat(c.isClosed()).isTrue();
            });
            assertClosedForGood(TestDatabase.MARIADB, warnings, table,
                    "SELECT count(*) FROM information_schema.PROCESSLIST WHERE ID = " + id[0]);
        } finally {
            raw(TestDatabase.MARIADB, "DROP TABLE IF EXISTS " + table);
        }
    }

    /**
     * Nothing was logged at close, the open transaction's row is gone, and the server ended the session (it may take
     * the server a moment after the socket closed: asked up to 50 times, 20 ms apart).
     */
    private static void assertClosedForGood(TestDatabase db, List<String> warnings, String table, String sessionCount)
            throws Exception {
        assertThat(warnings).as("warnings logged at close").isEmpty();
        assertThat(count(db, "SELECT count(*) FROM " + table)).as("the open transaction's row").isZero();
        long alive = 1;
        for (int i = 0; i < 50 && alive > 0; i++) {
            alive = count(db, sessionCount);
            if (alive > 0) {
                Thread.sleep(20);
            }
        }
        assertThat(alive).as("the closed connection's server session").isZero();
    }
}
