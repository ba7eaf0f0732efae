package io.governed.jdbc.audit;

/**
 * An exception of the driver's own whose message is built from no value at all (the class name of an exception the
 * delegate driver threw, for one): the audit trail records that message as it is ({@link AuditError#from}). Every other
 * exception's message is cut to its template's fixed words ({@link MessageTemplate#of}).
 */
public interface ValueFreeMessage {
}
