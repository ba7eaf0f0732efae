package io.governed.jdbc.session;

import io.governed.sql.Dialect;

import java.lang.reflect.InvocationTargetException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 *   <li>H2: no statement resets a whole session; its state is listed in {@code INFORMATION_SCHEMA.SESSION_STATE}
 *       (user variables as {@code @name}, local temporary tables as {@code TABLE name}, {@code SCHEMA},
 *       {@code SCHEMA_SEARCH_PATH}, {@code TIME ZONE}). Every user variable that was not there as the session was
 *       opened is set to {@code NULL} (which removes it), one that was is set back, and the schema, search path and
 *       time zone are set back to those the session had as opened ({@link #h2State}, read by the caller before the
 *       first statement that may have changed them). A local temporary table is not dropped: H2 drops one only with
 *       its session, and a {@code DROP TABLE} of its name would drop a table of the same name another session created
 *       since, which H2 looks up first; the reset fails. It then reads the session's state again and fails unless it
 *       is exactly the state as opened.</li>
 *   <li>Anything else: no known reset; fails.</li>
 * </ul>
 * The session's transaction isolation level, and its schema (PostgreSQL) or current database (MariaDB) as it was before
 * anything was left in it ({@link #schemaAsOpened}, read by the caller before the first statement that may have changed
 * it), which a pool may have set for it through JDBC, are set again after the reset. Not the schema the session has when
 * it is reset: a statement of the identity that leaves the session may have set it ({@code SET search_path = s}, {@code
 * USE d}), and the next identity's unqualified names would find the relations of that identity's choosing.
 */
public final class SessionReset {
    private static final String PROBE = "@governed_reset_probe";

    private SessionReset() {
    }

    /**
     * The schema (PostgreSQL) or current database (MariaDB) of a session, or {@code null} when it has none.
     *
     * @param name the schema's or database's name, {@code null} for none
     */
    public record Schema(String name) {
    }

    /**
     * The schema (PostgreSQL's {@code current_schema()}) or current database (MariaDB's catalog) of the session behind
     * {@code connection} now, for {@link #reset} to set again; {@code null} on other databases.
     */
    public static Schema schemaAsOpened(Connection connection, Dialect dialect) throws SQLException {
        return switch (dialect) {
            case POSTGRESQL -> new Schema(postgresSchema(connection));
            case MARIADB -> new Schema(connection.getCatalog());
            default -> null;
        };
    }

    /**
     * Resets the session behind {@code connection}, which must not be in a transaction (PostgreSQL refuses
     * {@code DISCARD ALL} in one; MariaDB's reset rolls it back): on H2 back to {@code asOpened}, the session's state
     * ({@link #h2State}) before the first statement that may have changed it, without which an H2 session is not reset;
     * on PostgreSQL and MariaDB with the schema or current database {@code schemaAsOpened} ({@link #schemaAsOpened}, read
     * before the first statement that may have changed it) set again, without which the session is not reset.
     *
     * @throws SQLException when the session was not, or not certainly, reset: the caller must not hand it on
     */
    public static void reset(Connection connection, Dialect dialect, Map<String, String> asOpened, Schema schemaAsOpened)
            throws SQLException {
        if (dialect == Dialect.H2) {
            if (asOpened == null) {
                throw new SQLException("the H2 session's state as it was opened is not known");
            }
            resetH2(connection, asOpened);
            return;
        }
        if (dialect != Dialect.POSTGRESQL && dialect != Dialect.MARIADB) {
            throw new SQLException("no known statement resets a " + dialect + " session");
        }
        if (schemaAsOpened == null) {
            throw new SQLException("the session's schema before anything was left in it is not known");
        }
        // what a pool sets through JDBC for the session and keeps track of itself (HikariCP's transactionIsolation and
        // schema, Spring Boot's spring.datasource.hikari.schema), which the reset undoes: set again, as the pool expects;
        // the schema as it was before anything was left in the session, not what a statement since may have set
        int isolation = connection.getTransactionIsolation();
        String schema = dialect == Dialect.POSTGRESQL ? schemaAsOpened.name() : null;
        String catalog = dialect == Dialect.MARIADB ? schemaAsOpened.name() : null;
        resetSession(connection, dialect);
        connection.setTransactionIsolation(isolation);
        if (schema != null && !schema.equals(postgresSchema(connection))) {
            connection.setSchema(schema);
        }
        if (catalog != null && !catalog.equals(connection.getCatalog())) {
            connection.setCatalog(catalog);
        }
    }

    /**
     * The session's current schema, read with the system's own function: pgjdbc's {@code getSchema} sends {@code select
     * current_schema()}, which a schema on the session's search path before pg_catalog could answer in its place.
     */
    private static String postgresSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT pg_catalog.current_schema()")) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    /**
     * An H2 session's state, {@code INFORMATION_SCHEMA.SESSION_STATE}: each {@code STATE_KEY} with the
     * {@code STATE_COMMAND} that sets it as it is. The commands hold the variables' values: never to be logged or shown.
     */
    public static Map<String, String> h2State(Connection connection) throws SQLException {
        Map<String, String> state = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT STATE_KEY, STATE_COMMAND FROM INFORMATION_SCHEMA.SESSION_STATE")) {
            while (rows.next()) {
                String key = rows.getString(1);
                String command = rows.getString(2);
                if (key == null || command == null || state.put(key, command) != null) {
                    throw new SQLException("the H2 session's state could not be read");
                }
            }
        }
        return Map.copyOf(state);
    }

    private static void resetH2(Connection connection, Map<String, String> asOpened) throws SQLException {
        Map<String, String> now = h2State(connection);
        if (now.equals(asOpened)) {
            return;
        }
        List<String> statements = new ArrayList<>();
        for (Map.Entry<String, String> entry : now.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("TABLE ")) { // its rows are not in its command: one as opened may have been filled since
                throw new SQLException("the H2 session holds a local temporary table, which only the end of the "
                        + "session drops");
            }
            String opened = asOpened.get(key);
            if (entry.getValue().equals(opened)) {
                continue;
            }
            if (opened != null && (key.startsWith("@") || key.equals("SCHEMA") || key.equals("SCHEMA_SEARCH_PATH")
                    || key.equals("TIME ZONE"))) {
                statements.add(opened); // H2's own command for it as it was
            } else if (key.startsWith("@")) {
                statements.add("SET @\"" + key.substring(1).replace("\"", "\"\"") + "\" = NULL");
            } else if (key.equals("TIME ZONE")) {
                statements.add("SET TIME ZONE LOCAL");
            } else {
                throw new SQLException("the H2 session's " + key + " cannot be set back to what it was as opened");
            }
        }
        for (String key : asOpened.keySet()) {
            if (!now.containsKey(key)) {
                if (!key.startsWith("@") && !key.equals("TIME ZONE")) {
                    throw new SQLException("the H2 session's " + key + " cannot be set back to what it was as opened");
                }
                statements.add(asOpened.get(key)); // a variable or time zone gone since: set again
            }
        }
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
        Map<String, String> after = h2State(connection);
        if (!after.equals(asOpened)) {
            List<String> differ = new ArrayList<>();
            for (String key : after.keySet()) {
                if (!after.get(key).equals(asOpened.get(key))) {
                    differ.add(key);
                }
            }
            for (String key : asOpened.keySet()) {
                if (!after.containsKey(key)) {
                    differ.add(key);
                }
            }
            throw new SQLException("the H2 session's state differs from the state as opened after the reset, in "
                    + String.join(", ", differ));
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
