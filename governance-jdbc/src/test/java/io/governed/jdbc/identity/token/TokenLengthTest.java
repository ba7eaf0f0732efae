package io.governed.jdbc.identity.token;

import io.governed.jdbc.cli.GovernedJdbcCli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static io.governed.jdbc.identity.token.TestIssuer.AUDIENCE;
import static io.governed.jdbc.identity.token.TestIssuer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A token is never read past {@link TokenVerifier#MAX_TOKEN_LENGTH} (and a little room for a Bearer prefix and white
 * space): a service token file, standard input of {@code identity verify} and a token handed to the verifier that go on
 * are refused as too long, at once, instead of being read whole into memory.
 */
class TokenLengthTest {
    @TempDir
    static Path dir;
    private static TestIssuer idp;
    private static Path jwks;
    private static TokenVerifier verifier;

    @BeforeAll
    static void issuer() {
        idp = TestIssuer.create();
        jwks = idp.writeJwks(dir);
        verifier = TokenVerifier.builder().jwks(jwks.toString()).issuer(ISSUER).audience(AUDIENCE).build();
    }

    /** An endless stream of token characters and no line end: a device, a pipe that never closes. */
    private static InputStream endless() {
        return new InputStream() {
            @Override
            public int read() {
                return 'A';
            }
        };
    }

    @Test
    void theLimitIsPublicSixteenKibibytes() {
        assertThat(TokenVerifier.MAX_TOKEN_LENGTH).isEqualTo(16 * 1024);
    }

    @Test
    void aTokenLongerThanTheLimitIsRefusedAsTooLongNamingTheLimit() {
        String valid = idp.rs256(TestIssuer.claims("alice", Instant.now()).build());
        assertThatThrownBy(() -> verifier.verify(valid + "A".repeat(TokenVerifier.MAX_TOKEN_LENGTH)))
                .isInstanceOfSatisfying(InvalidTokenException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(TokenRefusal.TOO_LONG);
                    assertThat(e.getSQLState()).isEqualTo("28000");
                    assertThat(e.getMessage()).contains("MAX_TOKEN_LENGTH", String.valueOf(TokenVerifier.MAX_TOKEN_LENGTH))
                            .doesNotContain(valid.substring(0, 20));
                });
    }

    @Test
    void aServiceTokenFileLongerThanATokenIsRefusedWithoutReadingIt() throws Exception {
        Path file = dir.resolve("huge-token");
        Files.writeString(file, "A".repeat(8 * 1024 * 1024));
        ServiceToken token = new ServiceToken(verifier, "file:" + file);
        assertThatThrownBy(token::identity).isInstanceOfSatisfying(InvalidTokenException.class,
                e -> assertThat(e.refusal()).isEqualTo(TokenRefusal.TOO_LONG));

        String valid = idp.rs256(TestIssuer.claims("svc", Instant.now()).build());
        Path ok = dir.resolve("token");
        Files.writeString(ok, "  " + valid + "\n\n");
        assertThat(new ServiceToken(verifier, "file:" + ok).identity().principal()).isEqualTo("svc");
    }

    @Test
    void anEndlessSourceIsRefusedAtOnce() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThatThrownBy(() -> TokenText.read(endless(), true)).isInstanceOfSatisfying(InvalidTokenException.class,
                    e -> assertThat(e.refusal()).isEqualTo(TokenRefusal.TOO_LONG));
            assertThatThrownBy(() -> TokenText.read(endless(), false)).isInstanceOf(InvalidTokenException.class);
        });
    }

    @Test
    void identityVerifyRefusesAnEndlessStandardInput() {
        InputStream stdin = System.in;
        System.setIn(endless());
        try {
            StringWriter out = new StringWriter();
            CommandLine cli = GovernedJdbcCli.commandLine();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(new StringWriter()));
            int code = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> cli.execute("identity", "verify", "--jwks",
                    jwks.toString(), "--issuer", ISSUER, "--audience", AUDIENCE, "-"));
            assertThat(code).isEqualTo(GovernedJdbcCli.PROBLEM);
            assertThat(out.toString()).contains("standard input", "longer than", "MAX_TOKEN_LENGTH");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void identityVerifyReadsTheFirstLineOfStandardInput() {
        String valid = idp.rs256(TestIssuer.claims("alice", Instant.now()).build());
        InputStream stdin = System.in;
        System.setIn(new java.io.ByteArrayInputStream((valid + "\r\nrest of the input\n").getBytes()));
        try {
            StringWriter out = new StringWriter();
            CommandLine cli = GovernedJdbcCli.commandLine();
            cli.setOut(new PrintWriter(out));
            int code = cli.execute("identity", "verify", "--jwks", jwks.toString(), "--issuer", ISSUER,
                    "--audience", AUDIENCE, "-");
            assertThat(code).isZero();
            assertThat(out.toString()).contains("principal:    alice");
        } finally {
            System.setIn(stdin);
        }
    }
}
