package io.governed.masking.builtin;

import io.governed.masking.MaskEnvironment;
import io.governed.masking.MaskFunction;
import io.governed.masking.MaskParameter;
import io.governed.masking.MaskParameters;
import io.governed.masking.Masker;
import io.governed.masking.UnmaskableValueException;
import java.nio.charset.StandardCharsets;
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
        String latin1 = latin1Masked(s, at);
        if (latin1 != null) {
            return latin1;
        }
        int firstEnd = Character.charCount(s.codePointAt(0));
        return new StringBuilder(firstEnd + 3 + s.length() - at).append(s, 0, firstEnd).append("***")
                .append(s, at, s.length()).toString();
    }

    /**
     * The masked address built as Latin-1 bytes (the form such a {@code String} holds) when its first
     * char and its domain are Latin-1; {@code null} otherwise.
     */
    private static String latin1Masked(String s, int at) {
        char first = s.charAt(0);
        if (first > 0xFF) {
            return null;
        }
        int n = s.length();
        byte[] out = new byte[4 + n - at];
        out[0] = (byte) first;
        out[1] = '*';
        out[2] = '*';
        out[3] = '*';
        for (int i = at, j = 4; i < n; i++, j++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                return null;
            }
            out[j] = (byte) c;
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
