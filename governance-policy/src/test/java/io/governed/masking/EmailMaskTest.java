package io.governed.masking;

import static io.governed.masking.Masks.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmailMaskTest {
    private final MaskFunction email = mask("email");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "alice@example.com, a***@example.com",
            "a@example.com, a***@example.com",
            "Alice.Smith+news@mail.example.co.uk, A***@mail.example.co.uk",
            "\"odd@local\"@example.com, \"***@example.com",
            "élodie@exemple.fr, é***@exemple.fr"})
    void keepsTheFirstCharacterAndTheDomain(String address, String masked) {
        assertThat(email.mask(address)).isEqualTo(masked);
    }

    @Test
    void doesNotRevealTheLengthOfTheLocalPart() {
        assertThat(email.mask("al@example.com")).isEqualTo(email.mask("alexandra@example.com"));
    }

    @Test
    void anEmojiIsKeptWholeNotCutInHalf() {
        assertThat(email.maskString("\uD83D\uDE00smile@example.com")).isEqualTo("\uD83D\uDE00***@example.com");
    }

    @ParameterizedTest(name = "''{0}'' is hidden completely")
    @CsvSource({"not an address", "@example.com", "alice@", "''"})
    void textThatIsNotAnAddressIsHiddenCompletely(String text) {
        assertThat(email.mask(text)).isEqualTo("****");
    }

    @Test
    void onlyTextCanBeMaskedAsAnAddress() {
        assertThatThrownBy(() -> email.mask(42)).isInstanceOf(UnmaskableValueException.class)
                .hasMessageContaining("'email'").hasMessageContaining("Integer");
        assertThat(email.mask(null)).isNull();
    }

    /**
     * Any text (ASCII, Latin-1, other scripts, surrogate pairs, several or no {@code @}) is masked as
     * the rule says: the first code point, {@code ***}, and everything from the last {@code @}; text
     * with no {@code @} between other characters becomes {@code ****}.
     */
    @Test
    void anyTextIsMaskedAsTheRuleSays() {
        java.util.Random random = new java.util.Random(0xE3A1_1L);
        String alphabet = "abcXYZ019.-+_@\"\u00e9\u00ff\u0100\u0394\u4e2d ";
        for (int round = 0; round < 20_000; round++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(24);
            while (b.length() < length) {
                int pick = random.nextInt(20);
                if (pick == 0) {
                    b.appendCodePoint(0x1F600 + random.nextInt(16));
                } else if (pick == 1) {
                    b.append('@');
                } else {
                    b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String text = b.toString();
            assertThat(email.mask(text)).as("'%s'", text).isEqualTo(byTheRule(text));
        }
    }

    /** The rule, stated plainly. */
    private static String byTheRule(String s) {
        int at = s.lastIndexOf('@');
        if (at < 1 || at == s.length() - 1) {
            return "****";
        }
        return new String(Character.toChars(s.codePointAt(0))) + "***" + s.substring(at);
    }
}
