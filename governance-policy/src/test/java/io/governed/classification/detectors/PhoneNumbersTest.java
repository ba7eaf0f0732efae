package io.governed.classification.detectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {
    private final PhoneNumbers us = new PhoneNumbers("US");

    @ParameterizedTest(name = "{0} is a phone number")
    @ValueSource(strings = {
            "+1 650-253-0000", "(650) 253-0000", "650.253.0000", "650-253-0000",
            "+44 20 7946 0958", "+49 30 901820", "+33 1 42 68 53 00", "+81 3-3224-3000",
            "+61 2 9374 4000", "+14155552671"})
    void acceptsNumbersOfSeveralRegions(String number) {
        assertThat(us.isValid(number)).isTrue();
    }

    @ParameterizedTest(name = "{0} is not a phone number")
    @ValueSource(strings = {
            "6502530000",                 // a bare digit run: far more often an identifier
            "+1 123-456-7890",            // area code 123 does not exist
            "+1 650-253-000",             // one digit short
            "253-0000",                   // local number without an area code
            "2024-01-15", "15.01.2024", "01/15/2024",   // dates
            "192.168.100.200",            // an IPv4 address
            "1,234,567.89",               // an amount
            "+44 12",                     // too short
            "650-253-0000 ext. 12", "tel:+16502530000", "+1 650 253 0000 0000 0000", "", "phone"})
    void rejectsDigitsThatAreNotPhoneNumbers(String text) {
        assertThat(us.isValid(text)).isFalse();
    }

    @ParameterizedTest(name = "{1} is valid in {0}")
    @CsvSource({"GB, 020 7946 0958", "DE, 030 901820", "FR, 01 42 68 53 00"})
    void readsNationalNumbersInTheDefaultRegion(String region, String number) {
        assertThat(new PhoneNumbers(region).isValid(number)).isTrue();
        assertThat(us.isValid(number)).isFalse();
    }

    @Test
    void anUnknownRegionIsRefusedWithAHint() {
        assertThatThrownBy(() -> new PhoneNumbers("XX"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'XX'").hasMessageContaining("ISO 3166");
    }
}
