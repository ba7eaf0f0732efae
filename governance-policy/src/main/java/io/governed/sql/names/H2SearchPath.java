package io.governed.sql.names;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * H2's resolution of an unqualified table name: the current schema ({@code SCHEMA()}, changed by
 * {@code SET SCHEMA} or {@code Connection.setSchema}) when it holds the table, else the first schema of
 * the session's {@code SCHEMA_SEARCH_PATH} that does.
 */
public final class H2SearchPath implements NameResolver {

    private final String currentSchema;
    private final List<String> searchPath;
    private final RelationLocator relations;

    /**
     * @param currentSchema the current schema, or {@code null} when unknown
     * @param searchPath    the schema search path, empty when none is set, or {@code null} when it could not be read
     * @param relations     where tables of a name exist
     */
    public H2SearchPath(String currentSchema, List<String> searchPath, RelationLocator relations) {
        this.currentSchema = currentSchema;
        this.searchPath = searchPath == null ? null : List.copyOf(searchPath);
        this.relations = Objects.requireNonNull(relations, "relations");
    }

    @Override
    public void prepare(Set<String> names) {
        relations.prepare(names);
    }

    @Override
    public Set<String> schemasNaming(String name) {
        return relations.schemasNaming(name);
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

    @Override
    public RelationKind relationKind(String schema, String name) {
        return relations.relationKind(schema, name);
    }

    @Override
    public Set<String> columns(String schema, String name) {
        return relations.columns(schema, name);
    }

    @Override
    public String viewDefinition(String schema, String name) {
        return relations == null ? null : relations.viewDefinition(schema, name);
    }

    @Override
    public boolean viewDefinitionUnknown(String schema, String name) {
        return relations != null && relations.viewDefinitionUnknown(schema, name);
    }

    @Override
    public java.util.List<io.governed.sql.TableRef> routinesRunOnWrite(String schema, String name) {
        return relations == null ? null : relations.routinesRunOnWrite(schema, name);
    }

    @Override
    public java.util.List<io.governed.sql.TableRef> routinesRunOnRead(String schema, String name) {
        return relations == null ? null : relations.routinesRunOnRead(schema, name);
    }

    @Override
    public java.util.List<io.governed.sql.TableRef> routinesRunOnWrite(String schema, String name,
                                                                      io.governed.sql.Action action, boolean upsert) {
        return relations == null ? null : relations.routinesRunOnWrite(schema, name, action, upsert);
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
    public java.util.List<CascadedWrite> cascadedWrites(String schema, String name, io.governed.sql.Action action) {
        return relations == null ? null : relations.cascadedWrites(schema, name, action);
    }

    @Override
    public String toString() {
        return "schema " + currentSchema + ", search path " + (searchPath == null ? "unknown" : searchPath);
    }
}
