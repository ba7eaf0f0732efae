package io.governed.jdbc.identity.token;

import io.governed.identity.Identity;

import java.time.Instant;
import java.util.Objects;

/**
 * What a token vouched for, once its signature and claims were checked: the identity (an actor acting
 * for its subject when the token has an {@code act} claim) and where it came from. It holds no token:
 * nothing here is a credential.
 *
 * <pre>{@code
 * VerifiedToken token = governance.tokenVerifier().verify(bearer);
 * IdentityContext.runAs(token, () -> orderDao.findAll());
 * }</pre>
 *
 * @param identity  the identity, its provenance verified (so are the identities it acts for)
 * @param issuer    the issuer ({@code iss})
 * @param keyId     the signing key's id ({@code kid}), or {@code null}
 * @param tokenId   the token's id ({@code jti}), or {@code null}
 * @param expiresAt when the token expires ({@code exp})
 */
public record VerifiedToken(Identity identity, String issuer, String keyId, String tokenId, Instant expiresAt) {
    public VerifiedToken {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
