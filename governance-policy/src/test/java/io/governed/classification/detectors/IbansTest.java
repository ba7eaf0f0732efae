package io.governed.classification.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IbansTest {

    @ParameterizedTest(name = "{0} is an IBAN")
    @ValueSource(strings = {
            "GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606",
            "NL91ABNA0417164300", "BE68539007547034", "CH9300762011623852957", "ES9121000418450200051332",
            "IT60X0542811101000000123456", "NO9386011117947", "MT84MALT011000012345MTLCAST001S",
            "SA0380000000608010167519", "PL61109010140000071219812874", "BR1800360305000010009795493C1",
            "GB82 WEST 1234 5698 7654 32", "de89370400440532013000"})
    void acceptsValidIbansOfSeveralCountries(String iban) {
        assertThat(Ibans.isValid(iban)).isTrue();
    }

    @ParameterizedTest(name = "{0} is not an IBAN")
    @ValueSource(strings = {
            "GB82WEST12345698765433",        // last digit changed
            "DE89370400440532013001",        // last digit changed
            "FR1420041010050500013M02607",   // last digit changed
            "NL92ABNA0417164300",            // check digit changed
            "DE8937040044053201300",         // one character short for Germany
            "XX89370400440532013000",        // no such country
            "GB82WEST1234569876543",         // too short for Great Britain
            "GB82  WEST12345698765432", "GB82WEST12345698765432 ", "GB82-WEST-1234-5698-7654-32",
            "1282WEST12345698765432", "GBXXWEST12345698765432", ""})
    void rejectsAlteredAndMalformedNumbers(String text) {
        assertThat(Ibans.isValid(text)).isFalse();
    }
}
