package io.governed.sql.names;

import io.governed.sql.TableRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * PostgreSQL's resolution of an unqualified relation name: the first schema of the effective search
 * path that holds a relation of that name.
 *
 * <p>The effective path is what {@code current_schemas(true)} returns: the schemas of
 * {@code search_path} that exist, with the implicitly searched ones where PostgreSQL puts them: the
 * session's temporary schema ({@code pg_temp_N}, once it exists) first and {@code pg_catalog} before
 * the rest, unless {@code search_path} names them somewhere else. Both hold only what the server or
 * this session created, so a name they do not hold is looked for further on; any other schema could
 * gain a relation of that name at any time, so a name no schema holds could resolve to any of them.
 */
public final class PostgresSearchPath implements NameResolver {

    private static final String CATALOG = "pg_catalog";

    private final List<String> path;
    private final RelationLocator relations;

    /**
     * @param effectivePath {@code current_schemas(true)}, in order
     * @param relations     where relations of a name exist
     */
    public PostgresSearchPath(List<String> effectivePath, RelationLocator relations) {
        this.path = List.copyOf(effectivePath);
        this.relations = Objects.requireNonNull(relations, "relations");
    }

    /** The effective search path. */
    public List<String> path() {
        return path;
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
        Set<String> holders = relations.schemasHolding(name);
        if (holders == null) {
            return path.isEmpty() ? Resolution.unknown() : new Resolution(path, true); // somewhere on the path
        }
        List<String> open = new ArrayList<>(path.size());
        for (String schema : path) {
            if (holders.contains(schema)) {
                return Resolution.in(schema);
            }
            if (!fixedContents(schema)) {
                open.add(schema);
            }
        }
        // no schema on the path holds it now: the statement fails, or finds one created meanwhile
        return open.isEmpty() ? Resolution.unknown() : new Resolution(open, true);
    }

    /** {@code pg_catalog} and the session's temporary schemas hold only what the server or this session put there. */
    static boolean fixedContents(String schema) {
        return schema.equals(CATALOG) || schema.startsWith("pg_temp_") || schema.startsWith("pg_toast");
    }

    @Override
    public Set<String> columns(String schema, String name) {
        return relations.columns(schema, name);
    }

    @Override
    public RelationKind relationKind(String schema, String name) {
        return relations.relationKind(schema, name);
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
    public List<TableRef> ancestors(String schema, String name) {
        return relations.ancestors(schema, name);
    }

    @Override
    public List<TableRef> descendants(String schema, String name) {
        return relations.descendants(schema, name);
    }

    @Override
    public List<TableRef> routinesRunOnWrite(String schema, String name) {
        return relations.routinesRunOnWrite(schema, name);
    }

    @Override
    public List<TableRef> routinesRunOnWrite(String schema, String name, io.governed.sql.Action action, boolean upsert) {
        return relations.routinesRunOnWrite(schema, name, action, upsert);
    }

    @Override
    public List<TableRef> routinesOfRowSecurity(String schema, String name) {
        return relations.routinesOfRowSecurity(schema, name);
    }

    @Override
    public List<TableRef> routinesGivenRows(String schema, String name) {
        return relations.routinesGivenRows(schema, name);
    }

    @Override
    public List<TableRef> routinesOfEventTriggers() {
        return relations.routinesOfEventTriggers();
    }

    @Override
    public List<CascadedWrite> cascadedWrites(String schema, String name, io.governed.sql.Action action) {
        return relations.cascadedWrites(schema, name, action);
    }

    /** From the catalog: {@code false} only when {@code pg_catalog} certainly holds no function of that name. */
    @Override
    public boolean systemMayHoldRoutine(String name) {
        if (relations == null) {
            return NameResolver.super.systemMayHoldRoutine(name);
        }
        List<String> bodies = relations.routineBodies(CATALOG, name); // its functions are internal: no body read
        return bodies == null || !bodies.isEmpty();
    }

    @Override
    public boolean readsRoutines() {
        return relations != null;
    }

    @Override
    public boolean readsCatalog() {
        return true;
    }

    @Override
    public boolean plpgsqlResolvesAsDefault() {
        return relations == null || relations.plpgsqlResolvesAsDefault();
    }

    @Override
    public List<String> routineBodies(String schema, String name) {
        if (relations == null) {
            return null;
        }
        if (schema != null) {
            return relations.routineBodies(schema, name);
        }
        // an unqualified call looks in the path's schemas: the routines of that name in any of them may be the one called
        // (pg_catalog and the temporary schema hold none of the database's own that a call finds by an unqualified name)
        List<String> bodies = new java.util.ArrayList<>();
        for (String onPath : path) {
            if (fixedContents(onPath)) {
                continue;
            }
            List<String> some = relations.routineBodies(onPath, name);
            if (some == null) {
                return null;
            }
            bodies.addAll(some);
        }
        return bodies;
    }

    @Override
    public String toString() {
        return "search path " + path;
    }
}
