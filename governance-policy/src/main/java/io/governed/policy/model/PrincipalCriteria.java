package io.governed.policy.model;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which callers something applies to: a rule's {@code principals}, and the {@code unless}
 * exemptions of rules, masks and row filters.
 *
 * <p>Every criterion given must hold (AND across criteria); within one criterion any listed value
 * will do (OR within a list). An empty set means "not constrained". Names, groups, purposes and
 * attribute values are compared exactly, case included.
 *
 * @param names      the caller's principal is one of these
 * @param groups     the caller is in at least one of these groups
 * @param kinds      the caller is of one of these kinds
 * @param onBehalfOf the caller's delegation
 * @param purposes   the caller stated one of these purposes
 * @param attributes for each attribute named, the caller's value is one of those listed
 * @param verified   {@code true}: the caller's identity was verified from a signed token; {@code false}: it
 *                   was asserted; {@code null}: either
 * @param issuers    the caller's identity was verified from a token of one of these issuers
 */
public record PrincipalCriteria(Set<String> names, Set<String> groups, Set<IdentityKind> kinds, OnBehalfOf onBehalfOf,
                                Set<String> purposes, Map<String, Set<String>> attributes, Boolean verified,
                                Set<String> issuers) {

    /** No criteria: matches everyone. */
    public static final PrincipalCriteria ANYONE =
            new PrincipalCriteria(Set.of(), Set.of(), Set.of(), OnBehalfOf.ANY, Set.of(), Map.of());

    /** Criteria that do not ask how the identity was established. */
    public PrincipalCriteria(Set<String> names, Set<String> groups, Set<IdentityKind> kinds, OnBehalfOf onBehalfOf,
                             Set<String> purposes, Map<String, Set<String>> attributes) {
        this(names, groups, kinds, onBehalfOf, purposes, attributes, null, Set.of());
    }

    public PrincipalCriteria {
        names = Set.copyOf(names);
        groups = Set.copyOf(groups);
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
        Objects.requireNonNull(onBehalfOf, "onBehalfOf");
        purposes = Set.copyOf(purposes);
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        attributes.forEach((name, values) -> copy.put(name, Set.copyOf(values)));
        attributes = Map.copyOf(copy);
        issuers = Set.copyOf(issuers);
    }

    /** Callers in any of these groups. */
    public static PrincipalCriteria groups(String... groups) {
        return ANYONE.withGroups(Set.of(groups));
    }

    /** Callers of any of these kinds. */
    public static PrincipalCriteria kinds(IdentityKind... kinds) {
        return new PrincipalCriteria(Set.of(), Set.of(), Set.copyOf(Arrays.asList(kinds)), OnBehalfOf.ANY, Set.of(), Map.of());
    }

    /** Callers with any of these principal names. */
    public static PrincipalCriteria names(String... names) {
        return new PrincipalCriteria(Set.of(names), Set.of(), Set.of(), OnBehalfOf.ANY, Set.of(), Map.of());
    }

    public PrincipalCriteria withGroups(Set<String> groups) {
        return new PrincipalCriteria(names, groups, kinds, onBehalfOf, purposes, attributes, verified, issuers);
    }

    public PrincipalCriteria withOnBehalfOf(OnBehalfOf onBehalfOf) {
        return new PrincipalCriteria(names, groups, kinds, onBehalfOf, purposes, attributes, verified, issuers);
    }

    public PrincipalCriteria withPurposes(Set<String> purposes) {
        return new PrincipalCriteria(names, groups, kinds, onBehalfOf, purposes, attributes, verified, issuers);
    }

    /** These criteria, also requiring a verified ({@code true}) or an asserted ({@code false}) identity. */
    public PrincipalCriteria withVerified(Boolean verified) {
        return new PrincipalCriteria(names, groups, kinds, onBehalfOf, purposes, attributes, verified, issuers);
    }

    /** These criteria, also requiring an identity verified from a token of one of {@code issuers}. */
    public PrincipalCriteria withIssuers(Set<String> issuers) {
        return new PrincipalCriteria(names, groups, kinds, onBehalfOf, purposes, attributes, verified, issuers);
    }

    /** True when nothing is constrained, so everyone matches. */
    public boolean isEmpty() {
        return names.isEmpty() && groups.isEmpty() && kinds.isEmpty() && onBehalfOf.requirement() == OnBehalfOf.Requirement.ANY
                && purposes.isEmpty() && attributes.isEmpty() && verified == null && issuers.isEmpty();
    }

    /** Whether the caller meets every criterion given. */
    public boolean matches(Identity identity) {
        if (!names.isEmpty() && !names.contains(identity.principal())) {
            return false;
        }
        if (!groups.isEmpty() && groups.stream().noneMatch(identity::inGroup)) {
            return false;
        }
        if (!kinds.isEmpty() && !kinds.contains(identity.kind())) {
            return false;
        }
        if (!onBehalfOf.matches(identity)) {
            return false;
        }
        if (!purposes.isEmpty() && (identity.purpose() == null || !purposes.contains(identity.purpose()))) {
            return false;
        }
        if (verified != null && identity.isVerified() != verified) {
            return false;
        }
        if (!issuers.isEmpty() && !(identity.isVerified() && issuers.contains(identity.provenance().issuer()))) {
            return false;
        }
        for (Map.Entry<String, Set<String>> attribute : attributes.entrySet()) {
            String value = identity.attribute(attribute.getKey());
            if (value == null || !attribute.getValue().contains(value)) {
                return false;
            }
        }
        return true;
    }
}
