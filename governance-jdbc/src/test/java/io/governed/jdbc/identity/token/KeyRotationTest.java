package io.governed.jdbc.identity.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.governed.jdbc.identity.token.TestIssuer.AUDIENCE;
import static io.governed.jdbc.identity.token.TestIssuer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Key rotation against an issuer's key set served over HTTP on the loopback interface (the only place
 * plain http is accepted): a new key id is picked up by fetching the set again, once; a flood of
 * unknown key ids does not make the verifier fetch it again and again.
 */
class KeyRotationTest {
    private final AtomicReference<String> served = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private HttpServer server;
    @TempDir
    Path dir;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/keys", exchange -> {
            fetches.incrementAndGet();
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private TokenVerifier verifier(String jwks) {
        return TokenVerifier.builder().jwks(jwks).issuer(ISSUER).audience(AUDIENCE)
                .keyCaching(Duration.ofHours(2), Duration.ofHours(1)).build();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/keys";
    }

    @Test
    void aRotatedKeyIsPickedUpWithOneFetchAndAFloodOfUnknownKeyIdsFetchesNothingMore() throws Exception {
        TestIssuer before = new TestIssuer("2026-05", "ec-2026-05");
        TestIssuer after = new TestIssuer("2026-06", "ec-2026-06");
        served.set(before.jwks());
        TokenVerifier verifier = verifier(url());

        assertThat(verifier.verify(before.rs256(TestIssuer.claims("alice", Instant.now()).build())).keyId()).isEqualTo("2026-05");
        assertThat(fetches).as("the set is fetched once, then cached").hasValue(1);
        assertThat(verifier.verify(before.rs256(TestIssuer.claims("bob", Instant.now()).build())).keyId()).isEqualTo("2026-05");
        assertThat(fetches).hasValue(1);

        served.set(after.jwks(before.rsa));
        assertThat(verifier.verify(after.rs256(TestIssuer.claims("alice", Instant.now()).build())).keyId()).isEqualTo("2026-06");
        assertThat(fetches).as("the new key id made the verifier fetch the set again").hasValue(2);

        // fifty key ids the set does not hold, each token signed by a key of no issuer here: one key generated for
        // them all (an RSA key takes a tenth of a second to make), the key id in each header its own
        RSAKey unknown = new TestIssuer("unknown", "ec-unknown").rsa;
        JWSSigner unknownSigner = TestIssuer.rsaSigner(unknown);
        for (int i = 0; i < 50; i++) {
            String token = TestIssuer.sign(JWSAlgorithm.RS256, "unknown-" + i, TestIssuer.claims("mallory", Instant.now()).build(),
                    unknownSigner, h -> { });
            InvalidTokenException refused = catchThrowableOfType(InvalidTokenException.class, () -> verifier.verify(token));
            assertThat(refused.refusal()).isEqualTo(TokenRefusal.UNKNOWN_KEY);
        }
        assertThat(fetches).as("unknown key ids are rate limited: no further fetch within the refresh interval").hasValue(2);
        assertThat(verifier.verify(before.rs256(TestIssuer.claims("carol", Instant.now()).build())).keyId())
                .as("known keys still verify from the cache").isEqualTo("2026-05");
    }

    @Test
    void aRotatedKeyFileIsReadAgainWhenATokenNamesANewKeyId() throws Exception {
        TestIssuer before = new TestIssuer("file-1", "ec-file-1");
        TestIssuer after = new TestIssuer("file-2", "ec-file-2");
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, before.jwks());
        TokenVerifier verifier = verifier(jwks.toString());
        assertThat(verifier.verify(before.rs256(TestIssuer.claims("alice", Instant.now()).build())).keyId()).isEqualTo("file-1");

        Files.writeString(jwks, after.jwks());

        assertThat(verifier.verify(after.rs256(TestIssuer.claims("alice", Instant.now()).build())).keyId()).isEqualTo("file-2");
    }

    @Test
    void anUnreachableKeySetRefusesTokensAsUnavailableKeys() throws Exception {
        TestIssuer idp = TestIssuer.create();
        String gone = "http://127.0.0.1:" + server.getAddress().getPort() + "/missing";
        TokenVerifier verifier = verifier(gone);

        InvalidTokenException refused = catchThrowableOfType(InvalidTokenException.class,
                () -> verifier.verify(idp.rs256(TestIssuer.claims("alice", Instant.now()).build())));

        assertThat(refused.refusal()).isEqualTo(TokenRefusal.KEYS_UNAVAILABLE);
    }
}
