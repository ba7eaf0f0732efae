package io.governed.jdbc.identity.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.governed.identity.Identity;
import io.governed.identity.IdentityProvenance;
import io.governed.jdbc.config.GovernedSettings;
import io.governed.jdbc.config.Setting;
import io.governed.settings.Quantities;

import java.sql.SQLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a bearer token (a signed JWT from Okta, Entra ID, Keycloak, Auth0, Cognito or any OpenID
 * Connect provider) into a {@link VerifiedToken}, or refuses it with an {@link InvalidTokenException}
 * naming the cause. Signatures and keys are nimbus-jose-jwt's; the key set is fetched, cached and
 * refreshed as {@link JwksSources} says.
 *
 * <p>A token is accepted when it is a JWS signed with one of the accepted algorithms (never
 * {@code none}, never HMAC) by a key of the issuer's set, its {@code iss} is the issuer, the audience
 * is among its {@code aud}, it has an {@code exp} not past and any {@code nbf}/{@code iat} not in the
 * future (each within the clock skew), and its claims give a principal. Thread-safe.
 */
public final class TokenVerifier {
    /** The clock skew when none is configured. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TokenVerifier.class);
    /**
     * Longest token accepted, in characters (a {@code Bearer } prefix and white space around it aside). Longer ones are
     * refused ({@link TokenRefusal#TOO_LONG}) before they are parsed, and a token file or standard input is not read
     * past it ({@link TokenText}): an unbounded read would let whoever gives the token exhaust memory.
     */
    public static final int MAX_TOKEN_LENGTH = 16 * 1024;
    private static final Set<String> TOKEN_TYPES = Set.of("jwt", "at+jwt", "application/jwt", "application/at+jwt",
            "application/okta-internal-at+jwt");

    private final String issuer;
    private final String audience;
    private final Duration clockSkew;
    private final Set<JWSAlgorithm> algorithms;
    private final ClaimMapping claims;
    private final Set<String> allowedActors;
    private final Clock clock;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final IdentityClaims identityClaims;

    private TokenVerifier(Builder b) {
        this.issuer = require(b.issuer, "an issuer (governed.identity.issuer)");
        this.audience = require(b.audience, "an audience (governed.identity.audience)");
        this.clockSkew = b.clockSkew;
        this.algorithms = b.algorithms == null ? defaultAlgorithms() : Set.copyOf(b.algorithms);
        this.claims = b.claims;
        this.allowedActors = Set.copyOf(b.allowedActors);
        this.clock = b.clock;
        JWKSource<SecurityContext> keys = b.keys != null ? b.keys
                : JwksSources.of(require(b.jwks, "the issuer's keys (governed.identity.jwks)"), b.cacheTtl, b.refreshInterval);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        processor.setJWSTypeVerifier((type, context) -> {
            if (type != null && !TOKEN_TYPES.contains(type.getType().toLowerCase(Locale.ROOT))) {
                throw new BadTypeException();
            }
        });
        processor.setJWTClaimsSetVerifier((claimsSet, context) -> { }); // checked after the signature, in checkClaims
        this.identityClaims = new IdentityClaims(claims, allowedActors);
        LOG.info("Verified identity: tokens of {} for {}, signed with {}, keys from {}", issuer, audience,
                algorithms.stream().map(JWSAlgorithm::getName).toList(), b.keys != null ? "the application's key source" : b.jwks);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The verifier {@code governed.identity.*} describes, or {@code null} when {@code governed.identity.jwks} is not set.
     *
     * @throws SQLException (08001) when the settings are incomplete or invalid
     */
    public static TokenVerifier fromSettings(GovernedSettings settings) throws SQLException {
        String jwks = settings.get(Setting.IDENTITY_JWKS);
        if (jwks == null || jwks.isBlank()) {
            for (Setting s : List.of(Setting.IDENTITY_ISSUER, Setting.IDENTITY_AUDIENCE, Setting.IDENTITY_TOKEN)) {
                if (settings.get(s) != null) {
                    throw GovernedSettings.withoutJwks(s);
                }
            }
            return null;
        }
        try {
            Builder b = builder().jwks(jwks).issuer(settings.get(Setting.IDENTITY_ISSUER))
                    .audience(settings.get(Setting.IDENTITY_AUDIENCE)).claims(claimsFrom(settings));
            String skew = settings.get(Setting.IDENTITY_CLOCK_SKEW);
            if (skew != null) {
                b.clockSkew(Quantities.parseDuration(Setting.IDENTITY_CLOCK_SKEW.key(), skew));
            }
            String algorithms = settings.get(Setting.IDENTITY_ALGORITHMS);
            if (algorithms != null) {
                b.algorithms(list(algorithms).toArray(String[]::new));
            }
            String actors = settings.get(Setting.IDENTITY_ACTORS);
            if (actors != null) {
                b.allowedActors(list(actors));
            }
            String ttl = settings.get(Setting.IDENTITY_JWKS_CACHE_TTL);
            String interval = settings.get(Setting.IDENTITY_JWKS_REFRESH_INTERVAL);
            b.keyCaching(ttl == null ? b.cacheTtl : Quantities.parseDuration(Setting.IDENTITY_JWKS_CACHE_TTL.key(), ttl),
                    interval == null ? b.refreshInterval : Quantities.parseDuration(Setting.IDENTITY_JWKS_REFRESH_INTERVAL.key(), interval));
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new SQLException("Verified identity cannot be set up: " + e.getMessage(), GovernedSettings.SQLSTATE_BAD_CONFIGURATION, e);
        }
    }

    private static ClaimMapping claimsFrom(GovernedSettings settings) {
        ClaimMapping mapping = ClaimMapping.preset(settings.get(Setting.IDENTITY_CLAIMS));
        String principal = settings.get(Setting.IDENTITY_CLAIM_PRINCIPAL);
        if (principal != null) {
            mapping = mapping.withPrincipal(list(principal));
        }
        String groups = settings.get(Setting.IDENTITY_CLAIM_GROUPS);
        if (groups != null) {
            mapping = mapping.withGroups(list(groups));
        }
        String kind = settings.get(Setting.IDENTITY_CLAIM_KIND);
        if (kind != null) {
            mapping = mapping.withKind(kind.trim());
        }
        String purpose = settings.get(Setting.IDENTITY_CLAIM_PURPOSE);
        if (purpose != null) {
            mapping = mapping.withPurpose(purpose.trim());
        }
        for (var attribute : settings.withPrefix(Setting.CLAIM_ATTRIBUTE_PREFIX).entrySet()) {
            mapping = mapping.withAttribute(attribute.getKey(), attribute.getValue().trim());
        }
        return mapping;
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** RS256 and ES256, and EdDSA when Google Tink (which nimbus verifies Ed25519 with) is on the classpath. */
    static Set<JWSAlgorithm> defaultAlgorithms() {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>(List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256));
        if (eddsaSupported()) {
            algorithms.add(JWSAlgorithm.EdDSA);
        }
        return algorithms;
    }

    static boolean eddsaSupported() {
        try {
            Class.forName("com.google.crypto.tink.subtle.Ed25519Verify", false, TokenVerifier.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The token checked and mapped to an identity.
     *
     * @throws InvalidTokenException naming why the token was refused (never what it holds)
     */
    public VerifiedToken verify(String token) throws InvalidTokenException {
        SignedJWT jwt = parse(token);
        JWTClaimsSet claimsSet;
        try {
            claimsSet = processor.process(jwt, null);
        } catch (BadTypeException e) {
            throw new InvalidTokenException(TokenRefusal.WRONG_TYPE, null);
        } catch (BadJWSException e) {
            throw new InvalidTokenException(TokenRefusal.BAD_SIGNATURE, null);
        } catch (BadJOSEException e) {
            // the algorithm is accepted (checked in parse), so no key was found for it
            throw new InvalidTokenException(TokenRefusal.UNKNOWN_KEY, null);
        } catch (RateLimitReachedException e) {
            throw new InvalidTokenException(TokenRefusal.UNKNOWN_KEY,
                    "the key set was fetched again only recently; fetches are rate limited by governed.identity.jwks.refresh-interval");
        } catch (KeySourceException e) {
            throw new InvalidTokenException(TokenRefusal.KEYS_UNAVAILABLE, e.getClass().getSimpleName(), e);
        } catch (JOSEException e) {
            throw new InvalidTokenException(TokenRefusal.BAD_SIGNATURE, "the key does not fit the algorithm");
        }
        Instant expiresAt = checkClaims(claimsSet);
        String keyId = jwt.getHeader().getKeyID();
        String tokenId = claimsSet.getJWTID();
        IdentityProvenance provenance = IdentityProvenance.verified(issuer, keyId, tokenId, expiresAt);
        Identity identity = identityClaims.identity(claimsSet.getClaims(), provenance);
        VerifiedIdentities.vouch(identity);
        return new VerifiedToken(identity, issuer, keyId, tokenId, expiresAt);
    }

    private SignedJWT parse(String token) throws InvalidTokenException {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException(TokenRefusal.MALFORMED, "it is empty");
        }
        String text = token.trim();
        if (text.regionMatches(true, 0, "Bearer ", 0, 7)) {
            text = text.substring(7).trim();
        }
        if (text.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException(TokenRefusal.TOO_LONG, null);
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(text);
            jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException(TokenRefusal.MALFORMED, null);
        }
        if (jwt instanceof PlainJWT) {
            throw new InvalidTokenException(TokenRefusal.UNSIGNED, null);
        }
        if (jwt instanceof EncryptedJWT || !(jwt instanceof SignedJWT signed)) {
            throw new InvalidTokenException(TokenRefusal.ENCRYPTED, null);
        }
        JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
        if (JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)) {
            throw new InvalidTokenException(TokenRefusal.HMAC, null);
        }
        if (!algorithms.contains(algorithm)) {
            boolean known = JWSAlgorithm.Family.SIGNATURE.contains(algorithm);
            throw new InvalidTokenException(TokenRefusal.ALGORITHM_NOT_ACCEPTED, (known ? "it is " + algorithm.getName() + "; " : "")
                    + "accepted: " + String.join(", ", algorithms.stream().map(JWSAlgorithm::getName).toList()));
        }
        return signed;
    }

    /** Checks the registered claims; returns the expiry. */
    private Instant checkClaims(JWTClaimsSet claimsSet) throws InvalidTokenException {
        Instant now = clock.instant();
        if (claimsSet.getExpirationTime() == null) {
            throw new InvalidTokenException(TokenRefusal.MISSING_CLAIM, "exp: a token must expire");
        }
        Instant expiresAt = claimsSet.getExpirationTime().toInstant();
        if (now.isAfter(expiresAt.plus(clockSkew))) {
            throw new InvalidTokenException(TokenRefusal.EXPIRED, null);
        }
        Instant earliest = now.plus(clockSkew);
        if ((claimsSet.getNotBeforeTime() != null && claimsSet.getNotBeforeTime().toInstant().isAfter(earliest))
                || (claimsSet.getIssueTime() != null && claimsSet.getIssueTime().toInstant().isAfter(earliest))) {
            throw new InvalidTokenException(TokenRefusal.NOT_YET_VALID, null);
        }
        if (!issuer.equals(claimsSet.getIssuer())) {
            throw new InvalidTokenException(claimsSet.getIssuer() == null ? TokenRefusal.MISSING_CLAIM : TokenRefusal.WRONG_ISSUER,
                    claimsSet.getIssuer() == null ? "iss" : null);
        }
        boolean forUs = claims.audience().stream()
                .flatMap(path -> ClaimMapping.values(claimsSet.getClaims(), path).stream())
                .anyMatch(value -> value instanceof List<?> list ? list.contains(audience) : audience.equals(value));
        if (!forUs) {
            throw new InvalidTokenException(TokenRefusal.WRONG_AUDIENCE, null);
        }
        return expiresAt;
    }

    /** Whether an identity verified from a token has expired by now (beyond the clock skew). */
    public boolean expired(Identity identity) {
        return identity.isVerified() && clock.instant().isAfter(identity.provenance().expiresAt().plus(clockSkew));
    }

    /** The issuer tokens must name. */
    public String issuer() {
        return issuer;
    }

    /** The signature algorithms accepted. */
    public Set<JWSAlgorithm> algorithms() {
        return algorithms;
    }

    /** The tolerance for {@code exp}, {@code nbf} and {@code iat}. */
    public Duration clockSkew() {
        return clockSkew;
    }

    private static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("verified identity needs " + what);
        }
        return value.trim();
    }

    /** A token type (typ) that is not a JWT access or identity token. */
    private static final class BadTypeException extends BadJOSEException {
        BadTypeException() {
            super("unexpected token type");
        }
    }

    /** Builds a {@link TokenVerifier}; the issuer, the audience and the keys are required. */
    public static final class Builder {
        private String jwks;
        private JWKSource<SecurityContext> keys;
        private String issuer;
        private String audience;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Set<JWSAlgorithm> algorithms;
        private ClaimMapping claims = ClaimMapping.STANDARD;
        private Set<String> allowedActors = Set.of();
        private Clock clock = Clock.systemUTC();
        private Duration cacheTtl = Duration.ofMinutes(5);
        private Duration refreshInterval = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The issuer's keys: an {@code https://} JWKS URL ({@code http://} on loopback only), or a JWKS file. */
        public Builder jwks(String location) {
            this.jwks = location;
            return this;
        }

        /** The issuer's keys from a nimbus key source the application built; wins over {@link #jwks}. */
        public Builder keys(JWKSource<SecurityContext> keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        public Builder clockSkew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("the clock skew must be between 0 and 10m, got " + skew);
            }
            this.clockSkew = skew;
            return this;
        }

        /**
         * The signature algorithms accepted ({@code RS256}, {@code PS256}, {@code ES256}, {@code EdDSA}, …).
         *
         * @throws IllegalArgumentException for {@code none}, an HMAC algorithm, an unknown name, or EdDSA without Tink
         */
        public Builder algorithms(String... names) {
            Set<JWSAlgorithm> chosen = new LinkedHashSet<>();
            for (String name : names) {
                JWSAlgorithm algorithm = JWSAlgorithm.parse(name.trim());
                if (name.trim().equalsIgnoreCase("none") || JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)) {
                    throw new IllegalArgumentException("the algorithm " + name.trim() + " is never accepted: "
                            + "tokens must be signed with an asymmetric key (RS256, ES256, EdDSA, …)");
                }
                if (!JWSAlgorithm.Family.SIGNATURE.contains(algorithm)) {
                    throw new IllegalArgumentException("unknown signature algorithm '" + name.trim() + "': use names like RS256, "
                            + "PS256, ES256, ES384, EdDSA");
                }
                if (algorithm.equals(JWSAlgorithm.EdDSA) && !eddsaSupported()) {
                    throw new IllegalArgumentException("EdDSA needs com.google.crypto.tink:tink on the classpath");
                }
                chosen.add(algorithm);
            }
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("name at least one signature algorithm, like RS256");
            }
            this.algorithms = chosen;
            return this;
        }

        /** Which claims make the identity; {@link ClaimMapping#STANDARD} unless set. */
        public Builder claims(ClaimMapping claims) {
            this.claims = Objects.requireNonNull(claims, "claims");
            return this;
        }

        /** The principals allowed to act for others ({@code act} claim); empty (the default): any. */
        public Builder allowedActors(java.util.Collection<String> actors) {
            this.allowedActors = Set.copyOf(actors);
            return this;
        }

        /**
         * How long fetched keys are used (default 5m), and the least time between fetches that unknown key ids
         * cause (default 30s; shorter than the time to live). Within one refresh interval the set is fetched at
         * most twice: a flood of tokens with made-up key ids cannot hammer the issuer.
         */
        public Builder keyCaching(Duration cacheTtl, Duration refreshInterval) {
            if (cacheTtl.isNegative() || cacheTtl.isZero() || refreshInterval.isNegative()) {
                throw new IllegalArgumentException("the key cache time to live must be positive and the refresh interval not negative");
            }
            if (refreshInterval.compareTo(cacheTtl) >= 0) {
                throw new IllegalArgumentException("governed.identity.jwks.refresh-interval (" + refreshInterval
                        + ") must be shorter than governed.identity.jwks.cache-ttl (" + cacheTtl + ")");
            }
            this.cacheTtl = cacheTtl;
            this.refreshInterval = refreshInterval;
            return this;
        }

        /** The clock tokens' times are checked against (a fixed one in tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @throws IllegalArgumentException when the issuer, the audience or the keys are missing or unusable
         */
        public TokenVerifier build() {
            return new TokenVerifier(this);
        }
    }
}
