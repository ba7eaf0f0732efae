package io.governed.jdbc.identity.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.governed.identity.Identity;
import io.governed.identity.IdentityProvenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The identities a {@link TokenVerifier} of this process made, remembered by reference (weakly, so they
 * are forgotten with their last use). An identity that claims a verified provenance but is not one of
 * them — built or deserialised by the application, or copied with {@code toBuilder()} — is treated as
 * asserted: a verified provenance cannot be forged by building an {@code Identity}.
 */
public final class VerifiedIdentities {
    private static final Logger LOG = LoggerFactory.getLogger(VerifiedIdentities.class);
    private static final Cache<Identity, Boolean> VOUCHED = Caffeine.newBuilder().weakKeys().build();
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private VerifiedIdentities() {
    }

    /** The verified identities of service tokens the settings give ({@code governed.identity.token}), by reference. */
    private static final Cache<Identity, Boolean> GIVEN_BY_SETTINGS = Caffeine.newBuilder().weakKeys().build();

    /** Remembers {@code identity}, made by a verifier, as the one a service token of the settings vouches for. */
    static void givenBySettings(Identity identity) {
        GIVEN_BY_SETTINGS.put(identity, Boolean.TRUE);
    }

    /**
     * Whether this very identity object was verified from a service token the settings give
     * ({@code governed.identity.token}), not from a token the application handed over (a request's).
     */
    public static boolean fromSettings(Identity identity) {
        return identity != null && GIVEN_BY_SETTINGS.getIfPresent(identity) != null;
    }

    /** Remembers {@code identity} as made by a verifier. */
    static void vouch(Identity identity) {
        VOUCHED.put(identity, Boolean.TRUE);
    }

    /** Whether a verifier of this process made this very identity object. */
    public static boolean vouchedFor(Identity identity) {
        return VOUCHED.getIfPresent(identity) != null;
    }

    /**
     * {@code identity} as governance takes it: itself when it is asserted or a verifier made it; otherwise
     * a copy whose every link is asserted.
     */
    public static Identity established(Identity identity) {
        if (identity == null || !identity.isVerified() || vouchedFor(identity)) {
            return identity;
        }
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("An identity claims to be verified but no token verifier of this process made it (it was built, "
                    + "deserialised or copied): it is treated as asserted. Use the identity TokenVerifier.verify returns, as it is.");
        }
        return asserted(identity);
    }

    private static Identity asserted(Identity identity) {
        return identity.toBuilder().provenance(IdentityProvenance.ASSERTED)
                .onBehalfOf(identity.onBehalfOf() == null ? null : asserted(identity.onBehalfOf())).build();
    }
}
