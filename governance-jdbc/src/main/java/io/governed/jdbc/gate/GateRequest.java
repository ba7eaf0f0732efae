package io.governed.jdbc.gate;

import io.governed.identity.Identity;
import io.governed.sql.Dialect;
import io.governed.sql.RoutineCatalog;

/**
 * One statement at the gate: who runs it, what it says, how it was called, on what database.
 *
 * @param identity     the identity resolved for this statement, never {@code null}
 * @param sql          the SQL text
 * @param callKind     the JDBC call that brought it
 * @param dialect      the dialect of the connection's database
 * @param connectionId  the governed connection's id, as audit events name it
 * @param defaultSchema the schema unqualified tables are in, as the database names it, or {@code null} when unknown
 * @param routines      the database's built-in routines beyond the analyser's list ({@link RoutineCatalog#NONE} when unknown)
 */
public record GateRequest(Identity identity, SqlText sql, CallKind callKind, Dialect dialect, String connectionId,
                          String defaultSchema, RoutineCatalog routines) {

    /** A request on a database whose built-in routines are known from the analyser's list alone. */
    public GateRequest(Identity identity, SqlText sql, CallKind callKind, Dialect dialect, String connectionId,
                       String defaultSchema) {
        this(identity, sql, callKind, dialect, connectionId, defaultSchema, RoutineCatalog.NONE);
    }
}
