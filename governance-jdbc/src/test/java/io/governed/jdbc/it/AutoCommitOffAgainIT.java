package io.governed.jdbc.it;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * Connection.setAutoCommit(false) on a connection already outside auto-commit changes nothing (JDBC: "if setAutoCommit
 * is called and the auto-commit mode is not changed, the call is a no-op"): the transaction goes on. Flyway does it in
 * every nested transaction template (the advisory lock's, the schema history table's) while the transaction that
 * created the schema is still open. The governed connection must go on counting the transaction as open: it may read
 * the database's catalog again only outside a transaction (the reading ends with a rollback), audits the commit that
 * ends it, and never switches auto-commit on (which commits) to reset the session for another identity in it. What
 * the database kept is read back through a raw connection.
 */
class AutoCommitOffAgainIT {
    private final String name = "fly_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @Test
    void aSchemaCreatedInTheTransactionIsStillThereAfterAutoCommitIsSwitchedOffAgainAndTheCatalogIsDue() throws Exception {
        TestDatabase database = TestDatabase.POSTGRESQL;
        database.requireReachable();
        try (Connection c = database.connectGoverned()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + name);
            }
            c.setAutoCommit(false); // as Flyway's nested transaction templates do: nothing changes
            Thread.sleep(1_100); // what user code defines beside the built-ins is read again once a second, when idle
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + name + ".flyway_schema_history (installed_rank INT PRIMARY KEY)");
                s.execute("INSERT INTO " + name + ".flyway_schema_history VALUES (0)");
            }
            c.commit();
            assertThat(rawCount(database, "SELECT count(*) FROM " + name + ".flyway_schema_history"))
                    .as("the schema, its table and its row, committed together").isEqualTo(1);
        } finally {
            dropSchema(database);
        }
    }

    @Test
    void aTransactionLeftOpenIsNotCommittedToResetTheSessionForAnotherIdentity() throws Exception {
        TestDatabase database = TestDatabase.POSTGRESQL;
        database.requireReachable();
        createTable(database);
        Identity writer = Identity.builder("ledger-writer").kind(IdentityKind.SERVICE).build();
        Identity reader = Identity.builder("report-reader").kind(IdentityKind.SERVICE).build();
        try (Connection c = database.connectGoverned()) {
            c.setAutoCommit(false);
            IdentityContext.runAs(writer, () -> {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT set_config('app.fly', 'kept', false)"); // left in the session for the next one
                    s.execute("INSERT INTO " + name + " VALUES (1)");
                }
                c.setAutoCommit(false); // nothing changes: the insert is still uncommitted
                return null;
            });
            assertThatThrownBy(() -> IdentityContext.runAs(reader, () -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                    return rs.next();
                }
            })).isInstanceOf(SQLException.class).hasMessageContaining("could not be reset")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            assertThat(rawCount(database, "SELECT count(*) FROM " + name)).as("nothing committed").isZero();
            IdentityContext.runAs(writer, () -> {
                c.rollback();
                return null;
            });
            assertThat(rawCount(database, "SELECT count(*) FROM " + name)).as("rolled back").isZero();
        } finally {
            dropTable(database);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL", "MARIADB"})
    void theCommitAfterAutoCommitIsSwitchedOffAgainIsAudited(TestDatabase database) throws Exception {
        database.requireReachable();
        createTable(database);
        String sink = "fly-" + UUID.randomUUID();
        Properties settings = new Properties();
        settings.setProperty("governed.audit", "memory:" + sink);
        try (Connection c = database.connectGoverned(settings)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO " + name + " VALUES (1)");
            }
            c.setAutoCommit(false);
            c.commit();
            c.unwrap(GovernedConnection.class).governance().flushAudit();
            assertThat(rawCount(database, "SELECT count(*) FROM " + name)).isEqualTo(1);
            List<AuditEvent> ends = MemorySink.named(sink).events().stream()
                    .filter(e -> e.action().equals("transaction")).toList();
            assertThat(ends).extracting(AuditEvent::statement).containsExactly("commit");
            assertThat(ends.get(0).reason()).contains("Connection.commit()");
        } finally {
            dropTable(database);
        }
    }

    private void createTable(TestDatabase database) throws SQLException {
        try (Connection raw = database.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + name + " (id INT PRIMARY KEY)");
        }
    }

    private void dropTable(TestDatabase database) throws SQLException {
        try (Connection raw = database.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + name);
        }
    }

    private void dropSchema(TestDatabase database) throws SQLException {
        try (Connection raw = database.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }

    private static long rawCount(TestDatabase database, String sql) throws SQLException {
        try (Connection raw = database.connectRaw(); Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
