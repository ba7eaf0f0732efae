package io.governed.jdbc.pipeline;

import io.governed.jdbc.audit.ValueFreeMessage;

import java.sql.SQLException;

/**
 * How the stages see a run the driver ended with an unchecked exception (a {@link RuntimeException}, or an
 * {@link Error} other than a {@link VirtualMachineError}) instead of an {@link SQLException}: as a failure like any
 * other, passed through every stage's {@link StatementStage#failed failed} hook by
 * {@link StatementPipeline#failedUnchecked}. Its message is the thrown exception's class name and nothing else (the
 * thrown exception's own message may quote values); it has no SQLState, no cause and no stack trace. The caller never
 * sees it: the driver's own exception is rethrown, unchanged. The audit trail records its message as it is
 * ({@link ValueFreeMessage}): a class name.
 */
public final class UncheckedDriverException extends SQLException implements ValueFreeMessage {
    private static final long serialVersionUID = 1L;

    UncheckedDriverException(Throwable thrown) {
        super(thrown.getClass().getName());
    }

    /** The class name of the exception the driver threw. */
    public String thrownClass() {
        return getMessage();
    }

    /** No stack trace: the driver's exception, rethrown to the caller, has its own. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
