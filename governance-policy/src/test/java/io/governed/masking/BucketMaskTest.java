package io.governed.masking;

import static io.governed.masking.Masks.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BucketMaskTest {
    private final MaskFunction thousands = mask("bucket", Map.of("width", 1000));

    @Test
    void wholeNumbersBecomeTheirBucketsLowerBoundInTheirOwnType() {
        assertThat(thousands.mask(48250)).isEqualTo(48000);
        assertThat(thousands.mask(48250L)).isEqualTo(48000L);
        assertThat(thousands.mask((short) 1999)).isEqualTo((short) 1000);
        assertThat(thousands.mask(new BigInteger("123456789012345678901"))).isEqualTo(new BigInteger("123456789012345678000"));
        assertThat(thousands.mask(999)).isEqualTo(0);
        assertThat(thousands.mask(1000)).isEqualTo(1000);
    }

    @Test
    void negativeNumbersRoundDownNotTowardsZero() {
        assertThat(thousands.mask(-1)).isEqualTo(-1000);
        assertThat(thousands.mask(-1000L)).isEqualTo(-1000L);
        assertThat(thousands.mask(new BigInteger("-1"))).isEqualTo(new BigInteger("-1000"));
        assertThat(thousands.mask(new BigDecimal("-0.5"))).isEqualTo(new BigDecimal("-1000"));
    }

    @Test
    void decimalsAndFloatingPointKeepTheirType() {
        MaskFunction halves = mask("bucket", Map.of("width", 0.5));
        assertThat(halves.mask(new BigDecimal("3.14"))).isEqualTo(new BigDecimal("3.0"));
        assertThat(halves.mask(3.74d)).isEqualTo(3.5d);
        assertThat(halves.mask(3.74f)).isEqualTo(3.5f);
        assertThat(thousands.mask(new BigDecimal("48250.75"))).isEqualTo(new BigDecimal("48000"));
    }

    @Test
    void numericTextBecomesTheBoundAsText() {
        assertThat(thousands.mask("48250.75")).isEqualTo("48000");
        assertThatThrownBy(() -> thousands.mask("about 48k")).isInstanceOf(UnmaskableValueException.class)
                .hasMessageContaining("not a number").hasMessageNotContaining("48k");
    }

    @Test
    void aFractionalWidthCannotBucketWholeNumbers() {
        assertThatThrownBy(() -> mask("bucket", Map.of("width", 2.5)).mask(7))
                .isInstanceOf(UnmaskableValueException.class).hasMessageContaining("whole width");
    }

    @Test
    void aBoundOutsideTheTypesRangeIsRefused() {
        assertThatThrownBy(() -> thousands.mask(Integer.MIN_VALUE)).isInstanceOf(UnmaskableValueException.class)
                .hasMessageContaining("range");
        assertThatThrownBy(() -> thousands.mask((byte) -1)).isInstanceOf(UnmaskableValueException.class);
        assertThatThrownBy(() -> thousands.mask(Long.MIN_VALUE)).isInstanceOf(UnmaskableValueException.class);
    }

    @Test
    void otherTypesAreRefused() {
        assertThatThrownBy(() -> thousands.mask(LocalDate.EPOCH)).isInstanceOf(UnmaskableValueException.class)
                .hasMessageContaining("LocalDate");
    }

    @Test
    void theWidthIsRequiredAndPositive() {
        assertThatThrownBy(() -> mask("bucket", Map.of())).isInstanceOf(MaskConfigurationException.class)
                .hasMessageContaining("needs parameter 'width'");
        assertThatThrownBy(() -> mask("bucket", Map.of("width", 0))).isInstanceOf(MaskConfigurationException.class)
                .hasMessageContaining("greater than 0");
        assertThatThrownBy(() -> mask("bucket", Map.of("width", "ten"))).isInstanceOf(MaskConfigurationException.class)
                .hasMessageContaining("'width' must be a number");
    }
}
