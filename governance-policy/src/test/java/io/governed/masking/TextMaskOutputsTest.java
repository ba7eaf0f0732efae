package io.governed.masking;

import static io.governed.masking.Masks.mask;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exact texts {@code email} and {@code partial} give, with and without a reader's buffer, for ASCII, Latin-1, other
 * scripts, surrogate pairs, empty and very short values: pinned, so that a faster way of building them cannot change a
 * character.
 */
class TextMaskOutputsTest {
    private static final MaskFunction EMAIL = mask("email");
    private static final MaskFunction LAST_FOUR = mask("partial", Map.of("keep-last", 4));
    private static final MaskFunction FIRST_TWO_LAST_ONE_X = mask("partial", Map.of("keep-first", 2, "keep-last", 1, "mask-char", "X"));
    private static final MaskFunction LAST_TWO_KEEPING_SEPARATORS = mask("partial", Map.of("keep-last", 2, "keep-separators", true));
    private static final MaskFunction LAST_ONE_BULLET = mask("partial", Map.of("keep-last", 1, "mask-char", "\u2022"));

    @ParameterizedTest(name = "email ''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "user12345@example.com|u***@example.com",
            "a@b.c|a***@b.c",
            "a@b|a***@b",
            "é@exemple.fr|é***@exemple.fr",
            "ÿves@dömäin.de|ÿ***@dömäin.de",
            "zoë@ÿ.de|z***@ÿ.de",
            "Δelta@example.com|Δ***@example.com",
            "alice@例え.jp|a***@例え.jp",
            "中文@例子.中国|中***@例子.中国",
            "\uD83D\uDE00smile@example.com|\uD83D\uDE00***@example.com",
            "a@\uD83D\uDE00.com|a***@\uD83D\uDE00.com",
            "\uD83D\uDE00@x|\uD83D\uDE00***@x",
            "\uD83D@x.y|\uD83D***@x.y",
            "\uDE00a@x.y|\uDE00***@x.y",
            "a@b@c|a***@c",
            "@|****",
            "@a|****",
            "a@|****",
            "a|****",
            "''|****"})
    void emailTexts(String value, String masked) {
        assertEveryWay(EMAIL, value, masked);
    }

    @ParameterizedTest(name = "partial ''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "4111 1111 1111 1234|***************1234",
            "123-45-6789|*******6789",
            "12345|*2345",
            "1234|****",
            "123|***",
            "1|*",
            "''|''",
            "ÄÖÜßéÿ|**Üßéÿ",
            "Δέλτα1234|*****1234",
            "ab\uD83D\uDE00cd|**\uD83D\uDE00cd",
            "abcd\uD83D\uDE00|**cd\uD83D\uDE00"})
    void lastFourTexts(String value, String masked) {
        assertEveryWay(LAST_FOUR, value, masked);
    }

    @ParameterizedTest(name = "partial keep-first 2, keep-last 1, X ''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "DE89370400440532013000|DEXXXXXXXXXXXXXXXXXXX0",
            "abc|XXX",
            "abcd|abXd",
            "éèêë|éèXë",
            "中文字符|中文X符",
            "''|''"})
    void keepFirstAndLastTexts(String value, String masked) {
        assertEveryWay(FIRST_TWO_LAST_ONE_X, value, masked);
    }

    @ParameterizedTest(name = "partial keeping separators ''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "4111-1111-1111-1234|****-****-****-**34",
            "536-22-1234|***-**-**34",
            "é-è-ê|*-è-ê",
            "中-文-字|*-文-字",
            "--|--",
            "a-b|*-*",
            "''|''"})
    void keepSeparatorsTexts(String value, String masked) {
        assertEveryWay(LAST_TWO_KEEPING_SEPARATORS, value, masked);
    }

    @ParameterizedTest(name = "partial with a mask char beyond Latin-1 ''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "1234|•••4",
            "é|•",
            "''|''"})
    void nonLatin1MaskCharTexts(String value, String masked) {
        assertEveryWay(LAST_ONE_BULLET, value, masked);
    }

    @Test
    void nullStaysNullEveryWay() {
        for (MaskFunction function : List.of(EMAIL, LAST_FOUR, FIRST_TWO_LAST_ONE_X, LAST_TWO_KEEPING_SEPARATORS, LAST_ONE_BULLET)) {
            assertThat(function.mask(null)).isNull();
            assertThat(function.mask(null, new MaskBuffer())).isNull();
        }
    }

    /**
     * Addresses drawn from a few first characters, locals and domains (surrogates, several {@code @}, none), with other
     * masks' texts written into the same buffer between them: each is the text the rule gives, with a buffer or without.
     */
    @Test
    void everyAddressMaskedThroughOneBufferIsTheOneTheRuleGives() {
        Random random = new Random(0xAD0BEL);
        String[] firsts = {"a", "b", "é", "Δ", "\uD83D\uDE00", "\uD83D", "\uDE00", "x", "@"};
        String[] locals = {"", "l", "local", "x@y", "@", "\uDE00"};
        String[] domains = {"@example.com", "@example.co", "@exampl.com", "@ex.com", "@é.fr", "@例.jp", "@\uD83D\uDE00", "@x"};
        MaskBuffer buffer = new MaskBuffer();
        for (int round = 0; round < 50_000; round++) {
            if (random.nextInt(5) == 0) {
                String digits = Long.toString(random.nextLong() & Long.MAX_VALUE);
                int n = digits.length();
                assertThat(LAST_FOUR.mask(digits, buffer))
                        .isEqualTo(n <= 4 ? "*".repeat(n) : "*".repeat(n - 4) + digits.substring(n - 4));
                continue;
            }
            String address = firsts[random.nextInt(firsts.length)] + locals[random.nextInt(locals.length)]
                    + (random.nextInt(10) == 0 ? "" : domains[random.nextInt(domains.length)]);
            Object masked = EMAIL.mask(address, buffer);
            assertThat(masked).as(address).isEqualTo(byTheRule(address)).isEqualTo(EMAIL.mask(address));
        }
    }

    @Test
    void aShortValueHiddenWholeIsTheSameTextWhateverItsCharacters() {
        MaskBuffer buffer = new MaskBuffer();
        List<Object> hidden = new ArrayList<>();
        for (String value : List.of("", "a", "é", "中", "\uD83D\uDE00", "abcd", "中文字符")) {
            hidden.add(LAST_FOUR.mask(value, buffer));
            hidden.add(LAST_FOUR.mask(value));
        }
        assertThat(hidden).containsExactly("", "", "*", "*", "*", "*", "*", "*", "**", "**", "****", "****", "****", "****");
    }

    private static void assertEveryWay(MaskFunction function, String value, String masked) {
        assertThat(function.mask(value)).isEqualTo(masked);
        assertThat(function.maskString(value)).isEqualTo(masked);
        MaskBuffer buffer = new MaskBuffer();
        assertThat(function.mask(value, buffer)).isEqualTo(masked);
        assertThat(function.mask(value, buffer)).as("a second time, in the same buffer").isEqualTo(masked);
        assertThat(function.mask("x".repeat(300) + "@" + "y".repeat(300), buffer)).isNotNull();
        assertThat(function.mask(value, buffer)).as("after a long text in the same buffer").isEqualTo(masked);
    }

    /** The email rule, stated plainly. */
    private static String byTheRule(String s) {
        int at = s.lastIndexOf('@');
        if (at < 1 || at == s.length() - 1) {
            return "****";
        }
        return new String(Character.toChars(s.codePointAt(0))) + "***" + s.substring(at);
    }
}
