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

    /**
     * Text of any kind (ASCII, Latin-1, other scripts, surrogate pairs, separators) is masked exactly as
     * the rule says, for every combination of kept chars: compared with a plain statement of the rule.
     */
    @Test
    void anyTextIsMaskedAsTheRuleSaysForEveryKeepCombination() {
        java.util.Random random = new java.util.Random(0x9A27_1A1L);
        String alphabet = "0123456789abcXYZ-_ ./@\u00e9\u00df\u00c4\u0394\u4e2d\u0663\t";
        for (int round = 0; round < 20_000; round++) {
            int keepFirst = random.nextInt(4);
            int keepLast = random.nextInt(6);
            boolean keepSeparators = random.nextBoolean();
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(24);
            while (b.length() < length) {
                if (random.nextInt(20) == 0) {
                    b.appendCodePoint(0x1F600 + random.nextInt(16));
                } else {
                    b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String text = b.toString();
            MaskFunction f = mask("partial", Map.of("keep-first", keepFirst, "keep-last", keepLast,
                    "keep-separators", keepSeparators, "mask-char", "#"));
            assertThat(f.mask(text)).as("'%s' keeping %d first, %d last, separators %s", text, keepFirst, keepLast, keepSeparators)
                    .isEqualTo(byTheRule(text, keepFirst, keepLast, keepSeparators, '#'));
        }
    }

    /**
     * The same for any mask char (ASCII, Latin-1, beyond Latin-1) and text whose kept or masked chars
     * may lie beyond Latin-1: the result is the rule's whichever form the text and the mask char take.
     */
    @Test
    void anyMaskCharAndAnyTextGiveWhatTheRuleSays() {
        java.util.Random random = new java.util.Random(0x51A7_0C4L);
        String alphabet = "0123456789abXZ-. @\u00e9\u00ff\u0100\u0394\u4e2d\u0663";
        String maskChars = "*#X\u00b7\u00ff\u2022\u0100";
        for (int round = 0; round < 20_000; round++) {
            int keepFirst = random.nextInt(4);
            int keepLast = random.nextInt(6);
            boolean keepSeparators = random.nextBoolean();
            char maskChar = maskChars.charAt(random.nextInt(maskChars.length()));
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(30);
            boolean latin1Only = random.nextBoolean();
            while (b.length() < length) {
                if (!latin1Only && random.nextInt(15) == 0) {
                    b.appendCodePoint(0x1F600 + random.nextInt(16));
                } else {
                    char c = alphabet.charAt(random.nextInt(alphabet.length()));
                    b.append(latin1Only && c > 0xFF ? 'q' : c);
                }
            }
            String text = b.toString();
            MaskFunction f = mask("partial", Map.of("keep-first", keepFirst, "keep-last", keepLast,
                    "keep-separators", keepSeparators, "mask-char", String.valueOf(maskChar)));
            assertThat(f.mask(text)).as("'%s' keeping %d first, %d last, separators %s, mask char %s", text, keepFirst,
                            keepLast, keepSeparators, maskChar)
                    .isEqualTo(byTheRule(text, keepFirst, keepLast, keepSeparators, maskChar));
        }
    }

    /** The rule, stated plainly: letters and digits (all chars unless separators are kept) count; all but the kept are masked. */
    private static String byTheRule(String s, int keepFirst, int keepLast, boolean keepSeparators, char maskChar) {
        java.util.List<Integer> counted = new java.util.ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            if (!keepSeparators || Character.isLetterOrDigit(s.charAt(i))) {
                counted.add(i);
            }
        }
        char[] out = s.toCharArray();
        boolean showNothing = keepFirst + keepLast >= counted.size();
        for (int k = 0; k < counted.size(); k++) {
            boolean shown = !showNothing && (k < keepFirst || k >= counted.size() - keepLast);
            if (!shown) {
                out[counted.get(k)] = maskChar;
            }
        }
        return new String(out);
    }
}
