package io.governed.jdbc.audit;

import java.util.Locale;

/** What the {@link AuditDispatcher} does when a sink cannot keep up or is down. */
public enum DeliveryMode {
    /**
     * Never lose an event: {@code submit} waits for room in the queue, and a failing sink's events
     * are held and retried until it recovers. Statements keep running (and may slow down).
     */
    BLOCK,
    /**
     * Nothing runs unaudited: while a sink fails or its queue is full, {@code checkAvailable} (called
     * before a statement runs) and {@code submit} throw {@link AuditUnavailableException}, so the
     * statement is refused. Events already queued are held and retried as in {@link #BLOCK}.
     */
    REQUIRED,
    /** Never slow statements down: an event that finds the queue full is dropped, counted, and warned about. */
    DROP;

    /** The name used in {@code governed.audit.mode}. */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code block}, {@code required} or {@code drop} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static DeliveryMode parse(String text) {
        for (DeliveryMode m : values()) {
            if (m.name().equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                AuditSettings.MODE + " '" + text + "' is not a delivery mode: use block, required or drop");
    }
}
