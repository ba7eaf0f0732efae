package io.governed.jdbc.session;

import io.governed.sql.TableRef;
import io.governed.sql.names.NameResolver;
import io.governed.sql.names.PostgresSearchPath;
import io.governed.sql.names.RelationLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PostgreSQL: the effective search path from {@code current_schemas(true)} (temporary schema and
 * {@code pg_catalog} where the server searches them), and, for the names statements use, which
 * schemas hold a relation of that name and what kind it is, from {@code pg_class}.
 */
final class PostgresSessionReader implements SessionReader {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSessionReader.class);

    private static final String RELATIONS = "SELECT n.nspname, c.relname, c.relkind, c.relhasrules, c.relrowsecurity"
            + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relname = ANY (?)";

    @Override
    public Reading read(Connection physical) throws SQLException {
        List<String> path = new ArrayList<>();
        try (Statement s = physical.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_catalog.current_schemas(true)")) {
            if (!rs.next()) {
                return Reading.UNKNOWN;
            }
            Array schemas = rs.getArray(1);
            for (Object schema : (Object[]) schemas.getArray()) {
                path.add((String) schema);
            }
            schemas.free();
        }
        return new PgReading(physical, path);
    }

    /** A reading: the path, and relations looked up as names are asked for. */
    private static final class PgReading implements Reading, RelationLocator {
        private final Connection physical;
        private final PostgresSearchPath names;
        /** Per relation name: schema → whether reading it runs no code; absent: not looked up. */
        private final Map<String, Map<String, Boolean>> relations = new HashMap<>();
        private boolean failed;

        PgReading(Connection physical, List<String> path) {
            this.physical = physical;
            this.names = new PostgresSearchPath(path, this);
        }

        @Override
        public NameResolver names() {
            return names;
        }

        @Override
        public synchronized boolean plainTable(TableRef table) {
            prepare(Set.of(table.name()));
            Map<String, Boolean> holders = relations.get(table.name());
            return holders != null && Boolean.TRUE.equals(holders.get(table.schema()));
        }

        @Override
        public synchronized Set<String> schemasHolding(String name) {
            prepare(Set.of(name));
            Map<String, Boolean> holders = relations.get(name);
            return holders == null ? null : holders.keySet();
        }

        @Override
        public synchronized void prepare(Set<String> wanted) {
            if (failed) {
                return;
            }
            List<String> missing = new ArrayList<>();
            for (String name : wanted) {
                if (!relations.containsKey(name)) {
                    missing.add(name);
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            Map<String, Map<String, Boolean>> found = new HashMap<>();
            missing.forEach(n -> found.put(n, new HashMap<>()));
            try (PreparedStatement s = physical.prepareStatement(RELATIONS)) {
                Array array = physical.createArrayOf("text", missing.toArray());
                s.setArray(1, array);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String kind = rs.getString(3);
                        boolean plain = ("r".equals(kind) || "p".equals(kind) || "S".equals(kind))
                                && !rs.getBoolean(4) && !rs.getBoolean(5);
                        found.get(rs.getString(2)).put(rs.getString(1), plain);
                    }
                }
                array.free();
            } catch (SQLException | RuntimeException e) {
                failed = true; // every name then counts as anywhere on the path
                LOG.debug("Could not look up relations in pg_class ({}): unqualified names count as in any schema of the path",
                        e.getClass().getSimpleName());
                return;
            }
            found.forEach((name, holders) -> relations.put(name, Map.copyOf(holders)));
        }

        @Override
        public String toString() {
            return names.toString();
        }
    }
}
