package io.governed.classification.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SocialSecurityNumbersTest {

    @ParameterizedTest(name = "{0} is an SSN")
    @ValueSource(strings = {"536-22-1234", "001-01-0001", "899-99-9999", "665-10-2000", "536 22 1234"})
    void acceptsIssuableNumbers(String ssn) {
        assertThat(SocialSecurityNumbers.isValid(ssn)).isTrue();
    }

    @ParameterizedTest(name = "{0} is not an SSN")
    @ValueSource(strings = {
            "000-12-3456", "666-12-3456", "900-12-3456", "999-99-9999",    // areas never issued
            "536-00-1234", "536-22-0000",                                  // group 00, serial 0000
            "078-05-1120", "219-09-9999",                                  // published specimens
            "536221234",                                                   // bare nine digits: too ambiguous
            "536-22 1234", "536-221-234", "53-622-1234", "536-22-123", "536-22-12345",
            "5a6-22-1234", "(536)-22-123", ""})
    void rejectsInvalidAreasGroupsSerialsAndShapes(String text) {
        assertThat(SocialSecurityNumbers.isValid(text)).isFalse();
    }
}
