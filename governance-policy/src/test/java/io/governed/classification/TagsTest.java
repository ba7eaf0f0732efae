package io.governed.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TagsTest {

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "secret, secret, true", "secret, secret.token, true", "secret, secret.key, true", "pii, pii.email, true",
            "SECRET, secret.key, true",
            "secret.key, secret, false", "pii.e, pii.email, false", "secret, secrets, false", "pii.email, pii.phone, false"})
    void aTagCoversItselfAndItsMoreSpecificTags(String selector, String tag, boolean covers) {
        assertThat(Tags.covers(selector, tag)).isEqualTo(covers);
    }

    @Test
    void builtInTagsAreWellFormed() {
        assertThat(Tags.BUILT_IN).allSatisfy(Tags::requireValid).contains("pii.email", "pii.ssn", "pci.pan", "secret");
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"", "PII.email", "pii..email", ".pii", "pii.", "pii email", "pii/email"})
    void malformedTagsAreRefusedWithAnExample(String tag) {
        assertThatThrownBy(() -> Tags.requireValid(tag))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("e.g.");
    }
}
