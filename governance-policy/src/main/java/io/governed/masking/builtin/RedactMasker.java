package io.governed.masking.builtin;

import io.governed.masking.MaskEnvironment;
import io.governed.masking.MaskFunction;
import io.governed.masking.MaskParameter;
import io.governed.masking.MaskParameters;
import io.governed.masking.Masker;
import io.governed.masking.ParameterType;
import java.util.List;

/**
 * {@code redact}: hides a value completely. Text becomes a fixed text ({@code ****} unless
 * {@code text} says otherwise) that does not reveal the value's length; numbers become zero of
 * their type, or {@code null} with {@code numbers: null}; binary values become empty; everything
 * else (dates, times, booleans, UUIDs) becomes {@code null}. Never fails, whatever the type.
 */
public final class RedactMasker implements Masker {
    private static final byte[] NO_BYTES = new byte[0];

    @Override
    public String name() {
        return "redact";
    }

    @Override
    public List<MaskParameter> parameters() {
        return List.of(
                MaskParameter.optional("text", ParameterType.STRING, "what text values become, default ****"),
                MaskParameter.choice("numbers", List.of("zero", "null"), "what numbers become, default zero"));
    }

    @Override
    public MaskFunction configure(MaskParameters parameters, MaskEnvironment environment) {
        String text = parameters.string("text", "****");
        boolean numbersToZero = parameters.string("numbers", "zero").equals("zero");
        return value -> {
            if (value instanceof String) {
                return text;
            }
            if (value instanceof Number n) {
                return numbersToZero ? Zeros.of(n) : null;
            }
            if (value instanceof byte[]) {
                return NO_BYTES;
            }
            return null;
        };
    }
}
