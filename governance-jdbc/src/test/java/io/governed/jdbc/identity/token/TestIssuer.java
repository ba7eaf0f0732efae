package io.governed.jdbc.identity.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** An identity provider in a test: keys generated now, a JWKS of their public halves, tokens it signs. */
final class TestIssuer {
    static final String ISSUER = "https://idp.example.test/oauth2/default";
    static final String AUDIENCE = "api://orders";

    final RSAKey rsa;
    final ECKey ec;

    TestIssuer(String rsaKid, String ecKid) {
        try {
            rsa = new RSAKeyGenerator(2048).keyID(rsaKid).generate();
            ec = new ECKeyGenerator(Curve.P_256).keyID(ecKid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static TestIssuer create() {
        return new TestIssuer("rsa-" + UUID.randomUUID(), "ec-" + UUID.randomUUID());
    }

    /** The public key set, as the issuer publishes it. */
    String jwks(JWK... more) {
        List<JWK> keys = new ArrayList<>(List.of(rsa.toPublicJWK(), ec.toPublicJWK()));
        for (JWK k : more) {
            keys.add(k.toPublicJWK());
        }
        return new JWKSet(keys).toString(true);
    }

    Path writeJwks(Path dir) {
        try {
            Path file = dir.resolve("jwks-" + UUID.randomUUID() + ".json");
            Files.writeString(file, jwks(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Claims of a valid token for {@code subject}, now to an hour from now. */
    static JWTClaimsSet.Builder claims(String subject, Instant now) {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
                .issueTime(Date.from(now.minusSeconds(5))).notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plusSeconds(3600))).jwtID("jti-" + UUID.randomUUID());
    }

    String rs256(JWTClaimsSet claims) {
        return sign(JWSAlgorithm.RS256, rsa.getKeyID(), claims, rsaSigner(rsa), h -> { });
    }

    String es256(JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.ES256, ec.getKeyID(), claims, new ECDSASigner(ec), h -> { });
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static JWSSigner rsaSigner(RSAKey key) {
        try {
            return new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(JWSAlgorithm alg, String kid, JWTClaimsSet claims, JWSSigner signer, Consumer<JWSHeader.Builder> header) {
        JWSHeader.Builder h = new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT);
        header.accept(h);
        SignedJWT jwt = new SignedJWT(h.build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    static JWTClaimsSet parse(Map<String, Object> json) {
        try {
            return JWTClaimsSet.parse(json);
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
