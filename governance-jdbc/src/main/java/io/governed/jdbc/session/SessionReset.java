package io.governed.jdbc.session;

import io.governed.sql.Dialect;

import java.lang.reflect.InvocationTargetException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Puts a database session back as it was opened, for the next identity to use it: everything a statement may have
 * left there (settings, a role, variables, prepared statements, cursors, temporary tables, locks, LISTENs) is gone.
 *
 * <ul>
 *   <li>PostgreSQL: {@code DISCARD ALL} (outside a transaction; the caller ends it). pgjdbc sees its command tag and
 *       prepares its own statements again.</li>
 *   <li>MariaDB: {@code COM_RESET_CONNECTION}, which MariaDB Connector/J sends from its {@code reset()} when the
 *       connection was opened with {@code useResetConnection=true}; then {@code SET ROLE NONE}. Whether the session was
 *       reset is checked with a user variable set before: a driver or server that did not reset it fails here.</li>
 *   <li>Anything else: no known reset; fails.</li>
 * </ul>
 * The session's transaction isolation level and its schema (PostgreSQL) or current database (MariaDB), which a pool may
 * have set for it through JDBC, are set again after the reset.
 */
public final class SessionReset {
    private static final String PROBE = "@governed_reset_probe";

    private SessionReset() {
    }

    /**
     * Resets the session behind {@code connection}, which must not be in a transaction (PostgreSQL refuses
     * {@code DISCARD ALL} in one; MariaDB's reset rolls it back).
     *
     * @throws SQLException when the session was not, or not certainly, reset: the caller must not hand it on
     */
    public static void reset(Connection connection, Dialect dialect) throws SQLException {
        if (dialect != Dialect.POSTGRESQL && dialect != Dialect.MARIADB) {
            throw new SQLException("no known statement resets a " + dialect + " session");
        }
        // what a pool sets through JDBC for the session and keeps track of itself (HikariCP's transactionIsolation and
        // schema, Spring Boot's spring.datasource.hikari.schema), which the reset undoes: set again, as the pool expects
        int isolation = connection.getTransactionIsolation();
        String schema = dialect == Dialect.POSTGRESQL ? connection.getSchema() : null;
        String catalog = dialect == Dialect.MARIADB ? connection.getCatalog() : null;
        resetSession(connection, dialect);
        connection.setTransactionIsolation(isolation);
        if (schema != null && !schema.equals(connection.getSchema())) {
            connection.setSchema(schema);
        }
        if (catalog != null && !catalog.equals(connection.getCatalog())) {
            connection.setCatalog(catalog);
        }
    }

    private static void resetSession(Connection connection, Dialect dialect) throws SQLException {
        switch (dialect) {
            case POSTGRESQL -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DISCARD ALL");
                }
            }
            case MARIADB -> {
                Reset reset = mariaDbReset(connection);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET " + PROBE + " = 1");
                    reset.run();
                    try (ResultSet probe = statement.executeQuery("SELECT " + PROBE + " IS NULL")) {
                        if (!probe.next() || !probe.getBoolean(1)) {
                            throw new SQLException("the MariaDB session kept its user variables through the reset");
                        }
                    }
                    statement.execute("SET ROLE NONE");
                }
            }
            default -> throw new SQLException("no known statement resets a " + dialect + " session");
        }
    }

    private interface Reset {
        void run() throws SQLException;
    }

    /**
     * MariaDB Connector/J's {@code Connection.reset()}, to call by reflection (the driver is the application's), once it
     * is known to send {@code COM_RESET_CONNECTION}.
     */
    private static Reset mariaDbReset(Connection connection) throws SQLException {
        Connection physical = SessionStates.physical(connection);
        ClassLoader loader = physical.getClass().getClassLoader();
        try {
            Class<?> driverConnection = Class.forName("org.mariadb.jdbc.Connection", false, loader);
            if (!driverConnection.isInstance(physical)) {
                throw new SQLException("not a MariaDB Connector/J connection: no known way to reset its session");
            }
            Object context = driverConnection.getMethod("getContext").invoke(physical);
            Object configuration = Class.forName("org.mariadb.jdbc.client.Context", false, loader)
                    .getMethod("getConf").invoke(context);
            Object resets = configuration.getClass().getMethod("useResetConnection").invoke(configuration);
            if (!Boolean.TRUE.equals(resets)) {
                throw new SQLException("the MariaDB connection resets its session only with useResetConnection=true "
                        + "in its URL or properties");
            }
            java.lang.reflect.Method reset = driverConnection.getMethod("reset");
            return () -> {
                try {
                    reset.invoke(physical);
                } catch (InvocationTargetException e) {
                    throw e.getCause() instanceof SQLException failure ? failure
                            : new SQLException("MariaDB Connector/J could not reset the session", e.getCause());
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new SQLException("MariaDB Connector/J could not reset the session", e);
                }
            };
        } catch (InvocationTargetException e) {
            throw new SQLException("no known way to reset this MariaDB session", e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new SQLException("no known way to reset this MariaDB session (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
