package io.governed.jdbc.gate;

import io.governed.jdbc.session.SessionNames;
import io.governed.identity.Identity;
import io.governed.sql.Dialect;

/**
 * One statement at the gate: who runs it, what it says, how it was called, on what database.
 *
 * @param identity     the identity resolved for this statement, never {@code null}
 * @param sql          the SQL text
 * @param callKind     the JDBC call that brought it
 * @param dialect      the dialect of the connection's database
 * @param connectionId  the governed connection's id, as audit events name it
 * @param names        how the session resolves unqualified names, or {@code null} when unknown (any schema)
 */
public record GateRequest(Identity identity, SqlText sql, CallKind callKind, Dialect dialect, String connectionId,
                          SessionNames names) {
}
