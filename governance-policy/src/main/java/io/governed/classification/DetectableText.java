package io.governed.classification;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A value as the text the value detectors look at, and where in that text they look.
 *
 * <p>Text is stripped, whole numbers are their digits, and bytes that are UTF-8 text are that text (an e-mail address
 * kept in a VARBINARY or BLOB column is the same address). Only values no detector can recognise anything in are left
 * out ({@code null}): booleans, fractions and floating-point numbers, dates and times, UUIDs, bytes that are not text,
 * and blank text. Every other
 * value, whatever its type (a driver's JSON or row object, PostgreSQL's {@code PGobject} of a {@code json}, a record,
 * a domain or a type of an extension), is looked at as its text: a type the detectors know nothing of is no reason to
 * let its value pass unchecked.
 *
 * <p>A value may hold a recognisable value inside other text: a JSON document ({@code {"r":"ann@example.org"}}), a
 * row ({@code (1,ann@example.org)}), a list ({@code 1,ann@example.org}), a sentence ({@code call 219-45-6789}).
 * {@link #recognise} looks at the whole text and then at its pieces: the runs between the characters that separate
 * values in JSON, rows, arrays and lists, and runs of up to {@value #WINDOW} words (a card number or an IBAN written in
 * groups).
 */
public final class DetectableText {
    /** How many consecutive words a piece of free text may have (an IBAN written in groups of four has up to nine). */
    static final int WINDOW = 9;
    /** The longest run of several words looked at: an IBAN in groups, the longest such value, is 42 characters. */
    private static final int LONGEST_WORDS = 48;
    /**
     * The characters besides letters, digits and spaces that values the detectors recognise are written with (e-mail
     * addresses, keys, tokens, numbers in groups); every other character separates values (the quotes, braces, commas and
     * colons of JSON, rows, arrays and lists, and characters a query puts around a value: {@code email || '#'}).
     */
    private static final String INNER = ".-_+@/=%";
    /** The longest piece looked at (a private key's block is the longest value a detector recognises). */
    private static final int LONGEST_PIECE = 16_384;

    private DetectableText() {
    }

    /** What a detector recognised in a value's text. */
    public enum Recognised {
        /** Nothing. */
        NONE,
        /** The whole text is a value of the detector's kind. */
        WHOLE,
        /** A piece of the text is (a JSON document, a row, a sentence holding one). */
        INSIDE
    }

    public static String of(Object value) {
        String text;
        if (value == null || ofATypeWithoutText(value)) {
            return null;
        } else if (value instanceof CharSequence cs) {
            text = cs.toString().strip();
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            text = value.toString();
        } else if (value instanceof BigDecimal d) {
            text = whole(d);
        } else if (value instanceof byte[] bytes) {
            text = utf8(bytes);
            text = text == null ? null : text.strip();
        } else {
            text = String.valueOf(value).strip();
        }
        return text == null || text.isEmpty() ? null : text;
    }

    /**
     * Whether a value is of a type that holds no text at all: a boolean, a fraction or a floating-point number, a date or
     * a time, a UUID. No detector can recognise anything in such a value, nor in any other value of its column (a
     * column's values are of one type). Blank text is not such a value (the column's other values may be text), nor is
     * {@code null}, nor are bytes that are not UTF-8 text: they may be text in another encoding ({@code convert_from(b,
     * 'LATIN1')} gives it back), compressed or encrypted text.
     */
    public static boolean holdsNoText(Object value) {
        return ofATypeWithoutText(value) || value instanceof BigDecimal d && whole(d) == null;
    }

    /** A boolean, a floating-point number, a date or a time, a UUID: no value of such a type has text in it. */
    private static boolean ofATypeWithoutText(Object value) {
        return value instanceof Boolean || value instanceof Double || value instanceof Float || value instanceof java.util.Date
                || value instanceof java.time.temporal.TemporalAccessor || value instanceof java.util.UUID;
    }

    /** A number's digits when it is whole, {@code null} for a fraction. */
    private static String whole(BigDecimal d) {
        BigDecimal stripped = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        return stripped.scale() <= 0 ? stripped.toPlainString() : null;
    }

    /**
     * Whether {@code detector} recognises {@code text} ({@link #of} of a value) as a whole, or a piece of it.
     */
    public static Recognised recognise(Detector detector, String text) {
        if (detector.matchesValue(text)) {
            return Recognised.WHOLE;
        }
        return inside(detector, text) ? Recognised.INSIDE : Recognised.NONE;
    }

    private static boolean inside(Detector detector, String text) {
        int n = text.length();
        // the runs between separators, each stripped
        int start = 0;
        boolean split = false;
        for (int i = 0; i <= n; i++) {
            if (i == n || separates(text.charAt(i))) {
                if (i < n) {
                    split = true;
                }
                if (split && piece(detector, text, start, i)) {
                    return true;
                }
                start = i + 1;
            }
        }
        // runs of up to WINDOW words, punctuation around them trimmed
        int[] starts = new int[WINDOW];
        int words = 0;
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i == n) {
                break;
            }
            int wordStart = i;
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            starts[words % WINDOW] = wordStart;
            words++;
            for (int w = 1; w <= Math.min(words, WINDOW); w++) {
                int from = starts[(words - w) % WINDOW];
                if (w > 1 && i - from > LONGEST_WORDS) {
                    break;
                }
                if (piece(detector, text, from, i)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the detector recognises {@code text[from, to)} trimmed of spaces, separators and full stops around it; or,
     * failing that, trimmed of the characters values are written with as well ({@code email || '@'}, {@code ssn || '-'}).
     */
    private static boolean piece(Detector detector, String text, int from, int to) {
        while (from < to && around(text.charAt(from))) {
            from++;
        }
        while (to > from && around(text.charAt(to - 1))) {
            to--;
        }
        if (matches(detector, text, from, to)) {
            return true;
        }
        int innerFrom = from;
        int innerTo = to;
        while (innerFrom < innerTo && (around(text.charAt(innerFrom)) || INNER.indexOf(text.charAt(innerFrom)) >= 0)) {
            innerFrom++;
        }
        while (innerTo > innerFrom && (around(text.charAt(innerTo - 1)) || INNER.indexOf(text.charAt(innerTo - 1)) >= 0)) {
            innerTo--;
        }
        return (innerFrom != from || innerTo != to) && matches(detector, text, innerFrom, innerTo);
    }

    private static boolean matches(Detector detector, String text, int from, int to) {
        if (to - from < 2 || to - from > LONGEST_PIECE || from == 0 && to == text.length()) {
            return false;
        }
        return detector.matchesValue(text.substring(from, to));
    }

    /** Whether {@code c} separates values (see {@link #INNER}). */
    private static boolean separates(char c) {
        return !Character.isLetterOrDigit(c) && !Character.isWhitespace(c) && INNER.indexOf(c) < 0;
    }

    /** Whether {@code c} is trimmed off a piece's ends: a space, a separator, a full stop. */
    private static boolean around(char c) {
        return Character.isWhitespace(c) || separates(c) || c == '.';
    }

    /** {@code bytes} as UTF-8 text, or {@code null} when they are not. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notText) {
            return null;
        }
    }
}
