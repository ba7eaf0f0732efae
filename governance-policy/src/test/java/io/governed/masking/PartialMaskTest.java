package io.governed.masking;

import static io.governed.masking.Masks.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartialMaskTest {
    private final MaskFunction lastFour = mask("partial", Map.of("keep-last", 4));

    @Test
    void aCardNumberShowsItsLastFourDigits() {
        assertThat(lastFour.mask("4111111111111234")).isEqualTo("************1234");
    }

    @Test
    void separatorsAreMaskedUnlessAskedToBeKept() {
        assertThat(lastFour.mask("4111-1111-1111-1234")).isEqualTo("***************1234");
        MaskFunction keepSeparators = mask("partial", Map.of("keep-last", 4, "keep-separators", true));
        assertThat(keepSeparators.mask("4111-1111-1111-1234")).isEqualTo("****-****-****-1234");
        assertThat(keepSeparators.mask("536-22-1234")).isEqualTo("***-**-1234");
    }

    @Test
    void keepsFirstAndLastWithAnyMaskCharacter() {
        MaskFunction both = mask("partial", Map.of("keep-first", 2, "keep-last", 2, "mask-char", "X"));
        assertThat(both.mask("DE89370400440532013000")).isEqualTo("DEXXXXXXXXXXXXXXXXXX00");
    }

    @Test
    void aValueNoLongerThanWhatWouldBeShownIsMaskedCompletely() {
        assertThat(lastFour.mask("1234")).isEqualTo("****");
        assertThat(lastFour.mask("12")).isEqualTo("**");
        assertThat(lastFour.mask("")).isEqualTo("");
        assertThat(lastFour.mask("12345")).isEqualTo("*2345");
    }

    @Test
    void wholeNumbersKeepTheirTypeWithMaskedDigitsAsZero() {
        assertThat(lastFour.mask(4111111111111234L)).isEqualTo(1234L);
        assertThat(lastFour.mask(-987654321)).isEqualTo(-4321);
        assertThat(lastFour.mask((short) 12345)).isEqualTo((short) 2345);
        assertThat(lastFour.mask((byte) 127)).isEqualTo((byte) 0);
        assertThat(lastFour.mask(new BigInteger("41111111111111111234"))).isEqualTo(new BigInteger("1234"));
        assertThat(lastFour.mask(new BigDecimal("4111111111111234"))).isEqualTo(new BigDecimal("1234"));
        assertThat(mask("partial", Map.of("keep-first", 2)).mask(987654321)).isEqualTo(980000000);
        assertThat(lastFour.mask(Long.MAX_VALUE)).isEqualTo(5807L);
    }

    @Test
    void typesThatCannotBeShownInPartAreRefusedNotLeaked() {
        assertThatThrownBy(() -> lastFour.mask(LocalDate.of(1984, 6, 15)))
                .isInstanceOf(UnmaskableValueException.class)
                .hasMessageContaining("'partial'").hasMessageContaining("LocalDate").hasMessageContaining("redact");
        assertThatThrownBy(() -> lastFour.mask(12.5d)).isInstanceOf(UnmaskableValueException.class);
        assertThatThrownBy(() -> lastFour.mask(new BigDecimal("1234.56"))).isInstanceOf(UnmaskableValueException.class);
        assertThatThrownBy(() -> lastFour.mask(Long.MIN_VALUE)).isInstanceOf(UnmaskableValueException.class);
    }

    @Test
    void parametersOutOfRangeAreRefusedAtLoadTime() {
        assertThatThrownBy(() -> mask("partial", Map.of("keep-last", -1)))
                .isInstanceOf(MaskConfigurationException.class)
                .hasMessageContaining("keep-last").hasMessageContaining("0 or more");
        assertThatThrownBy(() -> mask("partial", Map.of("mask-char", "**")))
                .isInstanceOf(MaskConfigurationException.class)
                .hasMessageContaining("mask-char").hasMessageContaining("exactly one character");
    }
}
