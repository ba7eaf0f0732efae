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
        super(relations);
        this.currentSchema = currentSchema;
        this.searchPath = searchPath == null ? null : List.copyOf(searchPath);
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
        return "schema " + currentSchema + ", search path " + (searchPath == null ? "unknown" : searchPath);
    }
}
