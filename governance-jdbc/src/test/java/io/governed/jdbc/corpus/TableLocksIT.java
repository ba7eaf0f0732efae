package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * Table locks through the driver, as pg_dump and mysqldump take them, under a policy that permits lock and keeps
 * schema app from being read: a lock of the other tables runs (and is held), one that names a table of app is refused
 * with 42501, wherever the list names it.
 */
@ServerWide("databases, other sessions")
class TableLocksIT {

    private static final String DATABASE = "governed_locks";

    private static Connection governed(CorpusDatabase database) throws SQLException {
        try (Connection raw = database.raw(DATABASE)) {
            database.layFixture(raw);
        }
        Properties p = new Properties();
        p.setProperty("governed.policy", "classpath:policies/lock-policy.yaml");
        p.setProperty("governed.principal", "ann");
        return database.governed(DATABASE, p);
    }

    private static void refused(Statement st, String sql) {
        assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                .hasMessageContaining("no-app");
    }

    @Nested
    @RequiresDatabase(TestDatabase.POSTGRESQL)
    class OnPostgres {
        @Test
        void aLockOfReadableTablesRunsAndOneOfAForbiddenTableIsRefused() throws Exception {
            Servers.ensurePostgresDatabase(DATABASE);
            PostgresCorpusDatabase database = new PostgresCorpusDatabase();
            try (Connection c = governed(database); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.execute("LOCK TABLE customers IN ACCESS SHARE MODE");
                st.execute("LOCK TABLE ONLY customers, orders IN ROW EXCLUSIVE MODE NOWAIT");
                st.execute("LOCK orders");
                try (Connection raw = database.raw(DATABASE); Statement r = raw.createStatement();
                     ResultSet rs = r.executeQuery("SELECT count(*) FROM pg_locks WHERE relation = 'orders'::regclass"
                             + " AND mode = 'AccessExclusiveLock' AND granted")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).as("the lock is held").isEqualTo(1);
                }
                c.rollback();
                refused(st, "LOCK TABLE app.config_entries IN ACCESS SHARE MODE");
                refused(st, "LOCK TABLE customers, app.config_entries IN ACCESS SHARE MODE NOWAIT");
                c.rollback();
            }
        }
    }

    @Nested
    @RequiresDatabase(TestDatabase.MARIADB)
    class OnMariaDb {
        @Test
        void lockTablesAsMysqldumpTakesThemRunsAndAForbiddenTableIsRefused() throws Exception {
            Servers.ensureMariaDbDatabase(DATABASE);
            MariaDbCorpusDatabase database = new MariaDbCorpusDatabase();
            try (Connection c = governed(database); Statement st = c.createStatement()) {
                st.execute("LOCK TABLES `customers` READ /*!32311 LOCAL */, orders WRITE");
                st.execute("UNLOCK TABLES");
                st.execute("LOCK TABLE customers READ LOCAL");
                st.execute("UNLOCK TABLES");
                refused(st, "LOCK TABLES customers READ, app.config_entries READ");
                refused(st, "LOCK TABLES app.config_entries AS e WRITE");
                st.execute("UNLOCK TABLES");
            }
        }
    }
}
