package io.governed.spring.boot;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.governed.identity.Identity;
import io.governed.jdbc.identity.IdentityRefusedException;
import io.governed.jdbc.identity.token.InvalidTokenException;
import io.governed.jdbc.identity.token.TokenRefusal;
import io.governed.jdbc.identity.token.TokenVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** With verified identity set up, a JWT authentication's bearer token is verified, not taken on trust. */
class VerifiedBearerTokenResolverTest {
    private static final String ISSUER = "https://idp.example.test";
    private static final String AUDIENCE = "api://orders";
    @TempDir
    Path dir;

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static void signIn(String token, Map<String, Object> claims) {
        Jwt jwt = Jwt.withTokenValue(token).header("alg", "RS256").claims(c -> c.putAll(claims)).build();
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt, List.of()));
    }

    @Test
    void applicationPropertiesBecomeTheDriversVerifiedIdentitySettings() {
        GovernedProperties properties = new GovernedProperties();
        GovernedProperties.IdentitySettings identity = properties.getIdentity();
        identity.setJwks("https://acme.okta.com/oauth2/default/v1/keys");
        identity.setIssuer("https://acme.okta.com/oauth2/default");
        identity.setAudience(AUDIENCE);
        identity.setClaims("okta");
        identity.setActors(List.of("support-agent", "planner"));
        identity.getClaim().setAttribute(Map.of("tenant", "tid"));
        identity.getClaim().setGroups(List.of("groups", "roles"));

        var driver = properties.toDriverProperties();

        assertThat(driver.getProperty("governed.identity.jwks")).isEqualTo("https://acme.okta.com/oauth2/default/v1/keys");
        assertThat(driver.getProperty("governed.identity.issuer")).isEqualTo("https://acme.okta.com/oauth2/default");
        assertThat(driver.getProperty("governed.identity.audience")).isEqualTo(AUDIENCE);
        assertThat(driver.getProperty("governed.identity.claims")).isEqualTo("okta");
        assertThat(driver.getProperty("governed.identity.actors")).isEqualTo("support-agent,planner");
        assertThat(driver.getProperty("governed.identity.claim.attribute.tenant")).isEqualTo("tid");
        assertThat(driver.getProperty("governed.identity.claim.groups")).isEqualTo("groups,roles");
        assertThat(driver.getProperty("governed.identity.token")).isNull();
    }

    @Test
    void aVerifiedBearerTokenIsTheIdentityAndAForgedOneRefusesTheStatement() throws Exception {
        RSAKey issuerKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        RSAKey attackerKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(issuerKey.toPublicJWK()).toString());
        SpringSecurityIdentityResolver resolver = new SpringSecurityIdentityResolver();
        resolver.useVerifier(TokenVerifier.builder().jwks(jwks.toString()).issuer(ISSUER).audience(AUDIENCE).build());
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("alice")
                .claim("groups", List.of("analysts")).claim("act", Map.of("sub", "agent-7"))
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build();

        signIn(sign(issuerKey, claims), Map.of("sub", "alice"));
        Identity identity = resolver.currentIdentity();
        assertThat(identity.describe()).isEqualTo("agent-7 for alice");
        assertThat(identity.isVerified()).isTrue();
        assertThat(identity.onBehalfOf().groups()).containsExactly("analysts");

        signIn(sign(attackerKey, claims), Map.of("sub", "alice"));
        IdentityRefusedException refused = catchThrowableOfType(IdentityRefusedException.class, resolver::currentIdentity);
        assertThat(((InvalidTokenException) refused.refusal()).refusal()).isEqualTo(TokenRefusal.BAD_SIGNATURE);
        assertThat(refused.refusal().getSQLState()).isEqualTo("28000");
    }

    @Test
    void aVerifiedTokenOrASignedInUserNamedAsTheMigrationPrincipalRefusesTheStatement() throws Exception {
        RSAKey issuerKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(issuerKey.toPublicJWK()).toString());
        SpringSecurityIdentityResolver resolver = new SpringSecurityIdentityResolver();
        resolver.useVerifier(TokenVerifier.builder().jwks(jwks.toString()).issuer(ISSUER).audience(AUDIENCE).build());
        resolver.refuseMigrationPrincipal(" schema-owner ");
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("schema-owner")
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build();

        signIn(sign(issuerKey, claims), Map.of("sub", "schema-owner"));
        IdentityRefusedException refused = catchThrowableOfType(IdentityRefusedException.class, resolver::currentIdentity);
        assertThat(refused.refusal().getSQLState()).isEqualTo("28000");
        assertThat(refused.refusal().getMessage()).contains("governed.migration.principal");

        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "schema-owner", null, AuthorityUtils.createAuthorityList("ROLE_USER")));
        assertThat(catchThrowableOfType(IdentityRefusedException.class, resolver::currentIdentity)).isNotNull();

        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "schema-owner-2", null, AuthorityUtils.createAuthorityList("ROLE_USER")));
        assertThat(resolver.currentIdentity().principal()).isEqualTo("schema-owner-2");
    }

    /** A clock the test moves: the verifier's, so that a token can expire while it is remembered. */
    private static final class MovingClock extends java.time.Clock {
        private volatile Instant now;

        MovingClock(Instant start) {
            now = start;
        }

        void advance(java.time.Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aRememberedTokenThatHasExpiredSinceIsVerifiedAgainAndRefusesTheStatement() throws Exception {
        RSAKey issuerKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(issuerKey.toPublicJWK()).toString());
        Instant start = Instant.now();
        MovingClock clock = new MovingClock(start);
        TokenVerifier verifier = TokenVerifier.builder().jwks(jwks.toString()).issuer(ISSUER).audience(AUDIENCE)
                .clockSkew(java.time.Duration.ZERO).clock(clock).build();
        SpringSecurityIdentityResolver resolver = new SpringSecurityIdentityResolver();
        resolver.useVerifier(verifier);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("alice")
                .claim("groups", List.of("analysts")).expirationTime(Date.from(start.plusSeconds(60))).build();
        signIn(sign(issuerKey, claims), Map.of("sub", "alice"));
        assertThat(resolver.currentIdentity().principal()).isEqualTo("alice");

        // within the five minutes verified tokens are remembered, but past the token's own expiry
        clock.advance(java.time.Duration.ofSeconds(90));
        IdentityRefusedException refused = catchThrowableOfType(IdentityRefusedException.class, resolver::currentIdentity);
        assertThat(refused).as("the identity of a token that expired while remembered").isNotNull();
        assertThat(((InvalidTokenException) refused.refusal()).refusal()).isEqualTo(TokenRefusal.EXPIRED);
        assertThat(refused.refusal().getSQLState()).isEqualTo("28000");

        String url = "jdbc:h2:mem:expired-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (java.sql.Connection raw = java.sql.DriverManager.getConnection(url);
             java.sql.Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(40))");
            org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
            h2.setURL(url);
            io.governed.jdbc.Governance governance = io.governed.jdbc.Governance.builder().withoutAudit()
                    .tokenVerifier(verifier).identityResolver(resolver).build();
            try (java.sql.Connection c = new io.governed.jdbc.GovernedDataSource(h2, governance).getConnection();
                 java.sql.Statement st = c.createStatement()) {
                java.sql.SQLException e = catchThrowableOfType(java.sql.SQLException.class,
                        () -> st.executeUpdate("INSERT INTO notes VALUES (1, 'x')"));
                assertThat((Throwable) e).as("the statement of a token that has expired since").isNotNull();
                assertThat(e.getSQLState()).isEqualTo("28000");
                assertThat(e.getMessage()).contains("expired");
            }
            try (java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM notes")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the refused insert never ran").isZero();
            }
        }
    }
}
