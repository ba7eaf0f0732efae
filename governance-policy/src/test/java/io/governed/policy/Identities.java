package io.governed.policy;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;

/** Identities the tests use. */
public final class Identities {

    private Identities() {
    }

    public static Identity human(String principal, String... groups) {
        return Identity.builder(principal).groups(groups).build();
    }

    public static Identity service(String principal) {
        return Identity.builder(principal).kind(IdentityKind.SERVICE).build();
    }

    public static Identity agent(String principal, Identity onBehalfOf) {
        return Identity.builder(principal).kind(IdentityKind.AGENT).onBehalfOf(onBehalfOf).build();
    }
}
