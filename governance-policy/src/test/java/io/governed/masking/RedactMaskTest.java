package io.governed.masking;

import static io.governed.masking.Masks.mask;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RedactMaskTest {
    private final MaskFunction redact = mask("redact");

    @Test
    void textBecomesTheSameFixedTextWhateverItsLength() {
        assertThat(redact.mask("a")).isEqualTo("****");
        assertThat(redact.mask("a much longer secret value")).isEqualTo("****");
        assertThat(redact.mask("")).isEqualTo("****");
        assertThat(mask("redact", Map.of("text", "[hidden]")).mask("secret")).isEqualTo("[hidden]");
    }

    @Test
    void numbersBecomeZeroOfTheirOwnType() {
        assertThat(redact.mask(42)).isEqualTo(0);
        assertThat(redact.mask(42L)).isEqualTo(0L);
        assertThat(redact.mask((short) 42)).isEqualTo((short) 0);
        assertThat(redact.mask((byte) 42)).isEqualTo((byte) 0);
        assertThat(redact.mask(new BigDecimal("12.50"))).isEqualTo(BigDecimal.ZERO);
        assertThat(redact.mask(BigInteger.TEN)).isEqualTo(BigInteger.ZERO);
        assertThat(redact.mask(4.2d)).isEqualTo(0.0d);
        assertThat(redact.mask(4.2f)).isEqualTo(0.0f);
    }

    @Test
    void numbersCanBecomeNullInstead() {
        assertThat(mask("redact", Map.of("numbers", "null")).mask(42)).isNull();
        assertThat(mask("redact", Map.of("numbers", "NULL")).mask(42L)).isNull();
    }

    @Test
    void datesBooleansAndUuidsBecomeNullAndBytesEmpty() {
        assertThat(redact.mask(LocalDate.of(1984, 6, 15))).isNull();
        assertThat(redact.mask(Instant.EPOCH)).isNull();
        assertThat(redact.mask(Boolean.TRUE)).isNull();
        assertThat(redact.mask(UUID.randomUUID())).isNull();
        assertThat((byte[]) redact.mask(new byte[] {1, 2, 3})).isEmpty();
        assertThat(redact.mask(null)).isNull();
    }
}
