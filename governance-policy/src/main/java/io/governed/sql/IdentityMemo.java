package io.governed.sql;

import java.util.Objects;
import java.util.function.Function;

/**
 * Values remembered by the identity of their key, in front of a slower way to get them: a fixed number of slots, each
 * holding a key and its value, and two places a key may be in (the second found by another hash of the key), so that
 * two keys falling into one slot do not push each other out on every turn. Made for what is asked on every run of a
 * statement about an object the caches hand out again and again (an analysis, a fingerprint): a hit costs an identity
 * hash and one or two reference comparisons, with no allocation and no lock, whichever of the statements runs next.
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
    /** How far the second hash is shifted down: its top bits pick the second place. */
    private final int shift;
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
        this.shift = 32 - Integer.numberOfTrailingZeros(slots);
        this.compute = Objects.requireNonNull(compute, "compute");
    }

    /**
     * The value of {@code key}: remembered, or computed and remembered in one of its two places (an empty one, else the
     * first, in place of the key there).
     */
    public V get(K key) {
        int hash = System.identityHashCode(key);
        int first = hash & mask;
        Entry<K, V> entry = slots[first];
        if (entry != null && entry.key() == key) {
            return entry.value();
        }
        int second = first;
        if (mask != 0) {
            second = (hash * 0x9E3779B9) >>> shift; // the product's top bits: independent of the low bits of first
            if (second == first) {
                second ^= 1;
            }
        }
        Entry<K, V> other = slots[second];
        if (other != null && other.key() == key) {
            return other.value();
        }
        V value = Objects.requireNonNull(compute.apply(key), "the memo's function gave null");
        slots[entry != null && other == null ? second : first] = new Entry<>(key, value);
        return value;
    }
}
