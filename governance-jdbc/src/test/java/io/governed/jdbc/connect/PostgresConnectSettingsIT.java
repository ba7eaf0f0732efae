package io.governed.jdbc.connect;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/*
 * pgjdbc's options=-c … at connect time, on the real server, under the baseline policy (which refuses SET ROLE as a
 * privilege change): the role taken through the URL would own what the connection then creates, read back through a
 * raw connection. The governed connect is refused (08001) naming the setting and nothing is created.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@ServerWide("GRANT/REVOKE, SET ROLE / SESSION AUTHORIZATION, roles or users")
class PostgresConnectSettingsIT {
    private static final String ROLE = UniqueNames.of("connect_role");
    private static final String TABLE = UniqueNames.of("connect_owned");

    @BeforeAll
    static void role() throws SQLException {
        createRole(ROLE);
    }

    @AfterAll
    static void dropRole() throws SQLException {
        dropRole(ROLE, TABLE);
    }

    /** A role that may create tables in the public schema, which no one can log in as. */
    static void createRole(String role) throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE ROLE " + role + " NOLOGIN");
            s.execute("GRANT CREATE, USAGE ON SCHEMA public TO " + role);
        }
    }

    /** Drops the public table a test may have created, then the role. */
    static void dropRole(String role, String table) throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS public." + table);
            s.execute("REVOKE ALL ON SCHEMA public FROM " + role);
            s.execute("DROP ROLE IF EXISTS " + role);
        }
    }

    private static Properties mallory() {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.POSTGRESQL.user());
        p.setProperty("password", TestDatabase.POSTGRESQL.password());
        p.setProperty("governed.principal", "mallory");
        p.setProperty("governed.kind", "service");
        p.setProperty("governed.audit", "memory");
        return p;
    }

    @Test
    void setRoleThroughTheGovernedConnectionIsRefusedByTheBaseline() throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabase.POSTGRESQL.governedUrl(), mallory());
             Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("SET ROLE " + ROLE)).isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
        }
    }

    @Test
    void aRoleTakenThroughTheUrlOptionsIsRefusedAndOwnsNothing() throws SQLException {
        SQLException refusal = createTableThrough(TestDatabase.POSTGRESQL.governedUrl() + "&options=-c%20role%3D" + ROLE, mallory());
        assertThat(ownerOf(TABLE)).as("the owner of a table the governed connection created").isNotEqualTo(ROLE);
        assertRefused(refusal, "options");
    }

    @Test
    void aRoleTakenThroughOptionsInThePropertiesIsRefusedAndOwnsNothing() throws SQLException {
        Properties p = mallory();
        p.setProperty("options", "-c role=" + ROLE);
        SQLException refusal = createTableThrough(TestDatabase.POSTGRESQL.governedUrl(), p);
        assertThat(ownerOf(TABLE)).as("the owner of a table the governed connection created").isNotEqualTo(ROLE);
        assertRefused(refusal, "options");
    }

    @Test
    void aRoleGivenInPgjdbcsDefaultsFileIsTakenByTheDriverAndRefusedByTheCheck(@TempDir Path directory) throws Exception {
        PgjdbcDefaultsTest.defaults(directory, "options=-c role=" + ROLE + "\n");
        Driver driver = PgjdbcDefaultsTest.pgjdbcSeeing(directory);
        Properties credentials = new Properties();
        credentials.setProperty("user", TestDatabase.POSTGRESQL.user());
        credentials.setProperty("password", TestDatabase.POSTGRESQL.password());
        String url = TestDatabase.POSTGRESQL.rawUrl();
        try (Connection raw = driver.connect(url, credentials); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("the role pgjdbc took from its defaults file, URL and properties silent")
                    .isEqualTo(ROLE);
        }
        SQLException refusal = null;
        try {
            DelegateSettings.check(driver, url, credentials, false);
        } catch (SQLException e) {
            refusal = e;
        }
        assertRefused(refusal, "options");
    }

    /** Connects and creates the table (the baseline allows creating objects); the refusal, or null when it connected. */
    private static SQLException createTableThrough(String url, Properties p) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public." + TABLE + " (id int)");
            return null;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                return e;
            }
            throw e;
        }
    }

    /** The owner of the public table, which is then dropped; null when there is none. */
    static String ownerOf(String table) throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw();
             PreparedStatement s = raw.prepareStatement("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = ?")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                String owner = rs.next() ? rs.getString(1) : null;
                if (owner != null) {
                    try (Statement d = raw.createStatement()) {
                        d.execute("DROP TABLE public." + table);
                    }
                }
                return owner;
            }
        }
    }

    private static void assertRefused(SQLException refusal, String key) {
        if (refusal == null) {
            fail("the connect was not refused");
        }
        assertThat(refusal.getSQLState()).isEqualTo("08001");
        assertThat(refusal.getMessage()).contains("'" + key + "'").contains("past the gate").doesNotContain(ROLE);
    }
}
