package io.governed.jdbc.identity.token;

import io.governed.identity.Identity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A service account's own token ({@code governed.identity.token}): the token itself, or
 * {@code file:PATH} of a file holding it (a Kubernetes projected token, a file an agent renews). It
 * is verified when first used and again, re-read from its file, each time a statement finds it
 * expired; a token that is still expired then refuses the statement. The token is never logged.
 */
public final class ServiceToken {
    private static final String FILE = "file:";

    private final TokenVerifier verifier;
    private final String source;
    private volatile VerifiedToken current;

    /**
     * @param source the token, or {@code file:PATH}
     */
    public ServiceToken(TokenVerifier verifier, String source) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.source = Objects.requireNonNull(source, "source").trim();
    }

    /**
     * The identity a literal service token of a connection's settings ({@code governed.identity.token}) vouches for,
     * verified now and remembered as the settings' (it may name the migration principal, which a token handed over by
     * the application may not).
     *
     * @throws InvalidTokenException when the token is refused
     */
    public static Identity verifiedFromSettings(TokenVerifier verifier, String token) throws InvalidTokenException {
        Identity identity = verifier.verify(token).identity();
        VerifiedIdentities.givenBySettings(identity);
        return identity;
    }

    /**
     * The identity the token vouches for now.
     *
     * @throws InvalidTokenException when the token (read again, from a file) is refused, expired included
     */
    public Identity identity() throws InvalidTokenException {
        VerifiedToken token = current;
        if (token != null && !verifier.expired(token.identity())) {
            return token.identity();
        }
        synchronized (this) {
            token = current;
            if (token == null || verifier.expired(token.identity())) {
                current = null;
                token = verifier.verify(read());
                VerifiedIdentities.givenBySettings(token.identity());
                current = token;
            }
            return token.identity();
        }
    }

    private String read() throws InvalidTokenException {
        if (!source.startsWith(FILE)) {
            return source;
        }
        try {
            return TokenText.read(Path.of(source.substring(FILE.length())));
        } catch (IOException | RuntimeException e) {
            throw new InvalidTokenException(TokenRefusal.UNREADABLE, e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public String toString() {
        return "ServiceToken[" + (source.startsWith(FILE) ? source : "(hidden)") + "]";
    }
}
