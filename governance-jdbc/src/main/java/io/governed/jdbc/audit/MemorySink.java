package io.governed.jdbc.audit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Keeps events in memory, for tests: {@code governed.audit=memory} (the sink named
 * {@value #DEFAULT_NAME}) or {@code memory:NAME}. Sinks are registered by name in a static registry,
 * so a test reads what a driver wrote with {@code MemorySink.named("orders-test").events()}.
 *
 * <p>{@link #failWith} makes the sink refuse writes, to exercise what happens when a sink is down.
 */
public final class MemorySink implements AuditSink {

    /** The name of the sink that plain {@code memory} refers to. */
    public static final String DEFAULT_NAME = "default";

    private static final ConcurrentMap<String, MemorySink> REGISTRY = new ConcurrentHashMap<>();

    private final String name;
    private final List<AuditEvent> events = new ArrayList<>();
    private volatile IOException failure;

    private MemorySink(String name) {
        this.name = name;
    }

    /** The sink registered under this name, created empty on first use. */
    public static MemorySink named(String name) {
        return REGISTRY.computeIfAbsent(name, MemorySink::new);
    }

    /** The sink that plain {@code memory} refers to. */
    public static MemorySink defaultSink() {
        return named(DEFAULT_NAME);
    }

    @Override
    public String describe() {
        return DEFAULT_NAME.equals(name) ? "memory" : "memory:" + name;
    }

    @Override
    public void write(List<AuditEvent> batch) throws IOException {
        IOException f = failure;
        if (f != null) {
            throw f;
        }
        synchronized (events) {
            events.addAll(batch);
        }
    }

    /** A snapshot of the events written so far, in order. */
    public List<AuditEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** Forgets the events written so far and any simulated failure. */
    public void clear() {
        synchronized (events) {
            events.clear();
        }
        failure = null;
    }

    /** Makes every following write throw this exception (a sink that is down); {@code null} heals it. */
    public void failWith(IOException failure) {
        this.failure = failure;
    }

    /** Does nothing: the events stay readable after the dispatcher closes. */
    @Override
    public void close() {
    }
}
