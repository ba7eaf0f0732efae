package io.governed.jdbc.session;

import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.SessionEffects;
import io.governed.sql.TableRef;
import io.governed.sql.names.CascadedWrite;
import io.governed.sql.names.H2SearchPath;
import io.governed.sql.names.NameResolver;
import io.governed.sql.names.RelationLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * H2: the current schema from {@code SCHEMA()}, the schema search path from the embedded session
 * (H2 offers no SQL to read it; a remote session's is unknown, so a name the current schema does not
 * hold could be anywhere), and which schemas hold a table of a name from {@code INFORMATION_SCHEMA.TABLES}.
 */
final class H2SessionReader implements SessionReader {

    /** {@link Dialect#H2} or {@link Dialect#H2_LOWER_CASE}: how the database folds the names its definitions hold. */
    private final Dialect dialect;

    H2SessionReader(Dialect dialect) {
        this.dialect = dialect;
    }

    private static final Logger LOG = LoggerFactory.getLogger(H2SessionReader.class);

    /** The schemas holding a routine, a constant or a domain of a name, besides relations ({@code schemasNaming}). */
    private static final String NAMED = "SELECT ROUTINE_SCHEMA FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_NAME = ?"
            + " UNION SELECT CONSTANT_SCHEMA FROM INFORMATION_SCHEMA.CONSTANTS WHERE CONSTANT_NAME = ?"
            + " UNION SELECT DOMAIN_SCHEMA FROM INFORMATION_SCHEMA.DOMAINS WHERE DOMAIN_NAME = ?";
    /**
     * The relations of a name, each with its view definition, its triggers (Java code, run with the session) and the
     * expressions its columns compute (defaults, generated columns, ON UPDATE), which may call an alias (Java code).
     */
    private static final String TABLES = "SELECT T.TABLE_SCHEMA, T.TABLE_NAME,"
            // a linked table (or one of a table engine of its own) is a BASE TABLE to TABLE_TYPE, and told by its storage
            + " CASE WHEN T.TABLE_TYPE = 'VIEW' OR T.STORAGE_TYPE IN ('CACHED', 'MEMORY', 'GLOBAL TEMPORARY',"
            + "  'LOCAL TEMPORARY') THEN T.TABLE_TYPE ELSE 'TABLE ' || COALESCE(T.STORAGE_TYPE, 'OF UNKNOWN STORAGE') END,"
            + " V.VIEW_DEFINITION,"
            + " (SELECT COUNT(*) FROM INFORMATION_SCHEMA.TRIGGERS G WHERE G.EVENT_OBJECT_SCHEMA = T.TABLE_SCHEMA"
            + "  AND G.EVENT_OBJECT_TABLE = T.TABLE_NAME),"
            // (its SELECT triggers run their Java class when it is read)
            + " (SELECT COUNT(*) FROM INFORMATION_SCHEMA.TRIGGERS G WHERE G.EVENT_OBJECT_SCHEMA = T.TABLE_SCHEMA"
            + "  AND G.EVENT_OBJECT_TABLE = T.TABLE_NAME AND G.EVENT_MANIPULATION = 'SELECT') AS SELECT_TRIGGERS,"
            + " (SELECT LISTAGG(CONCAT_WS(' , ', C.COLUMN_DEFAULT, C.GENERATION_EXPRESSION, C.COLUMN_ON_UPDATE), ' , ')"
            + "  FROM INFORMATION_SCHEMA.COLUMNS C WHERE C.TABLE_SCHEMA = T.TABLE_SCHEMA AND C.TABLE_NAME = T.TABLE_NAME)"
            + " FROM INFORMATION_SCHEMA.TABLES T LEFT JOIN INFORMATION_SCHEMA.VIEWS V"
            + " ON V.TABLE_SCHEMA = T.TABLE_SCHEMA AND V.TABLE_NAME = T.TABLE_NAME WHERE T.TABLE_NAME = ?"
            // a synonym (which INFORMATION_SCHEMA.TABLES does not list) is its target under a second name: it is read as a
            // view selecting the target's columns by name, so that masks, rules and filters follow it to the target; one
            // whose target's columns cannot be read (its definition NULL) is of a kind not told
            + " UNION ALL SELECT S.SYNONYM_SCHEMA, S.SYNONYM_NAME, 'SYNONYM',"
            + " 'SELECT ' || (SELECT LISTAGG('\"' || REPLACE(C.COLUMN_NAME, '\"', '\"\"') || '\"', ', ')"
            + "  WITHIN GROUP (ORDER BY C.ORDINAL_POSITION) FROM INFORMATION_SCHEMA.COLUMNS C"
            + "  WHERE C.TABLE_SCHEMA = S.SYNONYM_FOR_SCHEMA AND C.TABLE_NAME = S.SYNONYM_FOR)"
            + " || ' FROM \"' || REPLACE(S.SYNONYM_FOR_SCHEMA, '\"', '\"\"') || '\".\"'"
            + " || REPLACE(S.SYNONYM_FOR, '\"', '\"\"') || '\"', 0, 0, NULL"
            + " FROM INFORMATION_SCHEMA.SYNONYMS S WHERE S.SYNONYM_NAME = ?";
    /**
     * What a relation of {@code INFORMATION_SCHEMA.TABLES}' type is: a base or temporary table holds rows of its own; a
     * synonym or a linked table (whose type {@link #TABLES} reads as {@code TABLE LINK}, from its storage type) may be
     * another table of this very database, and another type is not known not to be.
     */
    static NameResolver.RelationKind kind(String type, String definition) {
        if ("VIEW".equals(type) || "SYNONYM".equals(type) && definition != null) {
            return NameResolver.RelationKind.VIEW;
        }
        return "BASE TABLE".equals(type) || "GLOBAL TEMPORARY".equals(type) || "LOCAL TEMPORARY".equals(type)
                ? NameResolver.RelationKind.TABLE : NameResolver.RelationKind.OTHER;
    }

    /** A relation's columns. */
    /** A relation's columns and, for a column of a base table that is not generated, its {@code DATA_TYPE}. */
    private static final String COLUMNS = "SELECT c.COLUMN_NAME, CASE WHEN c.IS_GENERATED = 'NEVER' AND EXISTS (SELECT 1 "
            + "FROM INFORMATION_SCHEMA.TABLES t WHERE t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME "
            + "AND t.TABLE_TYPE = 'BASE TABLE') THEN c.DATA_TYPE END FROM INFORMATION_SCHEMA.COLUMNS c "
            + "WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ?";
    /** {@link H2Reading#tables}' flags: reading the relation runs no code; writing it runs none. */
    private static final int READ_PLAIN = 1;
    private static final int WRITE_PLAIN = 2;

    @Override
    public Reading read(Supplier<Connection> connection) throws SQLException {
        Connection physical = connection.get();
        if (physical == null) {
            return Reading.UNKNOWN;
        }
        String schema;
        try (Statement s = physical.createStatement(); ResultSet rs = s.executeQuery("SELECT SCHEMA()")) {
            schema = rs.next() ? rs.getString(1) : null;
        }
        return new H2Reading(dialect, connection, schema, searchPath(physical), mode(physical));
    }

    /** How many aliases of a name, in any case, the database holds in any schema. */
    private static final String ALIASES = "SELECT COUNT(*) FROM INFORMATION_SCHEMA.ROUTINES WHERE UPPER(ROUTINE_NAME) = ?";

    /**
     * Whether the database, now, is in a compatibility mode running {@code name} as H2's own
     * ({@link io.governed.sql.H2CompatibilityModes}) and holds no alias of the name in any schema; false when either
     * cannot be read.
     */
    static boolean modeRunsItsOwn(Connection physical, String name) {
        if (physical == null || !io.governed.sql.H2CompatibilityModes.builtIns(mode(physical))
                .contains(name.toLowerCase(java.util.Locale.ROOT))) {
            return false;
        }
        try (PreparedStatement s = physical.prepareStatement(ALIASES)) {
            s.setString(1, name.toUpperCase(java.util.Locale.ROOT));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getLong(1) == 0;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("H2 aliases not readable ({}): a mode's function counts as a call", e.getClass().getSimpleName());
            return false;
        }
    }

    /** The database's compatibility mode ({@code REGULAR}, {@code PostgreSQL}, …). */
    static final String MODE = "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MODE'";

    /**
     * The database's compatibility mode as {@code INFORMATION_SCHEMA.SETTINGS} names it, or {@code null} when it cannot be
     * read: the functions of no mode are then taken for H2's own.
     */
    static String mode(Connection physical) {
        try (Statement s = physical.createStatement(); ResultSet rs = s.executeQuery(MODE)) {
            String mode = rs.next() ? rs.getString(1) : null;
            return mode != null && !rs.next() ? mode : null;
        } catch (SQLException | RuntimeException e) {
            LOG.debug("H2 compatibility mode not readable ({}): no mode's functions count as built-ins",
                    e.getClass().getSimpleName());
            return null;
        }
    }

    /** {@link #metaModificationId}'s answer when the id cannot be read. */
    static final long UNKNOWN_META_ID = Long.MIN_VALUE;
    /** A public no-argument method of a class, by its name: looked up once per class. */
    private static final ClassValue<Map<String, Method>> METHODS = new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            return new java.util.concurrent.ConcurrentHashMap<>();
        }
    };

    private static Object call(Object target, String method) throws ReflectiveOperationException {
        Map<String, Method> methods = METHODS.get(target.getClass());
        Method m = methods.get(method);
        if (m == null) {
            m = target.getClass().getMethod(method);
            methods.put(method, m);
        }
        return m.invoke(target, NO_ARGUMENTS);
    }

    /** No arguments, one array for every reflective call: a statement's check allocates none. */
    private static final Object[] NO_ARGUMENTS = {};

    /**
     * The embedded database's meta modification id ({@code Database.getModificationMetaId()}), which H2 moves on every
     * change of its schema objects by any session (and its own prepared commands compare to know they must be prepared
     * again), read in-process through the connection's session, with no query; {@link #UNKNOWN_META_ID} when it cannot
     * be read (a remote session, another driver beneath).
     */
    static long metaModificationId(Connection physical) {
        try {
            Object h2;
            if ("org.h2.jdbc.JdbcConnection".equals(physical.getClass().getName())) {
                h2 = physical;
            } else {
                Class<?> jdbcConnection = Class.forName("org.h2.jdbc.JdbcConnection", false, physical.getClass().getClassLoader());
                h2 = physical.unwrap(jdbcConnection);
            }
            Object session = call(h2, "getSession");
            if (!"org.h2.engine.SessionLocal".equals(session.getClass().getName())) {
                return UNKNOWN_META_ID;
            }
            Object id = call(call(session, "getDatabase"), "getModificationMetaId");
            return id instanceof Long l && l != UNKNOWN_META_ID ? l : UNKNOWN_META_ID;
        } catch (ReflectiveOperationException | SQLException | RuntimeException | LinkageError e) {
            LOG.debug("H2 meta modification id not readable ({}): the session is read again for every statement",
                    e.getClass().getSimpleName());
            return UNKNOWN_META_ID;
        }
    }

    /** The embedded session's schema search path (empty when none is set), or {@code null} when it cannot be read. */
    static List<String> searchPath(Connection physical) {
        try {
            Class<?> jdbcConnection = Class.forName("org.h2.jdbc.JdbcConnection", false, physical.getClass().getClassLoader());
            Object h2 = physical.unwrap(jdbcConnection);
            Object session = jdbcConnection.getMethod("getSession").invoke(h2);
            Method path = session.getClass().getMethod("getSchemaSearchPath");
            String[] schemas = (String[]) path.invoke(session);
            return schemas == null ? List.of() : Arrays.asList(schemas);
        } catch (ReflectiveOperationException | SQLException | RuntimeException | LinkageError e) {
            LOG.debug("H2 schema search path not readable ({}): names outside the current schema count as in any schema",
                    e.getClass().getSimpleName());
            return null;
        }
    }

    /** The foreign keys referencing a table (by the unique constraint they reference), with their rules. */
    private static final String REFERENCING = "SELECT tc.TABLE_SCHEMA, tc.TABLE_NAME, rc.DELETE_RULE, rc.UPDATE_RULE"
            + " FROM INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS rc"
            + " JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA"
            + "  AND tc.CONSTRAINT_NAME = rc.CONSTRAINT_NAME"
            + " JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS tu ON tu.CONSTRAINT_SCHEMA = rc.UNIQUE_CONSTRAINT_SCHEMA"
            + "  AND tu.CONSTRAINT_NAME = rc.UNIQUE_CONSTRAINT_NAME"
            + " WHERE tu.TABLE_SCHEMA = ? AND tu.TABLE_NAME = ?"
            + " ORDER BY 1, 2"; // one order, so that a refusal names the same table every time

    /** A table's (or view's) triggers: Java classes run with the session. */
    /** A row when a routine (an alias) or a trigger has a name in a schema: a call of it runs Java code. */
    private static final String STORED_ROUTINE = "SELECT 1 FROM (SELECT CAST(? AS VARCHAR) AS S, CAST(? AS VARCHAR) AS N) Q"
            + " WHERE EXISTS (SELECT 1 FROM INFORMATION_SCHEMA.ROUTINES R WHERE R.ROUTINE_SCHEMA = Q.S AND R.ROUTINE_NAME = Q.N)"
            + " OR EXISTS (SELECT 1 FROM INFORMATION_SCHEMA.TRIGGERS G WHERE G.TRIGGER_SCHEMA = Q.S AND G.TRIGGER_NAME = Q.N)";

    private static final String TRIGGERS = "SELECT TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_MANIPULATION"
            + " FROM INFORMATION_SCHEMA.TRIGGERS"
            + " WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ?";

    private static final class H2Reading implements Reading, RelationLocator {
        private final Dialect dialect;
        private final Supplier<Connection> connection;
        private final H2SearchPath names;
        /**
         * Per table name: schema → whether reading it runs no code (a base or temporary table, not a view), and
         * writing it none (no trigger, no column computed by an alias), as {@link #READ_PLAIN} and {@link #WRITE_PLAIN}.
         */
        private final Map<String, Map<String, Integer>> tables = new HashMap<>();
        /** Per view name: schema → its defining query. */
        private final Map<String, Map<String, String>> views = new HashMap<>();
        /** Per relation name, per schema holding one: what it is ({@link #kind}). */
        private final Map<String, Map<String, NameResolver.RelationKind>> kinds = new HashMap<>();

        /** Relations' columns, looked up when a statement's bound rests on them. */
        private final RelationColumns columns;

        /** What writing a table writes through foreign keys, looked up on its first write. */
        private final ReferentialActions referential;
        /** The triggers writing a table runs, looked up on its first write. */
        private final TableTriggers triggers;
        /** Whether a name called is a routine's (an alias) or a trigger's. */
        private final UserRoutines routines;

        H2Reading(Dialect dialect, Supplier<Connection> connection, String schema, List<String> searchPath, String mode) {
            this.dialect = dialect;
            this.connection = connection;
            this.columns = new RelationColumns(connection, COLUMNS);
            this.referential = new ReferentialActions(connection, REFERENCING);
            this.triggers = new TableTriggers(connection, null, TRIGGERS);
            this.routines = new UserRoutines(connection, STORED_ROUTINE);
            this.names = new H2SearchPath(schema, searchPath, this, mode, name -> modeRunsItsOwn(connection.get(), name));
        }

        @Override
        public List<CascadedWrite> cascadedWrites(String schema, String name, Action action) {
            return referential.of(schema, name, action);
        }

        @Override
        public List<TableRef> routinesRunOnWrite(String schema, String name) {
            return triggers.of(schema, name);
        }

        /**
         * The table's {@code SELECT} triggers, which a query of it runs: none for a table known to have none (looked up
         * with its name), else from {@code INFORMATION_SCHEMA.TRIGGERS}.
         */
        @Override
        public synchronized List<TableRef> routinesRunOnRead(String schema, String name) {
            return runsNoCode(new TableRef(schema, name), false) ? List.of() : triggers.of(schema, name, WriteEvents.SELECT);
        }

        /** The triggers of the table that fire on the write's events ({@code information_schema.TRIGGERS}). */
        @Override
        public List<TableRef> routinesRunOnWrite(String schema, String name, Action action, boolean upsert) {
            return triggers.of(schema, name, WriteEvents.of(action, upsert));
        }

        @Override
        public List<String> routineBodies(String schema, String name) {
            return routines.bodies(schema, name);
        }

        @Override
        public NameResolver names() {
            return names;
        }

        @Override
        public synchronized boolean runsNoCode(TableRef table, boolean write) {
            Map<String, Integer> holders = holders(table.name());
            Integer flags = holders == null ? null : holders.get(table.schema());
            return flags != null && (flags & (write ? WRITE_PLAIN : READ_PLAIN)) != 0;
        }

        @Override
        public Set<String> columns(String schema, String name) {
            return columns.of(schema, name);
        }

        @Override
        public String columnType(String schema, String name, String column) {
            return columns.typeOf(schema, name, column, false);
        }

        @Override
        public synchronized NameResolver.RelationKind relationKind(String schema, String name) {
            if (holders(name) == null) {
                return null;
            }
            Map<String, NameResolver.RelationKind> known = kinds.get(name);
            return known == null ? null : known.get(schema);
        }

        /** The lookup of the name failed (a view's definition is read with it). */
        @Override
        public synchronized boolean viewDefinitionUnknown(String schema, String name) {
            return holders(name) == null;
        }

        @Override
        public synchronized String viewDefinition(String schema, String name) {
            if (holders(name) == null) {
                return null;
            }
            Map<String, String> definitions = views.get(name);
            return definitions == null ? null : definitions.get(schema);
        }

        /**
         * The schemas holding a relation ({@link #schemasHolding}), a routine or a constant or domain of {@code name}
         * ({@link #NAMED}); {@code null} when either lookup failed.
         */
        @Override
        public synchronized Set<String> schemasNaming(String name) {
            Map<String, Integer> relations = holders(name);
            Connection physical = connection.get();
            if (relations == null || physical == null) {
                return null;
            }
            Set<String> schemas = new java.util.TreeSet<>(relations.keySet());
            try (PreparedStatement s = physical.prepareStatement(NAMED)) {
                for (int i = 1; i <= 3; i++) {
                    s.setString(i, name);
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        schemas.add(rs.getString(1));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Could not look up the schemas using a name ({}): any schema may", e.getClass().getSimpleName());
                return null;
            }
            return Set.copyOf(schemas);
        }

        @Override
        public synchronized Set<String> schemasHolding(String name) {
            Map<String, Integer> holders = holders(name);
            return holders == null ? null : new HashSet<>(holders.keySet());
        }

        /**
         * The schemas holding a relation of {@code name}, each with its flags, looked up once (as {@link #schemasHolding}
         * says); {@code null} when the lookup failed. The map kept, not a copy: for the questions that only ask whether the
         * lookup succeeded or read the flags ({@link #relationKind}, {@link #viewDefinition}, {@link #runsNoCode}), asked for
         * every column of every result.
         */
        private Map<String, Integer> holders(String name) {
            Map<String, Integer> holders = tables.get(name);
            if (holders == null) {
                Connection physical = connection.get();
                if (physical == null) {
                    return null;
                }
                holders = new HashMap<>();
                try (PreparedStatement s = physical.prepareStatement(TABLES)) {
                    s.setString(1, name);
                    s.setString(2, name);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            String type = rs.getString(3);
                            boolean table = type != null && type.contains("TABLE");
                            boolean written = table && rs.getLong(5) == 0
                                    && !SessionEffects.expressionMayLeaveSomething(rs.getString(7), dialect);
                            boolean read = table && rs.getLong(6) == 0;
                            holders.put(rs.getString(1), (read ? READ_PLAIN : 0) | (written ? WRITE_PLAIN : 0));
                            kinds.computeIfAbsent(name, n -> new HashMap<>()).put(rs.getString(1), kind(type, rs.getString(4)));
                            String definition = rs.getString(4);
                            if (definition != null) {
                                views.computeIfAbsent(name, n -> new HashMap<>()).put(rs.getString(1), definition);
                            }
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("Could not look up a table in INFORMATION_SCHEMA ({}): the name counts as in any schema",
                            e.getClass().getSimpleName());
                    return null; // not remembered: the next statement asks again
                }
                tables.put(name, holders);
            }
            return holders;
        }

        @Override
        public String toString() {
            return names.toString();
        }
    }
}
