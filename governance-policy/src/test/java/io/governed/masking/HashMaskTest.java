package io.governed.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashMaskTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private static MaskerRegistry registryWithEnv(Map<String, String> variables) {
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

    private MaskFunction hashFromEnv() {
        return registryWithEnv(Map.of("MASK_KEY", KEY)).create("hash", Map.of("key-env", "MASK_KEY"));
    }

    private static String hmacHex(String key, String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void textBecomesItsHmacSha256InHex() throws Exception {
        assertThat(hashFromEnv().mask("alice@example.com")).isEqualTo(hmacHex(KEY, "alice@example.com"));
    }

    @Test
    void equalValuesStayEqualSoJoinsAndGroupingStillWork() {
        MaskFunction first = hashFromEnv();
        MaskFunction second = hashFromEnv();
        assertThat(first.mask("alice@example.com")).isEqualTo(second.mask("alice@example.com"))
                .isNotEqualTo(first.mask("alice@example.co"));
        assertThat(first.mask(4111111111111111L)).isEqualTo(second.mask(4111111111111111L));
    }

    @Test
    void aDifferentKeyGivesDifferentHashes() {
        MaskFunction other = registryWithEnv(Map.of("MASK_KEY", KEY + "!")).create("hash", Map.of("key-env", "MASK_KEY"));
        assertThat(other.mask("alice@example.com")).isNotEqualTo(hashFromEnv().mask("alice@example.com"));
    }

    @Test
    void theKeyCanComeFromAFileIgnoringTheTrailingNewline() throws Exception {
        Path keyFile = dir.resolve("mask.key");
        Files.writeString(keyFile, KEY + "\n");
        MaskFunction fromFile = MaskerRegistry.builtIn().create("hash", Map.of("key-file", keyFile.toString()));
        assertThat(fromFile.mask("alice@example.com")).isEqualTo(hashFromEnv().mask("alice@example.com"));
    }

    @Test
    void base64urlEncodingIsShorterAndUrlSafe() {
        MaskFunction b64 = registryWithEnv(Map.of("MASK_KEY", KEY))
                .create("hash", Map.of("key-env", "MASK_KEY", "encoding", "base64url"));
        assertThat(b64.maskString("alice@example.com")).hasSize(43).doesNotContain("+", "/", "=");
    }

    @Test
    void otherTypesKeepTheirTypeAndAgreeWithTheTextForm() {
        MaskFunction hash = hashFromEnv();
        assertThat(hash.mask(42)).isInstanceOf(Integer.class);
        assertThat(hash.mask(42L)).isInstanceOf(Long.class);
        assertThat(hash.mask((short) 42)).isInstanceOf(Short.class);
        assertThat(hash.mask((byte) 42)).isInstanceOf(Byte.class);
        assertThat((BigInteger) hash.mask(BigInteger.TEN)).isNotNegative();
        assertThat((BigDecimal) hash.mask(new BigDecimal("12.50"))).isNotNegative();
        assertThat((byte[]) hash.mask(new byte[] {1, 2})).hasSize(32);
        UUID masked = (UUID) hash.mask(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        assertThat(masked.version()).isEqualTo(8);
        assertThat(masked.variant()).isEqualTo(2);
        String hex = hash.maskString("42");
        assertThat(hash.mask(42L)).isEqualTo(Long.parseUnsignedLong(hex.substring(0, 16), 16));
    }

    @Test
    void datesAndFloatingPointNumbersAreRefused() {
        assertThatThrownBy(() -> hashFromEnv().mask(LocalDate.EPOCH)).isInstanceOf(UnmaskableValueException.class)
                .hasMessageContaining("'hash'").hasMessageContaining("LocalDate");
        assertThatThrownBy(() -> hashFromEnv().mask(1.5d)).isInstanceOf(UnmaskableValueException.class);
    }

    @Test
    void aMissingKeyFailsAtLoadTimeNamingTheVariable() {
        assertThatThrownBy(() -> registryWithEnv(Map.of()).create("hash", Map.of("key-env", "MASK_KEY")))
                .isInstanceOf(MaskConfigurationException.class)
                .hasMessageContaining("key-env").hasMessageContaining("MASK_KEY").hasMessageContaining("not set")
                .satisfies(e -> assertThat(((MaskConfigurationException) e).parameter()).isEqualTo("key-env"));
    }

    @Test
    void anUnreadableKeyFileFailsAtLoadTimeNamingTheFile() {
        Path missing = dir.resolve("nope.key");
        assertThatThrownBy(() -> MaskerRegistry.builtIn().create("hash", Map.of("key-file", missing.toString())))
                .isInstanceOf(MaskConfigurationException.class)
                .hasMessageContaining("key-file").hasMessageContaining(missing.toString());
    }

    @Test
    void aShortKeyIsRefused() throws Exception {
        Path keyFile = dir.resolve("short.key");
        Files.writeString(keyFile, "tooshort\n");
        assertThatThrownBy(() -> MaskerRegistry.builtIn().create("hash", Map.of("key-file", keyFile.toString())))
                .isInstanceOf(MaskConfigurationException.class)
                .hasMessageContaining("8 bytes").hasMessageContaining("at least 16");
    }

    @Test
    void exactlyOneKeySourceMustBeGivenAndTheKeyIsNeverInThePolicy() {
        assertThatThrownBy(() -> MaskerRegistry.builtIn().create("hash", Map.of()))
                .isInstanceOf(MaskConfigurationException.class)
                .hasMessageContaining("key-env").hasMessageContaining("key-file");
        assertThatThrownBy(() -> MaskerRegistry.builtIn().create("hash", Map.of("key-env", "A", "key-file", "b")))
                .isInstanceOf(MaskConfigurationException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> MaskerRegistry.builtIn().create("hash", Map.of("key", KEY)))
                .isInstanceOf(MaskConfigurationException.class).hasMessageContaining("no parameter 'key'")
                .hasMessageNotContaining(KEY);
    }
}
