package io.governed.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuantitiesTest {

    private static final String HOW_TO_WRITE_A_DURATION =
            "; write a whole number and a unit (ms, s, m, h or d), like 500ms, 30s, 5m, 1h or 2d";
    private static final String HOW_TO_WRITE_A_SIZE =
            "; write a whole number of bytes, or one with a unit (KB, MB or GB, powers of 1024), like 4096, 512KB, 100MB or 1GB";

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource(delimiter = '|', value = {
            "500ms | 500", "0ms | 0", "30s | 30000", "5m | 300000", "1h | 3600000", "2d | 172800000",
            "250MS | 250", "1H | 3600000", "15M | 900000", "'30 s' | 30000", "' 1h ' | 3600000", "'  2 D' | 172800000",
            "007s | 7000", "9223372036854775807ms | 9223372036854775807"})
    void aDurationIsAWholeNumberAndAUnit(String text, long millis) {
        assertThat(Quantities.parseDuration("x", text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void theLongestDurationsThatFitAreRead() {
        assertThat(Quantities.parseDuration("x", "106751991167300d")).isEqualTo(Duration.ofDays(106_751_991_167_300L));
        assertThat(Quantities.parseDuration("x", "999999999d")).as("an approval's ttl of old").isEqualTo(Duration.ofDays(999_999_999));
    }

    @ParameterizedTest(name = "''{0}'': {1}")
    @CsvSource(delimiter = '|', value = {
            "5 minutes | its unit is not one of ms, s, m, h or d (the value is shaped 9 aaaaaaa)",
            "1 week | its unit is not one of ms, s, m, h or d (the value is shaped 9 aaaa)",
            "1.5h | it is not a whole number (the value is shaped 9.9a)",
            "2,5s | it is not a whole number (the value is shaped 9,9a)",
            "-5s | it is negative (the value is shaped -9a)",
            "30 | it has no unit (the value is shaped 99)",
            "PT1H | it does not start with a whole number (the value is shaped aa9a)",
            "daily | it does not start with a whole number (the value is shaped aaaaa)",
            "5s! | it is not a whole number followed by a unit (the value is shaped 9a?)",
            "5 s s | it is not a whole number followed by a unit (the value is shaped 9 a a)",
            "99999999999999999999s | it is too large (the value is shaped 99999999999999999999a)",
            "106751991167301d | it is too large (the value is shaped 999999999999999a)",
            "'' | it is empty",
            "'   ' | it is empty"})
    void aBadDurationIsNamedWithWhatIsWrongAndHowToWriteOne(String text, String problem) {
        assertThatThrownBy(() -> Quantities.parseDuration("governed.audit.close-timeout", text))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("governed.audit.close-timeout is not a duration: " + problem + HOW_TO_WRITE_A_DURATION);
    }

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource(delimiter = '|', value = {
            "4096 | 4096", "0 | 0", "10b | 10", "'10 B' | 10", "512KB | 524288", "'512 kb' | 524288", "64k | 65536",
            "100MB | 104857600", "100m | 104857600", "1GB | 1073741824", "2g | 2147483648", "' 1 Gb ' | 1073741824",
            "8589934591GB | 9223372035781033984"})
    void aSizeIsAWholeNumberOfBytesOrOneWithAUnit(String text, long bytes) {
        assertThat(Quantities.parseSize("x", text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "''{0}'': {1}")
    @CsvSource(delimiter = '|', value = {
            "lots | it does not start with a whole number (the value is shaped aaaa)",
            "1.5GB | it is not a whole number (the value is shaped 9.9aa)",
            "100MiB | its unit is not one of KB, MB or GB (the value is shaped 999aaa)",
            "1TB | its unit is not one of KB, MB or GB (the value is shaped 9aa)",
            "-1 | it is negative (the value is shaped -9)",
            "8589934592GB | it is too large (the value is shaped 9999999999aa)",
            "'' | it is empty"})
    void aBadSizeIsNamedWithWhatIsWrongAndHowToWriteOne(String text, String problem) {
        assertThatThrownBy(() -> Quantities.parseSize("max-size", text))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("max-size is not a size: " + problem + HOW_TO_WRITE_A_SIZE);
    }

    @Test
    void aMessageShowsTheValuesShapeNeverTheValue() {
        String secret = "sk_live_4f9Q2xT7pL0aZ3mN8vB1cD6e";
        assertThatThrownBy(() -> Quantities.parseDuration("governed.audit.flush-interval", secret))
                .hasMessageNotContaining("sk_live").hasMessageNotContaining("4f9Q")
                .hasMessageContaining("(the value is shaped aa_aaaa_9a9a9aa9aa9aa9aa…)");
        assertThatThrownBy(() -> Quantities.parseDuration("governed.audit.flush-interval", "5 " + secret))
                .hasMessageNotContaining("sk_live").hasMessageNotContaining("4f9Q");
        assertThatThrownBy(() -> Quantities.parseDuration("governed.audit.flush-interval", null))
                .hasMessageContaining("it is empty");
    }
}
