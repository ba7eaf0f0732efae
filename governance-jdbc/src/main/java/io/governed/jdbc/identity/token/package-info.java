/**
 * Verified identity: signed OIDC/JWT access tokens turned into identities whose provenance is verified.
 *
 * <p>{@link io.governed.jdbc.identity.token.TokenVerifier} checks a token (signature against the issuer's key
 * set, algorithm, issuer, audience, expiry within the clock skew) with nimbus-jose-jwt and maps its claims as a
 * {@link io.governed.jdbc.identity.token.ClaimMapping} (a preset per identity provider) says, an {@code act}
 * claim making the identity an actor acting for the token's subject. The result is a
 * {@link io.governed.jdbc.identity.token.VerifiedToken}; a refused token is an
 * {@link io.governed.jdbc.identity.token.InvalidTokenException} (SQLState 28000) naming its
 * {@link io.governed.jdbc.identity.token.TokenRefusal cause}. A
 * {@link io.governed.jdbc.identity.token.ServiceToken} is a service account's own token, verified again when it
 * expires. Nothing here logs, audits or puts in a message a token or its claims.
 */
package io.governed.jdbc.identity.token;
