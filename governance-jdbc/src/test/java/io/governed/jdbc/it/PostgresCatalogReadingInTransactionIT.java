package io.governed.jdbc.it;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * What user code defines beside the built-ins is read again once a second, only outside a transaction, since the
 * reading ends with a rollback. A transaction may hold work the governed connection did not see run: rows loaded
 * through pgjdbc's COPY API on the unwrapped connection (governed.unwrap=allow). The server's own word on whether a
 * transaction is open decides: the rows are committed with the statement that follows, read back through a raw
 * connection. So does it for a transaction block the application opens with BEGIN sent as SQL on a connection in
 * auto-commit: no catalog query runs in it, not even before its SET TRANSACTION, which must come before any query.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresCatalogReadingInTransactionIT {
    private final String table = "sr_copy_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @BeforeEach
    void create() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void rowsCopiedThroughTheUnwrappedConnectionStayInTheTransactionWhenTheCatalogIsDue() throws Exception {
        java.util.Properties settings = new java.util.Properties();
        settings.setProperty("governed.unwrap", "allow");
        try (Connection c = TestDatabase.POSTGRESQL.connectGoverned(settings)) {
            c.setAutoCommit(false);
            long copied = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " (id) FROM STDIN", new StringReader("1\n2\n3\n"));
            assertThat(copied).isEqualTo(3);
            Thread.sleep(1_100); // what user code defines beside the built-ins is now due to be read again
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("INSERT INTO " + table + " VALUES (4)")).isEqualTo(1);
            }
            c.commit();
        }
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(id::text, ',' ORDER BY id) FROM " + table)) {
            rs.next();
            assertThat(rs.getString(1)).as("the copied rows and the inserted one, committed together").isEqualTo("1,2,3,4");
        }
    }

    @Test
    void noCatalogQueryRunsInATransactionBlockOpenedWithBeginOnAnAutoCommitConnection() throws Exception {
        try (Connection c = TestDatabase.POSTGRESQL.connectGoverned(); Statement s = c.createStatement()) {
            assertThat(c.getAutoCommit()).isTrue();
            s.execute("BEGIN");
            Thread.sleep(1_100); // what user code defines beside the built-ins is now due to be read again
            // refused by the server once any query ran in the block (25001): the governance's own included
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            assertThat(s.executeUpdate("INSERT INTO " + table + " VALUES (1)")).isEqualTo(1);
            assertThat(s.executeUpdate("INSERT INTO " + table + " VALUES (2)")).isEqualTo(1);
            Thread.sleep(1_100); // due again: a reading now would end with a rollback if it took the block for none
            try (ResultSet rs = s.executeQuery("SELECT upper('x'), count(*) FROM " + table)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(2)).isEqualTo(2);
            }
            assertThat(s.executeUpdate("INSERT INTO " + table + " VALUES (3)")).isEqualTo(1);
            try (ResultSet rs = s.executeQuery("SELECT pg_catalog.current_setting('transaction_isolation')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("still the block's transaction").isEqualTo("repeatable read");
            }
            s.execute("COMMIT");
        }
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(id::text, ',' ORDER BY id) FROM " + table)) {
            rs.next();
            assertThat(rs.getString(1)).as("the block's rows, committed together").isEqualTo("1,2,3");
        }
    }
}
