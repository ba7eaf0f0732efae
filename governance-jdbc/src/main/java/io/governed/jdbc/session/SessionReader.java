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
            public boolean runsNoCode(TableRef table, boolean write) {
                return false;
            }
        };

        /** How names resolve in the session read. */
        NameResolver names();

        /**
         * Whether {@code table} (qualified) is known to run no code when read (no view, rule or row
         * security) or, with {@code write}, when written (no trigger, rule, cascading foreign key,
         * domain, partition, or default or check that calls a routine that is not a known built-in).
         */
        boolean runsNoCode(TableRef table, boolean write);
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
