package io.governed.sql.names;

import io.governed.sql.TableRef;

import java.util.List;
import java.util.Set;

/**
 * Where the database would look for a relation a statement names without a schema: the connection's
 * search path (PostgreSQL), current schema and schema search path (H2), or current database (MariaDB),
 * as it stands when the statement runs.
 *
 * <p>An implementation that does not know must say so ({@link Resolution#unknown()}): the engine then
 * counts every schema the name could be in, so only a rule covering every schema permits it, and any
 * forbid, mask or row filter on that name in some schema applies.
 *
 * <p>A resolver is a snapshot: its answers for a name do not change while it is in use. When what it
 * describes changes (a {@code SET search_path}, say), its owner gives out a new resolver, which is how
 * the engine knows that a statement resolved against the old one must be resolved again.
 */
public interface NameResolver {

    /**
     * Where an unqualified relation name resolves.
     *
     * @param name the name as the database stores it (normalised: unquoted names folded, quotes removed)
     */
    Resolution resolve(String name);

    /**
     * Where a relation that a {@code CREATE} names without a schema would be created. Unknown unless
     * an implementation knows better: PostgreSQL's creation schema depends on {@code TEMP} and on which
     * path schemas exist and may be written.
     */
    default Resolution resolveNew(String name) {
        return Resolution.unknown();
    }

    /**
     * Called with every unqualified name of a statement before it is resolved, so that an
     * implementation that asks the database can ask once for all of them. Optional.
     */
    default void prepare(Set<String> names) {
    }

    /**
     * The query that defines the view {@code schema.name} (names as the database stores them), as
     * the database prints it, so that its columns can be traced to the tables beneath; {@code null}
     * when the relation is not a view, or when that is not known.
     */
    default String viewDefinition(String schema, String name) {
        return null;
    }

    /**
     * Whether a {@code null} {@link #viewDefinition} of {@code schema.name} may mean that the definition could not be
     * read rather than that the relation is no view: the catalog lookup failed (a lock held on what the view reads, a
     * timeout), or the relation is a view whose definition could not be read. {@code false} when it is certainly no view
     * (or no relation of that name is in that schema), and for a resolver without a catalog.
     */
    default boolean viewDefinitionUnknown(String schema, String name) {
        return false;
    }

    /** What a relation is, as far as telling whose rows it holds goes ({@link #relationKind}). */
    enum RelationKind {
        /**
         * A table holding rows of its own: its partitions' and inheritance children's rows too, and its own among its
         * parents' ({@link #ancestors}, {@link #descendants}).
         */
        TABLE,
        /** A view or a materialized view: its rows are what its definition reads ({@link #viewDefinition}). */
        VIEW,
        /**
         * A sequence (PostgreSQL's {@code pg_class.relkind} {@code S}, MariaDB's {@code SEQUENCE}): its one row is its own
         * state, no table's rows.
         */
        SEQUENCE,
        /**
         * Anything else whose rows may be any table's: a foreign table (which may be a table of this very database), a
         * relation of a kind the resolver does not tell.
         */
        OTHER
    }

    /**
     * What the relation {@code schema.name} (names as the database stores them) is; {@code null} when that is not known
     * (no such relation, or the catalog could not be read), which proves nothing about whose rows it holds.
     */
    default RelationKind relationKind(String schema, String name) {
        return null;
    }

    /**
     * Whether the catalog shows {@code schema.name} to hold rows of its own alone: a table or a sequence, or certainly no
     * relation at all (no kind, and a view lookup that did not fail). {@code false} for a view, a relation of kind
     * {@link RelationKind#OTHER}, or one whose kind could not be read: its rows may be another table's. What a name
     * placed in no schema for certain may be is judged by this for each schema holding the name.
     */
    default boolean holdsOwnRowsOnly(String schema, String name) {
        return NameResolvers.holdsOwnRowsOnly(this, schema, name);
    }

    /**
     * The names of the columns of the relation {@code schema.name} (names as the database stores them), for proving that
     * an unqualified name inside a subquery is a column of the subquery's table ({@link io.governed.sql.BareColumn});
     * {@code null} when that is not known (no such relation, or the catalog could not be read), which proves nothing.
     */
    default java.util.Set<String> columns(String schema, String name) {
        return null;
    }

    /**
     * The type of the column {@code column} (its name as the database stores it; on MariaDB in any case) of the relation
     * {@code schema.name} as the catalog gives it (MariaDB's {@code COLUMN_TYPE}, H2's {@code DATA_TYPE}), for proving
     * that comparing it with an integer cannot fail or warn ({@link io.governed.sql.IntegerColumns}); {@code null} when
     * that is not known, or when the column is generated (a virtual column's value is computed from the row as it is
     * read), which proves nothing.
     */
    default String columnType(String schema, String name, String column) {
        return null;
    }

    /**
     * The tables whose rows include those of the relation {@code schema.name}: the tables it is a partition or an
     * inheritance child of, at every level, nearest first (PostgreSQL's {@code pg_inherits}). With {@code schema}
     * {@code null}, those of every relation of that name, in any schema. Empty when it is no partition or child (or
     * does not exist); {@code null} when that is not known, which counts as a child of any table.
     */
    default List<TableRef> ancestors(String schema, String name) {
        return null;
    }

    /**
     * The tables whose rows are among those of the relation {@code schema.name}: its partitions and inheritance
     * children, at every level (PostgreSQL's {@code pg_inherits}), which reading it reads too. With {@code schema}
     * {@code null}, those of every relation of that name, in any schema. Empty when it has none; {@code null} when
     * that is not known, which counts as having any table beneath it.
     */
    default List<TableRef> descendants(String schema, String name) {
        return null;
    }

    /**
     * The routines of the database's own (outside the system catalog) that writing a row of the relation
     * {@code schema.name} runs although a statement does not name them: its columns' defaults and generated
     * expressions, its check constraints and those of the domains of its columns, its index expressions and
     * predicates, its triggers and its rules (PostgreSQL's catalog); on MariaDB and H2 its triggers, each named as a
     * routine {@code schema.trigger} (their bodies, H2's Java classes, run with the write). With {@code schema}
     * {@code null}, those of every relation of that name, in any schema. Empty when there are none (or the relation
     * does not exist); {@code null} when that is not known (on PostgreSQL also for a relation with a rule of its own
     * for writes, whose statements run unanalysed), which counts as a call of any routine.
     */
    default List<TableRef> routinesRunOnWrite(String schema, String name) {
        return null;
    }

    /**
     * {@link #routinesRunOnWrite} for a write of {@code action} ({@code insert}, {@code update}, {@code delete},
     * {@code truncate}, {@code copy} into it; any other: every event), {@code upsert} when an insert may update the
     * conflicting row instead: a trigger's function only where its triggers fire on that event (PostgreSQL's catalog;
     * elsewhere every routine, as {@link #routinesRunOnWrite} gives them). A resolver that forwards to another
     * ({@link ForwardingNameResolver}) forwards this too: one that changes {@link #routinesRunOnWrite(String, String)}
     * must override this as well.
     */
    default List<TableRef> routinesRunOnWrite(String schema, String name, io.governed.sql.Action action, boolean upsert) {
        return routinesRunOnWrite(schema, name);
    }

    /**
     * The routines of the database's own (outside the system catalog) that reading or writing rows of the relation
     * {@code schema.name} runs for its row security although a statement does not name them: what the expressions of
     * its row-level security policies call (PostgreSQL, while row security is enabled on it; whether the session's role
     * bypasses it is not told). Each runs with values of the row as its arguments. With {@code schema} {@code null},
     * those of every relation of that name, in any schema. Empty when there are none, or where the database has no row
     * security or the resolver no catalog; {@code null} when that is not known, which counts as a call of any routine.
     */
    default List<TableRef> routinesOfRowSecurity(String schema, String name) {
        return List.of();
    }

    /**
     * Those of the routines {@link #routinesRunOnWrite} gives for the relation {@code schema.name} that the database runs
     * with values of its stored rows as their arguments: what its checks, generated columns, index expressions and
     * predicates, its columns' domains' checks and its triggers' conditions call (on PostgreSQL every routine writing it
     * runs but a trigger's own function, which reads its row as {@code NEW} and {@code OLD}); for an index, what its own
     * expressions and predicate call. They run for an update of a stored row, and for a command computing the relation's
     * expressions anew ({@code REINDEX}, {@code CLUSTER}, {@link io.governed.sql.Trait#REEVALUATES_ROWS}). Empty when
     * there are none; {@code null} when that is not known, which counts as every routine writing it runs, or as any
     * routine where those are not known either.
     */
    default List<TableRef> routinesGivenRows(String schema, String name) {
        return null;
    }

    /**
     * The functions of the database's event triggers that are enabled (PostgreSQL's {@code pg_event_trigger}): DDL
     * ({@code CREATE}, {@code ALTER}, {@code DROP}, {@code GRANT}, {@code COMMENT}, a table's rewrite, …) runs them,
     * whatever it names. Empty when there are none, or where the database has none or the resolver no catalog;
     * {@code null} when that is not known, which counts as a call of any routine.
     */
    default List<TableRef> routinesOfEventTriggers() {
        return List.of();
    }

    /**
     * The routines a query of the relation {@code schema.name} runs although it does not name them: H2's {@code SELECT}
     * triggers (Java classes, named as routines {@code schema.trigger}). Empty when there are none, or where the database
     * has none or the resolver no catalog; {@code null} when that is not known, which counts as a call of any routine.
     */
    default List<TableRef> routinesRunOnRead(String schema, String name) {
        return List.of();
    }

    /**
     * The writes the database makes on other tables (and on the relation itself, through a foreign key of its own) when
     * a statement deletes ({@code action} {@code delete}), updates ({@code update}) or truncates with {@code CASCADE}
     * ({@code truncate}) rows of the relation {@code schema.name}: the tables whose foreign keys delete their rows
     * ({@code ON DELETE CASCADE}) or update them ({@code SET NULL}, {@code SET DEFAULT}, {@code ON UPDATE CASCADE}),
     * followed from each such table on, as far as the database goes (a cycle ends where it began); for {@code truncate},
     * every table whose foreign key references one truncated. With {@code schema} {@code null}, those of every relation of
     * that name. Empty when there are none (or the relation does not exist); {@code null} when that is not known, which
     * counts as the same write on any table. With {@code action} {@code drop}: what a {@code DROP … CASCADE} or an
     * {@code ALTER … CASCADE} of the relations or routines named {@code schema.name} drops besides ({@code drop}: a view
     * over it, a routine) or changes ({@code alter}: a table whose foreign key, trigger, default, check, policy or column
     * goes with it), beyond what the statement would drop without {@code CASCADE}; {@code null} when not known, which
     * counts as a {@code drop} and an {@code alter} of any table.
     */
    default List<CascadedWrite> cascadedWrites(String schema, String name, io.governed.sql.Action action) {
        return null;
    }

    /**
     * The texts of the bodies of the routines of the database's own named {@code schema.name} (every overload), when
     * each is written in SQL (PostgreSQL's {@code LANGUAGE sql}, its {@code BEGIN ATOMIC} bodies without those words)
     * or in PL/pgSQL (the SQL texts its statements and expressions run, as {@link io.governed.sql.PlpgsqlBody} reads
     * them, a routine giving several), so that what a call reads can be told from them. With {@code schema}
     * {@code null}, those of every routine of that name in a schema of the path a call looks in. Empty when there is no
     * such routine; {@code null} when that is not known, when one is written in another language, or when a PL/pgSQL
     * body cannot be read for certain (dynamic SQL, say): its body is not analysed, and it may read anything.
     */
    default List<String> routineBodies(String schema, String name) {
        return null;
    }

    /**
     * Whether PL/pgSQL code the session runs at once (a {@code DO} block) resolves a name that is both a variable and a
     * column as PostgreSQL does by default ({@code plpgsql.variable_conflict} {@code error}), as
     * {@link io.governed.sql.PlpgsqlBody} reads it: otherwise its code is not read, and may do anything. A resolver
     * without a database ({@link #readsRoutines} false) cannot tell and judges as by default; one reading the catalog
     * answers false unless it reads the session's setting.
     */
    default boolean plpgsqlResolvesAsDefault() {
        return !readsRoutines();
    }

    /**
     * Whether the server's own schema of functions (PostgreSQL's {@code pg_catalog}) may hold a function named
     * {@code name} (as the database stores it): an unqualified call finds it there first unless the search path names
     * {@code pg_catalog} after other schemas, and even then an overload of other argument types may be chosen, so such a
     * call may be of the server's function whichever schemas the path resolves relation names to. A resolver that reads
     * the catalog answers from it ({@code false} only when {@code pg_catalog} certainly holds none); without one, the
     * names of the servers' functions with known effects ({@link io.governed.sql.BuiltInRoutines#hasKnownEffects}) and
     * every name beginning {@code pg_} may be.
     */
    default boolean systemMayHoldRoutine(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return io.governed.sql.BuiltInRoutines.hasKnownEffects(lower) || lower.startsWith("pg_");
    }

    /**
     * The schemas holding an object of the database named {@code name} (as the database stores it) that an unqualified
     * name may find, in whichever schema: a relation (table, view, sequence, …), a routine or a type, in every schema of
     * the database, on the session's search path or not (another session's path may differ); the server's own schemas
     * ({@code pg_catalog}) included. {@code null} when that cannot be told (no catalog, a failed lookup): then any schema
     * may hold one. What a caller a mask applies to may create is judged by it (a relation or routine of a name another
     * schema uses would shadow it for sessions whose path lists its schema first).
     */
    default Set<String> schemasNaming(String name) {
        return null;
    }

    /**
     * Whether the resolver reads a database's catalog (the driver's reading of a session), even when one of its lookups
     * fails: a name it cannot place in a schema for certain is then held to every relation of that name the catalog
     * shows ({@link #schemasNaming}), and one the catalog cannot answer for counts as a relation of any kind. False for
     * a resolver without a database (tools, policy tests), where a name is judged by itself.
     */
    default boolean readsCatalog() {
        return false;
    }

    /**
     * Whether {@link #routineBodies} reads the database's catalog: it then tells a routine of the database's users from
     * a function of the server (whose bodies are empty). A resolver without a database cannot, so a call of a name of
     * {@link io.governed.sql.BuiltInRoutines#hasKnownEffects} is taken for the server's function there.
     */
    default boolean readsRoutines() {
        return false;
    }

    /**
     * Routines the session runs as the database's own beyond the analyser's list ({@link io.governed.sql.BuiltInRoutines}):
     * H2's functions of its compatibility mode ({@link io.governed.sql.H2CompatibilityModes}), as the session's reading
     * found the mode. None unless a reading of the session says so.
     */
    default io.governed.sql.RoutineCatalog sessionBuiltIns() {
        return io.governed.sql.RoutineCatalog.NONE;
    }

    /**
     * {@code names}, in a database where no relation is a partition or inheritance child of another, or has one
     * ({@link #ancestors} and {@link #descendants} empty), none runs routines when written ({@link #routinesRunOnWrite}
     * empty) and no foreign key writes one table when another is written ({@link #cascadedWrites} empty): for tools and
     * tests with no database, which say so. A resolver that does not know must not claim it: a partition read as no
     * partition is read past its parent's rules, masks and row filters.
     */
    static NameResolver withoutInheritance(NameResolver names) {
        return names instanceof NameResolvers.WithoutInheritance ? names : new NameResolvers.WithoutInheritance(names);
    }

    /**
     * {@code names}, with the columns of the relations {@code columns} names declared: keyed by {@code schema.name}, or by
     * {@code name} alone for a relation of that name in any schema (compared without regard to case), each with the
     * names of its columns. For resolving without a database ({@code policy explain}, policy tests), where a write's
     * bound resting on an unqualified name inside a subquery can be proven only so.
     */
    static NameResolver withColumns(NameResolver names, java.util.Map<String, ? extends java.util.Collection<String>> columns) {
        if (columns.isEmpty()) {
            return names;
        }
        java.util.Map<String, Set<String>> declared = new java.util.HashMap<>();
        columns.forEach((relation, itsColumns) -> declared.put(relation.toLowerCase(java.util.Locale.ROOT),
                Set.copyOf(itsColumns)));
        return new NameResolvers.DeclaredColumns(names, declared);
    }

    /** The resolver that knows nothing: every name could be in any schema. */
    static NameResolver unknown() {
        return NameResolvers.UNKNOWN;
    }

    /** Every unqualified name is in {@code schema} (as the database stores its name), certainly. */
    static NameResolver fixed(String schema) {
        return new NameResolvers.Fixed(schema);
    }
}
