package io.governed.jdbc.session;

import io.governed.sql.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Whether a name a statement calls (or a write runs) is a routine or trigger of the database's users (MariaDB, H2),
 * whose body the analysis does not read: {@link io.governed.sql.names.NameResolver#routineBodies} is then {@code null}
 * (what it does is not known), and empty when no stored routine or trigger has that name (a built-in of the server, whose
 * effects are known). Looked up once per name in a reading; a failed lookup is not remembered and counts as unknown.
 */
final class UserRoutines {
    private static final Logger LOG = LoggerFactory.getLogger(UserRoutines.class);

    private final Supplier<Connection> connection;
    private final String query;
    /** Per routine: whether a stored routine or trigger has its name. */
    private final Map<TableRef, Boolean> known = new HashMap<>();

    /**
     * @param query a query, with the schema and the name as parameters, that returns a row when a stored routine or a
     *              trigger of that name is in that schema
     */
    UserRoutines(Supplier<Connection> connection, String query) {
        this.connection = connection;
        this.query = query;
    }

    /** Empty when {@code schema.name} is no stored routine or trigger; {@code null} when it is one, or when unknown. */
    synchronized List<String> bodies(String schema, String name) {
        if (schema == null) {
            return null;
        }
        TableRef routine = new TableRef(schema, name);
        Boolean stored = known.get(routine);
        if (stored == null) {
            Connection physical = connection.get();
            if (physical == null) {
                return null;
            }
            try {
                stored = !CatalogQuery.rows(physical, query, schema, name, rs -> true).isEmpty();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Could not look up stored routines in information_schema ({}): a call counts as doing anything",
                        e.getClass().getSimpleName());
                return null;
            }
            known.put(routine, stored);
        }
        return stored ? null : List.of();
    }
}
