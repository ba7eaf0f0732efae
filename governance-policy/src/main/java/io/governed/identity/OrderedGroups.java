package io.governed.identity;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An identity's groups: an unmodifiable set that iterates in the order the groups were given (a token's claim, the
 * application's list), each once, and answers {@link #contains} by hash. {@link Set#copyOf} would iterate in an order
 * of its own that differs from one JVM to the next, so the audit trail and every listing of an identity's groups would
 * too. Equality is a set's: the same groups in another order are equal.
 */
final class OrderedGroups extends AbstractSet<String> {
    private static final OrderedGroups NONE = new OrderedGroups(List.of(), Set.of());

    private final List<String> order;
    private final Set<String> members;

    private OrderedGroups(List<String> order, Set<String> members) {
        this.order = order;
        this.members = members;
    }

    /** {@code groups} in their iteration order, each once; a group may not be {@code null}. */
    static OrderedGroups of(Collection<String> groups) {
        if (groups instanceof OrderedGroups kept) {
            return kept;
        }
        if (groups.isEmpty()) {
            return NONE;
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String group : groups) {
            distinct.add(Objects.requireNonNull(group, "a group may not be null"));
        }
        List<String> order = List.copyOf(distinct);
        return new OrderedGroups(order, Set.copyOf(order));
    }

    /** The groups as a list, in their order: the same list every time. */
    List<String> list() {
        return order;
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof String && members.contains(o);
    }

    @Override
    public Iterator<String> iterator() {
        return order.iterator();
    }

    @Override
    public int size() {
        return order.size();
    }
}
