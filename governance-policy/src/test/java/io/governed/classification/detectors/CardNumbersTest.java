package io.governed.classification.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CardNumbersTest {

    @ParameterizedTest(name = "{0} is a card number")
    @ValueSource(strings = {
            "4111111111111111", "4012888888881881", "4222222222222",          // Visa 16 and 13
            "5555555555554444", "5105105105105100", "2223003122003222",       // Mastercard 51-55 and 2-series
            "378282246310005", "371449635398431",                             // American Express
            "6011111111111117", "6011000990139424",                           // Discover
            "3530111333300000", "3566002020360505",                           // JCB
            "30569309025904", "38520000023237",                               // Diners Club (14)
            "6200000000000005",                                               // UnionPay
            "6759649826438453",                                               // Maestro
            "2200000000000004",                                               // Mir
            "4111 1111 1111 1111", "4111-1111-1111-1111", "3782 822463 10005"})
    void acceptsValidNumbersOfEveryScheme(String number) {
        assertThat(CardNumbers.isValid(number)).isTrue();
    }

    @ParameterizedTest(name = "{0} is not a card number")
    @ValueSource(strings = {
            "4111111111111112", "5555555555554445", "378282246310006",         // one digit off: Luhn fails
            "1111111111111117",                                                // Luhn-valid, no scheme starts with 1
            "5555555555554",                                                   // Mastercard prefix at 13 digits
            "37828224631000",                                                  // Amex prefix at 14 digits
            "411111111111",                                                    // too short
            "41111111111111111111",                                            // too long
            "4111  1111 1111 1111", "4111-1111 1111-1111", " 4111111111111111", "4111111111111111-",
            "4111x1111x1111x1111", "", "not a card"})
    void rejectsLookAlikes(String text) {
        assertThat(CardNumbers.isValid(text)).isFalse();
    }
}
