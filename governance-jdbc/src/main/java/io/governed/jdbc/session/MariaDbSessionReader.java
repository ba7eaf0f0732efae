package io.governed.jdbc.session;

import io.governed.sql.TableRef;
import io.governed.sql.names.CurrentDatabase;
import io.governed.sql.names.NameResolver;
import io.governed.sql.names.RelationLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * MariaDB: the current database from {@code SELECT DATABASE()}; an unqualified table is there. (A
 * stored routine cannot run {@code USE}, so only the statements and calls that mark the session
 * stale can change it.) A view's definition comes from {@code information_schema.VIEWS}, looked up
 * when a mask needs it.
 */
final class MariaDbSessionReader implements SessionReader {
    private static final Logger LOG = LoggerFactory.getLogger(MariaDbSessionReader.class);

    private static final String VIEW = "SELECT VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";

    @Override
    public Reading read(Supplier<Connection> connection) throws SQLException {
        Connection physical = connection.get();
        if (physical == null) {
            return Reading.UNKNOWN;
        }
        String database;
        try (Statement s = physical.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
            database = rs.next() ? rs.getString(1) : null;
        }
        CurrentDatabase names = new CurrentDatabase(database, new Views(connection));
        return new Reading() {
            @Override
            public NameResolver names() {
                return names;
            }

            @Override
            public boolean runsNoCode(TableRef table, boolean write) {
                return true; // only PostgreSQL asks
            }
        };
    }

    /** Views' definitions, looked up once per name in a reading. */
    private static final class Views implements RelationLocator {
        private final Supplier<Connection> connection;
        /** Per schema.name: the view's definition, empty when the relation is not a view. */
        private final Map<String, Optional<String>> definitions = new HashMap<>();

        Views(Supplier<Connection> connection) {
            this.connection = connection;
        }

        @Override
        public Set<String> schemasHolding(String name) {
            return null; // an unqualified name is in the current database: nothing to look up
        }

        @Override
        public synchronized String viewDefinition(String schema, String name) {
            String key = schema + '.' + name;
            Optional<String> known = definitions.get(key);
            if (known != null) {
                return known.orElse(null);
            }
            Connection physical = connection.get();
            if (physical == null) {
                return null;
            }
            String definition;
            try (PreparedStatement s = physical.prepareStatement(VIEW)) {
                s.setString(1, schema);
                s.setString(2, name);
                try (ResultSet rs = s.executeQuery()) {
                    // a view whose definition the user may not see (no SHOW VIEW) reads as empty: it cannot be
                    // traced, and its columns are redacted where masks apply
                    definition = rs.next() ? (rs.getString(1) == null ? "" : rs.getString(1)) : null;
                }
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Could not look up a view in information_schema ({}): its columns are judged by their names",
                        e.getClass().getSimpleName());
                return null; // not remembered: asked again next time
            }
            definitions.put(key, Optional.ofNullable(definition));
            return definition;
        }
    }
}
