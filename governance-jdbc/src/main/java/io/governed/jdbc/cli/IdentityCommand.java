package io.governed.jdbc.cli;

import io.governed.identity.Identity;
import io.governed.jdbc.identity.token.InvalidTokenException;
import io.governed.jdbc.identity.token.TokenVerifier;
import io.governed.jdbc.identity.token.VerifiedToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code identity}: commands on verified identity. {@code identity verify --jwks … --issuer … --audience … TOKEN}
 * prints the identity the driver would use for the token, or why it refuses it. The token is never printed, and every
 * text of its claims is shown as {@link VisibleTextWriter} shows it, so a claim cannot forge or redraw a line.
 */
@Command(name = "identity", mixinStandardHelpOptions = true,
        description = "Work with verified identities (OIDC/JWT tokens).",
        subcommands = IdentityCommand.Verify.class)
public final class IdentityCommand extends CommandGroup {


    /** {@code identity verify}: the identity a token vouches for. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify a token as the driver would and print the identity it vouches for.",
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:the token is accepted", "1:the token is refused (the reason is printed)"})
    static final class Verify implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Mixin
        private VerifierOptions verification;

        @Option(names = "--actors", split = ",", description = "principals allowed to act for others (act claim); default: any")
        private List<String> actors = List.of();

        @Parameters(paramLabel = "TOKEN", description = "the token, - to read it from standard input, or file:PATH (both keep it out of the process list)")
        private String token;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = new VisibleTextWriter(spec.commandLine().getOut()); // claims are the token holder's texts
            try {
                TokenVerifier verifier = verification.builder(spec).allowedActors(actors).build();
                VerifiedToken verified = verifier.verify(TokenInput.read(token));
                print(out, verified);
                return 0;
            } catch (InvalidTokenException e) {
                out.println("REFUSED " + e.refusal().name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage());
                return GovernedJdbcCli.PROBLEM;
            } catch (IllegalArgumentException e) {
                out.println("REFUSED configuration: " + e.getMessage());
                return GovernedJdbcCli.PROBLEM;
            } finally {
                out.flush();
            }
        }

        private static void print(PrintWriter out, VerifiedToken verified) {
            Identity identity = verified.identity();
            out.println("principal:    " + identity.principal());
            out.println("kind:         " + identity.kind().externalName());
            out.println("groups:       " + String.join(", ", identity.groups()));
            out.println("on behalf of: " + (identity.onBehalfOf() == null ? "-" : identity.onBehalfOf().describe()));
            for (Identity party : identity.delegationChain()) {
                out.println("  " + party.principal() + " (" + party.kind().externalName() + "), groups: "
                        + String.join(", ", party.groups()));
            }
            out.println("purpose:      " + (identity.purpose() == null ? "-" : identity.purpose()));
            out.println("attributes:   " + identity.attributes());
            out.println("issuer:       " + verified.issuer());
            out.println("key id:       " + (verified.keyId() == null ? "-" : verified.keyId()));
            out.println("token id:     " + (verified.tokenId() == null ? "-" : verified.tokenId()));
            out.println("expires:      " + verified.expiresAt());
        }
    }
}
