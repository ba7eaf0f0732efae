package io.governed.classification.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokensTest {
    private static final String PAYLOAD = "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUiLCJpYXQiOjE1MTYyMzkwMjJ9";

    @ParameterizedTest(name = "{0} is a bearer token")
    @ValueSource(strings = {
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + PAYLOAD + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            "eyJhbGciOiJub25lIn0." + PAYLOAD + ".",                                    // unsecured JWT
            "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
            "ghs_000000000000000000000000000000000000",
            "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
            "xoxp-1234567890-abcdefghijklmnopqrst"})
    void acceptsJwtsAndServiceTokens(String token) {
        assertThat(Tokens.isValid(token)).isTrue();
    }

    @ParameterizedTest(name = "{0} is not a bearer token")
    @ValueSource(strings = {
            "eyJ0eXAiOiJKV1QifQ." + PAYLOAD + ".sig",        // header without "alg"
            "WyJhbGciXQ." + PAYLOAD + ".sig",                 // header is a JSON array
            "bm90IGpzb24gYXQgYWxs." + PAYLOAD + ".sig",       // header is not JSON
            "eyJhbGciOiJIUzI1NiJ9..sig",                      // empty payload
            "eyJhbGciOiJIUzI1NiJ9." + PAYLOAD,                // two parts
            "eyJhbGciOiJIUzI1NiJ9." + PAYLOAD + ".a.b",       // JWE-like five parts
            "eyJhbGciOiJIUzI1NiJ9." + PAYLOAD + ".si+g",      // not base64url
            "1.2.3", "www.example.com", "com.example.app.Main", "release-2024.01.15",
            "ghp_tooShort", "ghx_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345678!",
            "xoxb-abc-def", "xoxz-123456789012-1234567890123-AbCdEf", "xoxb-123456789012--AbCdEfGhIjKlMnOpQr",
            ""})
    void rejectsDottedTextAndLookAlikes(String text) {
        assertThat(Tokens.isValid(text)).isFalse();
    }
}
