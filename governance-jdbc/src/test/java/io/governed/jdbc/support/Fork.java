package io.governed.jdbc.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Which integration-test JVM this is. Failsafe runs the integration tests in two JVMs and passes each its number
 * as the system property {@code it.fork} ({@code fork1}, {@code fork2}); fork 1 (and any JVM without the property: unit tests, other
 * modules, an IDE) uses the database {@code test}, fork N uses {@code test_forkN} on both servers, created here on
 * first use.
 */
final class Fork {
    /**
     * The system property failsafe sets to {@code fork${surefire.forkNumber}}; not under {@code governed.*}, where the
     * driver rejects system properties it does not know.
     */
    static final String PROPERTY = "it.fork";

    static final int NUMBER = number();

    static final String DATABASE = suffixed("test");

    private static volatile boolean ensured;

    private Fork() {
    }

    private static int number() {
        String value = System.getProperty(PROPERTY, "").trim();
        if (value.isEmpty()) {
            return 1;
        }
        String digits = value.startsWith("fork") ? value.substring("fork".length()) : value;
        try {
            int n = Integer.parseInt(digits);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("system property " + PROPERTY + " must be forkN or N with N a fork number"
                    + " from 1 up, as failsafe's fork${surefire.forkNumber}; remove it to use the database 'test'");
        }
    }

    static String suffixed(String name) {
        return NUMBER == 1 ? name : name + "_fork" + NUMBER;
    }

    /**
     * Creates this fork's database on PostgreSQL and MariaDB when it is missing (only forks past the first; a server
     * that cannot be reached is left to {@link TestDatabase#requireReachable()} to report).
     */
    static boolean databasesEnsured() {
        return NUMBER == 1 || ensured;
    }

    static void ensureDatabases() {
        if (NUMBER == 1 || ensured) {
            return;
        }
        synchronized (Fork.class) {
            if (ensured) {
                return;
            }
            Properties pg = new Properties();
            pg.setProperty("user", "postgres");
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=5", pg);
                 Statement s = c.createStatement()) {
                boolean exists;
                try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                    exists = rs.next();
                }
                if (!exists) {
                    try {
                        s.execute("CREATE DATABASE " + DATABASE);
                    } catch (SQLException e) {
                        if (!"42P04".equals(e.getSQLState())) { // duplicate_database: created meanwhile
                            throw e;
                        }
                    }
                }
            } catch (SQLException e) {
                // unreachable or not permitted: connecting to the fork's database reports it
            }
            Properties maria = new Properties();
            maria.setProperty("user", "root");
            maria.setProperty("password", "");
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=5000", maria);
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE);
            } catch (SQLException e) {
                // as above
            }
            ensured = true;
        }
    }
}
