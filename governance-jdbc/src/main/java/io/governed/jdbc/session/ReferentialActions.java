package io.governed.jdbc.session;

import io.governed.sql.Action;
import io.governed.sql.TableRef;
import io.governed.sql.names.CascadedWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the database writes through foreign keys when a table is written, read from {@code information_schema} (MariaDB,
 * H2) by a query that gives, for a referenced table's schema and name, each foreign key referencing it: the referencing
 * table's schema and name, its {@code DELETE_RULE} and its {@code UPDATE_RULE}. A delete follows {@code CASCADE} as a
 * delete and {@code SET NULL}/{@code SET DEFAULT} as an update; an update follows every rule but {@code RESTRICT} and
 * {@code NO ACTION} as an update (of any column, the referenced ones included); and so on from each table written, until
 * nothing new is reached. Looked up on the first write of a table in a reading, never for a read; a failed lookup is
 * not remembered and counts as unknown ({@code null}).
 */
final class ReferentialActions {
    private static final Logger LOG = LoggerFactory.getLogger(ReferentialActions.class);

    /** A foreign key referencing a table: the referencing table and its rules. */
    private record Key(TableRef referencing, String deleteRule, String updateRule) {
    }

    private final Supplier<Connection> connection;
    private final String referencing;
    /** Per referenced table, the keys referencing it. */
    private final Map<TableRef, List<Key>> keys = new HashMap<>();
    /** Per action and table, what writing it writes. */
    private final Map<List<Object>, List<CascadedWrite>> writes = new HashMap<>();

    /**
     * @param referencing the query: parameters the referenced table's schema and name; columns the referencing table's
     *                    schema and name, its delete rule and its update rule
     */
    ReferentialActions(Supplier<Connection> connection, String referencing) {
        this.connection = connection;
        this.referencing = referencing;
    }

    /** See {@link io.governed.sql.names.NameResolver#cascadedWrites}; {@code schema} {@code null} counts as unknown. */
    synchronized List<CascadedWrite> of(String schema, String name, Action action) {
        if (schema == null || (action != Action.DELETE && action != Action.UPDATE)) {
            return null; // MariaDB and H2 have no TRUNCATE … CASCADE; a name not placed could be any table
        }
        List<Object> key = List.of(action, schema, name);
        if (writes.containsKey(key)) {
            return writes.get(key);
        }
        TableRef start = new TableRef(schema, name);
        Set<CascadedWrite> reached = new LinkedHashSet<>();
        Deque<CascadedWrite> pending = new ArrayDeque<>();
        CascadedWrite first = new CascadedWrite(action, start);
        reached.add(first);
        pending.add(first);
        while (!pending.isEmpty()) {
            CascadedWrite written = pending.poll();
            List<Key> referencingIt = keysOf(written.table());
            if (referencingIt == null) {
                return null;
            }
            for (Key k : referencingIt) {
                String rule = written.action() == Action.DELETE ? k.deleteRule() : k.updateRule();
                String normal = rule == null ? "" : rule.trim().toUpperCase(Locale.ROOT);
                if (normal.equals("RESTRICT") || normal.equals("NO ACTION")) {
                    continue;
                }
                Action next = written.action() == Action.DELETE && normal.equals("CASCADE") ? Action.DELETE : Action.UPDATE;
                CascadedWrite write = new CascadedWrite(next, k.referencing());
                if (reached.add(write)) {
                    pending.add(write);
                }
            }
        }
        reached.remove(first);
        List<CascadedWrite> found = List.copyOf(reached);
        writes.put(key, found);
        return found;
    }

    /** The foreign keys referencing {@code table}; {@code null} when they cannot be read. */
    private List<Key> keysOf(TableRef table) {
        List<Key> known = keys.get(table);
        if (known != null) {
            return known;
        }
        Connection physical = connection.get();
        if (physical == null) {
            return null;
        }
        List<Key> found;
        try {
            found = CatalogQuery.rows(physical, referencing, table.schema(), table.name(),
                    rs -> new Key(new TableRef(rs.getString(1), rs.getString(2)), rs.getString(3), rs.getString(4)));
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Could not look up foreign keys in information_schema ({}): the write counts as one of any table",
                    e.getClass().getSimpleName());
            return null;
        }
        List<Key> copy = List.copyOf(found);
        keys.put(table, copy);
        return copy;
    }
}
