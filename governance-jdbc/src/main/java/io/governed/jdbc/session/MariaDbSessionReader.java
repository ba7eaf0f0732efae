package io.governed.jdbc.session;

import io.governed.sql.TableRef;
import io.governed.sql.names.CurrentDatabase;
import io.governed.sql.names.NameResolver;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;

/**
 * MariaDB: the current database from {@code SELECT DATABASE()}; an unqualified table is there. (A
 * stored routine cannot run {@code USE}, so only the statements and calls that mark the session
 * stale can change it.)
 */
final class MariaDbSessionReader implements SessionReader {

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
        CurrentDatabase names = new CurrentDatabase(database);
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
}
