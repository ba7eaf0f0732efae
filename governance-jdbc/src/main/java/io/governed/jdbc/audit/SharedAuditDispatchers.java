package io.governed.jdbc.audit;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link AuditDispatcher} per distinct ({@code governed.audit}, {@link AuditSettings}) in the
 * process, shared by every connection configured alike. Connections come and go; the audit trail
 * they feed must not: a jsonl log allows one writer, and a dispatcher per connection would also
 * mean a writer thread per connection.
 *
 * <p>Shared dispatchers live until the JVM exits (their shutdown hooks write what is queued) or
 * until {@link #closeAll()}.
 */
public final class SharedAuditDispatchers {

    private static final Map<Key, AuditDispatcher> DISPATCHERS = new HashMap<>();

    private SharedAuditDispatchers() {
    }

    private record Key(String sinkSpec, AuditSettings settings, Map<String, String> sinkSettings) {
    }

    /**
     * The dispatcher for these sinks and settings, started on first use.
     *
     * @throws IllegalArgumentException for a {@code governed.audit} value that names no sink
     * @throws IOException              when a sink cannot be opened, e.g. the same jsonl file is
     *                                  already written by a dispatcher with other settings
     */
    public static AuditDispatcher get(String sinkSpec, AuditSettings settings) throws IOException {
        return get(sinkSpec, settings, Map.of());
    }

    /**
     * As {@link #get(String, AuditSettings)}, with the settings sinks take more options from (the
     * Kafka sink's {@code governed.audit.kafka.*}); dispatchers are shared only between equal ones.
     */
    public static synchronized AuditDispatcher get(String sinkSpec, AuditSettings settings, Map<String, String> sinkSettings)
            throws IOException {
        Key key = new Key(sinkSpec.trim(), settings, Map.copyOf(sinkSettings));
        AuditDispatcher dispatcher = DISPATCHERS.get(key);
        if (dispatcher == null) {
            dispatcher = AuditDispatcher.start(sinkSpec, settings, sinkSettings);
            DISPATCHERS.put(key, dispatcher);
        }
        return dispatcher;
    }

    /** Closes every shared dispatcher (writing what is queued); the next {@link #get} starts afresh. */
    public static void closeAll() {
        List<AuditDispatcher> open;
        synchronized (SharedAuditDispatchers.class) {
            open = List.copyOf(DISPATCHERS.values());
            DISPATCHERS.clear();
        }
        open.forEach(AuditDispatcher::close);
    }
}
