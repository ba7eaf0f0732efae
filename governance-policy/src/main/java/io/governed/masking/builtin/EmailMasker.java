package io.governed.masking.builtin;

import io.governed.masking.MaskEnvironment;
import io.governed.masking.MaskFunction;
import io.governed.masking.MaskParameter;
import io.governed.masking.MaskParameters;
import io.governed.masking.Masker;
import io.governed.masking.UnmaskableValueException;
import java.util.List;

/**
 * {@code email}: keeps the first character of an address's local part and its domain,
 * {@code alice@example.com} becoming {@code a***@example.com}; the local part's length is not
 * revealed. Text without an {@code @} between other characters becomes {@code ****}. Values that
 * are not text raise {@link UnmaskableValueException}.
 */
public final class EmailMasker implements Masker {
    private static final String HIDDEN = "****";

    @Override
    public String name() {
        return "email";
    }

    @Override
    public List<MaskParameter> parameters() {
        return List.of();
    }

    @Override
    public MaskFunction configure(MaskParameters parameters, MaskEnvironment environment) {
        return EmailMasker::maskAddress;
    }

    private static Object maskAddress(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new UnmaskableValueException("email", value.getClass(), "email masks text; use redact or hash for this column");
        }
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1) {
            return HIDDEN;
        }
        int firstEnd = Character.charCount(s.codePointAt(0));
        return new StringBuilder(firstEnd + 3 + s.length() - at).append(s, 0, firstEnd).append("***")
                .append(s, at, s.length()).toString();
    }
}
