package io.governed.masking.builtin;

import io.governed.masking.MaskBuffer;
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
        return EmailMask.INSTANCE;
    }

    /** The function: it has no parameters. */
    private static final class EmailMask implements MaskFunction {
        static final EmailMask INSTANCE = new EmailMask();

        @Override
        public Object mask(Object value) {
            if (value == null) {
                return null;
            }
            if (!(value instanceof String s)) {
                throw new UnmaskableValueException("email", value.getClass(), "email masks text; use redact or hash for this column");
            }
            return maskAddress(s, null);
        }

        @Override
        public Object mask(Object value, MaskBuffer buffer) {
            return value instanceof String s ? maskAddress(s, buffer) : mask(value);
        }
    }

    /** The masked address, its Latin-1 form built in {@code buffer} when there is one. */
    private static String maskAddress(String s, MaskBuffer buffer) {
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1) {
            return HIDDEN;
        }
        String latin1 = latin1Masked(s, at, buffer);
        if (latin1 != null) {
            return latin1;
        }
        int firstEnd = Character.charCount(s.codePointAt(0));
        return new StringBuilder(firstEnd + 3 + s.length() - at).append(s, 0, firstEnd).append("***")
                .append(s, at, s.length()).toString();
    }

    /**
     * The masked address built as Latin-1 bytes (the form such a {@code String} holds), in {@code buffer}
     * when there is one, when its first char and its domain are Latin-1; {@code null} otherwise.
     */
    private static String latin1Masked(String s, int at, MaskBuffer buffer) {
        char first = s.charAt(0);
        if (first > 0xFF) {
            return null;
        }
        int n = s.length();
        int length = 4 + n - at;
        byte[] out = buffer == null ? new byte[length] : buffer.latin1(length);
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
        return buffer == null ? MaskBuffer.latin1String(out, length) : buffer.text(out, length);
    }
}
