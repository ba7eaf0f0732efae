package io.governed.policy.model;

import io.governed.identity.Identity;

import java.util.Set;

/**
 * Who may approve: a caller whose principal is in {@code names} or who is in one of {@code groups}.
 *
 * @param names  principals that may approve
 * @param groups groups whose members may approve
 */
public record Approvers(Set<String> names, Set<String> groups) {

    public Approvers {
        names = Set.copyOf(names);
        groups = Set.copyOf(groups);
        if (names.isEmpty() && groups.isEmpty()) {
            throw new IllegalArgumentException("approvers name nobody: give names or groups");
        }
    }

    public static Approvers groups(String... groups) {
        return new Approvers(Set.of(), Set.of(groups));
    }

    public boolean includes(Identity identity) {
        return names.contains(identity.principal()) || groups.stream().anyMatch(identity::inGroup);
    }
}
