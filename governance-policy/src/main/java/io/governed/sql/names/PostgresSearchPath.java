package io.governed.sql.names;

import io.governed.sql.TableRef;

import java.util.ArrayList;
import java.util.List;
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
public final class PostgresSearchPath extends CatalogNameResolver {

    private static final String CATALOG = "pg_catalog";

    private final List<String> path;

    /**
     * @param effectivePath {@code current_schemas(true)}, in order
     * @param relations     where relations of a name exist
     */
    public PostgresSearchPath(List<String> effectivePath, RelationLocator relations) {
        super(relations);
        this.path = List.copyOf(effectivePath);
    }

    /** The effective search path. */
    public List<String> path() {
        return path;
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

    /**
     * PostgreSQL has no trigger on a query: what reading a relation runs is what its definition (a view's) and its row
     * security call, told otherwise.
     */
    @Override
    public List<TableRef> routinesRunOnRead(String schema, String name) {
        return List.of();
    }

    /** From the catalog: {@code false} only when {@code pg_catalog} certainly holds no function of that name. */
    @Override
    public boolean systemMayHoldRoutine(String name) {
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
