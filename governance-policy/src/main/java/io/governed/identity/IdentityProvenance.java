package io.governed.identity;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * How an {@link Identity} was established: asserted by the application (a setting, a {@code runAs}
 * with an identity it built), or verified from a signed token. A verified identity names the issuer
 * that vouched for it, the key that signed the token, the token's id and when it expires; it never
 * holds the token itself.
 *
 * @param source    asserted or verified
 * @param issuer    the token's issuer ({@code iss}); {@code null} for an asserted identity
 * @param keyId     the id ({@code kid}) of the key that signed the token, or {@code null}
 * @param tokenId   the token's id ({@code jti}), or {@code null}
 * @param expiresAt when the token expires ({@code exp}); {@code null} for an asserted identity
 */
public record IdentityProvenance(Source source, String issuer, String keyId, String tokenId, Instant expiresAt) {

    /** An identity the application asserted: nobody vouched for it. */
    public static final IdentityProvenance ASSERTED = new IdentityProvenance(Source.ASSERTED, null, null, null, null);

    /** Who vouched for an identity. */
    public enum Source {
        /** The application said so. */
        ASSERTED,
        /** A signed token, checked against the issuer's keys. */
        VERIFIED;

        private final String externalName = name().toLowerCase(Locale.ROOT);

        /** {@code asserted} or {@code verified}, as audit events and policies write it. */
        public String externalName() {
            return externalName; // one string: audit writers encode it once
        }
    }

    public IdentityProvenance {
        Objects.requireNonNull(source, "source");
        if (source == Source.VERIFIED && (issuer == null || issuer.isBlank() || expiresAt == null)) {
            throw new IllegalArgumentException("a verified identity needs the issuer and the expiry of its token");
        }
    }

    /** The provenance of an identity taken from a token that was verified. */
    public static IdentityProvenance verified(String issuer, String keyId, String tokenId, Instant expiresAt) {
        return new IdentityProvenance(Source.VERIFIED, issuer, keyId, tokenId, expiresAt);
    }

    /** Whether a signed token vouched for the identity. */
    public boolean isVerified() {
        return source == Source.VERIFIED;
    }
}
