package io.governed.sql;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The traits of a {@link StatementAnalysis}: an unmodifiable set held as one bit per {@link Trait}, so that
 * {@link StatementAnalysis#has}, asked of a cached analysis at every run of its statement, tests a bit rather than
 * hashing and probing a table. Its equality and hash code are a set's (equal to any set of the same traits); it iterates
 * in the traits' declared order, the same in every JVM.
 */
final class TraitSet extends AbstractSet<Trait> {
    private static final Trait[] TRAITS = Trait.values();
    static final TraitSet NONE = new TraitSet(0L);

    static {
        if (TRAITS.length > Long.SIZE) {
            throw new ExceptionInInitializerError("more traits than bits in a long");
        }
    }

    private final long bits;

    private TraitSet(long bits) {
        this.bits = bits;
    }

    /**
     * {@code traits} as such a set (a {@code TraitSet} as it is).
     *
     * @throws NullPointerException when {@code traits} holds {@code null}, as {@link java.util.Set#copyOf} does
     */
    static TraitSet copyOf(Collection<Trait> traits) {
        if (traits instanceof TraitSet kept) {
            return kept;
        }
        long bits = 0L;
        for (Trait trait : traits) {
            bits |= 1L << Objects.requireNonNull(trait, "a trait").ordinal();
        }
        return bits == 0L ? NONE : new TraitSet(bits);
    }

    /** Whether {@code trait} is one of these: one bit tested. */
    boolean has(Trait trait) {
        return (bits & (1L << trait.ordinal())) != 0L;
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof Trait trait && has(trait);
    }

    @Override
    public int size() {
        return Long.bitCount(bits);
    }

    @Override
    public boolean isEmpty() {
        return bits == 0L;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof TraitSet other) {
            return bits == other.bits;
        }
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        int h = 0; // a set's: the sum of its elements' hash codes
        for (long left = bits; left != 0L; left &= left - 1) {
            h += TRAITS[Long.numberOfTrailingZeros(left)].hashCode();
        }
        return h;
    }

    @Override
    public Iterator<Trait> iterator() {
        return new Iterator<>() {
            private long left = bits;

            @Override
            public boolean hasNext() {
                return left != 0L;
            }

            @Override
            public Trait next() {
                if (left == 0L) {
                    throw new NoSuchElementException();
                }
                int at = Long.numberOfTrailingZeros(left);
                left &= left - 1;
                return TRAITS[at];
            }
        };
    }
}
