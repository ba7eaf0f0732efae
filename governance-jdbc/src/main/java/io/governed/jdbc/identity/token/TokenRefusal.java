package io.governed.jdbc.identity.token;

/** Why a token was refused: each names its cause and what to do, never anything the token holds. */
public enum TokenRefusal {
    MALFORMED("the token is malformed: it is not a compact signed JWT (three base64url parts, JSON header and claims)"),
    TOO_LONG("the token is longer than TokenVerifier.MAX_TOKEN_LENGTH (" + TokenVerifier.MAX_TOKEN_LENGTH + ") characters, "
            + "and is neither read further nor parsed: check that what is given as the token (a file, a header, standard "
            + "input) holds the token alone"),
    UNSIGNED("the token is unsigned (alg: none); only signed tokens are accepted"),
    ENCRYPTED("the token is encrypted (JWE); only signed tokens (JWS) are accepted"),
    HMAC("the token is signed with an HMAC algorithm (HS256/384/512), which a public key set cannot vouch for "
            + "(algorithm confusion); the issuer must sign with RS256, ES256 or EdDSA"),
    ALGORITHM_NOT_ACCEPTED("the token's signature algorithm is not among governed.identity.algorithms"),
    WRONG_TYPE("the token's type (typ header) is not that of an access or identity token"),
    UNKNOWN_KEY("the token is signed with a key that is not in the issuer's key set (governed.identity.jwks), "
            + "even after fetching the set again"),
    KEYS_UNAVAILABLE("the issuer's key set (governed.identity.jwks) could not be read"),
    BAD_SIGNATURE("the token's signature does not verify with the issuer's key: it was altered or not signed by the issuer"),
    EXPIRED("the token has expired (exp, beyond governed.identity.clock-skew): obtain a fresh token"),
    NOT_YET_VALID("the token is not valid yet (nbf or iat in the future, beyond governed.identity.clock-skew)"),
    WRONG_ISSUER("the token was issued by another issuer than governed.identity.issuer"),
    WRONG_AUDIENCE("the token is meant for another audience than governed.identity.audience"),
    MISSING_CLAIM("the token lacks a required claim"),
    BAD_CLAIM("a claim of the token has a value of the wrong form"),
    UNREADABLE("the token file named by governed.identity.token cannot be read"),
    ACTOR_NOT_ALLOWED("the token's actor (act claim) is not allowed to act for others: add it to governed.identity.actors");

    private final String description;

    TokenRefusal(String description) {
        this.description = description;
    }

    /** What is wrong, in a sentence fragment. */
    public String description() {
        return description;
    }
}
