package io.governed.policy.model;

import io.governed.identity.Identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Who may approve, and how many must: a caller whose principal is in {@code names} or who is in one of
 * {@code groups} may approve; a request is approved once {@code require} different approvers have, or,
 * with {@code eachGroup}, once every group has one approver of its own.
 *
 * @param names     principals that may approve
 * @param groups    groups whose members may approve
 * @param require   how many different approvers a request needs (1 or more)
 * @param eachGroup whether every group in {@code groups} must approve (one member each), whatever {@code require} says
 */
public record Approvers(Set<String> names, Set<String> groups, int require, boolean eachGroup) {

    public Approvers {
        names = Set.copyOf(names);
        groups = Set.copyOf(groups);
        if (names.isEmpty() && groups.isEmpty()) {
            throw new IllegalArgumentException("approvers name nobody: give names or groups");
        }
        if (require < 1) {
            throw new IllegalArgumentException("approvers must require at least 1 approval, got " + require);
        }
        if (eachGroup && groups.size() < 2) {
            throw new IllegalArgumentException("'require: each-group' needs at least two groups of approvers");
        }
    }

    /** Anyone named or in one of the groups approves alone. */
    public Approvers(Set<String> names, Set<String> groups) {
        this(names, groups, 1, false);
    }

    public static Approvers groups(String... groups) {
        return new Approvers(Set.of(), Set.of(groups));
    }

    public boolean includes(Identity identity) {
        return names.contains(identity.principal()) || groups.stream().anyMatch(identity::inGroup);
    }

    /** Who may approve, for messages: "groups [dba] or principals [olga]", with what the quorum needs. */
    public String describe() {
        List<String> who = new ArrayList<>();
        if (!groups.isEmpty()) {
            who.add("groups " + groups.stream().sorted().toList());
        }
        if (!names.isEmpty()) {
            who.add("principals " + names.stream().sorted().toList());
        }
        String quorum = eachGroup ? ", one of each group" : require > 1 ? ", " + require + " different approvers" : "";
        return String.join(" or ", who) + quorum;
    }
}
