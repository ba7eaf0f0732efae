package io.governed.masking;

import static io.governed.masking.Masks.mask;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A text masked through a reader's buffer is the text {@code mask} gives, whatever the buffer held before: the
 * buffer is shared by every value of a result set, longer and shorter, Latin-1 or not.
 */
class MaskBufferTest {
    private static final List<MaskFunction> TEXT_MASKS = List.of(
            mask("email"),
            mask("partial", Map.of("keep-last", 4)),
            mask("partial", Map.of("keep-first", 2, "keep-last", 3)),
            mask("partial", Map.of("keep-last", 4, "keep-separators", true)),
            mask("partial", Map.of("keep-first", 1, "mask-char", "#", "keep-separators", true)),
            mask("partial", Map.of("keep-last", 2, "mask-char", "\u2022")),
            mask("redact"));

    @Test
    void aShortValueAfterALongOneShowsNothingOfTheLongOne() {
        MaskBuffer buffer = new MaskBuffer();
        MaskFunction email = mask("email");
        MaskFunction lastFour = mask("partial", Map.of("keep-last", 4));
        assertThat(email.mask("someone.secret@a-very-long-domain.example.com", buffer))
                .isEqualTo("s***@a-very-long-domain.example.com");
        assertThat(email.mask("b@c.de", buffer)).isEqualTo("b***@c.de");
        assertThat(lastFour.mask("4111 1111 1111 1234", buffer)).isEqualTo("***************1234");
        assertThat(lastFour.mask("12345", buffer)).isEqualTo("*2345");
        assertThat(lastFour.mask("1234", buffer)).isEqualTo("****");
        assertThat(lastFour.mask("", buffer)).isEqualTo("");
    }

    @Test
    void aMaskedTextIsNotChangedByTheNextOneMaskedInTheSameBuffer() {
        MaskBuffer buffer = new MaskBuffer();
        MaskFunction lastFour = mask("partial", Map.of("keep-last", 4));
        Object first = lastFour.mask("123-45-6789", buffer);
        lastFour.mask("987-65-4321", buffer);
        assertThat(first).isEqualTo("*******6789");
    }

    @Test
    void aMaskedTextEqualToTheOneBeforeItIsHandedOutAgain() {
        MaskBuffer buffer = new MaskBuffer();
        MaskFunction email = mask("email");
        Object first = email.mask("user1@example.com", buffer);
        Object second = email.mask("user2@example.com", buffer);
        assertThat(second).isEqualTo("u***@example.com").isSameAs(first);
        Object other = email.mask("ann@example.com", buffer);
        assertThat(other).isEqualTo("a***@example.com").isNotSameAs(first);
        assertThat(email.mask("al@example.com", buffer)).isSameAs(other);
        assertThat(first).isEqualTo("u***@example.com");
    }

    @Test
    void aMaskedTextOfAnotherLengthOrOtherBytesIsNeverTheOneBefore() {
        MaskBuffer buffer = new MaskBuffer();
        MaskFunction lastFour = mask("partial", Map.of("keep-last", 4));
        assertThat(lastFour.mask("123-45-6789", buffer)).isEqualTo("*******6789");
        assertThat(lastFour.mask("23-45-6789", buffer)).isEqualTo("******6789");
        assertThat(lastFour.mask("123-45-6788", buffer)).isEqualTo("*******6788");
        assertThat(lastFour.mask("123-45-6789", buffer)).isEqualTo("*******6789");
        assertThat(lastFour.mask("1234", buffer)).isEqualTo("****");
        assertThat(lastFour.mask("9876", buffer)).isEqualTo("****");
        assertThat(lastFour.mask("", buffer)).isEqualTo("");
    }

    /** Masked texts of one length that differ in their first byte only, their last only, or one in the middle only. */
    @Test
    void aMaskedTextDifferingFromTheOneBeforeInOneByteAnywhereIsItsOwn() {
        MaskBuffer buffer = new MaskBuffer();
        MaskFunction firstAndLast = mask("partial", Map.of("keep-first", 1, "keep-last", 1));
        MaskFunction email = mask("email");
        Object first = firstAndLast.mask("a-secret-z", buffer);
        assertThat(first).isEqualTo("a********z");
        Object otherFirst = firstAndLast.mask("b-secret-z", buffer);
        assertThat(otherFirst).isEqualTo("b********z").isNotSameAs(first);
        Object otherLast = firstAndLast.mask("b-secret-y", buffer);
        assertThat(otherLast).isEqualTo("b********y").isNotSameAs(otherFirst);
        assertThat(firstAndLast.mask("b-hidden-y", buffer)).isSameAs(otherLast);
        Object x = email.mask("ann@x-domain.de", buffer);
        assertThat(x).isEqualTo("a***@x-domain.de");
        Object y = email.mask("ann@y-domain.de", buffer);
        assertThat(y).isEqualTo("a***@y-domain.de").isNotSameAs(x);
        assertThat(email.mask("al@y-domain.de", buffer)).isSameAs(y);
        assertThat(first).isEqualTo("a********z");
        assertThat(otherFirst).isEqualTo("b********z");
        assertThat(x).isEqualTo("a***@x-domain.de");
    }

    /** Values from a few letters, so that masked texts repeat and alternate: each as {@code mask} gives it. */
    @Test
    void repeatedAndAlternatingTextsThroughOneBufferAreMaskedAsWithout() {
        Random random = new Random(0x5A4EL);
        String[] parts = {"a", "b", "\u00e9", "\u0394", "1", "-", "@x.de", "@y.de", "@\u00e9.de", "@\u0394.de"};
        MaskBuffer shared = new MaskBuffer();
        MaskBuffer[] own = new MaskBuffer[TEXT_MASKS.size()];
        for (int f = 0; f < own.length; f++) {
            own[f] = new MaskBuffer();
        }
        for (int round = 0; round < 20_000; round++) {
            StringBuilder b = new StringBuilder();
            int pieces = random.nextInt(6);
            for (int p = 0; p < pieces; p++) {
                b.append(parts[random.nextInt(parts.length)]);
            }
            String text = b.toString();
            for (int f = 0; f < own.length; f++) {
                MaskFunction function = TEXT_MASKS.get(f);
                Object expected = function.mask(text);
                assertThat(function.mask(text, own[f])).as("%s of %s", function, text).isEqualTo(expected);
                assertThat(function.mask(text, shared)).as("%s of %s, shared", function, text).isEqualTo(expected);
            }
        }
    }

    @Test
    void nullStaysNull() {
        for (MaskFunction function : TEXT_MASKS) {
            assertThat(function.mask(null, new MaskBuffer())).isNull();
        }
    }

    /** Random texts of every length up to well past the buffer's kept size, in one buffer: each as {@code mask} gives it. */
    @Test
    void anyTextThroughOneBufferIsMaskedAsWithout() {
        Random random = new Random(0xB0FFE5L);
        String alphabet = "abcXYZ019.-+_@ \"\u00e9\u00ff\u0100\u0394\u4e2d\uD83D\uDE00";
        MaskBuffer buffer = new MaskBuffer();
        for (int round = 0; round < 20_000; round++) {
            int length = random.nextInt(8) == 0 ? random.nextInt(600) : random.nextInt(40);
            StringBuilder b = new StringBuilder();
            while (b.length() < length) {
                int pick = random.nextInt(alphabet.length());
                char c = alphabet.charAt(pick);
                if (Character.isHighSurrogate(c)) {
                    b.append(c).append(alphabet.charAt(pick + 1));
                } else if (!Character.isLowSurrogate(c)) {
                    b.append(c);
                }
            }
            String text = b.toString();
            for (MaskFunction function : TEXT_MASKS) {
                assertThat(function.mask(text, buffer)).as("%s of a text of length %d", function, text.length())
                        .isEqualTo(function.mask(text));
            }
        }
    }

    @Test
    void aFunctionOfItsOwnIgnoresTheBuffer() {
        MaskFunction upper = value -> value == null ? null : value.toString().toUpperCase(java.util.Locale.ROOT);
        assertThat(upper.mask("abc", new MaskBuffer())).isEqualTo("ABC");
    }

    @Test
    void numbersAndOtherValuesAreMaskedAsWithout() {
        MaskBuffer buffer = new MaskBuffer();
        MaskFunction lastFour = mask("partial", Map.of("keep-last", 4));
        assertThat(lastFour.mask(4111111111111234L, buffer)).isEqualTo(1234L);
        assertThat(lastFour.mask(new java.math.BigDecimal("4111111111111234"), buffer))
                .isEqualTo(new java.math.BigDecimal("1234"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> mask("email").mask(42, buffer))
                .isInstanceOf(UnmaskableValueException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lastFour.mask(java.time.LocalDate.EPOCH, buffer))
                .isInstanceOf(UnmaskableValueException.class);
    }
}
