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
import java.util.Set;
import java.util.function.Supplier;

/**
 * MariaDB: the current database from {@code DATABASE()}; an unqualified table is there. (A
 * stored routine cannot run {@code USE}, so only the statements and calls that mark the session
 * stale can change it.) What a relation is (a view, a table and its engine, its triggers) comes from
 * {@code information_schema.TABLES} and {@code TRIGGERS}, a view's definition from {@code VIEWS}: one query reads the
 * current database with what the statement's unqualified relations, and those the reading before looked up, are; a
 * relation beyond these is looked up (one query, for all of it) when first asked about.
 */
final class MariaDbSessionReader implements SessionReader {
    private static final Logger LOG = LoggerFactory.getLogger(MariaDbSessionReader.class);

    /**
     * The session's reading and what relations are, in one query ({@link #lookup}): a row {@code (0, -1, DATABASE())},
     * and for the {@code i}th relation asked about a row {@code (1, i, TABLE_TYPE, its triggers' count, ENGINE)} when
     * {@code information_schema.TABLES} lists it and a row {@code (2, i, VIEW_DEFINITION)} when {@code VIEWS} does.
     * A relation's schema is {@code DATABASE()} itself when the name is unqualified, so that the reading and the
     * relations its statement names are read at once. Each branch compares {@code TABLE_SCHEMA} and {@code TABLE_NAME}
     * (and the triggers' {@code EVENT_OBJECT_*}) with constants, which MariaDB answers by opening that one relation's
     * definition, not by scanning its databases.
     *
     * <p>A base table, a sequence or a system table runs no code when read, and when written if no trigger is on it
     * (MariaDB's foreign key actions fire none, and its defaults, checks and generated columns may not call stored
     * functions). A view runs none when read if its definition calls only built-ins that leave nothing and reads only
     * relations that run none, as deep as {@link #VIEW_DEPTH}; it counts as running code when written.
     */
    private static final String DATABASE = "SELECT 0 AS k, -1 AS i, DATABASE() AS a, NULL AS b, NULL AS c";

    /** The branch of {@link #DATABASE}'s query for the relation {@code i} in the schema {@code in} ({@code ?} or {@code DATABASE()}). */
    private static String relationBranch(int i, String in) {
        return " UNION ALL SELECT 1, " + i + ", t.TABLE_TYPE, (SELECT COUNT(*) FROM information_schema.TRIGGERS g"
                + " WHERE g.EVENT_OBJECT_SCHEMA = " + in + " AND g.EVENT_OBJECT_TABLE = ?), t.ENGINE"
                + " FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = " + in + " AND t.TABLE_NAME = ?"
                + " UNION ALL SELECT 2, " + i + ", v.VIEW_DEFINITION, NULL, NULL"
                + " FROM information_schema.VIEWS v WHERE v.TABLE_SCHEMA = " + in + " AND v.TABLE_NAME = ?";
    }

    /** The most relations a reading's query looks up beyond its statement's own: later ones are looked up when asked. */
    static final int MOST_NAMES_AHEAD = 64;

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
    /**
     * A relation's columns and, for a column of a base table stored in this server (not a generated column, not one of a
     * view, nor of a table whose rows another server holds), its {@code COLUMN_TYPE}.
     */
    private static final String COLUMNS = "SELECT c.COLUMN_NAME, CASE WHEN c.IS_GENERATED = 'NEVER' AND EXISTS (SELECT 1 "
            + "FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME "
            + "AND t.TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') AND UPPER(t.ENGINE) NOT IN ('FEDERATED', "
            + "'FEDERATEDX', 'CONNECT', 'SPIDER')) THEN c.COLUMN_TYPE END FROM information_schema.COLUMNS c "
            + "WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ?";

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

    /** A relation asked about: {@code schema} {@code null} for one in the current database, whichever it is. */
    private record Asked(String schema, String name) {
        /** As {@link Reading#relationNamesRead} gives it, and {@link #read(Supplier, Set, Set)} takes it back. */
        String encoded() {
            return (schema == null ? "" : schema) + '\u0000' + name;
        }

        static Asked decoded(String encoded) {
            int at = encoded.indexOf('\u0000');
            return at < 0 ? new Asked(null, encoded) : new Asked(at == 0 ? null : encoded.substring(0, at),
                    encoded.substring(at + 1));
        }
    }

    /**
     * What a relation is, as {@link #DATABASE}'s query found it: its {@code information_schema.TABLES} type
     * ({@code null}: not listed), its triggers' count and engine, and whether {@code VIEWS} lists it, with which
     * definition.
     */
    private record Facts(String type, long triggers, String engine, boolean viewRow, String definition) {
    }

    @Override
    public Reading read(Supplier<Connection> connection) throws SQLException {
        return read(connection, null, Set.of());
    }

    @Override
    public Reading read(Supplier<Connection> connection, Set<String> expected) throws SQLException {
        return read(connection, expected, Set.of());
    }

    /**
     * The current database, with the relations {@code first} (unqualified: in it) and those the reading before looked up
     * ({@code expected}, as far as {@link #MOST_NAMES_AHEAD}) looked up in the same query: one round trip, whose
     * answers are what each relation's own lookup would have found then. When that query fails, the database is read
     * alone, and each relation is looked up when asked (a lookup that fails leaves it unknown, as it always did).
     */
    @Override
    public Reading read(Supplier<Connection> connection, Set<String> expected, Set<String> first) throws SQLException {
        Connection physical = connection.get();
        if (physical == null) {
            return Reading.UNKNOWN;
        }
        java.util.LinkedHashSet<Asked> asked = new java.util.LinkedHashSet<>();
        for (String name : first == null ? Set.<String>of() : first) {
            asked.add(new Asked(null, name));
        }
        if (expected != null) {
            for (String encoded : expected) {
                if (asked.size() >= MOST_NAMES_AHEAD + (first == null ? 0 : first.size())) {
                    break;
                }
                asked.add(Asked.decoded(encoded));
            }
        }
        List<Asked> relations = new ArrayList<>(asked);
        String database;
        Map<Integer, Facts> found = new HashMap<>();
        try {
            database = lookup(physical, relations, true, found);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Could not read the current database with the relations a statement names ({}): it is read alone",
                    e.getClass().getSimpleName());
            try (Statement s = physical.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
                database = rs.next() ? rs.getString(1) : null;
            }
            relations = List.of();
        }
        Views views = new Views(connection, database);
        for (int i = 0; i < relations.size(); i++) {
            Asked relation = relations.get(i);
            String schema = relation.schema() != null ? relation.schema() : database;
            if (schema != null) {
                views.lookedUp(schema, relation.name(), found.get(i));
            }
        }
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

            @Override
            public Set<String> relationNamesRead() {
                return views.namesRead();
            }
        };
    }

    /**
     * Runs {@link #DATABASE}'s query for {@code relations} (with the {@code DATABASE()} row when {@code withDatabase}),
     * puts what it found of the {@code i}th relation under {@code i} in {@code found} (a relation neither table lists
     * is absent from TABLES: its facts have no type), and returns the current database.
     */
    private static String lookup(Connection physical, List<Asked> relations, boolean withDatabase,
                                 Map<Integer, Facts> found) throws SQLException {
        StringBuilder sql = new StringBuilder(withDatabase ? DATABASE
                : "SELECT 0 AS k, -1 AS i, NULL AS a, NULL AS b, NULL AS c FROM DUAL WHERE FALSE");
        List<String> parameters = new ArrayList<>();
        for (int i = 0; i < relations.size(); i++) {
            Asked relation = relations.get(i);
            sql.append(relationBranch(i, relation.schema() == null ? "DATABASE()" : "?"));
            for (int branch = 0; branch < 3; branch++) {
                if (relation.schema() != null) {
                    parameters.add(relation.schema());
                }
                parameters.add(relation.name());
            }
        }
        String database = null;
        String[] types = new String[relations.size()];
        long[] triggers = new long[relations.size()];
        String[] engines = new String[relations.size()];
        boolean[] viewRows = new boolean[relations.size()];
        String[] definitions = new String[relations.size()];
        try (PreparedStatement s = physical.prepareStatement(sql.toString())) {
            for (int p = 0; p < parameters.size(); p++) {
                s.setString(p + 1, parameters.get(p));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    int kind = rs.getInt(1);
                    int i = rs.getInt(2);
                    if (kind == 0) {
                        database = rs.getString(3);
                    } else if (kind == 1) {
                        types[i] = rs.getString(3);
                        triggers[i] = rs.getLong(4);
                        engines[i] = rs.getString(5);
                    } else if (kind == 2) {
                        viewRows[i] = true;
                        definitions[i] = rs.getString(3);
                    }
                }
            }
        }
        for (int i = 0; i < relations.size(); i++) {
            found.put(i, new Facts(types[i], triggers[i], engines[i], viewRows[i], definitions[i]));
        }
        return database;
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
        /**
         * Per schema and name ({@link #key}): what the relation is, looked up with the reading or on its first question;
         * absent: not looked up, or the lookup failed (asked again next time).
         */
        private final Map<String, Facts> facts = new java.util.LinkedHashMap<>();
        /**
         * The relations this reading was asked about (not those its query only looked up ahead): what the next reading
         * looks up ahead, so that the relations looked up ahead do not pile up from reading to reading.
         */
        private final java.util.Set<String> asked = new java.util.LinkedHashSet<>();
        /** Per schema and name: whether reading it, and writing it, runs no code ({read, write}). */
        private final Map<String, boolean[]> plain = new HashMap<>();

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

        /** A relation's key: its schema and name apart (a name of MariaDB may hold a dot). */
        private static String key(String schema, String name) {
            return schema + '\u0000' + name;
        }

        /** What the reading's own query found of {@code schema.name}; {@code null}: it was not looked up. */
        synchronized void lookedUp(String schema, String name, Facts found) {
            if (found != null) {
                facts.putIfAbsent(key(schema, name), found);
            }
        }

        /**
         * The relations this reading was asked about, for the next reading's query ({@link Asked#encoded}): one in the current
         * database as unqualified, so that the next reading looks it up in the database current then.
         */
        synchronized Set<String> namesRead() {
            java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
            for (String key : asked) {
                int at = key.indexOf('\u0000');
                String schema = key.substring(0, at);
                names.add(new Asked(schema.equals(database) ? null : schema, key.substring(at + 1)).encoded());
            }
            return names;
        }

        /**
         * What {@code schema.name} is, from this reading's lookups or looked up now (one query, remembered);
         * {@code null} when that failed (not remembered).
         */
        private Facts facts(String schema, String name, String failing) {
            String key = key(schema, name);
            asked.add(key);
            Facts known = facts.get(key);
            if (known != null) {
                return known;
            }
            Connection physical = connection.get();
            if (physical == null) {
                return null;
            }
            Map<Integer, Facts> found = new HashMap<>();
            try {
                lookup(physical, List.of(new Asked(schema, name)), false, found);
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Could not look up a relation in information_schema ({}): {}", e.getClass().getSimpleName(),
                        failing);
                return null;
            }
            known = found.get(0);
            facts.put(key, known);
            return known;
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

        /** A column's name is matched in any case, as MariaDB matches it. */
        @Override
        public String columnType(String schema, String name, String column) {
            return columns.typeOf(schema, name, column, true);
        }

        /** Whether reading, or writing, {@code table} (qualified) runs no code; {@code false} when it cannot be told. */
        synchronized boolean runsNoCode(TableRef table, boolean write) {
            return runsNoCode(table, write, 0);
        }

        private boolean runsNoCode(TableRef table, boolean write, int depth) {
            if (table.schema() == null || depth > VIEW_DEPTH) {
                return false;
            }
            String key = key(table.schema(), table.name());
            boolean[] known = plain.get(key);
            if (known == null) {
                Facts found = facts(table.schema(), table.name(), "it counts as running code");
                if (found == null) {
                    return false; // not remembered: asked again next time
                }
                String type = found.type();
                if ("VIEW".equals(type)) {
                    known = new boolean[] {viewRunsNoCode(table, depth), false};
                } else {
                    boolean read = type != null && READ_PLAIN.contains(type);
                    known = new boolean[] {read, read && !type.equals("SYSTEM VIEW") && found.triggers() == 0};
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
            Facts found = facts(schema, name, "whose rows it holds is not known");
            return found == null || found.type() == null ? null : kind(found.type(), found.engine());
        }

        /**
         * The lookup of the relation failed (it is not remembered, and asked again), or {@code information_schema.TABLES}
         * calls it a view that {@code VIEWS} does not list.
         */
        @Override
        public synchronized boolean viewDefinitionUnknown(String schema, String name) {
            Facts found = facts(schema, name, "its columns are judged by their names");
            return found == null || "VIEW".equals(found.type()) && !found.viewRow();
        }

        /**
         * The view's definition; empty for a view whose definition the user may not see (no SHOW VIEW), or that
         * {@code VIEWS} does not list: it cannot be traced, and its columns are redacted where masks apply.
         */
        @Override
        public synchronized String viewDefinition(String schema, String name) {
            Facts found = facts(schema, name, "its columns are judged by their names");
            if (found == null) {
                return null;
            }
            if (found.viewRow()) {
                return found.definition() == null ? "" : found.definition();
            }
            return "VIEW".equals(found.type()) ? "" : null;
        }
    }
}
