package io.governed.jdbc.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The column names of relations, looked up in the catalog with one query per relation and remembered for the reading
 * they belong to: what proves that an unqualified name inside a subquery is a column of the subquery's table
 * ({@link io.governed.sql.names.NameResolver#columns}). Only statements whose bound rests on such names ask. A query
 * with a second column gives each column's type as well ({@link io.governed.sql.names.NameResolver#columnType}), or
 * {@code NULL} where the type proves nothing (a generated column).
 */
final class RelationColumns {
    private static final Logger LOG = LoggerFactory.getLogger(RelationColumns.class);

    private final Supplier<Connection> connection;
    /**
     * The query, with the schema and the relation's name as its two parameters, whose rows' first column is a column
     * name (and second, when it has one, the column's type).
     */
    private final String query;
    /** Per schema and name: the relation's columns and their types, empty when it has none or does not exist. */
    private final Map<String, Optional<Map<String, String>>> known = new HashMap<>();
    /**
     * Whether a failed query aborts the transaction it runs in (PostgreSQL), so that it is run as
     * {@link CatalogQuery#leavingTheTransaction} runs it.
     */
    private final boolean failureAbortsTheTransaction;

    RelationColumns(Supplier<Connection> connection, String query) {
        this(connection, query, false);
    }

    RelationColumns(Supplier<Connection> connection, String query, boolean failureAbortsTheTransaction) {
        this.connection = connection;
        this.query = query;
        this.failureAbortsTheTransaction = failureAbortsTheTransaction;
    }

    /** The columns of {@code schema.name}; {@code null} when it does not exist or the catalog could not be read. */
    synchronized Set<String> of(String schema, String name) {
        Map<String, String> columns = typed(schema, name);
        return columns == null ? null : columns.keySet();
    }

    /**
     * The type of the column {@code column} of {@code schema.name}; {@code null} when the query gives none or it is
     * not known. With {@code ignoringCase}, the column's name is matched in any case, and a name that several columns
     * match (in different cases) gives none.
     */
    synchronized String typeOf(String schema, String name, String column, boolean ignoringCase) {
        Map<String, String> columns = typed(schema, name);
        if (columns == null || column == null) {
            return null;
        }
        if (!ignoringCase) {
            String type = columns.get(column);
            return type == null || type.equals(UNTYPED) ? null : type;
        }
        String found = null;
        for (Map.Entry<String, String> e : columns.entrySet()) {
            if (e.getKey().equalsIgnoreCase(column)) {
                if (found != null) {
                    return null;
                }
                found = e.getValue();
            }
        }
        return found == null || found.equals(UNTYPED) ? null : found;
    }

    /** A column the query gives no type of. */
    private static final String UNTYPED = "";

    private Map<String, String> typed(String schema, String name) {
        if (schema == null || name == null) {
            return null;
        }
        String key = schema + '\u0000' + name;
        Optional<Map<String, String>> columns = known.get(key);
        if (columns != null) {
            return columns.orElse(null);
        }
        Connection physical = connection.get();
        if (physical == null) {
            return null;
        }
        Map<String, String> found = new HashMap<>();
        try {
            CatalogQuery.Work<List<String[]>> lookup = p -> CatalogQuery.rows(p, query, schema, name, rs -> new String[] {
                    rs.getString(1), rs.getMetaData().getColumnCount() > 1 ? rs.getString(2) : null});
            for (String[] row : failureAbortsTheTransaction ? CatalogQuery.leavingTheTransaction(physical, lookup)
                    : lookup.run(physical)) {
                found.put(row[0], row[1] == null ? UNTYPED : row[1]);
            }
        } catch (SQLException | RuntimeException e) {
            // not remembered: the next statement asks again; until then the name proves nothing
            LOG.debug("Could not look up a relation's columns in the catalog ({}): an unqualified name in a subquery"
                    + " counts as possibly the written table's", e.getClass().getSimpleName());
            return null;
        }
        Map<String, String> columnsFound = found.isEmpty() ? null : Map.copyOf(found);
        known.put(key, Optional.ofNullable(columnsFound));
        return columnsFound;
    }
}
