package io.governed.jdbc.routines;

import io.governed.sql.BuiltInRoutines;
import io.governed.sql.Dialect;
import io.governed.sql.RoutineCatalog;
import io.governed.sql.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL connection's routine catalog: the database's built-ins, and the built-in names that user
 * functions of the database shadow. PostgreSQL does not hide a user function behind a built-in of the same
 * name: {@code public.initcap(int)} beside {@code pg_catalog.initcap(text)} is chosen for {@code initcap(1)}
 * by its argument type, whatever the search path's order, and a name on the analyser's list that
 * {@code pg_catalog} lacks ({@code nvl}) is a user function wherever it is found. The analysis takes an
 * unqualified call of a listed name for the built-in (no {@code call} permission, its result derived from
 * its arguments alone), so a statement that names a shadowed built-in anywhere in its text (a call, or
 * text that might be read as one) is refused, unless the name is qualified with {@code pg_catalog}. Operators
 * are chosen the same way ({@code public.^(text, integer)} runs for {@code 'a'::text ^ 1}), so a statement in
 * which a run of operator characters holds the symbol of an operator outside {@code pg_catalog} is refused too,
 * and so is one naming a domain with a constraint ({@code 'x'::checked_text} runs its CHECK, which may call
 * any user function), a user type a cast of user code converts from or to, or anything holding a value of such a
 * type: a relation with a column of it (an implicit cast applies there unnamed), a domain, array or composite type
 * over it, a function returning it. A cast of user code between two system types refuses the connection.
 *
 * <p>Read when the connection opens, and again by a connection kept open once its reading is a second old and it is
 * outside a transaction ({@link PostgresRoutineCatalog#current}); when the catalog cannot be read the connection is
 * refused, or the statement about to run.
 */
final class ShadowedBuiltIns implements RoutineCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowedBuiltIns.class);

    /** Ends with {@code pg_catalog.} (either part quoted or not, blanks around the dot). */
    private static final Pattern SYSTEM_QUALIFIER = Pattern.compile("(?i)(?:pg_catalog|\"pg_catalog\")\\s*\\.\\s*\\z");

    /** The characters PostgreSQL builds operators of. */
    private static final Pattern OPERATOR_RUN = Pattern.compile("[-+*/<>=~!@#%^&|`?]+");

    private final RoutineCatalog builtIns;
    private final List<String> shadowed;
    private final Pattern names;
    private final List<String> operators;
    private volatile long readAt;

    ShadowedBuiltIns(RoutineCatalog builtIns, List<String> shadowed) {
        this(builtIns, shadowed, List.of());
    }

    ShadowedBuiltIns(RoutineCatalog builtIns, List<String> shadowed, List<String> operators) {
        this(builtIns, shadowed, operators, System.nanoTime());
    }

    private ShadowedBuiltIns(RoutineCatalog builtIns, List<String> shadowed, List<String> operators, long readAt) {
        this.builtIns = builtIns;
        this.operators = List.copyOf(operators);
        this.shadowed = List.copyOf(shadowed);
        this.readAt = readAt;
        this.names = shadowed.isEmpty() ? null : Pattern.compile("(?<![\\p{L}_])(?:"
                + String.join("|", shadowed.stream().map(Pattern::quote).toList()) + ")(?![\\p{L}\\p{N}_$])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /**
     * What user code of the database {@code raw} is connected to shadows, read now ({@code now}, a
     * {@link System#nanoTime()}): the first of {@code earlier} (readings, or {@code null}s) that read the same, marked
     * as read again, so that decisions remembered under it stay valid; else a new reading.
     *
     * @throws SQLException (08001) when it cannot be read, or when the database holds a cast of user code between two
     *                      system types; {@code raw} is left open
     */
    static ShadowedBuiltIns read(Connection raw, RoutineCatalog builtIns, long now, ShadowedBuiltIns... earlier)
            throws SQLException {
        Map<String, List<String>> read;
        try {
            read = PostgresRoutineCatalog.valuesByKind(raw, PostgresRoutineCatalog.SHADOWING);
        } catch (SQLException | RuntimeException e) {
            throw unreadable(e);
        }
        return of(raw, builtIns, now, read, earlier);
    }

    /**
     * As {@link #read}, from {@code rows}, what {@link PostgresRoutineCatalog#SHADOWING} returned at {@code now}, per
     * kind: the types a cast of user code reaches are followed through {@code raw} (queries only when such a cast
     * exists, {@link #queriesFurther}).
     */
    static ShadowedBuiltIns of(Connection raw, RoutineCatalog builtIns, long now, Map<String, List<String>> rows,
                               ShadowedBuiltIns... earlier) throws SQLException {
        Map<String, List<String>> read = columns(rows);
        List<String> shadowed = names(raw, builtIns, read);
        List<String> operators = read.get("o");
        for (ShadowedBuiltIns reading : earlier) {
            if (reading != null && reading.builtIns == builtIns && reading.shadowed.equals(shadowed)
                    && reading.operators.equals(operators)) {
                reading.readAt = now;
                return reading;
            }
        }
        return new ShadowedBuiltIns(builtIns, shadowed, operators, now);
    }

    /** When this was read (or last found unchanged), as a {@link System#nanoTime()}. */
    long readAt() {
        return readAt;
    }

    /**
     * The built-in names ({@link BuiltInRoutines}' list for PostgreSQL, or {@code builtIns}) that a function
     * outside {@code pg_catalog}, other than an extension's, also has; the checked domains; and the names a user
     * cast reaches.
     */
    private static List<String> names(Connection raw, RoutineCatalog builtIns, Map<String, List<String>> read)
            throws SQLException {
        BuiltInRoutines listed = BuiltInRoutines.of(Dialect.POSTGRESQL);
        List<String> shadowed = new ArrayList<>();
        for (String name : read.get("f")) {
            TableRef unqualified = new TableRef(null, name);
            if (listed.isBuiltIn(unqualified) || builtIns.isBuiltIn(unqualified)) {
                shadowed.add(name.toLowerCase(Locale.ROOT));
            }
        }
        for (String domain : read.get("d")) {
            shadowed.add(domain.toLowerCase(Locale.ROOT)); // a cast to it runs its CHECK
        }
        for (String name : reachedByUserCasts(raw, read.get("c"))) {
            shadowed.add(name.toLowerCase(Locale.ROOT)); // a cast to or from it (or a value it holds) runs user code
        }
        List<String> systemCasts = read.get("s");
        if (!systemCasts.isEmpty()) {
            SQLException refusal = new SQLException("the database holds a cast of user code "
                    + "between two of PostgreSQL's own types (" + String.join(", ", systemCasts) + "), which it may run "
                    + "wherever it converts between them, with nothing in the statement naming it; drop the cast "
                    + "through a connection that is not governed (DROP CAST (source AS target)), or make it part of an "
                    + "extension", "08001");
            LOG.warn("{}", refusal.getMessage());
            throw refusal;
        }
        shadowed.sort(null); // the same reading in the same order, whatever order the catalog returned
        return shadowed;
    }

    /**
     * The names of the types {@code castTypes} (object ids) and of every type holding one, followed level by level,
     * and of the functions returning one: nothing to read when no cast of user code exists.
     */
    private static List<String> reachedByUserCasts(Connection raw, List<String> castTypes) throws SQLException {
        if (castTypes.isEmpty()) {
            return List.of();
        }
        java.util.Set<Long> reached = new java.util.TreeSet<>();
        List<Long> level = new ArrayList<>();
        for (String oid : castTypes) {
            level.add(Long.parseLong(oid));
        }
        while (!level.isEmpty()) {
            reached.addAll(level);
            List<Long> next = new ArrayList<>();
            for (String oid : column(raw, String.format(Locale.ROOT, PostgresRoutineCatalog.HOLDING_TYPES, oids(level)))) {
                long type = Long.parseLong(oid);
                if (!reached.contains(type) && !next.contains(type)) {
                    next.add(type);
                }
            }
            level = next;
        }
        return column(raw, String.format(Locale.ROOT, PostgresRoutineCatalog.NAMES_OF_TYPES_AND_THEIR_FUNCTIONS,
                oids(reached)));
    }

    /** An {@code oid[]} literal of {@code oids}, object ids the catalog gave. */
    private static String oids(java.util.Collection<Long> oids) {
        StringBuilder literal = new StringBuilder("'{");
        for (Long oid : oids) {
            literal.append(literal.length() > 2 ? "," : "").append(oid.longValue());
        }
        return literal.append("}'::pg_catalog.oid[]").toString();
    }

    /**
     * What user code the catalog holds, by kind ({@link PostgresRoutineCatalog#SHADOWING}, one query): the user
     * functions' names ({@code f}), the checked domains' ({@code d}), the types of user casts ({@code c}), the user casts
     * between system types ({@code s}), the user operators' symbols ({@code o}); every kind, its values sorted.
     *
     * @throws SQLException (08001) when they cannot be read
     */
    private static Map<String, List<String>> columns(Map<String, List<String>> read) {
        Map<String, List<String>> byKind = new java.util.HashMap<>();
        for (String kind : List.of("f", "d", "c", "s", "o")) {
            List<String> values = new ArrayList<>(read.getOrDefault(kind, List.of()));
            values.sort(null);
            byKind.put(kind, values);
        }
        return byKind;
    }

    /** Whether {@link #of} queries the database for {@code rows}: a cast of user code exists, whose types it follows. */
    static boolean queriesFurther(Map<String, List<String>> rows) {
        List<String> casts = rows.get("c");
        return casts != null && !casts.isEmpty();
    }

    /** The refusal of a connection whose catalog could not be read, logged. */
    static SQLException unreadable(Exception e) {
        LOG.warn("Could not read PostgreSQL's user functions and operators from the catalog ({}); refused",
                e.toString());
        return new SQLException("the database's user functions and operators could not be read from pg_catalog, so "
                + "calls of built-ins they may shadow cannot be told from theirs; let the connecting role read "
                + "pg_catalog", "08001", e);
    }

    /**
     * The first column of {@code query}'s rows ({@link PostgresRoutineCatalog#firstColumn}).
     *
     * @throws SQLException (08001) when they cannot be read
     */
    private static List<String> column(Connection raw, String query) throws SQLException {
        try {
            List<String> values = PostgresRoutineCatalog.firstColumn(raw, query);
            values.sort(null);
            return values;
        } catch (SQLException | RuntimeException e) {
            throw unreadable(e);
        }
    }

    @Override
    public boolean isBuiltIn(TableRef routine) {
        return builtIns.isBuiltIn(routine) && !shadowed.contains(routine.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean mayReadTables(TableRef routine) {
        return isBuiltIn(routine) && builtIns.mayReadTables(routine);
    }

    @Override
    public String shadowedBuiltInIn(String sql) {
        if (!operators.isEmpty()) {
            Matcher run = OPERATOR_RUN.matcher(sql);
            while (run.find()) {
                for (String symbol : operators) {
                    if (run.group().contains(symbol)) {
                        return symbol;
                    }
                }
            }
        }
        if (names == null) {
            return null;
        }
        Matcher m = names.matcher(sql);
        while (m.find()) {
            if (!SYSTEM_QUALIFIER.matcher(sql.substring(Math.max(0, m.start() - 40), m.start())).find()) {
                return m.group().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }
}
