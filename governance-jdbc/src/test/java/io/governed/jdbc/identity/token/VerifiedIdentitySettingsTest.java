package io.governed.jdbc.identity.token;

import io.governed.jdbc.Governance;
import io.governed.jdbc.config.GovernedSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static io.governed.jdbc.identity.token.TestIssuer.AUDIENCE;
import static io.governed.jdbc.identity.token.TestIssuer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code governed.identity.*} settings: what they set up, and how a mistake in them is reported. */
class VerifiedIdentitySettingsTest {
    @TempDir
    static Path dir;
    private static TestIssuer idp;
    private static String jwks;

    @BeforeAll
    static void issuer() {
        idp = TestIssuer.create();
        jwks = idp.writeJwks(dir).toString();
    }

    private static GovernedSettings settings(String... pairs) throws SQLException {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return GovernedSettings.of(p);
    }

    private static String[] base(String... more) {
        List<String> all = new java.util.ArrayList<>(List.of("governed.identity.jwks", jwks, "governed.identity.issuer", ISSUER,
                "governed.identity.audience", AUDIENCE));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void claimSettingsOverrideThePresetAndMapAttributes() throws Exception {
        TokenVerifier verifier = TokenVerifier.fromSettings(settings(base("governed.identity.claims", "keycloak",
                "governed.identity.claim.principal", "email", "governed.identity.claim.purpose", "purpose",
                "governed.identity.claim.attribute.tenant", "tid", "governed.identity.clock-skew", "5s")));

        var identity = verifier.verify(idp.rs256(TestIssuer.claims("f1c3", Instant.now()).claim("email", "alice@acme.test")
                .claim("realm_access", java.util.Map.of("roles", List.of("analysts"))).claim("tid", "acme")
                .claim("purpose", "audit").build())).identity();

        assertThat(identity.principal()).isEqualTo("alice@acme.test");
        assertThat(identity.groups()).containsExactly("analysts");
        assertThat(identity.attribute("tenant")).isEqualTo("acme");
        assertThat(identity.purpose()).isEqualTo("audit");
        assertThat(verifier.clockSkew()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void withoutJwksThereIsNoVerifierAndTheOtherIdentitySettingsAreAMistake() throws Exception {
        assertThat(TokenVerifier.fromSettings(settings())).isNull();
        assertThatThrownBy(() -> TokenVerifier.fromSettings(settings("governed.identity.issuer", ISSUER)))
                .isInstanceOf(SQLException.class).hasMessageContaining("governed.identity.jwks is not")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
    }

    @Test
    void mistakesInTheSettingsRefuseTheConnectionNamingTheSetting() {
        List<String[]> wrong = List.of(
                base("governed.identity.algorithms", "RS256,HS256"),
                base("governed.identity.algorithms", "none"),
                base("governed.identity.claims", "okat"),
                base("governed.identity.clock-skew", "forever"),
                base("governed.identity.jwks.cache-ttl", "10s", "governed.identity.jwks.refresh-interval", "30s"),
                new String[] {"governed.identity.jwks", "http://idp.example.test/jwks", "governed.identity.issuer", ISSUER,
                        "governed.identity.audience", AUDIENCE},
                new String[] {"governed.identity.jwks", jwks, "governed.identity.issuer", ISSUER});
        for (String[] pairs : wrong) {
            assertThatThrownBy(() -> TokenVerifier.fromSettings(settings(pairs))).as(String.join(" ", pairs))
                    .isInstanceOf(SQLException.class).hasMessageStartingWith("Verified identity cannot be set up: ")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
        }
    }

    @Test
    void aServiceTokenAndAnAssertedPrincipalCannotBothBeTheConnectionsIdentity() throws Exception {
        String token = idp.rs256(TestIssuer.claims("svc", Instant.now()).build());
        GovernedSettings both = settings(base("governed.identity.token", token, "governed.principal", "someone-else"));

        assertThatThrownBy(() -> Governance.fromSettings(both, null)).isInstanceOf(SQLException.class)
                .hasMessageContaining("either verified from a token or asserted");
        assertThat(both.toString()).as("the token is a credential").doesNotContain(token).contains("(hidden)");
    }
}
