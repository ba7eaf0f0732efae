package io.governed.masking;

import io.governed.masking.builtin.TokenMasker;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code token} mask function on its own: shapes, determinism, scopes, keys. */
class TokenMaskTest {
    private static final Map<String, String> ENV = Map.of(
            "TOKEN_KEY", "0123456789abcdef0123456789abcdef",
            "OTHER_TOKEN_KEY", "abcdefabcdefabcdef0123456789abcd",
            "VAULT_KEY", "fedcba9876543210fedcba9876543210");

    /** A registry whose environment variables are {@code variables}. */
    private static MaskerRegistry registry(Map<String, String> variables) {
        return MaskerRegistry.of(List.of(), new MaskEnvironment() {
            @Override
            public Optional<String> variable(String name) {
                return Optional.ofNullable(variables.get(name));
            }

            @Override
            public byte[] readFile(Path path) throws IOException {
                return Files.readAllBytes(path);
            }
        });
    }

    private static MaskFunction token(String keyEnv, String scope) {
        return registry(ENV).create("token", Map.of("key-env", keyEnv, "vault-key-env", "VAULT_KEY", "scope", scope,
                "vault", "token-mask-test-" + UUID.randomUUID()));
    }

    @Test
    void eachTypeKeepsItsTypeAndEqualValuesGetEqualTokens() {
        MaskFunction f = token("TOKEN_KEY", "crm");
        Random random = new Random(14);
        for (int i = 0; i < 200; i++) {
            long n = random.nextLong();
            String email = "user" + random.nextInt(1_000_000) + "@corp.test";
            LocalDate day = LocalDate.of(1950, 1, 1).plusDays(random.nextInt(30_000));
            assertThat((String) f.mask(email)).matches("tok_[0-9a-f]{16}" + TokenMasker.EMAIL_DOMAIN.replace(".", "\\.")).isEqualTo(f.mask(email));
            assertThat(f.mask("plain text " + n)).isInstanceOf(String.class).asString().matches("tok_[0-9a-f]{24}");
            // the tokens' form, told whatever key made them (a token written back is recognised by it)
            assertThat(TokenMasker.isTextToken((String) f.mask(email))).isTrue();
            assertThat(TokenMasker.isTextToken((String) f.mask("plain text " + n))).isTrue();
            assertThat(f.mask(n)).isInstanceOf(Long.class).isEqualTo(f.mask(n)).isNotEqualTo(n);
            assertThat(f.mask(day)).isInstanceOf(LocalDate.class).isEqualTo(f.mask(day));
            assertThat(((LocalDate) f.mask(day)).getYear()).isBetween(1900, 2099);
        }
        assertThat(f.mask(LocalDateTime.of(2020, 5, 6, 7, 8, 9))).isInstanceOf(LocalDateTime.class);
        assertThat(f.mask(new BigDecimal("12.50"))).isInstanceOf(BigDecimal.class);
        assertThat(f.mask(UUID.randomUUID())).isInstanceOf(UUID.class);
        assertThat(f.mask(42)).isInstanceOf(Integer.class);
        assertThat(f.mask(null)).isNull();
    }

    @Test
    void textsNotOfATokensFormAreNotTakenForOne() {
        for (String text : List.of("tok_", "tok_0123456789abcdef0123456", "tok_0123456789abcdef012345678",
                "tok_0123456789ABCDEF01234567", "TOK_0123456789abcdef01234567", "tok_0123456789abcdeg01234567",
                "tok_0123456789abcdef@example.com", "tok_0123456789abcde" + TokenMasker.EMAIL_DOMAIN,
                "ann@example.org", "x" + TokenMasker.EMAIL_DOMAIN)) {
            assertThat(TokenMasker.isTextToken(text)).as(text).isFalse();
        }
        assertThat(TokenMasker.isTextToken("tok_0123456789abcdef01234567")).isTrue();
        assertThat(TokenMasker.isTextToken("tok_0123456789abcdef" + TokenMasker.EMAIL_DOMAIN)).isTrue();
    }

    @Test
    void tokensDependOnTheKeyAndTheScope() {
        String email = "ada@corp.test";
        Object crm = token("TOKEN_KEY", "crm").mask(email);
        assertThat(token("TOKEN_KEY", "crm").mask(email)).isEqualTo(crm);
        assertThat(token("TOKEN_KEY", "billing").mask(email)).isNotEqualTo(crm);
        assertThat(token("OTHER_TOKEN_KEY", "crm").mask(email)).isNotEqualTo(crm);
    }

    @Test
    void valuesWithoutATokenShapeAreRefusedNotHandedOut() {
        MaskFunction f = token("TOKEN_KEY", "crm");
        for (Object value : List.of(true, 1.5d, 2.5f, LocalTime.NOON)) {
            assertThatThrownBy(() -> f.mask(value)).as(value.getClass().getSimpleName())
                    .isInstanceOf(UnmaskableValueException.class).hasMessageNotContaining(value.toString());
        }
    }

    @Test
    void theVaultKeyMustDifferFromTheTokenKey() {
        String same = "0123456789abcdef0123456789abcdef";
        assertThatThrownBy(() -> registry(Map.of("A", same, "B", same)).create("token", Map.of("key-env", "A", "vault-key-env", "B")))
                .isInstanceOf(MaskConfigurationException.class).hasMessageContaining("a key of its own");
    }
}
