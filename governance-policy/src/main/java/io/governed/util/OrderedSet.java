package io.governed.util;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An unmodifiable set that iterates in the order its elements were given, each once, and answers {@link #contains}
 * by hash; its equality is a set's (the same elements in another order are equal). {@link Set#copyOf} iterates in an
 * order of its own that differs from one JVM to the next, so whatever lists such a set (an audit event's groups, a
 * refusal naming the tables a statement reads) would differ between runs; this one lists the same way in every run.
 *
 * @param <E> the elements' type
 */
public final class OrderedSet<E> extends AbstractSet<E> {
    private static final OrderedSet<Object> NONE = new OrderedSet<>(List.of(), Set.of());

    private final List<E> order;
    private final Set<E> members;

    private OrderedSet(List<E> order, Set<E> members) {
        this.order = order;
        this.members = members;
    }

    /**
     * {@code elements} in their iteration order, each once (an {@code OrderedSet} as it is).
     *
     * @throws NullPointerException naming {@code what} when an element is {@code null}
     */
    @SuppressWarnings("unchecked")
    public static <E> OrderedSet<E> copyOf(Collection<? extends E> elements, String what) {
        if (elements instanceof OrderedSet<?> kept) {
            return (OrderedSet<E>) kept;
        }
        if (elements.isEmpty()) {
            return (OrderedSet<E>) NONE;
        }
        Set<E> distinct = new LinkedHashSet<>();
        for (E element : elements) {
            distinct.add(Objects.requireNonNull(element, () -> what + " may not be null"));
        }
        List<E> order = List.copyOf(distinct);
        return new OrderedSet<>(order, Set.copyOf(order));
    }

    /** The elements as an unmodifiable list, in their order: the same list every time. */
    public List<E> asList() {
        return order;
    }

    @Override
    public boolean contains(Object o) {
        return o != null && members.contains(o);
    }

    @Override
    public Iterator<E> iterator() {
        return order.iterator();
    }

    @Override
    public int size() {
        return order.size();
    }
}
