package io.governed.identity;

import io.governed.util.OrderedSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling: a principal of some {@link IdentityKind}, its groups and attributes, and, for an
 * agent or a service acting for someone, the identity it acts on behalf of and the purpose stated.
 *
 * <p>Immutable and safe to share between threads. Group and attribute-name comparisons are exact;
 * policy matching decides its own case rules.
 *
 * @param principal  the caller's name; never blank
 * @param kind       human, service or agent
 * @param groups     the groups the caller belongs to, each once, iterated in the order given (the same order in
 *                   every JVM, as the audit trail lists them); a group may not be {@code null}
 * @param attributes free-form attributes (a tenant, a department) that policies can refer to, listed in the order
 *                   given; no name or value may be {@code null}
 * @param onBehalfOf the identity this caller acts for, or {@code null}
 * @param purpose    the purpose stated for the work, or {@code null}
 * @param provenance how the identity was established: asserted by the application (the default) or
 *                   verified from a signed token
 */
public record Identity(
        String principal,
        IdentityKind kind,
        Set<String> groups,
        Map<String, String> attributes,
        Identity onBehalfOf,
        String purpose,
        IdentityProvenance provenance) {

    public Identity {
        if (principal == null || principal.isBlank()) {
            throw new IllegalArgumentException("an identity needs a non-blank principal");
        }
        Objects.requireNonNull(kind, "kind");
        groups = OrderedSet.copyOf(Objects.requireNonNull(groups, "groups"), "a group");
        attributes = orderedCopy(Objects.requireNonNull(attributes, "attributes"));
        if (purpose != null && purpose.isBlank()) {
            purpose = null;
        }
        if (provenance == null) {
            provenance = IdentityProvenance.ASSERTED;
        }
    }

    /** An unmodifiable copy of {@code attributes} that lists them in their order ({@link Map#copyOf}'s changes between JVMs). */
    private static Map<String, String> orderedCopy(Map<String, String> attributes) {
        if (attributes.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        attributes.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "an attribute's name may not be null"),
                Objects.requireNonNull(value, () -> "attribute '" + name + "' may not be null")));
        return Collections.unmodifiableMap(copy);
    }

    /** An identity the application asserts (its provenance is {@link IdentityProvenance#ASSERTED}). */
    public Identity(String principal, IdentityKind kind, Set<String> groups, Map<String, String> attributes,
                    Identity onBehalfOf, String purpose) {
        this(principal, kind, groups, attributes, onBehalfOf, purpose, IdentityProvenance.ASSERTED);
    }

    /** A human with no groups, attributes, delegation or purpose. */
    public static Identity human(String principal) {
        return builder(principal).build();
    }

    public static Builder builder(String principal) {
        return new Builder(principal);
    }

    /** A builder pre-filled with this identity, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(principal).kind(kind).groups(groups).onBehalfOf(onBehalfOf).purpose(purpose)
                .provenance(provenance);
        attributes.forEach(b::attribute);
        return b;
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }

    /** {@link #groups()} as an unmodifiable list, in the order given: the same list every time it is asked. */
    public List<String> groupList() {
        return ((OrderedSet<String>) groups).asList();
    }

    /** Whether a signed token vouched for this identity. */
    public boolean isVerified() {
        return provenance.isVerified();
    }

    /** The identities this one acts for, nearest first: empty for a direct caller. */
    public List<Identity> delegationChain() {
        List<Identity> chain = new ArrayList<>();
        for (Identity party = onBehalfOf; party != null; party = party.onBehalfOf()) {
            chain.add(party);
        }
        return chain;
    }

    /** The attribute's value, or {@code null}. */
    public String attribute(String name) {
        return attributes.get(name);
    }

    /** {@code principal} for a direct caller, {@code agent-7 for alice} for one acting on behalf of another. */
    public String describe() {
        return onBehalfOf == null ? principal : principal + " for " + onBehalfOf.describe();
    }

    @Override
    public String toString() {
        return "Identity[" + kind.externalName() + " " + describe() + ", groups=" + groups
                + (purpose == null ? "" : ", purpose=" + purpose)
                + (provenance.isVerified() ? ", verified by " + provenance.issuer() : "") + "]";
    }

    /** Builds an {@link Identity}; the kind defaults to {@link IdentityKind#HUMAN}. */
    public static final class Builder {
        private final String principal;
        private IdentityKind kind = IdentityKind.HUMAN;
        private final Set<String> groups = new LinkedHashSet<>();
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private Identity onBehalfOf;
        private String purpose;
        private IdentityProvenance provenance = IdentityProvenance.ASSERTED;

        private Builder(String principal) {
            this.principal = principal;
        }

        public Builder kind(IdentityKind kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        public Builder groups(String... groups) {
            return groups(java.util.Arrays.asList(groups));
        }

        public Builder groups(Collection<String> groups) {
            for (String g : groups) {
                if (g != null && !g.isBlank()) {
                    this.groups.add(g.trim());
                }
            }
            return this;
        }

        public Builder attribute(String name, String value) {
            attributes.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder onBehalfOf(Identity onBehalfOf) {
            this.onBehalfOf = onBehalfOf;
            return this;
        }

        public Builder purpose(String purpose) {
            this.purpose = purpose;
            return this;
        }

        /** How the identity was established; {@link IdentityProvenance#ASSERTED} unless a verifier says otherwise. */
        public Builder provenance(IdentityProvenance provenance) {
            this.provenance = Objects.requireNonNull(provenance, "provenance");
            return this;
        }

        public Identity build() {
            return new Identity(principal, kind, groups, attributes, onBehalfOf, purpose, provenance);
        }
    }
}
