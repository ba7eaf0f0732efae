package io.governed.jdbc.routines;

import io.governed.sql.Dialect;
import io.governed.sql.RoutineCatalog;
import io.governed.sql.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * PostgreSQL's own built-in routines, read from {@code pg_proc} once per database: functions in
 * {@code pg_catalog} created when the cluster was initialised (object id below 16384, so no extension
 * or user function, even one put into {@code pg_catalog}), whose every overload is immutable or stable
 * (so nothing with effects: {@code setval}, {@code pg_terminate_backend}, {@code lo_unlink} stay calls).
 * A call of one of them needs no {@code call} permission; their traits (file access, a role change)
 * are checked all the same.
 *
 * <p>Fails closed: when the catalog cannot be read, no routine beyond the analyser's own list is
 * taken for a built-in.
 */
public final class PostgresRoutineCatalog implements RoutineCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresRoutineCatalog.class);

    /** Object ids below this were made by initdb (PostgreSQL's FirstNormalObjectId). */
    private static final int FIRST_NORMAL_OBJECT_ID = 16384;
    /**
     * The built-ins: names of {@code pg_catalog} functions whose every overload initdb made, stable or immutable and
     * not security definer; and whether one of the overloads is not immutable (second column): a stable function may
     * read tables ({@code table_to_xml('schema.table', …)} reads the table its argument names), where the analysis
     * sees a value.
     */
    static final String QUERY = "SELECT p.proname, NOT pg_catalog.bool_and(p.provolatile OPERATOR(pg_catalog.=) 'i')"
            + " FROM pg_catalog.pg_proc p "
            + "JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace "
            + "WHERE n.nspname OPERATOR(pg_catalog.=) 'pg_catalog' "
            + "GROUP BY p.proname "
            + "HAVING pg_catalog.bool_and(p.oid OPERATOR(pg_catalog.<) " + FIRST_NORMAL_OBJECT_ID + " AND p.provolatile"
            + " OPERATOR(pg_catalog.=) ANY ('{i,s}'::pg_catalog.\"char\"[]) "
            + "AND NOT p.prosecdef)";

    private static final Map<String, RoutineCatalog> BY_DATABASE = new ConcurrentHashMap<>();

    private final Set<String> names;
    private final Set<String> tableReaders;

    PostgresRoutineCatalog(Set<String> names, Set<String> tableReaders) {
        this.names = Set.copyOf(names);
        this.tableReaders = Set.copyOf(tableReaders);
    }

    /**
     * Names of functions outside {@code pg_catalog} that are not part of an extension: user code, which
     * PostgreSQL may run for an unqualified call of a built-in of the same name (an overload of other
     * argument types wins whatever the search path's order; a listed name {@code pg_catalog} lacks is found
     * in the session's schemas).
     */
    static final String USER_FUNCTION_NAMES = "SELECT DISTINCT p.proname FROM pg_catalog.pg_proc p "
            + "JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace "
            + "WHERE n.nspname OPERATOR(pg_catalog.<>) 'pg_catalog' AND p.oid OPERATOR(pg_catalog.>=) " + FIRST_NORMAL_OBJECT_ID
            + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
            + "WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid"
            + " OPERATOR(pg_catalog.=) p.oid AND d.deptype OPERATOR(pg_catalog.=) 'e')";

    /**
     * Names of domains outside {@code pg_catalog} with a constraint, other than an extension's or the system's own
     * (initdb's {@code information_schema} domains, whose checks call no user code): a cast to one
     * ({@code 'x'::checked_text}) runs its CHECK, which may call any user function, where the analysis sees a cast.
     * A domain whose constraints depend on no object of the database's own but the domain itself (the server records
     * every function, operator and type a CHECK's expression resolved to: {@code CHECK (VALUE ~~ '%@%')} depends on
     * built-ins alone) and whose base type is a system type runs no user code and is not listed; one over a user type
     * (another domain, whose checks apply too) is, whatever its own constraints.
     */
    static final String CHECKED_DOMAIN_NAMES = "SELECT DISTINCT t.typname FROM pg_catalog.pg_type t "
            + "JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) t.typnamespace "
            + "WHERE n.nspname OPERATOR(pg_catalog.<>) 'pg_catalog' AND t.oid OPERATOR(pg_catalog.>=) " + FIRST_NORMAL_OBJECT_ID + " AND t.typtype OPERATOR(pg_catalog.=) 'd' "
            + "AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.contypid OPERATOR(pg_catalog.=) t.oid "
            + "AND (t.typbasetype OPERATOR(pg_catalog.>=) " + FIRST_NORMAL_OBJECT_ID + " OR EXISTS (SELECT 1 FROM"
            + " pg_catalog.pg_depend cd WHERE cd.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_constraint'::pg_catalog.regclass"
            + " AND cd.objid OPERATOR(pg_catalog.=) c.oid AND cd.refobjid OPERATOR(pg_catalog.>=) " + FIRST_NORMAL_OBJECT_ID
            + " AND NOT (cd.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_type'::pg_catalog.regclass"
            + " AND cd.refobjid OPERATOR(pg_catalog.=) t.oid)))) "
            + "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
            + "WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objid"
            + " OPERATOR(pg_catalog.=) t.oid AND d.deptype OPERATOR(pg_catalog.=) 'e')";

    /**
     * The object ids of the user types (not the system's, not an extension's) that a cast of the database's own code
     * converts from or to: {@code 'x'::wiped_code} runs the cast's user function where the analysis sees a cast, and
     * an implicit cast applies to a value of the type without naming it ({@code upper(code) FROM coded_items}), as
     * an explicit one to a system type does ({@code code::text}). What holds such a type is found from these
     * ({@link #HOLDING_TYPES}, {@link #NAMES_OF_TYPES_AND_THEIR_FUNCTIONS}); none in most databases.
     */
    static final String USER_CAST_TYPES = "SELECT DISTINCT t.oid::pg_catalog.text FROM pg_catalog.pg_cast c "
            + "JOIN pg_catalog.pg_type t ON (t.oid OPERATOR(pg_catalog.=) c.castsource OR t.oid OPERATOR(pg_catalog.=)"
            + " c.casttarget) "
            + "WHERE c.castfunc OPERATOR(pg_catalog.>=) " + FIRST_NORMAL_OBJECT_ID + " AND t.oid OPERATOR(pg_catalog.>=) " + FIRST_NORMAL_OBJECT_ID
            + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
            + "WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_cast'::pg_catalog.regclass AND d.objid"
            + " OPERATOR(pg_catalog.=) c.oid AND d.deptype OPERATOR(pg_catalog.=) 'e')";

    /**
     * The object ids of the types that directly hold one of {@code %1$s} (an {@code oid[]} literal): a domain over it,
     * an array of it, a range of it, a composite type with an attribute of it (every table, view or other relation
     * has one, its row type). Followed until nothing new is found, one level per query: a recursive query over the
     * catalog was planned expensively enough for PostgreSQL to compile it at every reading.
     */
    static final String HOLDING_TYPES = "SELECT ty.oid::pg_catalog.text FROM pg_catalog.pg_type ty "
            + "WHERE ty.typbasetype OPERATOR(pg_catalog.=) ANY(%1$s) OR ty.typelem OPERATOR(pg_catalog.=) ANY(%1$s) "
            + "OR ty.typrelid OPERATOR(pg_catalog.=) ANY (SELECT a.attrelid FROM pg_catalog.pg_attribute a "
            + "WHERE a.atttypid OPERATOR(pg_catalog.=) ANY(%1$s) AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT"
            + " a.attisdropped) "
            + "OR ty.oid OPERATOR(pg_catalog.=) ANY (SELECT g.rngtypid FROM pg_catalog.pg_range g WHERE g.rngsubtype"
            + " OPERATOR(pg_catalog.=) ANY(%1$s))";

    /**
     * The names of the types {@code %1$s} (an {@code oid[]} literal) and of the functions returning one or having an
     * output argument of one: a statement naming any of them (a type in a cast, a relation, a function whose result a
     * cast may convert) may run a cast's user function.
     */
    static final String NAMES_OF_TYPES_AND_THEIR_FUNCTIONS = "SELECT ty.typname FROM pg_catalog.pg_type ty "
            + "WHERE ty.oid OPERATOR(pg_catalog.=) ANY(%1$s) UNION SELECT p.proname FROM pg_catalog.pg_proc p "
            + "WHERE p.prorettype OPERATOR(pg_catalog.=) ANY(%1$s) OR p.proallargtypes OPERATOR(pg_catalog.&&) %1$s";

    /**
     * The casts of user code between two of the system's types ({@code integer} to {@code text}), as
     * {@code source -> target (function)}, other than an extension's: only a superuser can make one, and the database
     * may run it wherever it converts between those types, which a statement need not name.
     */
    static final String USER_CASTS_BETWEEN_SYSTEM_TYPES = "SELECT c.castsource::pg_catalog.regtype::pg_catalog.text"
            + " OPERATOR(pg_catalog.||) ' -> ' "
            + "OPERATOR(pg_catalog.||) c.casttarget::pg_catalog.regtype::pg_catalog.text OPERATOR(pg_catalog.||) ' ('"
            + " OPERATOR(pg_catalog.||) c.castfunc::pg_catalog.regproc::pg_catalog.text OPERATOR(pg_catalog.||) ')' "
            + "FROM pg_catalog.pg_cast c WHERE c.castfunc OPERATOR(pg_catalog.>=) " + FIRST_NORMAL_OBJECT_ID
            + " AND c.castsource OPERATOR(pg_catalog.<) " + FIRST_NORMAL_OBJECT_ID + " AND c.casttarget"
            + " OPERATOR(pg_catalog.<) " + FIRST_NORMAL_OBJECT_ID
            + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
            + "WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_cast'::pg_catalog.regclass AND d.objid"
            + " OPERATOR(pg_catalog.=) c.oid AND d.deptype OPERATOR(pg_catalog.=) 'e')";

    /**
     * Symbols of operators outside {@code pg_catalog} that are not part of an extension: an operator is chosen by
     * its operands' types among every schema's on the search path, so {@code public.^(text, integer)} runs user
     * code for {@code 'a'::text ^ 1}, where the analysis sees arithmetic.
     */
    static final String USER_OPERATOR_SYMBOLS = "SELECT DISTINCT o.oprname FROM pg_catalog.pg_operator o "
            + "JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) o.oprnamespace "
            + "WHERE n.nspname OPERATOR(pg_catalog.<>) 'pg_catalog' AND o.oid OPERATOR(pg_catalog.>=) " + FIRST_NORMAL_OBJECT_ID
            + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
            + "WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_operator'::pg_catalog.regclass AND d.objid"
            + " OPERATOR(pg_catalog.=) o.oid AND d.deptype OPERATOR(pg_catalog.=) 'e')";

    /**
     * What the shadowing reading asks, in one query and so one round trip, not one per kind: rows of a kind
     * ({@code f} {@link #USER_FUNCTION_NAMES}, {@code d} {@link #CHECKED_DOMAIN_NAMES}, {@code c} {@link #USER_CAST_TYPES},
     * {@code s} {@link #USER_CASTS_BETWEEN_SYSTEM_TYPES}, {@code o} {@link #USER_OPERATOR_SYMBOLS}) and a value of that
     * query's. One statement, so all five kinds are read from one snapshot of the catalog.
     */
    static final String SHADOWING = "SELECT 'f'::pg_catalog.text, f.v::pg_catalog.text FROM (" + USER_FUNCTION_NAMES + ") f(v)"
            + " UNION ALL SELECT 'd'::pg_catalog.text, d.v::pg_catalog.text FROM (" + CHECKED_DOMAIN_NAMES + ") d(v)"
            + " UNION ALL SELECT 'c'::pg_catalog.text, c.v::pg_catalog.text FROM (" + USER_CAST_TYPES + ") c(v)"
            + " UNION ALL SELECT 's'::pg_catalog.text, s.v::pg_catalog.text FROM (" + USER_CASTS_BETWEEN_SYSTEM_TYPES + ") s(v)"
            + " UNION ALL SELECT 'o'::pg_catalog.text, o.v::pg_catalog.text FROM (" + USER_OPERATOR_SYMBOLS + ") o(v)";

    /**
     * The catalog of the database {@code raw} is connected to: its built-ins read once per database URL,
     * then shared, and the built-in names its user functions shadow, read at most once a second per database URL
     * and shared too; {@link RoutineCatalog#NONE} for other dialects.
     *
     * @throws SQLException (08001) when the user functions cannot be read; {@code raw} is closed then
     */
    public static RoutineCatalog of(Connection raw, Dialect dialect) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            return RoutineCatalog.NONE;
        }
        try {
            return shadowed(raw, null);
        } catch (SQLException | RuntimeException e) {
            SQLException refused = new SQLException("Connection refused: " + e.getMessage(), "08001", e);
            try {
                raw.close();
            } catch (SQLException closing) {
                refused.addSuppressed(closing);
            }
            throw refused;
        }
    }

    /**
     * {@code catalog}, or, when it is a reading of what user code shadows made more than a second ago and
     * {@code idle} says the session is outside a transaction (so a catalog query disturbs nothing), the database's
     * reading now: a connection kept open sees a function, operator, domain or cast created since it opened. The
     * reading is the same object as long as nothing in it changed, so the decisions remembered under it stay valid.
     * Cheap when nothing is due: a type test and a clock read.
     *
     * @throws SQLException (08001) when the catalog cannot be read; the connection stays open
     */
    public static RoutineCatalog current(RoutineCatalog catalog, Connection raw, java.util.function.BooleanSupplier idle)
            throws SQLException {
        return current(catalog, raw, idle, agesWithTime(catalog) ? System.nanoTime() : 0);
    }

    /**
     * {@link #current(RoutineCatalog, Connection, java.util.function.BooleanSupplier)} at {@code nowNanos}
     * ({@link System#nanoTime}), a time the caller read for other uses too; it must be read when {@link
     * #agesWithTime} says so (it is not looked at otherwise).
     */
    public static RoutineCatalog current(RoutineCatalog catalog, Connection raw, java.util.function.BooleanSupplier idle,
                                         long nowNanos) throws SQLException {
        if (!due(catalog, nowNanos) || !idle.getAsBoolean() || transactionOpenOnServer(raw)) {
            return catalog;
        }
        return shadowed(raw, (ShadowedBuiltIns) catalog);
    }

    /**
     * {@code catalog}, or, when it is a reading of what user code shadows made before {@code sinceNanos}
     * ({@link System#nanoTime}), a reading made now, inside the application's transaction too (under a savepoint,
     * {@link io.governed.jdbc.session.CatalogQuery#leavingTheTransaction}): for a statement of a caller the policy limits,
     * which must not take a function made a moment ago ({@code public.lower(int)} beside {@code pg_catalog.lower(text)})
     * for the built-in. The database's shared reading is replaced by it when newer.
     *
     * @throws SQLException when the catalog cannot be read: the statement must not run
     */
    public static RoutineCatalog readSince(RoutineCatalog catalog, Connection raw, long sinceNanos) throws SQLException {
        if (!(catalog instanceof ShadowedBuiltIns known) || known.readAt() - sinceNanos >= 0) {
            return catalog;
        }
        String url = urlOf(raw);
        SharedReading shared = url == null ? null : SHARED.get(url);
        ShadowedBuiltIns latest = shared == null ? null : shared.latest;
        if (latest != null && latest.readAt() - sinceNanos >= 0) {
            return latest; // another connection read it since the statement began
        }
        long now = System.nanoTime();
        // inside a transaction under a savepoint set and released in the query's own round trip
        ShadowedBuiltIns read;
        try {
            read = io.governed.jdbc.session.CatalogQuery.leavingTheTransaction(raw, SHADOWING, s -> {
            }, s -> {
                Map<String, List<String>> rows = new java.util.HashMap<>();
                try (ResultSet rs = s.getResultSet()) {
                    valuesByKind(rs, rows);
                }
                return of(raw, url, now, rows, known, latest, true);
            });
        } catch (SQLException | RuntimeException e) {
            // an aborted transaction (25P02: nothing is run in it) refuses the statement as the database would
            throw e instanceof SQLException q && ("08001".equals(q.getSQLState()) || "25P02".equals(q.getSQLState())) ? q
                    : ShadowedBuiltIns.unreadable(e);
        }
        share(shared, read);
        return read;
    }

    /** The text of the one query reading the database's user code under built-in names ({@link #SHADOWING}). */
    public static String userCodeQuery() {
        return SHADOWING;
    }

    /**
     * {@code catalog} brought up to what {@link #userCodeQuery()} returned through {@code raw} at {@code readAtNanos}
     * ({@link System#nanoTime}, taken before it was sent), {@code rows} per kind: a reading made then, for a statement of
     * a caller the policy limits, as {@link #readSince} makes one (the same reading object when nothing changed; the
     * database's shared reading replaced when this one is newer). {@code catalog} itself when it is no reading of
     * user code. A cast of user code, whose types are followed by further queries, has them run as
     * {@link io.governed.jdbc.session.CatalogQuery#leavingTheTransaction} runs them.
     *
     * @throws SQLException (08001) when what the rows tell refuses the statement (a cast of user code between two
     *                      system types), or the further queries fail
     */
    public static RoutineCatalog readFrom(RoutineCatalog catalog, Connection raw, long readAtNanos,
                                          Map<String, List<String>> rows) throws SQLException {
        if (!(catalog instanceof ShadowedBuiltIns known)) {
            return catalog;
        }
        String url = urlOf(raw);
        SharedReading shared = url == null ? null : SHARED.get(url);
        ShadowedBuiltIns latest = shared == null ? null : shared.latest;
        ShadowedBuiltIns read = of(raw, url, readAtNanos, rows, known, latest, false);
        share(shared, read);
        return read;
    }

    /**
     * The reading {@code rows} make ({@link ShadowedBuiltIns#of}); when it must query further (the built-ins not read
     * yet for {@code url}, or a cast of user code to follow), those queries run as {@code followUp}
     * ({@link io.governed.jdbc.session.CatalogQuery#followUp}: while a batched query's results are read) or else as
     * {@link io.governed.jdbc.session.CatalogQuery#leavingTheTransaction} runs them.
     */
    private static ShadowedBuiltIns of(Connection raw, String url, long now, Map<String, List<String>> rows,
                                       ShadowedBuiltIns known, ShadowedBuiltIns latest, boolean followUp)
            throws SQLException {
        if (!ShadowedBuiltIns.queriesFurther(rows) && (url == null || BY_DATABASE.containsKey(url))) {
            return ShadowedBuiltIns.of(raw, builtInsOf(raw, url), now, rows, known, latest);
        }
        io.governed.jdbc.session.CatalogQuery.Work<ShadowedBuiltIns> work =
                p -> ShadowedBuiltIns.of(p, builtInsOf(p, url), now, rows, known, latest);
        return followUp ? io.governed.jdbc.session.CatalogQuery.followUp(raw, work)
                : io.governed.jdbc.session.CatalogQuery.leavingTheTransaction(raw, work);
    }

    /** {@code read} made the database's shared reading when it is newer than the one shared. */
    private static void share(SharedReading shared, ShadowedBuiltIns read) {
        if (shared != null) {
            shared.reading.lock();
            try {
                if (shared.latest == null || shared.latest.readAt() - read.readAt() < 0) {
                    shared.latest = read;
                }
            } finally {
                shared.reading.unlock();
            }
        }
    }

    /**
     * Whether {@link #readSince} would read {@code catalog} anew for {@code sinceNanos} through {@code raw}: it is a
     * reading of user code made before then, and no connection of the database read it since.
     */
    public static boolean dueSince(RoutineCatalog catalog, Connection raw, long sinceNanos) {
        if (!(catalog instanceof ShadowedBuiltIns known) || known.readAt() - sinceNanos >= 0) {
            return false;
        }
        String url = urlOf(raw);
        SharedReading shared = url == null ? null : SHARED.get(url);
        ShadowedBuiltIns latest = shared == null ? null : shared.latest;
        return latest == null || latest.readAt() - sinceNanos < 0;
    }

    /**
     * Whether pgjdbc says a transaction is open on {@code raw}'s session ({@code BaseConnection.getTransactionState()}
     * other than {@code IDLE}): work the governed connection did not see run may be in it (rows loaded through the COPY
     * API of the unwrapped connection), which the reading's rollback would undo. False when it cannot be told: then the
     * governed connection's own count of what ran decides.
     */
    static boolean transactionOpenOnServer(Connection raw) {
        String state = transactionState(raw);
        return state != null && !"IDLE".equals(state);
    }

    /**
     * pgjdbc's {@code BaseConnection.getTransactionState()} of {@code raw}'s session ({@code IDLE}, {@code OPEN},
     * {@code FAILED}), kept by the driver from the server's replies (no query); {@code null} when it cannot be asked
     * (another driver beneath, or a wrapper that does not unwrap to pgjdbc's connection).
     */
    public static String transactionState(Connection raw) {
        try {
            Class<?> base = baseConnection(raw);
            if (base == null || !raw.isWrapperFor(base)) {
                return null;
            }
            return String.valueOf(base.getMethod("getTransactionState").invoke(raw.unwrap(base)));
        } catch (SQLException | ReflectiveOperationException | RuntimeException | LinkageError unknown) {
            return null;
        }
    }

    /**
     * pgjdbc's {@code BaseConnection}, as the class loader of {@code raw}'s class, of the thread or of this driver finds
     * it: a {@code java.lang.reflect.Proxy} of {@link Connection} alone is defined in the loader of {@code java.sql},
     * which cannot find pgjdbc, though it unwraps to pgjdbc's connection; {@code null} when none finds it.
     */
    private static Class<?> baseConnection(Connection raw) {
        ClassLoader[] loaders = {raw.getClass().getClassLoader(), Thread.currentThread().getContextClassLoader(),
                PostgresRoutineCatalog.class.getClassLoader()};
        for (ClassLoader loader : loaders) {
            if (loader == null) {
                continue;
            }
            try {
                return Class.forName("org.postgresql.core.BaseConnection", false, loader);
            } catch (ClassNotFoundException | LinkageError notThere) {
                // the next loader
            }
        }
        return null;
    }

    /** Whether {@link #current} needs the time to tell whether {@code catalog} is due to be read again. */
    public static boolean agesWithTime(RoutineCatalog catalog) {
        return catalog instanceof ShadowedBuiltIns;
    }

    /**
     * Whether {@code catalog} is due to be read again at {@code nowNanos}, when its session is outside a transaction:
     * {@link #current} may then query the database (and wait for another connection's reading), so a time read before
     * it is no longer the time after it.
     */
    public static boolean due(RoutineCatalog catalog, long nowNanos) {
        return catalog instanceof ShadowedBuiltIns read && nowNanos - read.readAt() >= SHADOWED_MAXIMUM_AGE_NANOS;
    }

    /**
     * The reading shared for {@code raw}'s database URL while it is young enough, else a new one ({@code previous} when
     * unchanged). One connection of a database reads at a time: the pool's other connections, finding the shared
     * reading due at about the same moment (each at the start of its next transaction), wait for that one's reading
     * instead of each running the same catalog queries at once.
     */
    private static ShadowedBuiltIns shadowed(Connection raw, ShadowedBuiltIns previous) throws SQLException {
        String url = urlOf(raw);
        if (url == null) {
            return ShadowedBuiltIns.read(raw, builtInsOf(raw, null), System.nanoTime(), previous);
        }
        SharedReading shared = SHARED.computeIfAbsent(url, u -> new SharedReading());
        ShadowedBuiltIns known = shared.youngEnough();
        if (known != null) {
            return known;
        }
        shared.reading.lock();
        try {
            known = shared.youngEnough(); // read by another connection while this one waited
            if (known != null) {
                return known;
            }
            ShadowedBuiltIns read = ShadowedBuiltIns.read(raw, builtInsOf(raw, url), System.nanoTime(), previous,
                    shared.latest);
            shared.latest = read;
            return read;
        } finally {
            shared.reading.unlock();
        }
    }

    /**
     * How long what user code shadows is taken as read for a database: a pool's borrowings (each a governed
     * connection) share one reading instead of a catalog query each, and a connection kept open reads again
     * after that time, when outside a transaction.
     */
    private static final long SHADOWED_MAXIMUM_AGE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    /** What user code shadows, as read for a database URL, shared by the connections to it. */
    private static final Map<String, SharedReading> SHARED = new ConcurrentHashMap<>();

    /** One database's shared reading and the lock held by the one connection reading it anew. */
    private static final class SharedReading {
        final ReentrantLock reading = new ReentrantLock();
        /** The last reading, or {@code null} before the first; written under {@link #reading}. */
        volatile ShadowedBuiltIns latest;

        /** The last reading when it is less than {@link #SHADOWED_MAXIMUM_AGE_NANOS} old, else {@code null}. */
        ShadowedBuiltIns youngEnough() {
            ShadowedBuiltIns known = latest;
            return known != null && System.nanoTime() - known.readAt() < SHADOWED_MAXIMUM_AGE_NANOS ? known : null;
        }
    }

    /**
     * The database's URL as the driver gives it: the key under which what is read of a database's catalog is shared
     * between its connections in this process; {@code null} when the driver cannot say (then nothing is shared).
     */
    public static String urlOf(Connection raw) {
        try {
            return raw.getMetaData().getURL();
        } catch (SQLException | RuntimeException e) {
            return null; // read afresh, not shared
        }
    }

    /** The built-ins of the database at {@code url} ({@link #urlOf}; {@code null} when it could not be told). */
    static RoutineCatalog builtInsOf(Connection raw, String url) {
        if (url == null) {
            LOG.warn("Cannot tell which PostgreSQL database this is; only the analyser's list of built-in routines applies");
            return RoutineCatalog.NONE;
        }
        RoutineCatalog known = BY_DATABASE.get(url);
        if (known != null) {
            return known;
        }
        RoutineCatalog read = read(raw);
        if (read != RoutineCatalog.NONE) {
            BY_DATABASE.putIfAbsent(url, read);
        }
        return read;
    }

    /** Reads the built-ins through {@code raw}; {@link RoutineCatalog#NONE} when that fails. */
    static RoutineCatalog read(Connection raw) {
        try {
            Set<String> names = new HashSet<>();
            Set<String> tableReaders = new HashSet<>();
            eachRow(raw, QUERY, row -> {
                names.add(row.getString(1));
                if (row.getBoolean(2)) {
                    tableReaders.add(row.getString(1));
                }
            });
            return new PostgresRoutineCatalog(names, tableReaders);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Could not read PostgreSQL's built-in routines from pg_proc ({}); calls of routines off the "
                    + "analyser's own list need a 'call' permission", e.toString());
            return RoutineCatalog.NONE;
        }
    }

    /**
     * The first column of {@code query}'s rows, read through {@code raw}, which is left as the application expects a
     * new session: no transaction begun.
     */
    static List<String> firstColumn(Connection raw, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        eachRow(raw, query, row -> values.add(row.getString(1)));
        return values;
    }

    /**
     * The rows of {@code query}, whose two columns are a kind and a value, read through {@code raw} as
     * {@link #firstColumn} reads: per kind, its values.
     */
    static Map<String, List<String>> valuesByKind(Connection raw, String query) throws SQLException {
        Map<String, List<String>> values = new java.util.HashMap<>();
        eachRow(raw, query, row -> valueByKind(row, values));
        return values;
    }

    /** Every row of {@code rs} (a kind, a value: {@link #SHADOWING}'s, {@link #userCodeQuery()}'s) into {@code values}. */
    public static void valuesByKind(ResultSet rs, Map<String, List<String>> values) throws SQLException {
        while (rs.next()) {
            valueByKind(rs, values);
        }
    }

    private static void valueByKind(ResultSet row, Map<String, List<String>> values) throws SQLException {
        values.computeIfAbsent(row.getString(1), k -> new ArrayList<>()).add(row.getString(2));
    }

    /** One row of a catalog query, read. */
    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    /**
     * Runs {@code query} through {@code raw} and hands each row to {@code reader}; no transaction is left begun. The
     * query is prepared, not sent as a plain statement: once the driver prepares it on the server (pgjdbc's
     * {@code prepareThreshold}), the server keeps its plan for the connection (a statement without parameters has one)
     * instead of planning it at every reading.
     */
    private static void eachRow(Connection raw, String query, RowReader reader) throws SQLException {
        // outside auto-commit the query begins a transaction, ended here; one the application began (a reading of a
        // statement inside it, under a savepoint: readSince) is left as it is
        boolean inTransaction = !raw.getAutoCommit() && !transactionOpenOnServer(raw)
                && !io.governed.jdbc.session.CatalogQuery.underTheApplicationsTransaction(raw);
        try (PreparedStatement statement = raw.prepareStatement(query); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                reader.read(rows);
            }
        } finally {
            if (inTransaction) {
                raw.rollback();
            }
        }
    }

    /** Unqualified or in {@code pg_catalog}, and a stable or immutable initdb function of that exact name. */
    @Override
    public boolean isBuiltIn(TableRef routine) {
        return (routine.schema() == null || routine.schema().equals("pg_catalog")) && names.contains(routine.name());
    }

    /**
     * A built-in with an overload that is not immutable (a stable one), which may read tables, unless it is on the
     * analyser's maintained list (functions of values and of the session, reviewed one by one: {@code to_tsvector},
     * {@code obj_description}, {@code current_setting}).
     */
    @Override
    public boolean mayReadTables(TableRef routine) {
        return isBuiltIn(routine) && tableReaders.contains(routine.name())
                && !io.governed.sql.BuiltInRoutines.of(Dialect.POSTGRESQL).isBuiltIn(routine);
    }

    /** How many routine names it knows. */
    public int size() {
        return names.size();
    }
}
