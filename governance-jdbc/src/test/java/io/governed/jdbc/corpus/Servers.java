package io.governed.jdbc.corpus;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** The local database servers the integration tests use: skipped when unreachable, failing under CI=true. */
final class Servers {
    private Servers() {
    }

    /** Skips the calling test class when the server is unreachable, or fails it when CI=true. */
    static void require(String name, String url, Properties credentials, String howToStart) {
        try (Connection c = DriverManager.getConnection(url, credentials)) {
            c.isValid(2);
        } catch (SQLException e) {
            String message = name + " at " + url + " is not reachable (" + e.getMessage() + "): start it with " + howToStart;
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + ". CI=true, so this is a failure, not a skip.", e);
            }
            Assumptions.abort(message);
        }
    }

    static void requirePostgres() {
        require("PostgreSQL", PostgresCorpusDatabase.ADMIN_URL, new PostgresCorpusDatabase().credentials(),
                "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
    }

    static void requireMariaDb() {
        require("MariaDB", MariaDbCorpusDatabase.ADMIN_URL, new MariaDbCorpusDatabase().credentials(),
                "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd");
    }

    /** Creates the PostgreSQL database {@code name} unless it exists. */
    static void ensurePostgresDatabase(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(PostgresCorpusDatabase.ADMIN_URL, new PostgresCorpusDatabase().credentials());
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + name);
        }
    }

    /** Creates the MariaDB database {@code name} unless it exists. */
    static void ensureMariaDbDatabase(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(MariaDbCorpusDatabase.ADMIN_URL, new MariaDbCorpusDatabase().credentials());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + name);
        }
    }
}
