package io.governed.jdbc.it;

import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/*
 * Two-phase commit is action two-phase-commit: under a policy that permits transaction control but not it, PREPARE
 * TRANSACTION, COMMIT PREPARED and ROLLBACK PREPARED are refused (42501) before the server sees them. The server here
 * has max_prepared_transactions 0, so a PREPARE TRANSACTION that reached it would fail and roll the transaction back:
 * the refused one leaves the transaction open, and its row is committed by the COMMIT that follows (checked raw). Under
 * a policy that permits it by name, each reaches the server and fails with the server's own error.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@ServerWide("prepared transactions (PREPARE TRANSACTION, COMMIT|ROLLBACK PREPARED)")
class TwoPhaseCommitPostgresIT {
    private static final String TABLE = "ed_two_phase";

    private static Path policy(Path dir, String actions) throws Exception {
        Path file = dir.resolve("two-phase-" + actions.hashCode() + ".yaml");
        Files.writeString(file, """
                version: 1
                default: deny
                on-unparseable: deny
                rules:
                  - { id: apps, effect: permit, actions: [%s], resources: ["*"] }
                """.formatted(actions));
        return file;
    }

    private static void raw(String sql) throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long rows() throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + TABLE)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void refusedUnlessPermittedByNameAndThenTheServersOwnError(@TempDir Path dir) throws Exception {
        raw("DROP TABLE IF EXISTS " + TABLE);
        raw("CREATE TABLE " + TABLE + " (id int)");
        try {
            try (Connection c = TestDatabase.POSTGRESQL.connectGoverned(policy(dir, "select, insert, transaction"), null);
                 Statement s = c.createStatement()) {
                s.execute("BEGIN");
                s.execute("INSERT INTO " + TABLE + " VALUES (1)");
                for (String sql : new String[] {"PREPARE TRANSACTION 'ed_tx_1'", "COMMIT PREPARED 'ed_tx_1'",
                        "ROLLBACK PREPARED 'ed_tx_1'"}) {
                    SQLException refused = catchThrowableOfType(SQLException.class, () -> s.execute(sql));
                    assertThat((Throwable) refused).as(sql).isNotNull();
                    assertThat(refused.getSQLState()).as(sql + ": " + refused.getMessage()).isEqualTo("42501");
                    assertThat(String.join(" ", ExceptionTexts.of(refused))).as(sql).contains("two-phase-commit");
                }
                s.execute("COMMIT"); // still the transaction the refused statements found open
            }
            assertThat(rows()).as("the row of the transaction the refused PREPARE TRANSACTION left open").isEqualTo(1);

            try (Connection c = TestDatabase.POSTGRESQL.connectGoverned(
                    policy(dir, "select, insert, transaction, two-phase-commit"), null);
                 Statement s = c.createStatement()) {
                s.execute("BEGIN");
                s.execute("INSERT INTO " + TABLE + " VALUES (2)");
                SQLException prepare = catchThrowableOfType(SQLException.class,
                        () -> s.execute("PREPARE TRANSACTION 'ed_tx_2'"));
                assertThat((Throwable) prepare).isNotNull();
                assertThat(prepare.getSQLState()).as(prepare.getMessage()).isEqualTo("55000"); // prepared transactions are disabled
                s.execute("COMMIT"); // the server rolled the transaction back
                for (String sql : new String[] {"COMMIT PREPARED 'ed_tx_none'", "ROLLBACK PREPARED 'ed_tx_none'"}) {
                    SQLException unknown = catchThrowableOfType(SQLException.class, () -> s.execute(sql));
                    assertThat((Throwable) unknown).as(sql).isNotNull();
                    assertThat(unknown.getSQLState()).as(sql + ": " + unknown.getMessage()).isEqualTo("42704");
                }
            }
            assertThat(rows()).as("the permitted PREPARE TRANSACTION reached the server, which rolled its row back")
                    .isEqualTo(1);
        } finally {
            raw("DROP TABLE IF EXISTS " + TABLE);
        }
    }
}
