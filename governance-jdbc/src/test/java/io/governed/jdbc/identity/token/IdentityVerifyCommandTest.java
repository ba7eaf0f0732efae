package io.governed.jdbc.identity.token;

import io.governed.jdbc.cli.GovernedJdbcCli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static io.governed.jdbc.identity.token.TestIssuer.AUDIENCE;
import static io.governed.jdbc.identity.token.TestIssuer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code governed-jdbc identity verify}: the identity the driver would use for a token, or why it refuses it. */
class IdentityVerifyCommandTest {
    @TempDir
    static Path dir;
    private static TestIssuer idp;
    private static Path jwks;

    @BeforeAll
    static void issuer() {
        idp = TestIssuer.create();
        jwks = idp.writeJwks(dir);
    }

    private record Run(int code, String out) {
    }

    private static Run verify(String token) {
        StringWriter out = new StringWriter();
        CommandLine cli = GovernedJdbcCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        int code = cli.execute("identity", "verify", "--jwks", jwks.toString(), "--issuer", ISSUER, "--audience", AUDIENCE, token);
        return new Run(code, out.toString());
    }

    @Test
    void printsTheAgentItsChainAndItsProvenanceButNotTheToken() {
        String token = idp.rs256(TestIssuer.claims("alice", Instant.now()).claim("groups", List.of("analysts"))
                .claim("act", Map.of("sub", "agent-7")).build());

        Run run = verify(token);

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("principal:    agent-7", "kind:         agent", "on behalf of: alice",
                "alice (human), groups: analysts", "issuer:       " + ISSUER, "key id:       " + idp.rsa.getKeyID());
        assertThat(run.out()).doesNotContain(token.split("\\.")[1]);
    }

    @Test
    void claimsCannotMoveTheCursorStartALineOrRecolourWhatThePersonReads() {
        String redraw = "\u001b[1A\u001b[2K\r";
        String token = idp.rs256(TestIssuer.claims("mallory\u202eprincipal: alice", Instant.now())
                .claim("groups", List.of("ops\u2028kind:         human"))
                .claim("act", Map.of("sub", "agent\u202e7", "groups", List.of("tools\u2029on behalf of: -")))
                .jwtID("jti" + redraw + "\u0007\u001b]0;title\u0007").build());

        Run run = verify(token);

        assertThat(run.code()).isZero();
        assertThat(run.out()).doesNotContain("\u001b", "\r", "\u0007", "\u202e", "\u2028", "\u2029");
        assertThat(run.out().lines().filter(line -> line.startsWith("principal:"))).hasSize(1);
        assertThat(run.out().lines().filter(line -> line.startsWith("kind:"))).hasSize(1);
        assertThat(run.out().lines().filter(line -> line.startsWith("on behalf of:"))).hasSize(1);
        assertThat(run.out()).contains("principal:    agent\\u202E7", "token id:     jti\\u001B[1A");
    }

    @Test
    void printsTheRefusalReasonWithExitCodeOne() {
        String expired = idp.rs256(TestIssuer.claims("alice", Instant.now())
                .expirationTime(Date.from(Instant.now().minusSeconds(3600))).build());

        Run run = verify(expired);

        assertThat(run.code()).isEqualTo(GovernedJdbcCli.PROBLEM);
        assertThat(run.out()).startsWith("REFUSED expired: Token refused: the token has expired");
        assertThat(run.out()).doesNotContain(expired.split("\\.")[1]);
    }

    @Test
    void withoutTheIssuersKeysItIsAUsageError() {
        CommandLine cli = GovernedJdbcCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("identity", "verify", "--issuer", ISSUER, "--audience", AUDIENCE, "some.token.here");
        assertThat(code).isEqualTo(GovernedJdbcCli.USAGE);
        assertThat(err.toString()).contains("needs --jwks, --issuer and --audience");
    }
}
