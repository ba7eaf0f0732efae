package io.governed.sql;

import java.util.Objects;
import java.util.function.Function;

/**
 * Values remembered by the identity of their key, in front of a slower way to get them: a fixed number of slots, each
 * holding the last key that fell into it and its value. Made for what is asked on every run of a statement about an
 * object the caches hand out again and again (an analysis): a hit costs an identity hash and a reference comparison,
 * with no allocation and no lock, whichever of a handful of statements runs next.
 *
 * <p>Any thread may use one: a slot holds an immutable entry, so a reader sees an earlier or a later entry, each whole,
 * and two threads computing the same key's value at once both get a correct one. Keys are held strongly, at most one
 * per slot. The function must give the same value for the same key every time (a value derived from the key alone).
 */
public final class IdentityMemo<K, V> {
    private record Entry<K, V>(K key, V value) {
    }

    private final Entry<K, V>[] slots;
    private final int mask;
    private final Function<? super K, ? extends V> compute;

    /**
     * @param slots   how many keys are remembered at most: a power of two
     * @param compute the value of a key that is not remembered (it must not be {@code null})
     */
    @SuppressWarnings("unchecked")
    public IdentityMemo(int slots, Function<? super K, ? extends V> compute) {
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, not " + slots);
        }
        this.slots = (Entry<K, V>[]) new Entry<?, ?>[slots];
        this.mask = slots - 1;
        this.compute = Objects.requireNonNull(compute, "compute");
    }

    /** The value of {@code key}: remembered, or computed and remembered in place of the slot's last key. */
    public V get(K key) {
        int slot = System.identityHashCode(key) & mask;
        Entry<K, V> entry = slots[slot];
        if (entry != null && entry.key() == key) {
            return entry.value();
        }
        V value = Objects.requireNonNull(compute.apply(key), "the memo's function gave null");
        slots[slot] = new Entry<>(key, value);
        return value;
    }
}
