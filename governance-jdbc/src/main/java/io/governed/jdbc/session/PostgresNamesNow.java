package io.governed.jdbc.session;

import io.governed.sql.names.ForwardingNameResolver;
import io.governed.sql.names.NameResolver;
import io.governed.sql.names.Resolution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where PostgreSQL finds each unqualified relation name at this moment, asked of the session itself in one query
 * ({@code to_regclass}, which looks a name up as the parser does: the session's temporary schema first, then the
 * effective search path, skipping schemas the role may not use), rather than from the session's reading, which is
 * kept up to {@link SessionState#MAXIMUM_AGE_SECONDS} seconds and does not see a relation another session created
 * since. Everything else is answered by the session's reading ({@code cached}). A name resolves as
 * {@link io.governed.sql.names.PostgresSearchPath} resolves it, from the path and the schema holding the relation now,
 * so that a name that still finds the relation it found is resolved alike; a lookup that fails makes every name
 * unknown.
 *
 * <p>One round trip for the names {@link #prepare} is given (the resolution gives them all at once), plus the savepoint
 * a catalog query takes inside the application's transaction ({@link CatalogQuery#leavingTheTransaction}).
 */
final class PostgresNamesNow implements ForwardingNameResolver {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresNamesNow.class);

    /** The effective path, and for each name (in order) the schema of the relation it finds now, or NULL. */
    static final String RESOLVED = "SELECT pg_catalog.current_schemas(true),"
            + " (SELECT pg_catalog.array_agg(n.nspname ORDER BY u.o)"
            + " FROM pg_catalog.unnest(?::pg_catalog.text[]) WITH ORDINALITY AS u(name, o)"
            + " LEFT JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=)"
            + " pg_catalog.to_regclass(pg_catalog.quote_ident(u.name))"
            + " LEFT JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace)";

    private final Supplier<Connection> connection;
    private final NameResolver cached;
    /** The effective path, once read; {@code null} before, or when a lookup failed. */
    private List<String> path;
    /** Per name looked up: the schema of the relation it finds, or {@code ""} for none. */
    private final Map<String, String> found = new HashMap<>();
    private boolean failed;

    PostgresNamesNow(Supplier<Connection> connection, NameResolver cached) {
        this.connection = connection;
        this.cached = cached;
    }

    @Override
    public synchronized void prepare(Set<String> names) {
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            if (!found.containsKey(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty() || path == null) {
            lookUp(missing);
        }
    }

    @Override
    public synchronized Resolution resolve(String name) {
        if (!found.containsKey(name)) {
            lookUp(List.of(name));
        }
        if (failed || path == null) {
            return Resolution.unknown();
        }
        String schema = found.get(name);
        if (schema != null && !schema.isEmpty()) {
            return Resolution.in(schema);
        }
        // no relation of the name on the path now: the statement fails, or finds one created meanwhile
        List<String> open = new ArrayList<>(path.size());
        for (String onPath : path) {
            if (!onPath.equals("pg_catalog") && !onPath.startsWith("pg_temp_") && !onPath.startsWith("pg_toast")) {
                open.add(onPath);
            }
        }
        return open.isEmpty() ? Resolution.unknown() : new Resolution(open, true);
    }

    private void lookUp(List<String> names) {
        if (failed) {
            return;
        }
        Connection physical = connection.get();
        if (physical == null) {
            failed = true;
            return;
        }
        try {
            CatalogQuery.leavingTheTransaction(physical, p -> {
                try (PreparedStatement s = p.prepareStatement(RESOLVED)) {
                    Array array = p.createArrayOf("text", names.toArray());
                    s.setArray(1, array);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) {
                            throw new SQLException("The search path could not be read", "58000");
                        }
                        List<String> schemas = new ArrayList<>();
                        Array onPath = rs.getArray(1);
                        for (Object schema : (Object[]) onPath.getArray()) {
                            schemas.add((String) schema);
                        }
                        onPath.free();
                        Array holders = rs.getArray(2);
                        Object[] each = holders == null ? new Object[0] : (Object[]) holders.getArray();
                        for (int i = 0; i < names.size(); i++) {
                            Object schema = i < each.length ? each[i] : null;
                            found.put(names.get(i), schema == null ? "" : (String) schema);
                        }
                        if (holders != null) {
                            holders.free();
                        }
                        if (path != null && !path.equals(schemas)) {
                            throw new SQLException("The search path changed between two lookups", "58000");
                        }
                        path = List.copyOf(schemas);
                    }
                    array.free();
                }
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Could not resolve relation names on the session ({}): they count as unknown",
                    e.getClass().getSimpleName());
            failed = true;
        }
    }

    /** Everything but where a name resolves is the session's reading's answer. */
    @Override
    public NameResolver names() {
        return cached;
    }

    @Override
    public String toString() {
        return "names resolved now on " + (path == null ? "an unread search path" : "search path " + path);
    }
}
