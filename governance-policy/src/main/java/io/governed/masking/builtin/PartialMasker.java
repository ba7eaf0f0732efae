package io.governed.masking.builtin;

import io.governed.masking.MaskBuffer;
import io.governed.masking.MaskEnvironment;
import io.governed.masking.MaskFunction;
import io.governed.masking.MaskParameter;
import io.governed.masking.MaskParameters;
import io.governed.masking.Masker;
import io.governed.masking.ParameterType;
import io.governed.masking.UnmaskableValueException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * {@code partial}: shows the first {@code keep-first} and the last {@code keep-last} characters
 * and replaces the others with {@code mask-char} ({@code *}): a card number with
 * {@code keep-last: 4} becomes {@code ************1234}. With {@code keep-separators: true},
 * characters other than letters and digits stay in place and only letters and digits are counted
 * and masked ({@code ****-****-****-1234}). When the kept characters would be the whole value,
 * nothing is shown.
 *
 * <p>Whole numbers ({@code Integer}, {@code Long}, {@code Short}, {@code Byte},
 * {@code BigInteger}, {@code BigDecimal} without fraction) keep their type: masked digits become
 * {@code 0}, so {@code 4111111111111111} with {@code keep-last: 4} becomes {@code 1111}. Other
 * types cannot be partially shown and raise {@link UnmaskableValueException}.
 */
public final class PartialMasker implements Masker {
    @Override
    public String name() {
        return "partial";
    }

    @Override
    public List<MaskParameter> parameters() {
        return List.of(
                MaskParameter.optional("keep-first", ParameterType.INTEGER, "how many leading characters to show, default 0"),
                MaskParameter.optional("keep-last", ParameterType.INTEGER, "how many trailing characters to show, default 0"),
                MaskParameter.optional("mask-char", ParameterType.STRING, "the single character masked characters become, default *"),
                MaskParameter.optional("keep-separators", ParameterType.BOOLEAN,
                        "whether characters other than letters and digits stay visible, default false"));
    }

    @Override
    public MaskFunction configure(MaskParameters parameters, MaskEnvironment environment) {
        int keepFirst = parameters.integer("keep-first", 0);
        int keepLast = parameters.integer("keep-last", 0);
        String maskChar = parameters.string("mask-char", "*");
        if (keepFirst < 0) {
            throw parameters.error("keep-first", "must be 0 or more, not " + keepFirst);
        }
        if (keepLast < 0) {
            throw parameters.error("keep-last", "must be 0 or more, not " + keepLast);
        }
        if (maskChar.length() != 1) {
            throw parameters.error("mask-char", "must be exactly one character, e.g. \"*\" or \"X\"");
        }
        return new PartialMask(keepFirst, keepLast, maskChar.charAt(0), parameters.bool("keep-separators", false));
    }

    /** The configured function. */
    private record PartialMask(int keepFirst, int keepLast, char maskChar, boolean keepSeparators) implements MaskFunction {
        @Override
        public Object mask(Object value) {
            if (value == null) {
                return null;
            }
            if (value instanceof String s) {
                return maskText(s, null);
            }
            if (value instanceof Integer i) {
                return (int) maskDigits(i);
            }
            if (value instanceof Long l && l != Long.MIN_VALUE) {
                return maskDigits(l);
            }
            if (value instanceof Short s) {
                return (short) maskDigits(s);
            }
            if (value instanceof Byte b) {
                return (byte) maskDigits(b);
            }
            if (value instanceof BigInteger b) {
                return maskBigInteger(b);
            }
            if (value instanceof BigDecimal d && d.scale() <= 0) {
                return new BigDecimal(maskBigInteger(d.toBigIntegerExact()));
            }
            throw new UnmaskableValueException("partial", value.getClass(),
                    "partial masks text and whole numbers; use redact, null or year for this column");
        }

        @Override
        public Object mask(Object value, MaskBuffer buffer) {
            return value instanceof String s ? maskText(s, buffer) : mask(value);
        }

        /**
         * The text masked: the significant chars from {@code hideFrom} (inclusive) to {@code hideTo}
         * (exclusive) become the mask char. When every char the result keeps is Latin-1 (as the mask
         * char is, usually), the result is built as Latin-1 bytes, the form such a {@code String} holds,
         * in {@code buffer} when there is one.
         */
        private String maskText(String s, MaskBuffer buffer) {
            int n = s.length();
            int significant = n;
            if (keepSeparators) {
                significant = 0;
                for (int i = 0; i < n; i++) {
                    if (letterOrDigit(s.charAt(i))) {
                        significant++;
                    }
                }
            }
            boolean showNothing = (long) keepFirst + keepLast >= significant;
            int hideFrom = showNothing ? 0 : keepFirst;
            int hideTo = showNothing ? significant : significant - keepLast;
            if (maskChar <= 0xFF) {
                byte[] out = buffer == null ? new byte[n] : buffer.latin1(n);
                boolean latin1 = keepSeparators ? latin1KeepingSeparators(s, hideFrom, hideTo, out)
                        : latin1(s, hideFrom, hideTo, out);
                if (latin1) {
                    return buffer == null ? MaskBuffer.latin1String(out, n) : buffer.text(out, n);
                }
            }
            char[] out = new char[n];
            s.getChars(0, n, out, 0);
            int index = 0;
            for (int i = 0; i < n; i++) {
                if (keepSeparators && !letterOrDigit(out[i])) {
                    continue;
                }
                if (index >= hideFrom && index < hideTo) {
                    out[i] = maskChar;
                }
                index++;
            }
            return new String(out);
        }

        /**
         * Every char counts: chars {@code hideFrom} to {@code hideTo} masked, as Latin-1 bytes written to
         * {@code out} from index 0; {@code false} when a char kept is not Latin-1.
         */
        private boolean latin1(String s, int hideFrom, int hideTo, byte[] out) {
            int n = s.length();
            for (int i = 0; i < hideFrom; i++) {
                char c = s.charAt(i);
                if (c > 0xFF) {
                    return false;
                }
                out[i] = (byte) c;
            }
            Arrays.fill(out, hideFrom, hideTo, (byte) maskChar);
            for (int i = hideTo; i < n; i++) {
                char c = s.charAt(i);
                if (c > 0xFF) {
                    return false;
                }
                out[i] = (byte) c;
            }
            return true;
        }

        /**
         * Only letters and digits count: the counted chars {@code hideFrom} to {@code hideTo} masked, the
         * others kept, as Latin-1 bytes written to {@code out} from index 0; {@code false} when a char kept
         * is not Latin-1.
         */
        private boolean latin1KeepingSeparators(String s, int hideFrom, int hideTo, byte[] out) {
            int n = s.length();
            int index = 0;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (letterOrDigit(c)) {
                    if (index >= hideFrom && index < hideTo) {
                        c = maskChar;
                    }
                    index++;
                }
                if (c > 0xFF) {
                    return false;
                }
                out[i] = (byte) c;
            }
            return true;
        }

        /** Masked digits of a whole number become 0; the sign stays. */
        private long maskDigits(long v) {
            long abs = Math.abs(v);
            int digits = 1;
            for (long rest = abs; rest >= 10; rest /= 10) {
                digits++;
            }
            if ((long) keepFirst + keepLast >= digits) {
                return 0;
            }
            long last = keepLast == 0 ? 0 : abs % pow10(keepLast);
            long firstScale = pow10(digits - keepFirst);
            long first = keepFirst == 0 ? 0 : (abs / firstScale) * firstScale;
            long masked = first + last;
            return v < 0 ? -masked : masked;
        }

        private BigInteger maskBigInteger(BigInteger v) {
            String digits = v.abs().toString();
            int n = digits.length();
            if ((long) keepFirst + keepLast >= n) {
                return BigInteger.ZERO;
            }
            char[] out = digits.toCharArray();
            for (int i = keepFirst; i < n - keepLast; i++) {
                out[i] = '0';
            }
            BigInteger masked = new BigInteger(new String(out));
            return v.signum() < 0 ? masked.negate() : masked;
        }

        private static long pow10(int exponent) {
            long p = 1;
            for (int i = 0; i < exponent; i++) {
                p *= 10;
            }
            return p;
        }
    }

    /** Letters and digits among the ASCII chars, looked up instead of asking {@link Character} per char. */
    private static final boolean[] ASCII_LETTER_OR_DIGIT = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII_LETTER_OR_DIGIT[c] = Character.isLetterOrDigit(c);
        }
    }

    /** {@link Character#isLetterOrDigit(char)}, with a table for ASCII. */
    static boolean letterOrDigit(char c) {
        return c < 128 ? ASCII_LETTER_OR_DIGIT[c] : Character.isLetterOrDigit(c);
    }
}
