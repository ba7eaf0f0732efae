package io.governed.jdbc.session;

import io.governed.sql.Dialect;
import io.governed.sql.TableRef;
import io.governed.sql.names.NameResolver;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.function.Supplier;

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
         * Whether the session was read reading backslashes in plain strings the way the analysis does (PostgreSQL:
         * {@code standard_conforming_strings} on). False when unknown.
         */
        default boolean readsPlainStringsTheUsualWay() {
            return false;
        }

        /**
         * Whether {@code table} (qualified) is known to run no code when read (no view, rule or row
         * security) or, with {@code write}, when written (no trigger, rule, cascading foreign key,
         * domain, partition, or default or check that calls a routine that is not a known built-in).
         */
        boolean runsNoCode(TableRef table, boolean write);

        /**
         * The relation names this reading's statements asked about so far (a copy); none for a reading that looks up
         * none.
         */
        default Set<String> relationNamesRead() {
            return Set.of();
        }

        /**
         * Whether this reading, a renewal of the session's reading {@code older}, answers every question {@code older}
         * was asked (on the relation names {@code names}) as {@code older} answered it, proven from what both hold, so
         * that what was worked out from {@code older}'s answers holds under this one. {@code false} when anything
         * differs or cannot be compared; always for a reader that does not support the comparison.
         */
        default boolean continues(Reading older, Set<String> names) {
            return false;
        }
    }

    /**
     * Reads the session of the physical connection {@code connection} reaches; the statements it runs
     * there are not governed (they are the governance's own).
     *
     * @param connection the way to the session now, asked again for every later lookup: a pool hands out
     *                   a new proxy of the same physical connection with each borrowing, and the last
     *                   borrowing's is closed. {@code null} when no way is left: the lookup counts as failed.
     */
    Reading read(Supplier<Connection> connection) throws SQLException;

    /**
     * As {@link #read(Supplier)}, for a session read before, whose statements named the relations {@code expected}
     * ({@code null}: none read before, the session's first reading): a reader that looks relations up as statements
     * name them may look these up with the first it must look up anyway, in one query instead of one per statement
     * naming another (what it reads is what it would read later in the same reading).
     */
    default Reading read(Supplier<Connection> connection, Set<String> expected) throws SQLException {
        return read(connection);
    }

    /**
     * As {@link #read(Supplier, Set)}, for a reading whose first question is where the relations {@code first} are: a
     * reader may look them up with the reading itself, in one round trip instead of two; what it holds then is what its
     * first lookup of {@code first} would have found.
     */
    default Reading read(Supplier<Connection> connection, Set<String> expected, Set<String> first) throws SQLException {
        return read(connection, expected);
    }

    /** The reader for a dialect, or {@code null} when its sessions are not read. */
    static SessionReader of(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> new PostgresSessionReader();
            case H2, H2_LOWER_CASE -> new H2SessionReader(dialect);
            case MARIADB -> new MariaDbSessionReader();
            default -> null;
        };
    }
}
