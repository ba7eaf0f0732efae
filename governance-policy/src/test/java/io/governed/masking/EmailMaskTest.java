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
}
