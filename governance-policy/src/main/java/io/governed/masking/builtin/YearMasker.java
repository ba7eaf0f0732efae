package io.governed.masking.builtin;

import io.governed.masking.MaskEnvironment;
import io.governed.masking.MaskFunction;
import io.governed.masking.MaskParameter;
import io.governed.masking.MaskParameters;
import io.governed.masking.Masker;
import io.governed.masking.UnmaskableValueException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * {@code year}: keeps only the year of a date or timestamp, as the first moment of that year in
 * the value's own type: {@code LocalDate} 1984-06-15 becomes 1984-01-01, a {@code LocalDateTime}
 * 1984-01-01T00:00, an {@code OffsetDateTime} or {@code ZonedDateTime} midnight of 1 January in
 * its own offset or zone, an {@code Instant} 1 January 00:00 UTC of its UTC year. Text in ISO date
 * form ({@code 1984-06-15}, optionally followed by a time after {@code T} or a space) becomes the
 * year alone ({@code 1984}). Anything else raises {@link UnmaskableValueException}.
 */
public final class YearMasker implements Masker {
    private static final int[] DIGIT_POSITIONS = {0, 1, 2, 3, 5, 6, 8, 9};

    @Override
    public String name() {
        return "year";
    }

    @Override
    public List<MaskParameter> parameters() {
        return List.of();
    }

    @Override
    public MaskFunction configure(MaskParameters parameters, MaskEnvironment environment) {
        return YearMasker::firstOfYear;
    }

    private static Object firstOfYear(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof LocalDate d) {
            return LocalDate.of(d.getYear(), 1, 1);
        }
        if (value instanceof LocalDateTime t) {
            return LocalDateTime.of(t.getYear(), 1, 1, 0, 0);
        }
        if (value instanceof OffsetDateTime t) {
            return OffsetDateTime.of(t.getYear(), 1, 1, 0, 0, 0, 0, t.getOffset());
        }
        if (value instanceof ZonedDateTime t) {
            return ZonedDateTime.of(t.getYear(), 1, 1, 0, 0, 0, 0, t.getZone());
        }
        if (value instanceof Instant i) {
            int year = i.atOffset(ZoneOffset.UTC).getYear();
            return OffsetDateTime.of(year, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toInstant();
        }
        if (value instanceof String s && isIsoDate(s)) {
            return s.substring(0, 4);
        }
        throw new UnmaskableValueException("year", value.getClass(), value instanceof String
                ? "only text in ISO date form (YYYY-MM-DD) can be cut to its year; use redact for this column"
                : "year masks dates and timestamps; use redact or null for this column");
    }

    /** {@code YYYY-MM-DD}, then the end or {@code T} or a space. */
    private static boolean isIsoDate(String s) {
        if (s.length() < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return false;
        }
        for (int i : DIGIT_POSITIONS) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        int month = (s.charAt(5) - '0') * 10 + (s.charAt(6) - '0');
        int day = (s.charAt(8) - '0') * 10 + (s.charAt(9) - '0');
        return month >= 1 && month <= 12 && day >= 1 && day <= 31
                && (s.length() == 10 || s.charAt(10) == 'T' || s.charAt(10) == ' ');
    }
}
