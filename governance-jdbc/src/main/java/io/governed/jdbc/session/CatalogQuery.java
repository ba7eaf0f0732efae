package io.governed.jdbc.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A catalog query whose two parameters are a relation's (or a routine's) schema and name (or that has none), run on
 * the session's physical connection: the lookups the session readers make on need (a relation's columns, a table's triggers and the
 * foreign keys referencing it, a routine's bodies); and, run as they are run ({@link #leavingTheTransaction}), the
 * driver's own read of a column's first values for auto-detection.
 */
public final class CatalogQuery {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogQuery.class);

    private CatalogQuery() {
    }

    /** Catalog queries run on the session's physical connection, and what they found. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection physical) throws SQLException;
    }

    /** The savepoint a catalog query runs under inside the application's transaction. */
    static final String SAVEPOINT = "governed_catalog_reading";

    /**
     * PostgreSQL: {@code work}'s catalog queries, run so that their failure leaves the application's transaction as it
     * was. PostgreSQL aborts a transaction at its first failed statement (a lock not granted within the session's
     * {@code lock_timeout}, a {@code statement_timeout}, a cancel): the application's next statement would fail with
     * 25P02 and its work be lost. So, as pgjdbc says the session is ({@code BaseConnection.getTransactionState()}):
     * <ul>
     * <li>in a transaction (outside auto-commit, or in a block an explicit {@code BEGIN} opened): under a savepoint,
     * released after, rolled back to on failure; none when pgjdbc puts every query under one of its own and rolls back to
     * it on failure ({@code autosave=always}). Two round trips more, only for a reading that queries;</li>
     * <li>in a transaction already aborted: nothing is run (it would fail), and the reading fails (25P02);</li>
     * <li>outside a transaction: run as it is; outside auto-commit the query begins the transaction, which holds nothing
     * of the application's then, so it is rolled back when the query fails;</li>
     * <li>when pgjdbc cannot be asked (a proxy that does not unwrap to it): under a savepoint, or as it is when the
     * server says there is no transaction block to set one in.</li>
     * </ul>
     * The reading's caller counts a failure as the catalog not read (fail closed), and asks again at the next statement.
     */
    public static <T> T leavingTheTransaction(Connection physical, Work<T> work) throws SQLException {
        String state = io.governed.jdbc.routines.PostgresRoutineCatalog.transactionState(physical);
        if ("FAILED".equals(state)) {
            throw new SQLException("The transaction is aborted: the catalog cannot be read in it", "25P02");
        }
        if ("IDLE".equals(state)) {
            if (physical.getAutoCommit()) {
                return work.run(physical);
            }
            try {
                return work.run(physical);
            } catch (SQLException | RuntimeException e) {
                undo(physical, "ROLLBACK", e);
                throw e;
            }
        }
        if (state != null && autosavesEveryQuery(physical)) {
            return underTheTransaction(physical, work);
        }
        try (Statement s = physical.createStatement()) {
            s.execute("SAVEPOINT " + SAVEPOINT);
        } catch (SQLException e) {
            if (state == null && "25P01".equals(e.getSQLState())) { // no transaction block: nothing to protect
                return work.run(physical);
            }
            throw e;
        }
        T found;
        try {
            found = underTheTransaction(physical, work);
        } catch (SQLException | RuntimeException e) {
            undo(physical, "ROLLBACK TO SAVEPOINT " + SAVEPOINT + "; RELEASE SAVEPOINT " + SAVEPOINT, e);
            throw e;
        }
        try (Statement s = physical.createStatement()) {
            s.execute("RELEASE SAVEPOINT " + SAVEPOINT);
        }
        return found;
    }

    /** Sets a prepared query's parameters. */
    @FunctionalInterface
    public interface Binding {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Reads what a prepared query returned, the statement positioned at the query's first result. */
    @FunctionalInterface
    public interface Results<T> {
        T read(PreparedStatement executed) throws SQLException;
    }

    /**
     * {@link #leavingTheTransaction(Connection, Work)} of one prepared query {@code sql} (one statement or several, as
     * pgjdbc sends them: with one {@code Sync}), its parameters set by {@code binding} and its results read by
     * {@code results}, in one round trip where the savepoint is needed: inside the application's transaction (pgjdbc
     * says {@code OPEN}), {@code SAVEPOINT}, the query and {@code RELEASE SAVEPOINT} go in one prepared text, which pgjdbc
     * sends with one {@code Sync}. The server runs them in order inside the transaction; when one fails, it skips the
     * rest up to the {@code Sync}, so the savepoint stays set and is rolled back to (and released) as
     * {@link #leavingTheTransaction(Connection, Work)} does: the application's work before it is kept, its transaction
     * not aborted. The results are read after the savepoint is released: a query {@code results} runs then must run as
     * {@link #followUp} runs it. Elsewhere (outside a transaction, when pgjdbc cannot be asked or runs every query under
     * a savepoint of its own) as {@link #leavingTheTransaction(Connection, Work)} runs it.
     */
    public static <T> T leavingTheTransaction(Connection physical, String sql, Binding binding, Results<T> results)
            throws SQLException {
        String state = io.governed.jdbc.routines.PostgresRoutineCatalog.transactionState(physical);
        if (!"OPEN".equals(state) || autosavesEveryQuery(physical)) {
            return leavingTheTransaction(physical, p -> {
                try (PreparedStatement s = p.prepareStatement(sql)) {
                    binding.bind(s);
                    if (!s.execute()) {
                        throw new SQLException("The catalog query returned no rows", "XX000");
                    }
                    return results.read(s);
                }
            });
        }
        try (PreparedStatement s = physical.prepareStatement("SAVEPOINT " + SAVEPOINT + ";" + sql + ";RELEASE SAVEPOINT "
                + SAVEPOINT)) {
            binding.bind(s);
            try {
                s.execute(); // the savepoint's result first
            } catch (SQLException | RuntimeException e) {
                // the savepoint was set (pgjdbc said a transaction is open) and the query failed: undone, the
                // application's transaction as it was
                undo(physical, "ROLLBACK TO SAVEPOINT " + SAVEPOINT + "; RELEASE SAVEPOINT " + SAVEPOINT, e);
                throw e;
            }
            if (!s.getMoreResults()) {
                throw new SQLException("The catalog query returned no rows", "XX000");
            }
            java.util.Set<Connection> released = RELEASED.get();
            boolean outer = released.add(physical);
            try {
                return results.read(s);
            } finally {
                if (outer) {
                    released.remove(physical);
                }
            }
        }
    }

    /** The physical connections whose batched reading's results are read on this thread, its savepoint released. */
    private static final ThreadLocal<java.util.Set<Connection>> RELEASED = ThreadLocal.withInitial(
            () -> java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));

    /**
     * {@code work}, a query run while the results of another are read: as {@link #leavingTheTransaction(Connection,
     * Work)} runs it when that other's savepoint is released already ({@link #leavingTheTransaction(Connection, String,
     * Binding, Results)}), else as it is (under that other's savepoint, or outside a transaction, as it was run).
     */
    public static <T> T followUp(Connection physical, Work<T> work) throws SQLException {
        if (RELEASED.get().contains(physical)) {
            java.util.Set<Connection> released = RELEASED.get();
            released.remove(physical);
            try {
                return leavingTheTransaction(physical, work);
            } finally {
                released.add(physical);
            }
        }
        return work.run(physical);
    }

    /** The physical connections whose catalog queries run on this thread inside the application's transaction now. */
    private static final ThreadLocal<java.util.Set<Connection>> UNDER = ThreadLocal.withInitial(
            () -> java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));

    /**
     * {@code work} run inside the application's transaction (under the reading's savepoint, or pgjdbc's own), which it
     * must leave open: a query of it that would end a transaction it began itself ({@link #underTheApplicationsTransaction})
     * must not end this one, taking the savepoint and the application's work with it.
     */
    private static <T> T underTheTransaction(Connection physical, Work<T> work) throws SQLException {
        java.util.Set<Connection> under = UNDER.get();
        if (!under.add(physical)) {
            return work.run(physical); // nested: the outer one marks it
        }
        try {
            return work.run(physical);
        } finally {
            under.remove(physical);
        }
    }

    /**
     * Whether a catalog query on {@code physical} runs now inside the application's transaction
     * ({@link #leavingTheTransaction}): it must not end the transaction when its own state cannot be told (pgjdbc
     * behind a wrapper that does not unwrap to it), though outside auto-commit.
     */
    public static boolean underTheApplicationsTransaction(Connection physical) {
        return UNDER.get().contains(physical);
    }

    /** Runs {@code sql}, which undoes a failed catalog query; its own failure is added to {@code failure}. */
    private static void undo(Connection physical, String sql, Exception failure) {
        try {
            if ("ROLLBACK".equals(sql)) {
                physical.rollback();
            } else {
                try (Statement s = physical.createStatement()) {
                    s.execute(sql);
                }
            }
        } catch (SQLException | RuntimeException again) {
            LOG.warn("Undoing a failed catalog query of the session's reading failed (SQLState {}): the transaction may "
                    + "be aborted", again instanceof SQLException q ? q.getSQLState() : again.getClass().getSimpleName());
            failure.addSuppressed(again);
        }
    }


    /** Whether pgjdbc runs every query in a transaction under a savepoint it rolls back to on failure ({@code autosave=always}). */
    private static boolean autosavesEveryQuery(Connection physical) {
        try {
            Class<?> pg = Class.forName("org.postgresql.PGConnection", false, physical.getClass().getClassLoader());
            return "ALWAYS".equals(String.valueOf(pg.getMethod("getAutosave").invoke(physical.unwrap(pg))));
        } catch (SQLException | ReflectiveOperationException | RuntimeException | LinkageError unknown) {
            return false;
        }
    }

    /** What one row of the query stands for. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Each row of {@code query} for {@code schema.name}, as {@code row} reads it, in the query's order. */
    static <T> List<T> rows(Connection physical, String query, String schema, String name, Row<T> row)
            throws SQLException {
        return rows(physical, query, new String[] {schema, name}, row);
    }

    /** Each row of {@code query}, which has no parameters, as {@code row} reads it, in the query's order. */
    static <T> List<T> rows(Connection physical, String query, Row<T> row) throws SQLException {
        return rows(physical, query, new String[0], row);
    }

    private static <T> List<T> rows(Connection physical, String query, String[] parameters, Row<T> row)
            throws SQLException {
        List<T> rows = new ArrayList<>();
        try (PreparedStatement s = physical.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
            }
        }
        return rows;
    }
}
