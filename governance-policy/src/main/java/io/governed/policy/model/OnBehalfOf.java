package io.governed.policy.model;

import io.governed.identity.Identity;

import java.util.Set;

/**
 * A principal criterion on delegation: whether the caller must, or must not, act on behalf of
 * someone, or on behalf of whom.
 *
 * @param requirement what is required
 * @param principals  for {@link Requirement#ONE_OF}, the principals the caller may act for, directly or
 *                    through other actors (any link of its delegation chain); empty otherwise
 */
public record OnBehalfOf(Requirement requirement, Set<String> principals) {

    /** No requirement. */
    public static final OnBehalfOf ANY = new OnBehalfOf(Requirement.ANY, Set.of());
    /** The caller must act on behalf of someone ({@code on-behalf-of: required}). */
    public static final OnBehalfOf REQUIRED = new OnBehalfOf(Requirement.REQUIRED, Set.of());
    /** The caller must act for itself ({@code on-behalf-of: forbidden}). */
    public static final OnBehalfOf FORBIDDEN = new OnBehalfOf(Requirement.FORBIDDEN, Set.of());

    /** What {@link OnBehalfOf} requires of a caller. */
    public enum Requirement {
        ANY, REQUIRED, FORBIDDEN, ONE_OF
    }

    public OnBehalfOf {
        principals = Set.copyOf(principals);
        if ((requirement == Requirement.ONE_OF) == principals.isEmpty()) {
            throw new IllegalArgumentException("on-behalf-of names principals exactly when it requires one of them");
        }
    }

    /** The caller must act on behalf of one of these principals. */
    public static OnBehalfOf oneOf(Set<String> principals) {
        return new OnBehalfOf(Requirement.ONE_OF, principals);
    }

    public boolean matches(Identity identity) {
        Identity principal = identity.onBehalfOf();
        return switch (requirement) {
            case ANY -> true;
            case REQUIRED -> principal != null;
            case FORBIDDEN -> principal == null;
            case ONE_OF -> identity.delegationChain().stream().anyMatch(link -> principals.contains(link.principal()));
        };
    }
}
