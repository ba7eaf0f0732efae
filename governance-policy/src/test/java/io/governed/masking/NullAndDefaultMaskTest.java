package io.governed.masking;

import static io.governed.masking.Masks.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NullAndDefaultMaskTest {

    @Test
    void nullTurnsEveryValueIntoNull() {
        MaskFunction nullMask = mask("null");
        assertThat(nullMask.mask("secret")).isNull();
        assertThat(nullMask.mask(42)).isNull();
        assertThat(nullMask.mask(LocalDate.EPOCH)).isNull();
        assertThat(nullMask.mask(new byte[] {1})).isNull();
    }

    @Test
    void defaultTurnsEveryValueIntoItsTypesNeutralValue() {
        MaskFunction neutral = mask("default");
        assertThat(neutral.mask("secret")).isEqualTo("");
        assertThat(neutral.mask(42)).isEqualTo(0);
        assertThat(neutral.mask(42L)).isEqualTo(0L);
        assertThat(neutral.mask(new BigDecimal("9.99"))).isEqualTo(BigDecimal.ZERO);
        assertThat(neutral.mask(2.5d)).isEqualTo(0.0d);
        assertThat(neutral.mask(true)).isEqualTo(false);
        assertThat(neutral.mask(LocalDate.of(1984, 6, 15))).isEqualTo(LocalDate.of(1970, 1, 1));
        assertThat(neutral.mask(LocalDateTime.of(1984, 6, 15, 10, 30))).isEqualTo(LocalDateTime.of(1970, 1, 1, 0, 0));
        assertThat(neutral.mask(LocalTime.NOON)).isEqualTo(LocalTime.MIDNIGHT);
        assertThat(neutral.mask(Instant.now())).isEqualTo(Instant.EPOCH);
        OffsetDateTime paris = OffsetDateTime.of(2024, 6, 15, 10, 0, 0, 0, ZoneOffset.ofHours(2));
        assertThat((OffsetDateTime) neutral.mask(paris)).satisfies(t -> {
            assertThat(t.toInstant()).isEqualTo(Instant.EPOCH);
            assertThat(t.getOffset()).isEqualTo(ZoneOffset.ofHours(2));
        });
        assertThat((byte[]) neutral.mask(new byte[] {1, 2})).isEmpty();
        assertThat(neutral.mask(UUID.randomUUID())).isEqualTo(new UUID(0, 0));
        assertThat(neutral.mask(null)).isNull();
    }

    @Test
    void defaultRefusesTypesWithoutANeutralValue() {
        assertThatThrownBy(() -> mask("default").mask(new StringBuilder("x")))
                .isInstanceOf(UnmaskableValueException.class).hasMessageContaining("StringBuilder");
    }
}
