package io.governed.jdbc.audit;

import java.sql.SQLTransientException;

/**
 * The audit trail cannot take an event right now, and {@code governed.audit.mode=required} says
 * nothing may run unaudited: the statement is refused. Transient: it may succeed once the sink
 * recovers.
 */
public class AuditUnavailableException extends SQLTransientException {

    /** SQLState: "object not in prerequisite state" — the audit trail a statement needs is not there. */
    public static final String SQLSTATE = "55000";

    public AuditUnavailableException(String message, Throwable cause) {
        super(message, SQLSTATE, cause);
    }
}
