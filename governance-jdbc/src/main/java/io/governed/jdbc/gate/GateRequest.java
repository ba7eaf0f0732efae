package io.governed.jdbc.gate;

import io.governed.jdbc.session.SessionNames;
import io.governed.identity.Identity;
import io.governed.policy.engine.StatementBinding;
import io.governed.sql.Dialect;
import io.governed.sql.RoutineCatalog;
import io.governed.sql.names.NameResolver;

/**
 * One statement at the gate: who runs it, what it says, how it was called, on what database. The
 * statement pipeline's {@code Execution} is one; {@link #of} makes a plain one (for tests of a
 * {@link DecisionFunction}, say).
 */
public interface GateRequest {

    /** The identity resolved for this statement, never {@code null} when a decision is asked for. */
    Identity identity();

    /** The SQL text. */
    SqlText sql();

    /** The JDBC call that brought it. */
    CallKind callKind();

    /** The dialect of the connection's database. */
    Dialect dialect();

    /** The governed connection's id, as audit events name it. */
    String connectionId();

    /** How the session resolves unqualified names, or {@code null} when unknown (a name could be in any schema). */
    SessionNames names();

    /**
     * How the session resolves unqualified names for this statement: {@link #names()}'s {@link SessionNames#current()
     * resolver as it stands}, or {@link NameResolver#unknown()} when the session is not known.
     */
    default NameResolver currentNames() {
        SessionNames names = names();
        return names == null ? NameResolver.unknown() : names.current();
    }

    /**
     * The SQL to analyse and decide on: {@link #sql()}, or what it amounts to once the driver has
     * appended what the statement's generated keys need ({@code RETURNING …}).
     */
    default SqlText analysedSql() {
        return sql();
    }

    /**
     * The exact statement this execution runs, which approvals are bound to: {@link #sql()} and the
     * digest of its bound values (none, unless a prepared statement runs).
     */
    default StatementBinding binding() {
        return StatementBinding.of(sql().sql());
    }

    /**
     * Whether the statement runs now, so that a decision uses an approval up: not for a prepare, an {@code addBatch}
     * (the batch is decided when it runs) or a {@code nativeSQL}, which are only checked.
     */
    default boolean runs() {
        CallKind kind = callKind();
        return kind != CallKind.PREPARE && kind != CallKind.PREPARE_CALL && kind != CallKind.NATIVE_SQL;
    }

    /** The database's built-in routines beyond the analyser's list ({@link RoutineCatalog#NONE} when unknown). */
    default RoutineCatalog routines() {
        return RoutineCatalog.NONE;
    }

    /** A request made of these parts. */
    static GateRequest of(Identity identity, SqlText sql, CallKind callKind, Dialect dialect, String connectionId,
                          SessionNames names) {
        return new Plain(identity, sql, callKind, dialect, connectionId, names);
    }

    /** A request that is only its parts. */
    record Plain(Identity identity, SqlText sql, CallKind callKind, Dialect dialect, String connectionId,
                 SessionNames names) implements GateRequest {
    }
}
