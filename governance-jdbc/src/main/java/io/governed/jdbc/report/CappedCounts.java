package io.governed.jdbc.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Figures kept per key, for at most {@code cap} keys: once the cap is reached, a new key's figures
 * go to {@link #OTHER}, and {@link #overflowEvents()} says how many events were counted there. Keeps
 * a report's memory bounded whatever the number of distinct principals, tables or rules in a trail.
 *
 * @param <V> the figures of one key
 */
final class CappedCounts<V> {

    /** The key events of keys beyond the cap are counted under. */
    static final String OTHER = "(other)";

    private final int cap;
    private final Supplier<V> empty;
    private final Map<String, V> values = new LinkedHashMap<>();
    private long overflowEvents;

    CappedCounts(int cap, Supplier<V> empty) {
        this.cap = cap;
        this.empty = empty;
    }

    /** The figures of {@code key}, or those of {@link #OTHER} when the key is new and the cap is reached. */
    V get(String key) {
        V v = values.get(key);
        if (v != null) {
            return v;
        }
        if (values.size() >= cap) {
            overflowEvents++;
            return values.computeIfAbsent(OTHER, k -> empty.get());
        }
        v = empty.get();
        values.put(key, v);
        return v;
    }

    Map<String, V> values() {
        return values;
    }

    int cap() {
        return cap;
    }

    /** Events counted under {@link #OTHER} because their key came after the cap was reached. */
    long overflowEvents() {
        return overflowEvents;
    }
}
