package io.governed.masking;

import static io.governed.masking.Masks.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class YearMaskTest {
    private final MaskFunction year = mask("year");

    @Test
    void datesAndTimestampsBecomeTheFirstMomentOfTheirYearInTheirOwnType() {
        assertThat(year.mask(LocalDate.of(1984, 6, 15))).isEqualTo(LocalDate.of(1984, 1, 1));
        assertThat(year.mask(LocalDateTime.of(1984, 6, 15, 10, 30))).isEqualTo(LocalDateTime.of(1984, 1, 1, 0, 0));
        assertThat(year.mask(OffsetDateTime.of(1984, 6, 15, 10, 30, 0, 0, ZoneOffset.ofHours(-5))))
                .isEqualTo(OffsetDateTime.of(1984, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(-5)));
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertThat(year.mask(ZonedDateTime.of(1984, 6, 15, 10, 30, 0, 0, berlin)))
                .isEqualTo(ZonedDateTime.of(1984, 1, 1, 0, 0, 0, 0, berlin));
        assertThat(year.mask(Instant.parse("1984-06-15T10:30:00Z"))).isEqualTo(Instant.parse("1984-01-01T00:00:00Z"));
    }

    @Test
    void theFirstDayOfAYearStaysAsItIs() {
        assertThat(year.mask(LocalDate.of(2000, 1, 1))).isEqualTo(LocalDate.of(2000, 1, 1));
        assertThat(year.mask(Instant.parse("1999-12-31T23:59:59Z"))).isEqualTo(Instant.parse("1999-01-01T00:00:00Z"));
    }

    @ParameterizedTest(name = "{0} -> 1984")
    @ValueSource(strings = {"1984-06-15", "1984-06-15T10:30:00", "1984-06-15 10:30:00.123", "1984-12-31T23:59:59+02:00"})
    void isoDateTextBecomesTheYear(String text) {
        assertThat(year.mask(text)).isEqualTo("1984");
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"15/06/1984", "June 1984", "1984", "1984-13-01", "1984-06-15X", "84-06-15"})
    void otherTextIsRefusedRatherThanLeaked(String text) {
        assertThatThrownBy(() -> year.mask(text)).isInstanceOf(UnmaskableValueException.class)
                .hasMessageContaining("ISO date").hasMessageNotContaining(text);
    }

    @Test
    void valuesWithoutAYearAreRefused() {
        assertThatThrownBy(() -> year.mask(LocalTime.NOON)).isInstanceOf(UnmaskableValueException.class)
                .hasMessageContaining("LocalTime");
        assertThatThrownBy(() -> year.mask(1984)).isInstanceOf(UnmaskableValueException.class);
    }
}
