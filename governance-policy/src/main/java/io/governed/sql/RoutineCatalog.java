package io.governed.sql;

/**
 * Tells built-in routines of a database from user code. A call of a routine that is not built in is
 * a {@code call} on that routine, which a policy must permit, because its body runs SQL the analysis
 * never sees; a built-in routine needs no permission (the traits of the risky ones, file access and
 * the like, are checked on their own).
 *
 * <p>{@link BuiltInRoutines} is the maintained list per dialect, applied while a statement is
 * analysed; a catalog read from the database (PostgreSQL's {@code pg_proc}, say) can recognise more
 * built-ins when the decision is made. An implementation must fail closed: answer {@code true} only
 * for a routine it knows runs no user code and changes nothing.
 */
@FunctionalInterface
public interface RoutineCatalog {

    /** A catalog that knows no built-in beyond the analyser's list: every other routine call is a {@code call}. */
    RoutineCatalog NONE = routine -> false;

    /**
     * Whether {@code routine} (schema as written, {@code null} when unqualified; name as the database
     * stores it) is a built-in that runs no user code and has no effect beyond its result.
     */
    boolean isBuiltIn(TableRef routine);

    /**
     * Whether {@code routine}, a built-in by {@link #isBuiltIn}, may read tables' rows the analysis cannot see (PostgreSQL's
     * {@code table_to_xml('schema.table', …)} reads the table its argument names): a call of it reads any table. A
     * catalog that recognises more built-ins than the analyser's list (whose entries read no table) must answer
     * {@code false} only for one known to read no table (an immutable one); the default suits a catalog that
     * recognises none.
     */
    default boolean mayReadTables(TableRef routine) {
        return false;
    }

    /**
     * The name of a built-in that {@code sql} names while the database also holds a function of that name
     * outside its system schema, or {@code null} when it names none. On PostgreSQL such a function is not
     * hidden behind the built-in: an overload of other argument types ({@code public.initcap(int)} beside
     * {@code pg_catalog.initcap(text)}) is chosen by the arguments whatever the search path's order, and a
     * listed name the system schema lacks ({@code nvl}) is found in the session's schemas. A statement
     * naming one may run user code the analysis takes for the built-in, so it is refused. The same holds for
     * an operator's symbol ({@code public.^(text, integer)} runs for {@code 'a'::text ^ 1}).
     */
    default String shadowedBuiltInIn(String sql) {
        return null;
    }
}
