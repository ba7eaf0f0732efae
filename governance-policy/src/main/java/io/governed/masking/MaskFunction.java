package io.governed.masking;

/**
 * A mask function configured for one mask of a policy: what the JDBC result set wrapper calls for
 * every value of a masked column.
 *
 * <p>The contract, for the value types JDBC getters produce ({@code String}, {@code Integer},
 * {@code Long}, {@code Short}, {@code Byte}, {@code BigDecimal}, {@code BigInteger},
 * {@code Double}, {@code Float}, {@code Boolean}, {@code LocalDate}, {@code LocalDateTime},
 * {@code LocalTime}, {@code OffsetDateTime}, {@code Instant}, {@code byte[]}, {@code UUID}):
 * <ul>
 *   <li>{@code null} masks to {@code null};</li>
 *   <li>otherwise the result is {@code null} or a value of exactly the input's class, so a
 *       {@code getInt} can return a masked {@code Integer} and a {@code getString} a masked
 *       {@code String};</li>
 *   <li>a value the function cannot mask in its own type throws {@link UnmaskableValueException}
 *       (never returns it unmasked).</li>
 * </ul>
 * Implementations are thread-safe and never log values.
 */
@FunctionalInterface
public interface MaskFunction {

    /** The masked value (see the class contract). */
    Object mask(Object value);

    /** Masks text; the result is {@code null} or text. */
    default String maskString(String value) {
        return (String) mask(value);
    }

    /**
     * The masked value, as {@link #mask(Object)} gives it, built in {@code buffer} where the function can (a text's
     * Latin-1 bytes, say): the reader of a result set calls this for every value it masks, with its own buffer. This
     * default ignores the buffer.
     */
    default Object mask(Object value, MaskBuffer buffer) {
        return mask(value);
    }
}
