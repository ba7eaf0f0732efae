package io.governed.examples.platform;

import io.governed.masking.MaskConfigurationException;
import io.governed.masking.MaskEnvironment;
import io.governed.masking.MaskFunction;
import io.governed.masking.MaskParameters;
import io.governed.masking.UnmaskableValueException;
import io.governed.policy.load.PolicyLoadException;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LastDigitsMaskerTest {

    private static MaskFunction configured(Map<String, ?> parameters) {
        LastDigitsMasker masker = new LastDigitsMasker();
        return masker.configure(MaskParameters.validate(masker.name(), masker.parameters(), parameters), MaskEnvironment.system());
    }

    @Test
    void anIbanKeepsItsCountryItsGroupingAndItsLastFourDigits() {
        assertThat(configured(Map.of()).mask("DE89 3704 0044 0532 0130 00")).isEqualTo("DE** **** **** **** **30 00");
    }

    @Test
    void aPhoneNumberKeepsItsShapeAndTheDigitsAsked() {
        assertThat(configured(Map.of("digits", 2)).mask("+49 170 1234567")).isEqualTo("+** *** *****67");
        assertThat(configured(Map.of("digits", 2)).mask("7")).isEqualTo("7");
        assertThat(configured(Map.of("digits", 0)).mask("030-1234")).isEqualTo("***-****");
        assertThat(configured(Map.of()).mask(null)).isNull();
    }

    @Test
    void aNumberIsNotMaskedAsTextButRefused() {
        assertThatThrownBy(() -> configured(Map.of()).mask(4917012345L)).isInstanceOf(UnmaskableValueException.class)
                .hasMessageContaining("last-digits").hasMessageNotContaining("4917012345");
    }

    @Test
    void tooManyDigitsIsAConfigurationErrorNamingTheParameter() {
        assertThatThrownBy(() -> configured(Map.of("digits", 12))).isInstanceOf(MaskConfigurationException.class)
                .hasMessageContaining("digits").hasMessageContaining("between 0 and 8");
    }

    @Test
    void thePolicyLoaderFindsItThroughTheServiceFile() {
        assertThat(PolicyLoader.load("classpath:platform/policy.yaml").masks()).extracting(m -> m.function())
                .containsExactly("email", "last-digits", "last-digits");
        assertThatThrownBy(() -> PolicyLoader.fromString("bad.yaml", """
                version: 1
                classification: { tags: { pci.iban: ["*.iban"] } }
                masks:
                  - { id: m, columns: { tags: [pci.iban] }, function: last-digits, digits: 9 }
                """)).isInstanceOf(PolicyLoadException.class).hasMessageContaining("bad.yaml:4:").hasMessageContaining("between 0 and 8");
    }
}
