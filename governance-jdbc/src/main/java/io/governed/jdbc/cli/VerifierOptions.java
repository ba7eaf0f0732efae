package io.governed.jdbc.cli;

import io.governed.jdbc.identity.token.ClaimMapping;
import io.governed.jdbc.identity.token.TokenVerifier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options that say how a token is verified, as the driver's {@code governed.identity.*} settings do. */
final class VerifierOptions {
    @Option(names = "--jwks", description = "the issuer's keys: an https:// JWKS URL or a JWKS file")
    String jwks;

    @Option(names = "--issuer", description = "the issuer (iss) the token must name")
    String issuer;

    @Option(names = "--audience", description = "the audience (aud) the token must name")
    String audience;

    @Option(names = "--claims", defaultValue = "standard",
            description = "claim mapping preset: standard, okta, entra, keycloak, auth0, cognito (default ${DEFAULT-VALUE})")
    String claims;

    /**
     * A verifier builder with the keys, issuer, audience and claim mapping given.
     *
     * @throws ParameterException (a usage error) when {@code --jwks}, {@code --issuer} or {@code --audience} is missing
     */
    TokenVerifier.Builder builder(CommandSpec spec) {
        if (jwks == null || issuer == null || audience == null) {
            throw new ParameterException(spec.commandLine(), "verifying a token needs --jwks, --issuer and --audience");
        }
        return TokenVerifier.builder().jwks(jwks).issuer(issuer).audience(audience).claims(ClaimMapping.preset(claims));
    }
}
