package io.governed.jdbc.identity.token;

import com.nimbusds.jwt.JWTClaimsSet;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Tokens shaped like those of Okta, Entra ID, Keycloak, Auth0 and Cognito, and delegated (act) tokens, as identities. */
class ClaimMappingTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final long IAT = NOW.getEpochSecond() - 10;
    private static final long EXP = NOW.getEpochSecond() + 3600;
    @TempDir
    static Path dir;
    private static TestIssuer idp;
    private static String jwks;

    @BeforeAll
    static void keys() {
        idp = TestIssuer.create();
        jwks = idp.writeJwks(dir).toString();
    }

    private static Identity verify(ClaimMapping mapping, String issuer, String audience, Map<String, Object> claims)
            throws InvalidTokenException {
        return verifier(mapping, issuer, audience, Set.of()).verify(idp.rs256(TestIssuer.parse(claims))).identity();
    }

    private static TokenVerifier verifier(ClaimMapping mapping, String issuer, String audience, Set<String> actors) {
        return TokenVerifier.builder().jwks(jwks).issuer(issuer).audience(audience).claims(mapping).allowedActors(actors)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    private static Map<String, Object> token(Object... pairs) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iat", IAT);
        claims.put("exp", EXP);
        for (int i = 0; i < pairs.length; i += 2) {
            claims.put((String) pairs[i], pairs[i + 1]);
        }
        return claims;
    }

    @Test
    void oktaAccessTokensMapSubAndGroupsAndClientCredentialsToAService() throws Exception {
        String iss = "https://acme.okta.com/oauth2/default";
        Identity alice = verify(ClaimMapping.preset("okta"), iss, "api://default", token("ver", 1, "jti", "AT.x1", "iss", iss,
                "aud", "api://default", "cid", "0oa-web", "uid", "00u-alice", "scp", List.of("openid", "orders.read"),
                "sub", "alice@acme.com", "groups", List.of("Everyone", "analysts")));
        Identity batch = verify(ClaimMapping.preset("okta"), iss, "api://default", token("ver", 1, "iss", iss,
                "aud", "api://default", "cid", "0oa-batch", "scp", List.of("orders.write"), "sub", "0oa-batch"));

        assertThat(alice.principal()).isEqualTo("alice@acme.com");
        assertThat(alice.groups()).containsExactly("Everyone", "analysts"); // in the claim's order
        assertThat(alice.kind()).isEqualTo(IdentityKind.HUMAN);
        assertThat(batch.kind()).isEqualTo(IdentityKind.SERVICE);
        assertThat(batch.principal()).isEqualTo("0oa-batch");
    }

    @Test
    void entraTokensMapTheObjectIdGroupsAndAppRolesAndAppOnlyTokensToAService() throws Exception {
        String iss = "https://login.microsoftonline.com/72f988bf-tenant/v2.0";
        ClaimMapping entra = ClaimMapping.preset("entra");
        Identity alice = verify(entra, iss, "api://orders", token("aud", "api://orders", "iss", iss, "nbf", IAT,
                "azp", "web-app-id", "name", "Alice", "oid", "a11ce-0000-oid", "preferred_username", "alice@contoso.com",
                "roles", List.of("Orders.Read"), "groups", List.of("grp-analysts"), "scp", "orders.read",
                "sub", "pairwise-subject", "tid", "72f988bf-tenant", "ver", "2.0"));
        Identity daemon = verify(entra, iss, "api://orders", token("aud", "api://orders", "iss", iss, "azp", "daemon-app-id",
                "idtyp", "app", "oid", "sp-0000-oid", "sub", "sp-0000-oid", "roles", List.of("Orders.ReadWrite.All"),
                "tid", "72f988bf-tenant", "ver", "2.0"));

        assertThat(alice.principal()).isEqualTo("a11ce-0000-oid");
        assertThat(alice.groups()).containsExactly("grp-analysts", "Orders.Read"); // groups, then roles: the mapping's order
        assertThat(alice.kind()).isEqualTo(IdentityKind.HUMAN);
        assertThat(daemon.kind()).isEqualTo(IdentityKind.SERVICE);
        assertThat(daemon.groups()).containsExactly("Orders.ReadWrite.All");
    }

    @Test
    void keycloakTokensMapTheUsernameAndRealmRolesAndServiceAccounts() throws Exception {
        String iss = "https://kc.example.test/realms/acme";
        ClaimMapping keycloak = ClaimMapping.preset("keycloak");
        Identity alice = verify(keycloak, iss, "orders", token("jti", "k1", "iss", iss, "aud", List.of("orders", "account"),
                "sub", "f1c3-uuid", "typ", "Bearer", "azp", "web", "preferred_username", "alice", "email", "alice@acme.test",
                "realm_access", Map.of("roles", List.of("analysts", "offline_access")),
                "resource_access", Map.of("orders", Map.of("roles", List.of("reader")))));
        Identity batch = verify(keycloak, iss, "orders", token("iss", iss, "aud", "orders", "sub", "9b2e-uuid", "azp", "batch",
                "preferred_username", "service-account-batch", "realm_access", Map.of("roles", List.of("etl"))));

        assertThat(alice.principal()).isEqualTo("alice");
        assertThat(alice.groups()).containsExactly("analysts", "offline_access");
        assertThat(batch.kind()).isEqualTo(IdentityKind.SERVICE);
        assertThat(batch.principal()).isEqualTo("service-account-batch");
    }

    @Test
    void auth0TokensMapNamespacedRolesAndMachineToMachineTokens() throws Exception {
        String iss = "https://acme.us.auth0.com/";
        ClaimMapping auth0 = ClaimMapping.preset("auth0");
        Identity alice = verify(auth0, iss, "https://orders.api", token("iss", iss, "sub", "auth0|64ab", "aud",
                List.of("https://orders.api", "https://acme.us.auth0.com/userinfo"), "azp", "spa", "scope", "openid orders:read",
                "https://acme.example/roles", List.of("analysts"), "https://acme.example/groups", List.of("emea")));
        Identity m2m = verify(auth0, iss, "https://orders.api", token("iss", iss, "sub", "Xy12@clients", "aud", "https://orders.api",
                "azp", "Xy12", "gty", "client-credentials", "scope", "orders:write"));

        assertThat(alice.principal()).isEqualTo("auth0|64ab");
        assertThat(alice.groups()).containsExactly("emea", "analysts"); // …/groups, then …/roles
        assertThat(m2m.kind()).isEqualTo(IdentityKind.SERVICE);
    }

    @Test
    void cognitoAccessTokensMapTheUsernameAndGroupsAndCarryTheAudienceInClientId() throws Exception {
        String iss = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdE";
        Identity alice = verify(ClaimMapping.preset("cognito"), iss, "3n4b5urk1ft4fl3mg5e62d9ado", token("sub", "7d8e-uuid",
                "cognito:groups", List.of("analysts"), "iss", iss, "version", 2, "client_id", "3n4b5urk1ft4fl3mg5e62d9ado",
                "token_use", "access", "scope", "aws.cognito.signin.user.admin", "jti", "c1", "username", "alice"));

        assertThat(alice.principal()).isEqualTo("alice");
        assertThat(alice.groups()).containsExactly("analysts");
    }

    @Test
    void anAgentActingForAPersonIsTheAgentOnBehalfOfThePersonWithThePersonsGroups() throws Exception {
        ClaimMapping mapping = ClaimMapping.STANDARD.withPurpose("purpose").withAttribute("tenant", "tid");
        Identity identity = verify(mapping, TestIssuer.ISSUER, TestIssuer.AUDIENCE, token("iss", TestIssuer.ISSUER,
                "aud", TestIssuer.AUDIENCE, "sub", "alice", "groups", List.of("analysts"), "tid", "acme",
                "purpose", "support-ticket", "act", Map.of("sub", "agent-7")));

        assertThat(identity.principal()).isEqualTo("agent-7");
        assertThat(identity.kind()).isEqualTo(IdentityKind.AGENT);
        assertThat(identity.groups()).isEmpty();
        assertThat(identity.purpose()).isEqualTo("support-ticket");
        assertThat(identity.attribute("tenant")).isEqualTo("acme");
        assertThat(identity.isVerified()).isTrue();
        Identity alice = identity.onBehalfOf();
        assertThat(alice.principal()).isEqualTo("alice");
        assertThat(alice.kind()).isEqualTo(IdentityKind.HUMAN);
        assertThat(alice.groups()).containsExactly("analysts");
        assertThat(alice.isVerified()).isTrue();
        assertThat(identity.describe()).isEqualTo("agent-7 for alice");
    }

    @Test
    void nestedActorsAreKeptAsAChainWithTheOutermostAsTheCurrentActor() throws Exception {
        ClaimMapping mapping = ClaimMapping.STANDARD.withKind("kind");
        Identity identity = verify(mapping, TestIssuer.ISSUER, TestIssuer.AUDIENCE, token("iss", TestIssuer.ISSUER,
                "aud", TestIssuer.AUDIENCE, "sub", "alice", "act", Map.of("sub", "worker",
                        "act", Map.of("sub", "etl-runner", "kind", "service"))));

        assertThat(identity.describe()).isEqualTo("worker for etl-runner for alice");
        assertThat(identity.kind()).isEqualTo(IdentityKind.AGENT);
        assertThat(identity.onBehalfOf().kind()).isEqualTo(IdentityKind.SERVICE);
    }

    @Test
    void anActorNotAllowedToActForOthersIsRefusedWhereverItIsInTheChain() {
        TokenVerifier onlyAgent7 = verifier(ClaimMapping.STANDARD, TestIssuer.ISSUER, TestIssuer.AUDIENCE, Set.of("agent-7"));
        JWTClaimsSet rogue = TestIssuer.parse(token("iss", TestIssuer.ISSUER, "aud", TestIssuer.AUDIENCE, "sub", "alice",
                "act", Map.of("sub", "rogue-bot")));
        JWTClaimsSet laundered = TestIssuer.parse(token("iss", TestIssuer.ISSUER, "aud", TestIssuer.AUDIENCE, "sub", "alice",
                "act", Map.of("sub", "agent-7", "act", Map.of("sub", "rogue-bot"))));
        JWTClaimsSet notAnObject = TestIssuer.parse(token("iss", TestIssuer.ISSUER, "aud", TestIssuer.AUDIENCE, "sub", "alice",
                "act", "agent-7"));

        for (JWTClaimsSet claims : List.of(rogue, laundered)) {
            InvalidTokenException refused = catchThrowableOfType(InvalidTokenException.class, () -> onlyAgent7.verify(idp.rs256(claims)));
            assertThat(refused.refusal()).isEqualTo(TokenRefusal.ACTOR_NOT_ALLOWED);
            assertThat(refused.getMessage()).doesNotContain("rogue-bot");
        }
        InvalidTokenException bad = catchThrowableOfType(InvalidTokenException.class, () -> onlyAgent7.verify(idp.rs256(notAnObject)));
        assertThat(bad.refusal()).isEqualTo(TokenRefusal.BAD_CLAIM);
    }

    @Test
    void aPrincipalClaimThatIsAbsentRefusesTheTokenNamingTheSetting() {
        ClaimMapping byEmail = ClaimMapping.STANDARD.withPrincipal(List.of("email"));
        InvalidTokenException refused = catchThrowableOfType(InvalidTokenException.class, () -> verify(byEmail, TestIssuer.ISSUER, TestIssuer.AUDIENCE,
                token("iss", TestIssuer.ISSUER, "aud", TestIssuer.AUDIENCE, "sub", "alice")));

        assertThat(refused.refusal()).isEqualTo(TokenRefusal.MISSING_CLAIM);
        assertThat(refused.getMessage()).contains("governed.identity.claim.principal");
    }
}
