package io.governed.examples.platform;

import io.governed.masking.MaskEnvironment;
import io.governed.masking.MaskFunction;
import io.governed.masking.MaskParameter;
import io.governed.masking.MaskParameters;
import io.governed.masking.Masker;
import io.governed.masking.ParameterType;
import io.governed.masking.UnmaskableValueException;

import java.util.List;

/**
 * {@code last-digits}: every digit but the last {@code digits} becomes {@code *}; letters, spaces and
 * punctuation stay, so an IBAN keeps its country and its grouping and a phone number its shape:
 * {@code DE89 3704 0044 0532 0130 00} becomes {@code DE** **** **** **** **30 00} ({@code digits: 4}),
 * {@code +49 170 1234567} becomes {@code +** *** *****67} ({@code digits: 2}).
 *
 * <p>Found by the policy loader through {@code META-INF/services/io.governed.masking.Masker}; a policy names it
 * {@code function: last-digits}.
 */
public final class LastDigitsMasker implements Masker {

    @Override
    public String name() {
        return "last-digits";
    }

    @Override
    public List<MaskParameter> parameters() {
        return List.of(MaskParameter.optional("digits", ParameterType.INTEGER, "how many trailing digits to show, default 4"));
    }

    @Override
    public MaskFunction configure(MaskParameters parameters, MaskEnvironment environment) {
        int digits = parameters.integer("digits", 4);
        if (digits < 0 || digits > 8) {
            throw parameters.error("digits", "must be between 0 and 8, not " + digits + ": more would give most of a number away");
        }
        return value -> {
            if (value == null) {
                return null;
            }
            if (!(value instanceof String text)) {
                throw new UnmaskableValueException("last-digits", value.getClass(),
                        "last-digits masks text; store the number as text, or use redact for this column");
            }
            return mask(text, digits);
        };
    }

    static String mask(String text, int shown) {
        int total = (int) text.chars().filter(Character::isDigit).count();
        char[] out = text.toCharArray();
        int seen = 0;
        for (int i = 0; i < out.length; i++) {
            if (Character.isDigit(out[i])) {
                seen++;
                if (seen <= total - shown) {
                    out[i] = '*';
                }
            }
        }
        return new String(out);
    }
}
