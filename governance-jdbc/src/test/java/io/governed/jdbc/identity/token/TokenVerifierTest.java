package io.governed.jdbc.identity.token;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.GovernanceException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.governed.jdbc.identity.token.TestIssuer.AUDIENCE;
import static io.governed.jdbc.identity.token.TestIssuer.ISSUER;
import static io.governed.jdbc.identity.token.TestIssuer.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Which tokens vouch for an identity, and how every other one is refused. */
class TokenVerifierTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static TestIssuer issuer;
    private static RSAKey attacker;
    @TempDir
    static Path dir;
    private static TokenVerifier verifier;

    @BeforeAll
    static void keys() throws JOSEException {
        issuer = TestIssuer.create();
        attacker = new RSAKeyGenerator(2048).keyID("attacker").generate();
        verifier = TokenVerifier.builder().jwks(issuer.writeJwks(dir).toString()).issuer(ISSUER).audience(AUDIENCE)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    private static JWTClaimsSet alice() {
        return claims("alice", NOW).claim("groups", List.of("analysts")).build();
    }

    @Test
    void aValidRs256TokenVouchesForItsSubjectWithItsGroups() throws Exception {
        JWTClaimsSet claims = alice();
        VerifiedToken token = verifier.verify(issuer.rs256(claims));

        Identity identity = token.identity();
        assertThat(identity.principal()).isEqualTo("alice");
        assertThat(identity.kind()).isEqualTo(IdentityKind.HUMAN);
        assertThat(identity.groups()).containsExactly("analysts");
        assertThat(identity.isVerified()).isTrue();
        assertThat(identity.provenance().issuer()).isEqualTo(ISSUER);
        assertThat(identity.provenance().keyId()).isEqualTo(issuer.rsa.getKeyID());
        assertThat(identity.provenance().tokenId()).isEqualTo(claims.getJWTID());
        assertThat(token.expiresAt()).isEqualTo(claims.getExpirationTime().toInstant());
    }

    @Test
    void aValidEs256TokenIsAcceptedAndABearerPrefixIsIgnored() throws Exception {
        VerifiedToken token = verifier.verify("Bearer " + issuer.es256(alice()));

        assertThat(token.identity().principal()).isEqualTo("alice");
        assertThat(token.keyId()).isEqualTo(issuer.ec.getKeyID());
    }

    @Test
    void aClientCredentialsTokenIsAService() throws Exception {
        JWTClaimsSet claims = claims("0oa-billing", NOW).claim("cid", "0oa-billing").claim("scp", List.of("orders.read")).build();

        Identity identity = verifier.verify(issuer.rs256(claims)).identity();

        assertThat(identity.kind()).isEqualTo(IdentityKind.SERVICE);
        assertThat(identity.principal()).isEqualTo("0oa-billing");
    }

    @Test
    void theClockSkewIsToleratedAtBothEdgesAndNoFurther() throws Exception {
        JWTClaimsSet justExpired = claims("alice", NOW).expirationTime(Date.from(NOW.minusSeconds(59))).build();
        JWTClaimsSet longExpired = claims("alice", NOW).expirationTime(Date.from(NOW.minusSeconds(61))).build();
        JWTClaimsSet almostValid = claims("alice", NOW).notBeforeTime(Date.from(NOW.plusSeconds(59))).build();
        JWTClaimsSet notYetValid = claims("alice", NOW).notBeforeTime(Date.from(NOW.plusSeconds(61))).build();

        assertThat(verifier.verify(issuer.rs256(justExpired)).identity().principal()).isEqualTo("alice");
        assertThat(verifier.verify(issuer.rs256(almostValid)).identity().principal()).isEqualTo("alice");
        assertRefused(issuer.rs256(longExpired), TokenRefusal.EXPIRED);
        assertRefused(issuer.rs256(notYetValid), TokenRefusal.NOT_YET_VALID);
    }

    @Test
    void everyForgedOrMisdirectedTokenIsRefusedNamingItsCause() throws Exception {
        String valid = issuer.rs256(alice());
        String[] parts = valid.split("\\.");
        Map<String, Object> elevated = new LinkedHashMap<>(alice().toJSONObject());
        elevated.put("groups", List.of("dba"));
        String tamperedPayload = parts[0] + "." + Base64URL.encode(TestIssuer.parse(elevated).toString()) + "." + parts[2];
        byte[] publicKeyAsSecret = issuer.rsa.toRSAPublicKey().getEncoded();

        Map<String, TokenRefusal> corpus = new LinkedHashMap<>();
        corpus.put(tamperedPayload, TokenRefusal.BAD_SIGNATURE);
        corpus.put(TestIssuer.sign(JWSAlgorithm.RS256, issuer.rsa.getKeyID(), alice(), TestIssuer.rsaSigner(attacker), h -> { }),
                TokenRefusal.BAD_SIGNATURE);
        corpus.put(TestIssuer.sign(JWSAlgorithm.RS256, issuer.rsa.getKeyID(), alice(), TestIssuer.rsaSigner(attacker),
                h -> h.jwk(attacker.toPublicJWK())), TokenRefusal.BAD_SIGNATURE);
        corpus.put(TestIssuer.sign(JWSAlgorithm.RS256, "attacker", alice(), TestIssuer.rsaSigner(attacker),
                h -> h.jwk(attacker.toPublicJWK())), TokenRefusal.UNKNOWN_KEY);
        corpus.put(TestIssuer.sign(JWSAlgorithm.HS256, issuer.rsa.getKeyID(), alice(), new MACSigner(publicKeyAsSecret), h -> { }),
                TokenRefusal.HMAC);
        corpus.put(new PlainJWT(alice()).serialize(), TokenRefusal.UNSIGNED);
        corpus.put(parts[0].replace(parts[0], Base64URL.encode("{\"alg\":\"none\"}").toString()) + "." + parts[1] + ".",
                TokenRefusal.UNSIGNED);
        corpus.put(TestIssuer.sign(JWSAlgorithm.PS256, issuer.rsa.getKeyID(), alice(), TestIssuer.rsaSigner(issuer.rsa), h -> { }),
                TokenRefusal.ALGORITHM_NOT_ACCEPTED);
        corpus.put(Base64URL.encode("{\"alg\":\"NONE\",\"kid\":\"" + issuer.rsa.getKeyID() + "\"}") + "." + parts[1] + "." + parts[2],
                TokenRefusal.ALGORITHM_NOT_ACCEPTED);
        corpus.put(issuer.rs256(claims("alice", NOW).issuer("https://evil.example.test").build()), TokenRefusal.WRONG_ISSUER);
        corpus.put(issuer.rs256(claims("alice", NOW).audience("api://other").build()), TokenRefusal.WRONG_AUDIENCE);
        corpus.put(issuer.rs256(claims("alice", NOW).audience((String) null).build()), TokenRefusal.WRONG_AUDIENCE);
        corpus.put(issuer.rs256(claims("alice", NOW).expirationTime(null).build()), TokenRefusal.MISSING_CLAIM);
        corpus.put(issuer.rs256(claims(null, NOW).build()), TokenRefusal.MISSING_CLAIM);
        corpus.put(issuer.rs256(claims("alice", NOW).issueTime(Date.from(NOW.plusSeconds(3600))).build()),
                TokenRefusal.NOT_YET_VALID);
        corpus.put(issuer.rs256(claims("alice", NOW).claim("groups", 42).build()), TokenRefusal.BAD_CLAIM);
        corpus.put(TestIssuer.sign(JWSAlgorithm.RS256, issuer.rsa.getKeyID(), alice(), TestIssuer.rsaSigner(issuer.rsa),
                h -> h.type(new JOSEObjectType("logout+jwt"))), TokenRefusal.WRONG_TYPE);
        EncryptedJWT encrypted = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A128GCM), alice());
        encrypted.encrypt(new RSAEncrypter(issuer.rsa.toRSAPublicKey()));
        corpus.put(encrypted.serialize(), TokenRefusal.ENCRYPTED);
        corpus.put("not-a-token", TokenRefusal.MALFORMED);
        corpus.put("a.b.c", TokenRefusal.MALFORMED);
        corpus.put(parts[0] + "." + Base64URL.encode("not json") + "." + parts[2], TokenRefusal.MALFORMED);
        corpus.put(parts[0] + "." + parts[1], TokenRefusal.MALFORMED);
        corpus.put(valid + "A".repeat(TokenVerifier.MAX_TOKEN_LENGTH), TokenRefusal.TOO_LONG);
        corpus.put("   ", TokenRefusal.MALFORMED);

        corpus.forEach(TokenVerifierTest::assertRefused);
    }

    @Test
    void aNameTheIssuerSignedIsNeverTrimmedIntoAnotherName() {
        Map<String, TokenRefusal> corpus = new LinkedHashMap<>();
        for (String dba : List.of(" dba", "dba ", "dba\u0000", "dba\n", "\tdba", "dba\u001b")) {
            corpus.put(issuer.rs256(claims(dba, NOW).build()), TokenRefusal.BAD_CLAIM);
            corpus.put(issuer.rs256(claims("alice", NOW).claim("groups", List.of("analysts", dba)).build()), TokenRefusal.BAD_CLAIM);
            corpus.put(issuer.rs256(claims("alice", NOW).claim("groups", dba).build()), TokenRefusal.BAD_CLAIM);
            corpus.put(issuer.rs256(claims("alice", NOW).claim("act", Map.of("sub", dba)).build()), TokenRefusal.BAD_CLAIM);
            corpus.put(issuer.rs256(claims("alice", NOW).claim("act", Map.of("sub", "agent-7", "groups", List.of(dba))).build()),
                    TokenRefusal.BAD_CLAIM);
        }
        corpus.forEach(TokenVerifierTest::assertRefused);
    }

    /** Refused for {@code expected}, with SQLState 28000 and a message naming the cause and nothing of the token. */
    private static void assertRefused(String token, TokenRefusal expected) {
        InvalidTokenException refused = catchThrowableOfType(InvalidTokenException.class, () -> verifier.verify(token));
        assertThat((Throwable) refused).as("refused: %s", expected).isNotNull();
        assertThat(refused.refusal()).as("cause").isEqualTo(expected);
        assertThat(refused.getSQLState()).isEqualTo(GovernanceException.SQLSTATE_NO_IDENTITY);
        assertThat(refused.getMessage()).startsWith("Token refused: " + expected.description());
        for (String part : token.trim().split("\\.")) {
            if (part.length() > 8) {
                assertThat(refused.getMessage()).as("no part of the token in the message").doesNotContain(part);
            }
        }
        assertThat(refused.getMessage()).doesNotContain("alice").doesNotContain("analysts");
    }

    @Test
    void noneAndHmacCannotBeConfiguredAndTheIssuerAndAudienceAreRequired() {
        String jwks = issuer.writeJwks(dir).toString();
        assertThatThrownBy(() -> TokenVerifier.builder().algorithms("none"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never accepted");
        assertThatThrownBy(() -> TokenVerifier.builder().algorithms("RS256", "HS256"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never accepted");
        if (!TokenVerifier.eddsaSupported()) {
            assertThatThrownBy(() -> TokenVerifier.builder().algorithms("EdDSA"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tink");
            assertThat(TokenVerifier.defaultAlgorithms()).containsExactly(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
        }
        assertThatThrownBy(() -> TokenVerifier.builder().jwks(jwks).audience(AUDIENCE).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("governed.identity.issuer");
        assertThatThrownBy(() -> TokenVerifier.builder().jwks(jwks).issuer(ISSUER).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("governed.identity.audience");
        assertThatThrownBy(() -> TokenVerifier.builder().jwks("http://idp.example.test/keys").issuer(ISSUER).audience(AUDIENCE).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https://");
        assertThatThrownBy(() -> TokenVerifier.builder().jwks(dir.resolve("missing.json").toString()).issuer(ISSUER)
                .audience(AUDIENCE).build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be read");
    }

    @Test
    void aKeySetTheVerifierCannotReadRefusesTokensAsUnavailableKeys() throws Exception {
        Path broken = dir.resolve("broken.json");
        java.nio.file.Files.writeString(broken, "{ not a key set", StandardCharsets.UTF_8);
        TokenVerifier onBroken = TokenVerifier.builder().jwks(broken.toString()).issuer(ISSUER).audience(AUDIENCE).build();

        InvalidTokenException refused = catchThrowableOfType(InvalidTokenException.class, () -> onBroken.verify(issuer.rs256(alice())));

        assertThat(refused.refusal()).isEqualTo(TokenRefusal.KEYS_UNAVAILABLE);
    }
}
