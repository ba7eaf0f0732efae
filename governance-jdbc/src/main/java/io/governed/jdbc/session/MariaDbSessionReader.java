package io.governed.jdbc.session;

import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.MariaDbRoutineBody;
import io.governed.sql.SessionEffects;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import io.governed.sql.names.CascadedWrite;
import io.governed.sql.names.CurrentDatabase;
import io.governed.sql.names.NameResolver;
import io.governed.sql.names.RelationLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * MariaDB: the current database from {@code SELECT DATABASE()}; an unqualified table is there. (A
 * stored routine cannot run {@code USE}, so only the statements and calls that mark the session
 * stale can change it.) A view's definition comes from {@code information_schema.VIEWS}, looked up
 * when a mask needs it; whether a relation runs code (a view, a trigger) from {@code information_schema.TABLES} and
 * {@code TRIGGERS}, looked up when the session asks.
 */
final class MariaDbSessionReader implements SessionReader {
    private static final Logger LOG = LoggerFactory.getLogger(MariaDbSessionReader.class);

    private static final String VIEW = "SELECT VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";

    /**
     * A relation's type, how many triggers it has, and its storage engine (for telling whose rows it holds,
     * {@link #kind}): one query for both questions a statement naming it asks. A base table, a sequence or a system table runs no code when
     * read, and when written if no trigger is on it (MariaDB's foreign key actions fire none, and its defaults, checks
     * and generated columns may not call stored functions). A view runs none when read if its definition calls only
     * built-ins that leave nothing and reads only relations that run none, as deep as {@link #VIEW_DEPTH}; it counts
     * as running code when written.
     */
    private static final String RELATION = "SELECT t.TABLE_TYPE, (SELECT COUNT(*) FROM information_schema.TRIGGERS g"
            + " WHERE g.EVENT_OBJECT_SCHEMA = t.TABLE_SCHEMA AND g.EVENT_OBJECT_TABLE = t.TABLE_NAME), t.ENGINE"
            + " FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = ? AND t.TABLE_NAME = ?";

    /**
     * The engines whose tables hold rows of their own: a MERGE table is the union of other tables, a FEDERATED, CONNECT
     * or SPIDER table may be a table of this very server, and an engine not listed is not known not to be one.
     */
    private static final Set<String> OWN_ROWS_ENGINES = Set.of("innodb", "aria", "myisam", "memory");

    /** What a relation of {@code information_schema.TABLES}' type and engine is. */
    static NameResolver.RelationKind kind(String type, String engine) {
        if ("VIEW".equals(type)) {
            return NameResolver.RelationKind.VIEW;
        }
        if ("SEQUENCE".equals(type)) {
            return NameResolver.RelationKind.SEQUENCE; // its one row is its own state
        }
        boolean table = "BASE TABLE".equals(type) || "SYSTEM VERSIONED".equals(type) || "TEMPORARY".equals(type);
        return table && engine != null && OWN_ROWS_ENGINES.contains(engine.toLowerCase(java.util.Locale.ROOT))
                ? NameResolver.RelationKind.TABLE : NameResolver.RelationKind.OTHER;
    }

    /**
     * The foreign keys referencing a table, with their rules. A key whose table the session has no privilege on is not
     * listed: the session's user is the one that sees what writing its tables writes.
     */
    private static final String REFERENCING = "SELECT CONSTRAINT_SCHEMA, TABLE_NAME, DELETE_RULE, UPDATE_RULE"
            + " FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE UNIQUE_CONSTRAINT_SCHEMA = ? AND REFERENCED_TABLE_NAME = ?"
            + " ORDER BY 1, 2"; // one order, so that a refusal names the same table every time

    /**
     * A row when the session's user holds the {@code TRIGGER} privilege on the table (parameters its schema and name:
     * globally, on its database or on it), without which {@code information_schema.TRIGGERS} does not list the table's
     * triggers. A privilege held through a role is not seen here: the triggers then count as unknown.
     */
    private static final String TRIGGERS_VISIBLE = "SELECT 1 FROM (SELECT ? AS s, ? AS t) q JOIN ("
            + " SELECT GRANTEE, NULL AS TABLE_SCHEMA, NULL AS TABLE_NAME, 'u' AS kind FROM information_schema.USER_PRIVILEGES"
            + "  WHERE PRIVILEGE_TYPE = 'TRIGGER'"
            + " UNION ALL SELECT GRANTEE, TABLE_SCHEMA, NULL, 's' FROM information_schema.SCHEMA_PRIVILEGES"
            + "  WHERE PRIVILEGE_TYPE = 'TRIGGER'"
            + " UNION ALL SELECT GRANTEE, TABLE_SCHEMA, TABLE_NAME, 't' FROM information_schema.TABLE_PRIVILEGES"
            + "  WHERE PRIVILEGE_TYPE = 'TRIGGER') p"
            + " ON p.kind = 'u' OR (p.kind = 's' AND p.TABLE_SCHEMA = q.s)"
            + "  OR (p.kind = 't' AND p.TABLE_SCHEMA = q.s AND p.TABLE_NAME = q.t)"
            + " WHERE p.GRANTEE = CONCAT('''', LEFT(CURRENT_USER(), CHAR_LENGTH(CURRENT_USER())"
            + "  - CHAR_LENGTH(SUBSTRING_INDEX(CURRENT_USER(), '@', -1)) - 1), '''@''',"
            + "  SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''') LIMIT 1";

    /** A table's triggers. */
    private static final String TRIGGERS = "SELECT TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_MANIPULATION"
            + " FROM information_schema.TRIGGERS"
            + " WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ?";

    /**
     * The stored routines of a name in a schema (a function and a procedure may share it): how each is written, its
     * body (NULL where the session's user may not see it), the SQL mode it was created with (which it runs with), and its
     * type. A routine the session's user may execute is listed to it.
     */
    private static final String ROUTINES = "SELECT ROUTINE_BODY, ROUTINE_DEFINITION, SQL_MODE, ROUTINE_TYPE"
            + " FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_NAME = ?";

    /** The names of a stored routine's parameters (parameters its schema, name and type). */
    private static final String PARAMETERS = "SELECT PARAMETER_NAME FROM information_schema.PARAMETERS"
            + " WHERE SPECIFIC_SCHEMA = ? AND SPECIFIC_NAME = ? AND ROUTINE_TYPE = ? AND PARAMETER_NAME IS NOT NULL";

    /** The triggers of a name in a schema: the body and the SQL mode it was created with. */
    private static final String TRIGGER_BODIES = "SELECT ACTION_STATEMENT, SQL_MODE FROM information_schema.TRIGGERS"
            + " WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME = ?";

    /** A relation's columns. */
    private static final String COLUMNS = "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";

    /**
     * The databases holding a relation or a stored routine of a name ({@code schemasNaming}), as the session's user sees
     * them: a relation it has no privilege on is not listed, and no statement of its can read it.
     */
    private static final String NAMED = "SELECT TABLE_SCHEMA FROM information_schema.TABLES WHERE TABLE_NAME = ?"
            + " UNION SELECT ROUTINE_SCHEMA FROM information_schema.ROUTINES WHERE ROUTINE_NAME = ?";

    /** How many views deep a view's own views are followed; one deeper counts as running code. */
    private static final int VIEW_DEPTH = 8;
    /** Reads views' definitions for the relations they read; remembers nothing. */
    private static final SqlAnalyzer DEFINITIONS = new SqlAnalyzer(0);

    /** The table types whose reading runs no code. */
    private static final Set<String> READ_PLAIN = Set.of("BASE TABLE", "SYSTEM VERSIONED", "SEQUENCE", "SYSTEM VIEW");

    @Override
    public Reading read(Supplier<Connection> connection) throws SQLException {
        Connection physical = connection.get();
        if (physical == null) {
            return Reading.UNKNOWN;
        }
        String database;
        try (Statement s = physical.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
            database = rs.next() ? rs.getString(1) : null;
        }
        Views views = new Views(connection, database);
        CurrentDatabase names = new CurrentDatabase(database, views);
        return new Reading() {
            @Override
            public NameResolver names() {
                return names;
            }

            @Override
            public boolean runsNoCode(TableRef table, boolean write) {
                return views.runsNoCode(table, write);
            }
        };
    }

    /**
     * The statements of the bodies of the stored routines and triggers named {@code schema.name}
     * ({@link MariaDbRoutineBody}): empty when there is none, {@code null} when one is not read for certain (a body the
     * session's user may not see, one created with a SQL mode that reads quotes or statements otherwise, dynamic SQL, …).
     */
    static List<String> routineBodies(Connection physical, String schema, String name) throws SQLException {
        List<String> texts = new ArrayList<>();
        List<String[]> routines = CatalogQuery.rows(physical, ROUTINES, schema, name,
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
        for (String[] routine : routines) {
            String type = routine[3];
            if (!"SQL".equals(routine[0]) || routine[1] == null || !readsAsDefault(routine[2])
                    || !("PROCEDURE".equals(type) || "FUNCTION".equals(type))) {
                return null;
            }
            List<String> parameters = new ArrayList<>();
            try (PreparedStatement s = physical.prepareStatement(PARAMETERS)) {
                s.setString(1, schema);
                s.setString(2, name);
                s.setString(3, type);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        parameters.add(rs.getString(1));
                    }
                }
            }
            List<String> statements = MariaDbRoutineBody.statements(routine[1], parameters, false);
            if (statements == null) {
                return null;
            }
            texts.addAll(statements);
        }
        List<String[]> triggers = CatalogQuery.rows(physical, TRIGGER_BODIES, schema, name,
                rs -> new String[] {rs.getString(1), rs.getString(2)});
        for (String[] trigger : triggers) {
            if (trigger[0] == null || !readsAsDefault(trigger[1])) {
                return null;
            }
            List<String> statements = MariaDbRoutineBody.statements(trigger[0], List.of(), true);
            if (statements == null) {
                return null;
            }
            texts.addAll(statements);
        }
        return texts;
    }

    /**
     * Whether a body created with {@code sqlMode} is read as the analysis reads it: not with {@code ANSI_QUOTES}
     * (a {@code "…"} is then a name) nor {@code ORACLE} (another syntax of compound statements).
     */
    private static boolean readsAsDefault(String sqlMode) {
        if (sqlMode == null) {
            return false;
        }
        for (String mode : sqlMode.split(",")) {
            String m = mode.strip().toUpperCase(java.util.Locale.ROOT);
            if (m.equals("ANSI_QUOTES") || m.equals("ORACLE") || m.equals("ANSI") || m.equals("MSSQL")
                    || m.equals("DB2") || m.equals("POSTGRESQL") || m.equals("MAXDB")) {
                return false;
            }
        }
        return true;
    }

    /** Views' definitions, and whether relations run code, looked up once per name in a reading. */
    private static final class Views implements RelationLocator {
        private final Supplier<Connection> connection;
        /** Per schema.name: the view's definition, empty when the relation is not a view. */
        private final Map<String, Optional<String>> definitions = new HashMap<>();
        /** Per schema.name: whether reading it, and writing it, runs no code ({read, write}). */
        private final Map<String, boolean[]> plain = new HashMap<>();
        /** Per {@code schema.name}: what the relation is; absent: not looked up, or the lookup failed. */
        private final Map<String, NameResolver.RelationKind> kinds = new HashMap<>();

        /** Relations' columns, looked up when a statement's bound rests on them. */
        private final RelationColumns columns;

        /** What writing a table writes through foreign keys, looked up on its first write. */
        private final ReferentialActions referential;
        /** The triggers writing a table runs, looked up on its first write. */
        private final TableTriggers triggers;
        /** The bodies of the stored routines and triggers called. */
        private final UserRoutines routines;

        /** The session's current database, where the texts of a body name their unqualified tables and routines. */
        private final String database;

        Views(Supplier<Connection> connection, String database) {
            this.connection = connection;
            this.database = database;
            this.columns = new RelationColumns(connection, COLUMNS);
            this.referential = new ReferentialActions(connection, REFERENCING);
            this.triggers = new TableTriggers(connection, TRIGGERS_VISIBLE, TRIGGERS);
            this.routines = new UserRoutines(connection, MariaDbSessionReader::routineBodies);
        }

        /**
         * The statements of the bodies of the stored routines and triggers named {@code schema.name}. A body names its
         * unqualified tables and routines in its own database, which the analysis of its texts reads as the session's
         * current one: the statements of a body in another database are not known.
         */
        @Override
        public List<String> routineBodies(String schema, String name) {
            List<String> bodies = routines.bodies(schema, name);
            if (bodies != null && !bodies.isEmpty() && !schema.equals(database)) {
                return null;
            }
            return bodies;
        }

        @Override
        public List<CascadedWrite> cascadedWrites(String schema, String name, Action action) {
            return referential.of(schema, name, action);
        }

        @Override
        public List<TableRef> routinesRunOnWrite(String schema, String name) {
            return triggers.of(schema, name);
        }

        /** The triggers of the table that fire on the write's events ({@code information_schema.TRIGGERS}). */
        @Override
        public List<TableRef> routinesRunOnWrite(String schema, String name, Action action, boolean upsert) {
            return triggers.of(schema, name, WriteEvents.of(action, upsert));
        }

        @Override
        public Set<String> schemasHolding(String name) {
            return null; // an unqualified name is in the current database: nothing to look up
        }

        /** {@link #NAMED}, looked up each time (asked only for names a statement could not place); {@code null} when that failed. */
        @Override
        public Set<String> schemasNaming(String name) {
            Connection physical = connection.get();
            if (physical == null) {
                return null;
            }
            try {
                return Set.copyOf(CatalogQuery.rows(physical, NAMED, name, name, rs -> rs.getString(1)));
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Could not look up the databases using a name ({}): any may", e.getClass().getSimpleName());
                return null;
            }
        }

        @Override
        public Set<String> columns(String schema, String name) {
            return columns.of(schema, name);
        }

        /** Whether reading, or writing, {@code table} (qualified) runs no code; {@code false} when it cannot be told. */
        synchronized boolean runsNoCode(TableRef table, boolean write) {
            return runsNoCode(table, write, 0);
        }

        private boolean runsNoCode(TableRef table, boolean write, int depth) {
            if (table.schema() == null || depth > VIEW_DEPTH) {
                return false;
            }
            String key = table.schema() + '.' + table.name();
            boolean[] known = plain.get(key);
            if (known == null) {
                Connection physical = connection.get();
                if (physical == null) {
                    return false;
                }
                try {
                    known = lookUp(physical, table.schema(), table.name(), key);
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("Could not look up a relation in information_schema ({}): it counts as running code",
                            e.getClass().getSimpleName());
                    return false; // not remembered: asked again next time
                }
                if (known == null) {
                    known = new boolean[] {viewRunsNoCode(table, depth), false};
                }
                plain.put(key, known);
            }
            return known[write ? 1 : 0];
        }

        /**
         * Whether reading the view runs no code: its definition (which MariaDB keeps with every name qualified) calls
         * only built-ins that leave nothing, and every relation it reads runs none when read. A definition the session
         * may not see (no SHOW VIEW) or cannot be analysed counts as running code.
         */
        private boolean viewRunsNoCode(TableRef view, int depth) {
            String definition = viewDefinition(view.schema(), view.name());
            if (definition == null || definition.isBlank()
                    || SessionEffects.textMayLeaveSomething(definition, Dialect.MARIADB)) {
                return false;
            }
            SqlAnalysis analysis = DEFINITIONS.analyze(definition, Dialect.MARIADB);
            if (!analysis.parsed() || analysis.statements().size() != 1) {
                return false;
            }
            StatementAnalysis query = analysis.statements().get(0);
            if (query.action() != Action.SELECT || !query.routines().isEmpty() || !query.tablesWritten().isEmpty()) {
                return false;
            }
            for (TableRef read : query.tablesRead()) {
                TableRef qualified = read.schema() == null ? new TableRef(view.schema(), read.name()) : read;
                if (!runsNoCode(qualified, false, depth + 1)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public synchronized NameResolver.RelationKind relationKind(String schema, String name) {
            if (schema == null) {
                return null;
            }
            String key = schema + '.' + name;
            NameResolver.RelationKind known = kinds.get(key);
            if (known != null) {
                return known;
            }
            Connection physical = connection.get();
            if (physical == null) {
                return null;
            }
            try {
                boolean[] runsNoCode = lookUp(physical, schema, name, key);
                if (runsNoCode != null) {
                    plain.putIfAbsent(key, runsNoCode);
                }
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Could not look up a relation in information_schema ({}): whose rows it holds is not known",
                        e.getClass().getSimpleName());
                return null; // not remembered: asked again next time
            }
            return kinds.get(key); // null: no such relation, nothing to tell
        }

        /**
         * Looks {@code schema.name} up ({@link #RELATION}): remembers its kind when there is such a relation, and returns
         * whether reading and writing it run no code, or {@code null} for a view (its definition says, read apart).
         */
        private boolean[] lookUp(Connection physical, String schema, String name, String key) throws SQLException {
            try (PreparedStatement s = physical.prepareStatement(RELATION)) {
                s.setString(1, schema);
                s.setString(2, name);
                try (ResultSet rs = s.executeQuery()) {
                    String type = rs.next() ? rs.getString(1) : null;
                    if (type != null) {
                        kinds.put(key, kind(type, rs.getString(3)));
                    }
                    boolean read = type != null && READ_PLAIN.contains(type);
                    boolean[] known = {read, read && !type.equals("SYSTEM VIEW") && rs.getLong(2) == 0};
                    return "VIEW".equals(type) ? null : known;
                }
            }
        }

        /** The lookup of the view's definition failed (it is not remembered, and asked again). */
        @Override
        public synchronized boolean viewDefinitionUnknown(String schema, String name) {
            return viewDefinition(schema, name) == null && !definitions.containsKey(schema + '.' + name);
        }

        @Override
        public synchronized String viewDefinition(String schema, String name) {
            String key = schema + '.' + name;
            Optional<String> known = definitions.get(key);
            if (known != null) {
                return known.orElse(null);
            }
            Connection physical = connection.get();
            if (physical == null) {
                return null;
            }
            String definition;
            try (PreparedStatement s = physical.prepareStatement(VIEW)) {
                s.setString(1, schema);
                s.setString(2, name);
                try (ResultSet rs = s.executeQuery()) {
                    // a view whose definition the user may not see (no SHOW VIEW) reads as empty: it cannot be
                    // traced, and its columns are redacted where masks apply
                    definition = rs.next() ? (rs.getString(1) == null ? "" : rs.getString(1)) : null;
                }
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Could not look up a view in information_schema ({}): its columns are judged by their names",
                        e.getClass().getSimpleName());
                return null; // not remembered: asked again next time
            }
            definitions.put(key, Optional.ofNullable(definition));
            return definition;
        }
    }
}
