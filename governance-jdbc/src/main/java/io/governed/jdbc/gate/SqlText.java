package io.governed.jdbc.gate;

import java.util.Objects;
import java.util.function.Function;

/**
 * The SQL of one statement as it travels through the gate, with one memo slot that a
 * {@link DecisionFunction} may fill with what it computed from the text (an analysis, say).
 *
 * <p>A {@code PreparedStatement} keeps its {@code SqlText} for life, so work memoised at prepare
 * time is reused by every execution; a plain {@code Statement} makes a new one per call.
 */
public final class SqlText {
    private final String sql;
    private volatile Memo memo;

    private record Memo(Object key, Object value) {
    }

    public SqlText(String sql) {
        this.sql = Objects.requireNonNull(sql, "sql");
    }

    public String sql() {
        return sql;
    }

    /**
     * The value memoised under {@code key}, computing and keeping it when the slot is empty or holds
     * another key's value. The slot holds one value: a second key displaces the first.
     */
    @SuppressWarnings("unchecked")
    public <T> T memoize(Object key, Function<String, T> compute) {
        Memo m = memo;
        if (m != null && m.key == key) {
            return (T) m.value;
        }
        T value = compute.apply(sql);
        memo = new Memo(key, value);
        return value;
    }

    @Override
    public String toString() {
        return sql;
    }
}
