package io.governed.masking.builtin;

import io.governed.masking.MaskEnvironment;
import io.governed.masking.MaskFunction;
import io.governed.masking.MaskParameter;
import io.governed.masking.MaskParameters;
import io.governed.masking.Masker;
import io.governed.masking.ParameterType;
import io.governed.masking.UnmaskableValueException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;

/**
 * {@code bucket}: replaces a number with the lower bound of the bucket of {@code width} it falls
 * in, buckets starting at zero: with {@code width: 1000}, 48250 becomes 48000 and -1 becomes -1000.
 * The type is kept: an {@code Integer} stays an {@code Integer}, a {@code BigDecimal} a
 * {@code BigDecimal}, a {@code Double} a {@code Double}. Text holding a decimal number (as
 * {@code getString} returns for a numeric column) becomes the bound as plain text.
 *
 * <p>Whole-number types need a whole width; a bound outside the type's range, a fractional width
 * for a whole-number type, or text that is not a number raise {@link UnmaskableValueException}.
 */
public final class BucketMasker implements Masker {
    @Override
    public String name() {
        return "bucket";
    }

    @Override
    public List<MaskParameter> parameters() {
        return List.of(MaskParameter.required("width", ParameterType.DECIMAL, "the width of each bucket, greater than 0"));
    }

    @Override
    public MaskFunction configure(MaskParameters parameters, MaskEnvironment environment) {
        BigDecimal width = parameters.decimal("width");
        if (width.signum() <= 0) {
            throw parameters.error("width", "must be greater than 0, not " + width.toPlainString());
        }
        return new BucketMask(width);
    }

    /** The configured function. */
    private static final class BucketMask implements MaskFunction {
        private final BigDecimal width;
        private final double doubleWidth;
        private final long longWidth;
        private final BigInteger bigWidth;

        BucketMask(BigDecimal width) {
            this.width = width;
            this.doubleWidth = width.doubleValue();
            BigDecimal whole = width.stripTrailingZeros();
            boolean isWhole = whole.scale() <= 0 && whole.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
            this.longWidth = isWhole ? whole.longValueExact() : 0;
            this.bigWidth = whole.scale() <= 0 ? whole.toBigIntegerExact() : null;
        }

        @Override
        public Object mask(Object value) {
            if (value == null) {
                return null;
            }
            if (value instanceof Integer i) {
                return (int) inRange(lowerBound(i, value), Integer.MIN_VALUE, Integer.MAX_VALUE, value);
            }
            if (value instanceof Long l) {
                return lowerBound(l, value);
            }
            if (value instanceof Short s) {
                return (short) inRange(lowerBound(s, value), Short.MIN_VALUE, Short.MAX_VALUE, value);
            }
            if (value instanceof Byte b) {
                return (byte) inRange(lowerBound(b, value), Byte.MIN_VALUE, Byte.MAX_VALUE, value);
            }
            if (value instanceof BigDecimal d) {
                return lowerBound(d);
            }
            if (value instanceof Double d) {
                return Math.floor(d / doubleWidth) * doubleWidth;
            }
            if (value instanceof Float f) {
                return (float) (Math.floor(f / doubleWidth) * doubleWidth);
            }
            if (value instanceof BigInteger b) {
                if (bigWidth == null) {
                    throw fractionalWidth(value);
                }
                BigInteger[] qr = b.divideAndRemainder(bigWidth);
                BigInteger q = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
                return q.multiply(bigWidth);
            }
            if (value instanceof String s) {
                try {
                    return lowerBound(new BigDecimal(s.strip())).toPlainString();
                } catch (NumberFormatException e) {
                    throw new UnmaskableValueException("bucket", String.class,
                            "the text is not a number; use redact for this column");
                }
            }
            throw new UnmaskableValueException("bucket", value.getClass(), "bucket masks numbers; use redact or year for this column");
        }

        private BigDecimal lowerBound(BigDecimal d) {
            return d.divide(width, 0, RoundingMode.FLOOR).multiply(width);
        }

        private long lowerBound(long v, Object value) {
            if (longWidth == 0) {
                throw fractionalWidth(value);
            }
            try {
                return Math.multiplyExact(Math.floorDiv(v, longWidth), longWidth);
            } catch (ArithmeticException e) {
                throw outOfRange(value);
            }
        }

        private static long inRange(long bound, long min, long max, Object value) {
            if (bound < min || bound > max) {
                throw outOfRange(value);
            }
            return bound;
        }

        private UnmaskableValueException fractionalWidth(Object value) {
            return new UnmaskableValueException("bucket", value.getClass(), "width " + width.toPlainString()
                    + " is not a whole number; give a whole width for whole-number columns");
        }

        private static UnmaskableValueException outOfRange(Object value) {
            return new UnmaskableValueException("bucket", value.getClass(),
                    "the bucket's lower bound is outside the type's range; use a smaller width");
        }
    }
}
