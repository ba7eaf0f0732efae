package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Casts of user code that no statement has to name. A cast between a user type and a system type applies to a column
 * of the user type unnamed (the adversarial corpus's {@code implicit-user-cast-*} cases); a cast between two system
 * types ({@code integer} to {@code text}, which only a superuser can make) may apply anywhere those types meet, so a
 * database holding one refuses governed connections. A user type no cast of user code converts is read as usual. A
 * connection kept open reads what user code defines again once its reading is a second old, outside a transaction.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresUserCastsIT {
    private static final String DATABASE = "governed_user_casts";
    private final PostgresCorpusDatabase postgres = new PostgresCorpusDatabase();

    @BeforeAll
    void fixture() throws SQLException {
        Servers.ensurePostgresDatabase(DATABASE);
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("DROP CAST IF EXISTS (integer AS text)");
            s.execute("DROP TABLE IF EXISTS payments, plain_items CASCADE");
            s.execute("DROP TYPE IF EXISTS plain_code CASCADE");
            s.execute("DROP FUNCTION IF EXISTS wipe_int_to_text(integer)");
            s.execute("DROP FUNCTION IF EXISTS reverse(integer)");
            s.execute("CREATE TABLE payments (id int PRIMARY KEY)");
            s.execute("INSERT INTO payments SELECT generate_series(1, 5)");
            s.execute("CREATE TYPE plain_code AS (code text)");
            s.execute("CREATE TABLE plain_items (id int PRIMARY KEY, code plain_code)");
            s.execute("INSERT INTO plain_items VALUES (1, ROW('a1'))");
            s.execute("CREATE FUNCTION wipe_int_to_text(v integer) RETURNS text LANGUAGE sql "
                    + "AS $$ DELETE FROM payments; SELECT v::varchar::text $$");
        }
    }

    @Test
    void aUserTypeNoCastOfUserCodeConvertsIsReadAsUsual() throws SQLException {
        try (Connection analyst = postgres.governedAnalyst(DATABASE); Statement s = analyst.createStatement();
             ResultSet rs = s.executeQuery("SELECT upper((code).code) FROM plain_items")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("A1");
        }
    }

    @Test
    void aCastOfUserCodeBetweenTwoSystemTypesRefusesTheConnectionUntilItIsDropped() throws Exception {
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("CREATE CAST (integer AS text) WITH FUNCTION wipe_int_to_text(integer)");
            try {
                try (ResultSet rs = s.executeQuery("SELECT CAST(1 AS text)")) {
                    rs.next(); // the attack is real: the conversion ran the function
                }
                assertThat(count(s)).isZero();
                s.execute("INSERT INTO payments SELECT generate_series(1, 5)");
                Thread.sleep(1_100); // a reading of the catalog is shared for a second: let one made before the cast age

                assertThatThrownBy(() -> postgres.governedAnalyst(DATABASE).close())
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("08001");
                            assertThat(e.getMessage())
                                    .contains("cast of user code between two of PostgreSQL's own types")
                                    .contains("integer -> text (wipe_int_to_text)")
                                    .contains("DROP CAST");
                        });
            } finally {
                s.execute("DROP CAST IF EXISTS (integer AS text)");
            }
            assertThat(count(s)).isEqualTo(5);
        }
        try (Connection analyst = postgres.governedAnalyst(DATABASE); Statement s = analyst.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM payments")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(5);
        }
    }

    @Test
    void aConnectionKeptOpenSeesAFunctionCreatedAfterItOpenedOutsideATransaction() throws Exception {
        try (Connection analyst = postgres.governedAnalyst(DATABASE); Connection raw = postgres.raw(DATABASE);
             Statement s = raw.createStatement()) {
            try (Statement a = analyst.createStatement(); ResultSet rs = a.executeQuery("SELECT reverse('ab')")) {
                assertThat(rs.next()).isTrue(); // the built-in, before any user function of that name
            }
            analyst.setAutoCommit(false);
            try (Statement a = analyst.createStatement(); ResultSet rs = a.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue(); // a transaction is open from here
            }
            s.execute("CREATE FUNCTION reverse(i integer) RETURNS bigint LANGUAGE sql "
                    + "AS $$ WITH d AS (DELETE FROM payments RETURNING 1) SELECT count(*) FROM d $$");
            try {
                Thread.sleep(1_100); // the reading the connection opened with is now due
                try (Statement a = analyst.createStatement()) {
                    // inside the open transaction the catalog is not queried (it would end the transaction)
                    assertThat(refusalOrNull(a, "SELECT 1")).isNull();
                }
                analyst.commit();
                try (Statement a = analyst.createStatement()) {
                    assertThat(refusalOrNull(a, "SELECT reverse(1)")).isEqualTo("42501");
                }
                analyst.setAutoCommit(true);
                try (Statement a = analyst.createStatement()) {
                    assertThat(refusalOrNull(a, "SELECT reverse(2)")).isEqualTo("42501");
                }
                assertThat(count(s)).isEqualTo(5);
            } finally {
                s.execute("DROP FUNCTION IF EXISTS reverse(integer)");
            }
        }
    }

    /** The SQLState of the statement's failure, or {@code null} when it ran. */
    private static String refusalOrNull(Statement governed, String sql) {
        try (ResultSet rs = governed.executeQuery(sql)) {
            rs.next();
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    private static long count(Statement raw) throws SQLException {
        try (ResultSet rs = raw.executeQuery("SELECT count(*) FROM payments")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
