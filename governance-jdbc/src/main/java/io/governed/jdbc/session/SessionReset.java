package io.governed.jdbc.session;

import io.governed.sql.Dialect;

import java.lang.reflect.InvocationTargetException;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
 * The session's transaction isolation level and its schema (PostgreSQL) or current database (MariaDB), which a pool may
 * have set for it through JDBC, are set again after the reset: as they were before the first statement that may have
 * changed the session ({@link AsOpened}, read by the caller then), never as the last borrower left them.
 */
public final class SessionReset {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SessionReset.class);
    private static final String PROBE = "@governed_reset_probe";

    private SessionReset() {
    }

    /**
     * What a pool may set for a session through JDBC and expects to find again after the reset, read before the first
     * statement that may have changed the session ({@link #asOpened}).
     *
     * @param schema         PostgreSQL: the session's {@code search_path} setting (what {@code setSchema} sets, which may
     *                       name a schema a migration creates later); {@code null} when unread
     * @param schemaRead     PostgreSQL: whether {@code schema} was read (unread, the session is not reset: the schema a
     *                       reset would leave could not be told from the last borrower's)
     * @param isolation      the transaction isolation level ({@code setTransactionIsolation}); {@code null} when unread
     *                       (PostgreSQL and MariaDB then keep the server's default their reset sets, H2 is not reset)
     * @param catalogRead    MariaDB: whether {@code catalog} was read (unread, the session is not reset: MariaDB keeps
     *                       the current database through its reset, and it may be the last borrower's)
     * @param catalog        MariaDB: the current database ({@code setCatalog}, the URL's), {@code null} when none
     */
    public record AsOpened(String schema, boolean schemaRead, Integer isolation, boolean catalogRead, String catalog) {
        /** Nothing read. */
        public static final AsOpened UNREAD = new AsOpened(null, false, null, false, null);
    }

    /**
     * {@link AsOpened} of the session behind {@code connection}, as it is now; what cannot be read is left unread (each
     * part on its own), never guessed.
     */
    public static AsOpened asOpened(Connection connection, Dialect dialect) {
        String schema = null;
        boolean schemaRead = false;
        Integer isolation = null;
        boolean catalogRead = false;
        String catalog = null;
        if (dialect == Dialect.POSTGRESQL) {
            try {
                schema = postgresSearchPath(connection);
                schemaRead = true;
            } catch (SQLException | RuntimeException unread) {
                LOG.debug("Could not read the PostgreSQL session's schema ({}): the session will not be reset but aborted",
                        unread.getClass().getSimpleName());
            }
        }
        try {
            isolation = isolation(connection, dialect);
        } catch (SQLException | RuntimeException unread) {
            LOG.debug("Could not read the session's transaction isolation level ({}): the reset will leave the "
                    + "server's default", unread.getClass().getSimpleName());
        }
        if (dialect == Dialect.MARIADB) {
            try {
                catalog = mariaDbDatabase(connection);
                catalogRead = true;
            } catch (SQLException | RuntimeException unread) {
                LOG.debug("Could not read the MariaDB session's database ({}): the session will not be reset but "
                        + "aborted", unread.getClass().getSimpleName());
            }
        }
        return new AsOpened(schema, schemaRead, isolation, catalogRead, catalog);
    }

    /**
     * Resets the session behind {@code connection}, which must not be in a transaction (PostgreSQL refuses
     * {@code DISCARD ALL} in one; MariaDB's reset rolls it back); on H2 back to {@code h2AsOpened}, the session's state ({@link #h2State})
     * before the first statement that may have changed it, without which an H2 session is not reset. What a pool set
     * through JDBC is set again as {@code asOpened} holds it ({@link #asOpened}, read before the first statement that may
     * have changed the session): what the session holds at the time of the reset is what the last borrower left, never
     * to be handed to the next borrower. Each value set again is read back: one that did not take fails the reset.
     *
     * @throws SQLException when the session was not, or not certainly, reset: the caller must not hand it on
     */
    public static void reset(Connection connection, Dialect dialect, Map<String, String> h2AsOpened, AsOpened asOpened)
            throws SQLException {
        AsOpened opened = asOpened == null ? AsOpened.UNREAD : asOpened;
        if (dialect.isH2()) {
            if (h2AsOpened == null) {
                throw new SQLException("the H2 session's state as it was opened is not known");
            }
            if (opened.isolation() == null) { // no reset of H2 sets it back: it may be the last borrower's
                throw new SQLException("the H2 session's transaction isolation level as it was opened is not known");
            }
            resetH2(connection, h2AsOpened);
            setIsolation(connection, dialect, opened.isolation());
            return;
        }
        if (dialect != Dialect.POSTGRESQL && dialect != Dialect.MARIADB) {
            throw new SQLException("no known statement resets a " + dialect + " session");
        }
        if (dialect == Dialect.MARIADB && !opened.catalogRead()) { // its reset keeps the database the borrower chose
            throw new SQLException("the MariaDB session's database as it was opened is not known");
        }
        if (dialect == Dialect.POSTGRESQL && !opened.schemaRead()) { // the schema now may be the one the borrower chose
            throw new SQLException("the PostgreSQL session's schema as it was opened is not known");
        }
        // what a pool sets through JDBC for the session and keeps track of itself (HikariCP's transactionIsolation,
        // schema and catalog, Spring Boot's spring.datasource.hikari.schema), which the reset undoes: set again, as the
        // pool expects, as it was before the borrowing changed anything
        resetSession(connection, dialect);
        if (opened.isolation() != null) {
            setIsolation(connection, dialect, opened.isolation());
        }
        String schema = dialect == Dialect.POSTGRESQL ? opened.schema() : null;
        if (schema != null && !schema.equals(postgresSearchPath(connection))) {
            try (PreparedStatement set = connection.prepareStatement(
                    "SELECT pg_catalog.set_config('search_path', ?, false)")) {
                set.setString(1, schema);
                set.execute();
            }
            if (!schema.equals(postgresSearchPath(connection))) {
                throw new SQLException("the session's search path could not be set back to the one it had as opened");
            }
        }
        if (dialect == Dialect.MARIADB) {
            setMariaDbDatabase(connection, opened.catalog());
        }
    }

    /**
     * The session's transaction isolation level: on MariaDB read from the server (MariaDB Connector/J answers
     * {@code getTransactionIsolation} from what it last set or was told, which a statement's {@code SET} may not
     * reach), elsewhere through JDBC (pgjdbc and H2 ask the session).
     */
    static int isolation(Connection connection, Dialect dialect) throws SQLException {
        if (dialect != Dialect.MARIADB) {
            return connection.getTransactionIsolation();
        }
        String level;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT @@SESSION.tx_isolation")) {
            level = rows.next() ? rows.getString(1) : null;
        }
        if (level == null) {
            throw new SQLException("the MariaDB session's transaction isolation level could not be read");
        }
        return switch (level.toUpperCase(java.util.Locale.ROOT)) {
            case "READ-UNCOMMITTED" -> Connection.TRANSACTION_READ_UNCOMMITTED;
            case "READ-COMMITTED" -> Connection.TRANSACTION_READ_COMMITTED;
            case "REPEATABLE-READ" -> Connection.TRANSACTION_REPEATABLE_READ;
            case "SERIALIZABLE" -> Connection.TRANSACTION_SERIALIZABLE;
            default -> throw new SQLException("the MariaDB session's transaction isolation level is not a known one");
        };
    }

    private static void setIsolation(Connection connection, Dialect dialect, int level) throws SQLException {
        connection.setTransactionIsolation(level);
        if (dialect == Dialect.MARIADB && isolation(connection, dialect) != level) {
            // the driver skipped it, taking the level it last knew for the session's: set by the server's statement
            String name = switch (level) {
                case Connection.TRANSACTION_READ_UNCOMMITTED -> "READ UNCOMMITTED";
                case Connection.TRANSACTION_READ_COMMITTED -> "READ COMMITTED";
                case Connection.TRANSACTION_REPEATABLE_READ -> "REPEATABLE READ";
                case Connection.TRANSACTION_SERIALIZABLE -> "SERIALIZABLE";
                default -> throw new SQLException("no known MariaDB transaction isolation level " + level);
            };
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION TRANSACTION ISOLATION LEVEL " + name);
            }
        }
        if (isolation(connection, dialect) != level) {
            throw new SQLException("the session's transaction isolation level could not be set back to the one it had "
                    + "as opened");
        }
    }

    /** The MariaDB session's current database, read from the server; {@code null} when none. */
    static String mariaDbDatabase(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT DATABASE()")) {
            if (!rows.next()) {
                throw new SQLException("the MariaDB session's database could not be read");
            }
            return rows.getString(1);
        }
    }

    /**
     * Makes {@code database} the MariaDB session's current one again (MariaDB's reset keeps the one a {@code USE} of the
     * last borrower chose). None cannot be chosen again once one was: that fails.
     */
    private static void setMariaDbDatabase(Connection connection, String database) throws SQLException {
        String now = mariaDbDatabase(connection);
        if (java.util.Objects.equals(now, database)) {
            return;
        }
        if (database == null) {
            throw new SQLException("the MariaDB session had no current database as opened, and none can be chosen "
                    + "again once one was");
        }
        connection.setCatalog(database);
        if (!database.equals(mariaDbDatabase(connection))) { // the driver skipped it, taking its own for the session's
            try (Statement statement = connection.createStatement()) {
                statement.execute("USE `" + database.replace("`", "``") + "`");
            }
            if (!database.equals(mariaDbDatabase(connection))) {
                throw new SQLException("the MariaDB session's database could not be set back to the one it had as "
                        + "opened");
            }
        }
    }

    /**
     * The session's {@code search_path} setting as set (not {@code current_schema()}, which is {@code null} while the
     * schema a pool set with {@code setSchema} does not exist yet, before a migration creates it), read with the
     * system's own function: pgjdbc's {@code getSchema} sends {@code select current_schema()}, which a schema on the
     * session's search path before pg_catalog could answer in its place.
     */
    static String postgresSearchPath(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT pg_catalog.current_setting('search_path')")) {
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
