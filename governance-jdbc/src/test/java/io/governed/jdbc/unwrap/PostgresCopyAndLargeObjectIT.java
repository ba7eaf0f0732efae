package io.governed.jdbc.unwrap;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.audit.StatementAudit;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import org.postgresql.jdbc.PgConnection;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;

import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * pgjdbc's COPY API (CopyManager) and large-object API (LargeObjectManager) move data without any
 * statement the gate sees. Through a governed connection they cannot be reached by default, by any
 * route to the driver's connection (the connection, its statements, result sets and metadata), and
 * the raw connection shows that nothing was copied in or stored. With governed.unwrap=allow the same
 * code works (so the attack is real), and the unwrap is audited.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresCopyAndLargeObjectIT {
    private final String table = UniqueNames.of("copy_lo");
    private final String sink = "copy-lo-" + UUID.randomUUID();

    @BeforeEach
    void createTable() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id integer, payload text, lo oid)");
        }
    }

    @AfterEach
    void dropTable() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("SELECT lo_unlink(lo) FROM " + table + " WHERE lo IS NOT NULL");
            st.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    private Connection governed(boolean allowUnwrap) throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("governed.audit", "memory:" + sink);
        if (allowUnwrap) {
            settings.setProperty("governed.unwrap", "allow");
        }
        return TestDatabase.POSTGRESQL.connectGoverned(settings);
    }

    /** Every way from a governed connection to something that could be the driver's connection. */
    private static List<Wrapper> routes(Connection governed, Statement statement, ResultSet rs) throws SQLException {
        return List.of(governed, governed.getMetaData(), governed.getMetaData().getConnection(), statement,
                statement.getConnection(), rs, rs.getStatement(), rs.getStatement().getConnection());
    }

    /** COPY in and out through the driver's CopyManager, reached by unwrapping. */
    private void copyThrough(Wrapper route) throws Exception {
        CopyManager copy = route.unwrap(PGConnection.class).getCopyAPI();
        copy.copyIn("COPY " + table + " (id, payload) FROM STDIN", new StringReader("1\tcopied\n2\tcopied\n"));
        copy.copyOut("COPY " + table + " TO STDOUT", new StringWriter());
    }

    /** A large object created, written and recorded in the table through the driver's LargeObjectManager. */
    private long storeLargeObjectThrough(Wrapper route) throws Exception {
        PGConnection driver = route.unwrap(PGConnection.class);
        Connection connection = (Connection) driver;
        connection.setAutoCommit(false); // large objects live in transactions
        LargeObjectManager objects = driver.getLargeObjectAPI();
        long oid = objects.createLO();
        try (LargeObject lo = objects.open(oid, LargeObjectManager.WRITE)) {
            lo.write("stored".getBytes(UTF_8));
        }
        try (Statement st = connection.createStatement()) {
            st.executeUpdate("INSERT INTO " + table + " (id, lo) VALUES (3, " + oid + ")");
        }
        connection.commit();
        connection.setAutoCommit(true);
        return oid;
    }

    private long rowsSeenRaw() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void copyAndLargeObjectsAreUnreachableByDefaultByEveryRoute() throws Exception {
        try (Connection c = governed(false); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
            assertThat(c).isNotInstanceOf(BaseConnection.class).isNotInstanceOf(PGConnection.class);
            for (Wrapper route : routes(c, st, rs)) {
                assertThatThrownBy(() -> copyThrough(route)).as("COPY via %s", route).isInstanceOf(GovernanceException.class)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
                assertThatThrownBy(() -> storeLargeObjectThrough(route)).as("large object via %s", route)
                        .isInstanceOf(GovernanceException.class).hasMessageContaining("governed.unwrap=allow");
                for (Class<?> driverConnection : List.of(BaseConnection.class, PgConnection.class)) {
                    assertThat(route.isWrapperFor(driverConnection)).isFalse();
                    assertThatThrownBy(() -> route.unwrap(driverConnection)).isInstanceOf(GovernanceException.class);
                }
            }
        }
        assertThat(rowsSeenRaw()).as("rows copied in or recorded, seen through the raw connection").isZero();
    }

    @Test
    void withUnwrapAllowedCopyAndLargeObjectsWorkAndEachUnwrapIsAudited() throws Exception {
        long oid;
        try (Connection c = governed(true)) {
            copyThrough(c);
            oid = storeLargeObjectThrough(c);
            GovernedConnection connection = c.unwrap(GovernedConnection.class);
            connection.governance().flushAudit();
            assertThat(MemorySink.named(sink).events()).filteredOn(e -> e.action().equals(StatementAudit.UNWRAP))
                    .hasSize(2)
                    .allSatisfy(e -> {
                        assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
                        assertThat(e.principal()).isEqualTo(TestDatabase.GOVERNED_PRINCIPAL);
                        assertThat(e.reason()).isEqualTo("unwrapped to " + PGConnection.class.getName());
                    });
        }
        assertThat(rowsSeenRaw()).isEqualTo(3);
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw()) {
            raw.setAutoCommit(false);
            try (LargeObject lo = raw.unwrap(PGConnection.class).getLargeObjectAPI().open(oid, LargeObjectManager.READ)) {
                assertThat(new String(lo.read(100), UTF_8)).isEqualTo("stored");
            }
            raw.commit();
        }
    }
}
