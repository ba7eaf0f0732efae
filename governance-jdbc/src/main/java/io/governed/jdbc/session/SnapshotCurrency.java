package io.governed.jdbc.session;

import io.governed.sql.TableRef;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL, inside a {@code REPEATABLE READ} or {@code SERIALIZABLE} transaction: whether the catalog the transaction's
 * snapshot shows is, for the relations a statement names, the catalog the database resolves its names and expands its
 * views on now. The session's reading is taken by SQL queries of {@code pg_class}, {@code pg_attribute},
 * {@code pg_rewrite}, …, which see the catalog of the snapshot (and the transaction's own changes); the database looks
 * names up through its caches, which hold the newest committed catalog once they took in what other sessions
 * committed. One query compares the two:
 * <ul>
 * <li>each name as a statement writes it ({@code customers}, {@code public.customers}), and each relation name the
 * reading looked up: the relation {@code to_regclass} finds (the caches: the temporary schema first, then the session's
 * path) against the one the snapshot's {@code pg_class} holds first on the path ({@code current_schemas(true)}), or in the
 * schema named. A relation another session made since in a schema searched first, or made again under the name, differs;</li>
 * <li>every relation of those names in any schema, and the relations their views read (through {@code pg_rewrite} and
 * {@code pg_depend}, as deep as views go): a row of theirs in {@code pg_class}, {@code pg_attribute}, {@code pg_rewrite},
 * {@code pg_inherits} or {@code pg_policy} that the snapshot shows but that a transaction it does not see deleted or
 * replaced (its {@code xmax}, committed or in progress, not the transaction's own): a view replaced, a column renamed,
 * added, dropped or of another type, a relation dropped, row security switched on, a first child table;</li>
 * <li>a relation among them with child tables ({@code relhassubclass}): a further child adds no row the snapshot shows
 * changed, so it cannot be shown absent.</li>
 * </ul>
 * The caches take in what other sessions committed only when the session takes a lock it did not hold in the
 * transaction: before the lookups, the query takes one on {@code pg_catalog.pg_seclabel}, under a savepoint rolled back
 * after it (so that the next check takes it again); when the transaction already holds that lock, the check cannot make
 * the caches current and counts as failed. Two round trips: the savepoint with the lock and the query, and the rollback
 * with the release.
 *
 * <p>What the database's user code holds (functions, operators, casts, domains) is not compared: a function made since,
 * {@code public.lower(int)} beside {@code pg_catalog.lower(text)}, adds a row of {@code pg_proc} no row of the snapshot
 * tells of, and no cache lookup lists the overloads of a name. A statement that calls or casts is not run in such a
 * transaction for a caller the policy limits.
 */
final class SnapshotCurrency {
    private SnapshotCurrency() {
    }

    static final String SAVEPOINT = "governed_catalog_currency";

    /** A relation lock no catalog reading of the driver takes: taking it makes the session take in the catalog's changes. */
    static final String LOCKED = "pg_catalog.pg_seclabel";

    /** How the check begins: the savepoint, whether the transaction holds {@link #LOCKED} already, and the lock. */
    static final String BEGIN = "SAVEPOINT " + SAVEPOINT + "; SELECT pg_catalog.count(*) FROM pg_catalog.pg_locks l WHERE"
            + " l.pid OPERATOR(pg_catalog.=) pg_catalog.pg_backend_pid() AND l.locktype OPERATOR(pg_catalog.=) 'relation'"
            + " AND l.database OPERATOR(pg_catalog.=) (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname"
            + " OPERATOR(pg_catalog.=) pg_catalog.current_database())"
            + " AND l.relation OPERATOR(pg_catalog.=) '" + LOCKED + "'::pg_catalog.regclass;"
            + " LOCK TABLE " + LOCKED + " IN ACCESS SHARE MODE";

    /** How the check ends, whatever it found: the lock given back. */
    static final String END = "ROLLBACK TO SAVEPOINT " + SAVEPOINT + "; RELEASE SAVEPOINT " + SAVEPOINT;

    /**
     * Parameters: the schemas (empty for an unqualified name) and the names, as two text arrays of one length. Columns:
     * names finding another relation now, rows changed since the snapshot, relations with child tables.
     */
    static final String QUERY = "WITH RECURSIVE s AS (SELECT pg_catalog.pg_current_snapshot() AS snap,"
            + " pg_catalog.current_schemas(true) AS path),"
            + " named(sch, rel) AS (SELECT u.sch, u.rel FROM ROWS FROM (pg_catalog.unnest(?::pg_catalog.text[]),"
            + " pg_catalog.unnest(?::pg_catalog.text[])) AS u(sch, rel)),"
            // the relation each name finds through the caches, and the one the snapshot's pg_class holds first
            + " looked AS (SELECT pg_catalog.to_regclass(CASE WHEN named.sch OPERATOR(pg_catalog.=) '' THEN"
            + " pg_catalog.quote_ident(named.rel) ELSE pg_catalog.quote_ident(named.sch) OPERATOR(pg_catalog.||) '.'"
            + " OPERATOR(pg_catalog.||) pg_catalog.quote_ident(named.rel) END)::pg_catalog.oid AS now_oid,"
            + " (SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=)"
            + " c.relnamespace, s WHERE c.relname OPERATOR(pg_catalog.=) named.rel AND CASE WHEN named.sch"
            + " OPERATOR(pg_catalog.=) '' THEN n.nspname OPERATOR(pg_catalog.=) ANY (s.path) ELSE n.nspname"
            + " OPERATOR(pg_catalog.=) named.sch END"
            + " ORDER BY pg_catalog.array_position(s.path, n.nspname) LIMIT 1) AS snap_oid FROM named),"
            // every relation of those names, and what their views read, as deep as views go
            + " closure(oid, depth) AS (SELECT c.oid, 0 FROM pg_catalog.pg_class c WHERE c.relname OPERATOR(pg_catalog.=)"
            + " ANY (SELECT named.rel::pg_catalog.name FROM named)"
            + " UNION SELECT d.refobjid, closure.depth OPERATOR(pg_catalog.+) 1 FROM closure JOIN pg_catalog.pg_rewrite r"
            + " ON r.ev_class OPERATOR(pg_catalog.=) closure.oid JOIN pg_catalog.pg_depend d ON d.classid"
            + " OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) r.oid"
            + " AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid"
            + " OPERATOR(pg_catalog.<>) closure.oid WHERE closure.depth OPERATOR(pg_catalog.<) 32),"
            + " reached AS (SELECT DISTINCT closure.oid FROM closure),"
            // the rows of theirs a transaction the snapshot does not see deleted or replaced
            + " touched(x) AS (SELECT c.xmax FROM pg_catalog.pg_class c WHERE c.oid IN (SELECT reached.oid FROM reached)"
            + " UNION ALL SELECT a.xmax FROM pg_catalog.pg_attribute a WHERE a.attrelid IN (SELECT reached.oid FROM reached)"
            + " UNION ALL SELECT r.xmax FROM pg_catalog.pg_rewrite r WHERE r.ev_class IN (SELECT reached.oid FROM reached)"
            + " UNION ALL SELECT i.xmax FROM pg_catalog.pg_inherits i WHERE i.inhrelid IN (SELECT reached.oid FROM reached)"
            + " OR i.inhparent IN (SELECT reached.oid FROM reached)"
            + " UNION ALL SELECT p.xmax FROM pg_catalog.pg_policy p WHERE p.polrelid IN (SELECT reached.oid FROM reached)),"
            // each xmax with its epoch (the one nearest the snapshot's), when it is an id of the past (age > 0)
            + " wide(x, past, x8) AS (SELECT touched.x, pg_catalog.age(touched.x) OPERATOR(pg_catalog.>) 0,"
            + " (w.hi OPERATOR(pg_catalog.+) w.lo OPERATOR(pg_catalog.+) CASE WHEN w.lo OPERATOR(pg_catalog.-) w.sl"
            + " OPERATOR(pg_catalog.>) 2147483648 THEN -4294967296 WHEN w.lo OPERATOR(pg_catalog.-) w.sl"
            + " OPERATOR(pg_catalog.<) -2147483648 THEN 4294967296 ELSE 0 END)::pg_catalog.text::pg_catalog.xid8"
            + " FROM touched, LATERAL (SELECT touched.x::pg_catalog.text::pg_catalog.int8 AS lo,"
            + " (m.sx OPERATOR(pg_catalog./) 4294967296) OPERATOR(pg_catalog.*) 4294967296 AS hi,"
            + " m.sx OPERATOR(pg_catalog.%) 4294967296 AS sl FROM (SELECT"
            + " pg_catalog.pg_snapshot_xmax(s.snap)::pg_catalog.text::pg_catalog.int8 AS sx FROM s) m) w"
            + " WHERE touched.x::pg_catalog.text OPERATOR(pg_catalog.<>) '0')"
            + " SELECT (SELECT pg_catalog.count(*) FROM looked WHERE looked.now_oid IS DISTINCT FROM looked.snap_oid),"
            + " (SELECT pg_catalog.count(*) FROM wide, s WHERE CASE WHEN NOT wide.past THEN true"
            + " WHEN wide.x8 OPERATOR(pg_catalog.=) pg_catalog.pg_current_xact_id_if_assigned() THEN false"
            + " WHEN pg_catalog.pg_visible_in_snapshot(wide.x8, s.snap) THEN false"
            + " ELSE pg_catalog.pg_xact_status(wide.x8) IS DISTINCT FROM 'aborted' END),"
            + " (SELECT pg_catalog.count(*) FROM pg_catalog.pg_class c WHERE c.oid IN (SELECT reached.oid FROM reached)"
            + " AND c.relhassubclass)";

    /**
     * Why the catalog the snapshot shows may not be the one the database uses for {@code named} (as the statement writes
     * them) and {@code readNames} (relation names the session's reading looked up), or {@code null} when it is shown to be
     * for them.
     *
     * @throws SQLException when the check could not be made (the transaction is as it was unless the rollback failed)
     */
    static String changed(Connection connection, Collection<TableRef> named, Set<String> readNames) throws SQLException {
        Set<List<String>> names = new LinkedHashSet<>();
        for (TableRef table : named) {
            names.add(List.of(table.schema() == null ? "" : table.schema(), table.name()));
        }
        for (String name : readNames) {
            names.add(List.of("", name));
        }
        List<String> schemas = new ArrayList<>(names.size());
        List<String> relations = new ArrayList<>(names.size());
        for (List<String> name : names) {
            schemas.add(name.get(0));
            relations.add(name.get(1));
        }
        String found;
        try (PreparedStatement s = connection.prepareStatement(BEGIN + "; " + QUERY)) {
            Array inSchemas = connection.createArrayOf("text", schemas.toArray());
            Array inNames = connection.createArrayOf("text", relations.toArray());
            s.setArray(1, inSchemas);
            s.setArray(2, inNames);
            found = read(s);
            inSchemas.free();
            inNames.free();
        } catch (SQLException | RuntimeException e) {
            try (Statement end = connection.createStatement()) {
                end.execute(END);
            } catch (SQLException ending) {
                e.addSuppressed(ending);
            }
            throw e;
        }
        try (Statement end = connection.createStatement()) {
            end.execute(END);
        }
        return found;
    }

    /** The check's results: the savepoint, the lock held before, the lock, the comparison. */
    private static String read(PreparedStatement s) throws SQLException {
        boolean result = s.execute();
        long heldBefore = -1;
        while (true) {
            if (result) {
                try (ResultSet rs = s.getResultSet()) {
                    if (!rs.next()) {
                        throw new SQLException("The catalog check returned no row", "XX000");
                    }
                    if (heldBefore < 0) {
                        heldBefore = rs.getLong(1);
                    } else {
                        long moved = rs.getLong(1);
                        long changed = rs.getLong(2);
                        long parents = rs.getLong(3);
                        if (heldBefore > 0) {
                            return "the transaction holds a lock on " + LOCKED + ", so the session's catalog caches could"
                                    + " not be brought up to date";
                        }
                        if (moved > 0) {
                            return "a name it uses finds another relation than the snapshot shows";
                        }
                        if (changed > 0) {
                            return "a relation it reads, or one a view it reads reads, was changed or replaced";
                        }
                        if (parents > 0) {
                            return "a relation it reads has child tables, which may have been added to";
                        }
                        return null;
                    }
                }
            } else if (s.getUpdateCount() == -1) {
                throw new SQLException("The catalog check ended early", "XX000");
            }
            result = s.getMoreResults();
        }
    }
}
