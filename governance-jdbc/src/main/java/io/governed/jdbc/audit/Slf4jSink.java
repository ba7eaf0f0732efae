package io.governed.jdbc.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Logs one line per event, the event's JSON (canonical, {@link AuditEventJson}, or the
 * {@code governed.audit.format} chosen), at INFO on the
 * logger {@value #LOGGER_NAME}: {@code governed.audit=slf4j}. Durability is the logging
 * back-end's business.
 */
public final class Slf4jSink implements AuditSink {

    /** The logger every event goes to. */
    public static final String LOGGER_NAME = "io.governed.audit";

    private final Logger logger;
    /** The events' JSON, encoded by the writer thread into one reused buffer. */
    private final EventJsonEncoder encoder;

    public Slf4jSink() {
        this(AuditFormat.NATIVE);
    }

    /** Logs events in {@code format}. */
    public Slf4jSink(AuditFormat format) {
        this(LoggerFactory.getLogger(LOGGER_NAME), format);
    }

    Slf4jSink(Logger logger) {
        this(logger, AuditFormat.NATIVE);
    }

    Slf4jSink(Logger logger, AuditFormat format) {
        this.logger = logger;
        this.encoder = new EventJsonEncoder(format);
        if (!logger.isInfoEnabled()) {
            LoggerFactory.getLogger(Slf4jSink.class).warn("Audit sink slf4j: logger {} does not log INFO, so audit events"
                    + " sent to it are not recorded; enable INFO for it in the logging configuration", logger.getName());
        }
    }

    @Override
    public String describe() {
        return "slf4j";
    }

    /** False while the logger does not log INFO: statements then build no event for this sink. */
    @Override
    public boolean accepting() {
        return logger.isInfoEnabled();
    }

    @Override
    public synchronized void write(List<AuditEvent> events) {
        if (!logger.isInfoEnabled()) {
            return;
        }
        for (AuditEvent e : events) {
            logger.info(encoder.json(e)); // a message without arguments is logged as it is: no pattern to fill in
        }
    }

    @Override
    public void close() {
    }
}
