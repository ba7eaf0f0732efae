package io.governed.jdbc.session;

import io.governed.sql.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The bodies of a routine or trigger of the database's users (MariaDB, H2) that a statement calls (or a write runs), for
 * {@link io.governed.sql.names.NameResolver#routineBodies}: empty when no stored routine or trigger has that name (a
 * built-in of the server, whose effects are known), {@code null} when one has it and its body is not read (what it does
 * is not known). Where a {@link BodyReader} is given (MariaDB) the bodies come from it; otherwise (H2) every stored
 * routine or trigger is not read. Looked up once per name in a reading; a failed lookup is not remembered and counts as
 * unknown.
 */
final class UserRoutines {
    private static final Logger LOG = LoggerFactory.getLogger(UserRoutines.class);

    /** Reads the bodies of the stored routines and triggers of a name. */
    @FunctionalInterface
    interface BodyReader {
        /**
         * The texts of the bodies of the stored routines and triggers named {@code schema.name}: empty when there is
         * none, {@code null} when one is not read.
         */
        List<String> bodies(Connection physical, String schema, String name) throws SQLException;
    }

    private final Supplier<Connection> connection;
    private final BodyReader reader;
    /** Per routine: its bodies, or empty when they are not known. */
    private final Map<TableRef, Optional<List<String>>> known = new HashMap<>();

    /**
     * @param query a query, with the schema and the name as parameters, that returns a row when a stored routine or a
     *              trigger of that name is in that schema; such a routine's body is not read
     */
    UserRoutines(Supplier<Connection> connection, String query) {
        this(connection, (physical, schema, name) ->
                CatalogQuery.rows(physical, query, schema, name, rs -> true).isEmpty() ? List.of() : null);
    }

    /** @param reader reads the bodies of the routines and triggers of a name */
    UserRoutines(Supplier<Connection> connection, BodyReader reader) {
        this.connection = connection;
        this.reader = reader;
    }

    /**
     * Empty when {@code schema.name} is no stored routine or trigger; the texts of its bodies when they are read;
     * {@code null} when they are not, or when unknown.
     */
    synchronized List<String> bodies(String schema, String name) {
        if (schema == null) {
            return null;
        }
        TableRef routine = new TableRef(schema, name);
        Optional<List<String>> bodies = known.get(routine);
        if (bodies == null) {
            Connection physical = connection.get();
            if (physical == null) {
                return null;
            }
            try {
                List<String> read = reader.bodies(physical, schema, name);
                bodies = Optional.ofNullable(read == null ? null : List.copyOf(read));
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Could not look up stored routines in information_schema ({}): a call counts as doing anything",
                        e.getClass().getSimpleName());
                return null;
            }
            known.put(routine, bodies);
        }
        return bodies.orElse(null);
    }
}
