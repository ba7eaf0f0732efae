package io.governed.masking.builtin;

import java.math.BigDecimal;
import java.math.BigInteger;

/** The zero of each number type JDBC getters produce. */
final class Zeros {
    private static final Integer INT = 0;
    private static final Long LONG = 0L;
    private static final Short SHORT = 0;
    private static final Byte BYTE = 0;
    private static final Double DOUBLE = 0.0;
    private static final Float FLOAT = 0f;

    private Zeros() {
    }

    /** Zero of the number's own type, or {@code null} for a number type JDBC does not produce. */
    static Number of(Number n) {
        if (n instanceof Integer) {
            return INT;
        }
        if (n instanceof Long) {
            return LONG;
        }
        if (n instanceof BigDecimal) {
            return BigDecimal.ZERO;
        }
        if (n instanceof Double) {
            return DOUBLE;
        }
        if (n instanceof BigInteger) {
            return BigInteger.ZERO;
        }
        if (n instanceof Float) {
            return FLOAT;
        }
        if (n instanceof Short) {
            return SHORT;
        }
        if (n instanceof Byte) {
            return BYTE;
        }
        return null;
    }
}
