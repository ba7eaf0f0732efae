package io.governed.jdbc.session;

import io.governed.sql.Dialect;
import io.governed.sql.TableRef;
import io.governed.sql.names.NameResolver;

import java.sql.Connection;
import java.sql.SQLException;

/** Reads, from one database, what its session says about unqualified names. */
interface SessionReader {

    /** One reading. */
    interface Reading {
        Reading UNKNOWN = new Reading() {
            @Override
            public NameResolver names() {
                return NameResolver.unknown();
            }

            @Override
            public boolean plainTable(TableRef table) {
                return false;
            }
        };

        /** How names resolve in the session read. */
        NameResolver names();

        /** Whether {@code table} (qualified) is known to be a table whose reading runs no code (no view, rule or row security). */
        boolean plainTable(TableRef table);
    }

    /** Reads the session of {@code physical}; the statements it runs there are not governed (they are the governance's own). */
    Reading read(Connection physical) throws SQLException;

    /** The reader for a dialect, or {@code null} when its sessions are not read. */
    static SessionReader of(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> new PostgresSessionReader();
            case H2 -> new H2SessionReader();
            case MARIADB -> new MariaDbSessionReader();
            default -> null;
        };
    }
}
