package io.governed.jdbc.it;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * A transaction begun by SQL (BEGIN, START TRANSACTION) on a connection in auto-commit mode: JDBC's auto-commit flag
 * still says on, but the database holds a transaction open until COMMIT or ROLLBACK. The governed connection must not
 * take it for "between transactions": resetting the session for another identity then would break (PostgreSQL's
 * DISCARD ALL fails in it and aborts it) or roll back (MariaDB's connection reset) the first identity's half-done
 * work. What the database kept is read back through a raw connection. (The catalog readings in such a transaction:
 * PostgresCatalogReadingInTransactionIT.)
 */
class ExplicitBeginInAutoCommitIT {
    private final String name = "eb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL", "MARIADB"})
    void anotherIdentityIsNotServedInsideATransactionBegunBySql(TestDatabase database) throws Exception {
        database.requireReachable();
        createTable(database);
        Identity writer = Identity.builder("ledger-writer").kind(IdentityKind.SERVICE).build();
        Identity reader = Identity.builder("report-reader").kind(IdentityKind.SERVICE).build();
        String leftover = switch (database) {
            case POSTGRESQL -> "SELECT set_config('app.eb', 'kept', false)";
            default -> "SET @eb = 'kept'";
        };
        Properties settings = new Properties();
        if (database == TestDatabase.MARIADB) {
            settings.setProperty("useResetConnection", "true"); // the session can be reset: the transaction must stop it
        }
        try (Connection c = database.connectGoverned(settings)) {
            assertThat(c.getAutoCommit()).isTrue();
            IdentityContext.runAs(writer, () -> {
                try (Statement s = c.createStatement()) {
                    s.execute(database == TestDatabase.MARIADB ? "START TRANSACTION" : "BEGIN");
                    s.execute(leftover); // left in the session: another identity needs a reset first
                    s.execute("INSERT INTO " + name + " VALUES (1)");
                }
                return null;
            });
            assertThat(rawCount(database)).as("the insert is not committed yet").isZero();
            Throwable served = null;
            try {
                IdentityContext.runAs(reader, () -> {
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                        return rs.next();
                    }
                });
            } catch (SQLException refused) {
                served = refused;
            }
            assertThat(served).as("the reader's statement, refused: the session cannot be reset inside the writer's"
                    + " transaction").isNotNull();
            assertThat(((SQLException) served).getSQLState()).isEqualTo("42501");
            assertThat(served.getMessage()).contains("could not be reset");
            assertThat(rawCount(database)).as("the writer's open transaction was not committed for the reader").isZero();
            IdentityContext.runAs(writer, () -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO " + name + " VALUES (2)");
                    s.execute("COMMIT");
                }
                return null;
            });
            assertThat(rawCount(database)).as("both of the writer's rows, committed together by its COMMIT").isEqualTo(2);
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

    private long rawCount(TestDatabase database) throws SQLException {
        try (Connection raw = database.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
