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
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;

/**
 * {@code default}: every value becomes its type's neutral value, for columns that must not be
 * {@code NULL} on the client: text {@code ""}, numbers zero, booleans {@code false}, dates and
 * timestamps the Unix epoch (1970-01-01, 1970-01-01T00:00, 1970-01-01T00:00Z with a timestamp's own
 * offset or zone kept), times midnight, binary values empty, UUIDs the nil UUID.
 */
public final class DefaultValueMasker implements Masker {
    private static final byte[] NO_BYTES = new byte[0];
    private static final UUID NIL = new UUID(0, 0);
    private static final LocalDate EPOCH_DATE = LocalDate.EPOCH;
    private static final LocalDateTime EPOCH_DATE_TIME = LocalDateTime.of(EPOCH_DATE, LocalTime.MIDNIGHT);

    @Override
    public String name() {
        return "default";
    }

    @Override
    public List<MaskParameter> parameters() {
        return List.of();
    }

    @Override
    public MaskFunction configure(MaskParameters parameters, MaskEnvironment environment) {
        return DefaultValueMasker::neutral;
    }

    private static Object neutral(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String) {
            return "";
        }
        if (value instanceof Number n) {
            Number zero = Zeros.of(n);
            if (zero != null) {
                return zero;
            }
        } else if (value instanceof Boolean) {
            return Boolean.FALSE;
        } else if (value instanceof LocalDate) {
            return EPOCH_DATE;
        } else if (value instanceof LocalDateTime) {
            return EPOCH_DATE_TIME;
        } else if (value instanceof OffsetDateTime t) {
            return Instant.EPOCH.atOffset(t.getOffset());
        } else if (value instanceof ZonedDateTime t) {
            return Instant.EPOCH.atZone(t.getZone());
        } else if (value instanceof Instant) {
            return Instant.EPOCH;
        } else if (value instanceof LocalTime) {
            return LocalTime.MIDNIGHT;
        } else if (value instanceof OffsetTime t) {
            return OffsetTime.of(LocalTime.MIDNIGHT, t.getOffset());
        } else if (value instanceof byte[]) {
            return NO_BYTES;
        } else if (value instanceof UUID) {
            return NIL;
        }
        throw new UnmaskableValueException("default", value.getClass(), "use redact or null for this column");
    }
}
