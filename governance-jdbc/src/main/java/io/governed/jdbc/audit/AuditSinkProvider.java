package io.governed.jdbc.audit;

/**
 * Makes custom {@link AuditSink}s available to the {@code governed.audit} setting.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.governed.jdbc.audit.AuditSinkProvider}. A sink spec {@code NAME} or
 * {@code NAME:ARGUMENT} in {@code governed.audit} selects the provider whose {@link #name()} is
 * {@code NAME} (or whose class name is); everything after the first colon is passed to
 * {@link #create(String)}.
 */
public interface AuditSinkProvider {

    /** The name used in {@code governed.audit}; must not be one of the built-in names. */
    String name();

    /**
     * Creates a sink.
     *
     * @param argument the text after {@code NAME:}, or an empty string when there was none
     * @throws IllegalArgumentException with a message saying what is wrong in the argument and how to fix it
     */
    AuditSink create(String argument);
}
