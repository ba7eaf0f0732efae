package io.governed.jdbc.session;

import io.governed.sql.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The triggers on a table (MariaDB, H2), each named as a routine {@code schema.trigger}: writing the table runs their
 * code, which a policy must permit as a {@code call}. Looked up on the first write of a table in a reading, and for a
 * read only of a table known to have a {@code SELECT} trigger (H2). When the session may not see every trigger of the
 * table ({@code visible} finds no row: MariaDB lists a table's triggers only to a user with the {@code TRIGGER}
 * privilege on it), or the lookup fails, which triggers run is unknown ({@code null}); a failed lookup is not
 * remembered.
 */
final class TableTriggers {
    private static final Logger LOG = LoggerFactory.getLogger(TableTriggers.class);

    private final Supplier<Connection> connection;
    private final String visible;
    private final String triggers;
    /** Per table, its triggers with the events each fires on ({@link WriteEvents}); empty: unknown. */
    private final Map<TableRef, Optional<Map<TableRef, Integer>>> known = new HashMap<>();

    /**
     * @param visible  a query, with the table's schema and name as parameters, that returns a row when every trigger of
     *                 the table is visible to the session; {@code null} when they always are
     * @param triggers a query, with the table's schema and name as parameters, giving each trigger's schema and name and
     *                 an event it fires on ({@code EVENT_MANIPULATION}; a trigger of several events in a row for each)
     */
    TableTriggers(Supplier<Connection> connection, String visible, String triggers) {
        this.connection = connection;
        this.visible = visible;
        this.triggers = triggers;
    }

    /** The triggers of {@code schema.name}; {@code null} when unknown (also when {@code schema} is not known). */
    List<TableRef> of(String schema, String name) {
        return of(schema, name, WriteEvents.ALL);
    }

    /**
     * The triggers of {@code schema.name} that fire on a write of {@code events} ({@link WriteEvents#of}); {@code null}
     * when unknown (also when {@code schema} is not known).
     */
    synchronized List<TableRef> of(String schema, String name, int events) {
        Map<TableRef, Integer> all = triggers(schema, name);
        return all == null ? null : WriteEvents.runningFor(all, events);
    }

    /** A row of the triggers query: a trigger and one event it fires on. */
    private record Row(TableRef trigger, String event) {
    }

    private Map<TableRef, Integer> triggers(String schema, String name) {
        if (schema == null) {
            return null;
        }
        TableRef table = new TableRef(schema, name);
        Optional<Map<TableRef, Integer>> remembered = known.get(table);
        if (remembered != null) {
            return remembered.orElse(null);
        }
        Connection physical = connection.get();
        if (physical == null) {
            return null;
        }
        try {
            if (visible != null && CatalogQuery.rows(physical, visible, schema, name, rs -> true).isEmpty()) {
                LOG.debug("The session may not see the triggers of a table it writes: they count as a call of any routine");
                known.put(table, Optional.empty());
                return null;
            }
            Map<TableRef, Integer> found = new LinkedHashMap<>();
            for (Row row : CatalogQuery.rows(physical, triggers, schema, name,
                    rs -> new Row(new TableRef(rs.getString(1), rs.getString(2)), rs.getString(3)))) {
                found.merge(row.trigger(), WriteEvents.ofManipulation(row.event()), (a, b) -> a | b);
            }
            Map<TableRef, Integer> copy = java.util.Collections.unmodifiableMap(found);
            known.put(table, Optional.of(copy));
            return copy;
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Could not look up triggers in information_schema ({}): they count as a call of any routine",
                    e.getClass().getSimpleName());
            return null;
        }
    }
}
