package io.governed.sql.names;

import io.governed.sql.TableRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * H2's resolution of an unqualified table name: the current schema ({@code SCHEMA()}, changed by
 * {@code SET SCHEMA} or {@code Connection.setSchema}) when it holds the table, else the first schema of
 * the session's {@code SCHEMA_SEARCH_PATH} that does.
 */
public final class H2SearchPath extends CatalogNameResolver {

    private final String currentSchema;
    private final List<String> searchPath;

    /**
     * @param currentSchema the current schema, or {@code null} when unknown
     * @param searchPath    the schema search path, empty when none is set, or {@code null} when it could not be read
     * @param relations     where tables of a name exist
     */
    public H2SearchPath(String currentSchema, List<String> searchPath, RelationLocator relations) {
        this(currentSchema, searchPath, relations, null, null);
    }

    /**
     * @param mode      the database's compatibility mode as {@code INFORMATION_SCHEMA.SETTINGS} names it ({@code PostgreSQL},
     *                  {@code REGULAR}), or {@code null} when it could not be read: the regular list alone then
     * @param confirmed asked, when a statement calls a function of that mode, whether the database is still in a mode
     *                  running it as H2's own and holds no alias of the name in any schema (read then, not with the
     *                  session: the mode is the database's, which {@code SET MODE} on any session changes, and another
     *                  session may create an alias); {@code null}: none is confirmed
     */
    public H2SearchPath(String currentSchema, List<String> searchPath, RelationLocator relations, String mode,
                        java.util.function.Predicate<String> confirmed) {
        super(relations);
        this.currentSchema = currentSchema;
        this.searchPath = searchPath == null ? null : List.copyOf(searchPath);
        this.mode = mode;
        this.modeBuiltIns = io.governed.sql.H2CompatibilityModes.builtIns(mode);
        this.confirmed = confirmed;
    }

    private final String mode;
    private final Set<String> modeBuiltIns;
    private final java.util.function.Predicate<String> confirmed;

    /**
     * The functions of the compatibility mode the session was read in ({@link io.governed.sql.H2CompatibilityModes}),
     * unqualified: H2 runs its own in the mode whatever alias there is, but the mode is the database's and another
     * session may switch it back ({@code SET MODE REGULAR}) and create an alias of the name; each call is confirmed
     * when it is judged (the mode still runs the name as H2's own, and no alias of the name exists in any schema), so
     * that, switched after, the call fails rather than running user code.
     */
    @Override
    public io.governed.sql.RoutineCatalog sessionBuiltIns() {
        if (modeBuiltIns.isEmpty() || confirmed == null) {
            return io.governed.sql.RoutineCatalog.NONE;
        }
        return routine -> routine.schema() == null
                && modeBuiltIns.contains(routine.name().toLowerCase(java.util.Locale.ROOT))
                && confirmed.test(routine.name());
    }

    @Override
    public Resolution resolve(String name) {
        if (currentSchema == null) {
            return Resolution.unknown();
        }
        Set<String> holders = relations.schemasHolding(name);
        if (holders != null && holders.contains(currentSchema)) {
            return Resolution.in(currentSchema);
        }
        if (searchPath == null) {
            return new Resolution(List.of(currentSchema), false); // the search path may lead anywhere
        }
        List<String> all = new ArrayList<>(searchPath.size() + 1);
        all.add(currentSchema);
        for (String schema : searchPath) {
            if (holders != null && holders.contains(schema)) {
                return Resolution.in(schema);
            }
            if (!all.contains(schema)) {
                all.add(schema);
            }
        }
        return new Resolution(all, true);
    }

    /** H2 creates in the current schema. */
    @Override
    public Resolution resolveNew(String name) {
        return currentSchema == null ? Resolution.unknown() : Resolution.in(currentSchema);
    }

    // What H2's reading does not tell is unknown, as NameResolver's defaults have it, whatever the reading says.

    @Override
    public List<TableRef> ancestors(String schema, String name) {
        return null;
    }

    @Override
    public List<TableRef> descendants(String schema, String name) {
        return null;
    }

    @Override
    public List<TableRef> routinesOfRowSecurity(String schema, String name) {
        return List.of();
    }

    @Override
    public List<TableRef> routinesGivenRows(String schema, String name) {
        return null;
    }

    @Override
    public List<TableRef> routinesOfEventTriggers() {
        return List.of();
    }

    @Override
    public boolean plpgsqlResolvesAsDefault() {
        return !readsRoutines();
    }

    /**
     * An unqualified routine may be any of that name in the current schema or a schema of the search path: none of them
     * may be a stored one (an alias, a trigger) for the call to run no user code.
     */
    @Override
    public boolean readsRoutines() {
        return relations != null;
    }

    @Override
    public boolean readsCatalog() {
        return true;
    }

    @Override
    public java.util.List<String> routineBodies(String schema, String name) {
        if (relations == null) {
            return null;
        }
        if (schema != null) {
            return relations.routineBodies(schema, name);
        }
        if (searchPath == null) {
            return null;
        }
        java.util.List<String> schemas = new java.util.ArrayList<>();
        if (currentSchema != null) {
            schemas.add(currentSchema);
        }
        schemas.addAll(searchPath);
        if (schemas.isEmpty()) {
            return null;
        }
        for (String in : schemas) {
            if (relations.routineBodies(in, name) == null) {
                return null;
            }
        }
        return java.util.List.of();
    }

    @Override
    public String toString() {
        return "schema " + currentSchema + ", search path " + (searchPath == null ? "unknown" : searchPath)
                + (mode == null ? "" : ", mode " + mode);
    }
}
