package io.governed.settings;

import java.time.Duration;
import java.util.Locale;

/**
 * Reads the durations and sizes that settings and policies are written with.
 *
 * <ul>
 *   <li>A <b>duration</b> is a whole number and a unit: {@code ms}, {@code s}, {@code m} (minutes),
 *       {@code h} or {@code d} ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}).</li>
 *   <li>A <b>size</b> is a whole number of bytes, or one with a unit: {@code KB}, {@code MB},
 *       {@code GB} (powers of 1024; {@code B}, {@code K}, {@code M}, {@code G} also do):
 *       {@code 4096}, {@code 512KB}, {@code 100MB}, {@code 1GB}.</li>
 * </ul>
 * Units may be written in either case, and spaces around the value and between the number and the
 * unit are ignored. A value that cannot be read is an {@link IllegalArgumentException} whose message
 * names the setting, says what is wrong with the value and how to write one, and shows the value's
 * shape (each digit as {@code 9}, each letter as {@code a}), never the value itself.
 */
public final class Quantities {

    private static final String DURATION_UNITS = "ms, s, m, h or d";
    private static final String HOW_TO_WRITE_A_DURATION =
            "write a whole number and a unit (" + DURATION_UNITS + "), like 500ms, 30s, 5m, 1h or 2d";
    private static final String SIZE_UNITS = "KB, MB or GB";
    private static final String HOW_TO_WRITE_A_SIZE =
            "write a whole number of bytes, or one with a unit (" + SIZE_UNITS + ", powers of 1024), like 4096, 512KB, 100MB or 1GB";
    private static final int LONGEST_SHAPE = 24;

    private Quantities() {
    }

    /**
     * A duration, zero or longer.
     *
     * @param what names the setting for the error message: {@code governed.audit.close-timeout},
     *             {@code 'ttl' in approval 'schema-change'}
     * @throws IllegalArgumentException naming the setting, what is wrong and how to write a duration
     */
    public static Duration parseDuration(String what, String text) {
        Value value = new Value(what, text, "duration", DURATION_UNITS, HOW_TO_WRITE_A_DURATION);
        Amount amount = value.read();
        if (amount.unit().isEmpty()) {
            throw value.invalid("it has no unit");
        }
        try {
            return switch (amount.unit()) {
                case "ms" -> Duration.ofMillis(amount.number());
                case "s" -> Duration.ofSeconds(amount.number());
                case "m" -> Duration.ofMinutes(amount.number());
                case "h" -> Duration.ofHours(amount.number());
                case "d" -> Duration.ofDays(amount.number());
                default -> throw value.unknownUnit(amount.unit());
            };
        } catch (ArithmeticException e) {
            throw value.invalid("it is too large");
        }
    }

    /**
     * A size in bytes, zero or more.
     *
     * @param what names the setting for the error message: {@code max-size}
     * @throws IllegalArgumentException naming the setting, what is wrong and how to write a size
     */
    public static long parseSize(String what, String text) {
        Value value = new Value(what, text, "size", SIZE_UNITS, HOW_TO_WRITE_A_SIZE);
        Amount amount = value.read();
        long factor = switch (amount.unit()) {
            case "", "b" -> 1L;
            case "k", "kb" -> 1L << 10;
            case "m", "mb" -> 1L << 20;
            case "g", "gb" -> 1L << 30;
            default -> throw value.unknownUnit(amount.unit());
        };
        try {
            return Math.multiplyExact(amount.number(), factor);
        } catch (ArithmeticException e) {
            throw value.invalid("it is too large");
        }
    }

    /** A whole number and the unit written after it, in lower case (empty when none). */
    private record Amount(long number, String unit) {
    }

    /**
     * The value of a setting, with what the messages about it need.
     *
     * @param what  names the setting
     * @param text  the value as written
     * @param kind  what the value should be: duration, size
     * @param units the units it may have, for messages
     * @param how   how to write one, for messages
     */
    private record Value(String what, String text, String kind, String units, String how) {

        Amount read() {
            String value = text == null ? "" : text.strip();
            if (value.isEmpty()) {
                throw invalid("it is empty");
            }
            int end = 0;
            while (end < value.length() && isDigit(value.charAt(end))) {
                end++;
            }
            if (end == 0) {
                throw invalid(value.charAt(0) == '-' ? "it is negative" : "it does not start with a whole number");
            }
            if (end + 1 < value.length() && (value.charAt(end) == '.' || value.charAt(end) == ',') && isDigit(value.charAt(end + 1))) {
                throw invalid("it is not a whole number");
            }
            try {
                return new Amount(Long.parseLong(value, 0, end, 10), value.substring(end).stripLeading().toLowerCase(Locale.ROOT));
            } catch (NumberFormatException e) {
                throw invalid("it is too large");
            }
        }

        IllegalArgumentException unknownUnit(String unit) {
            boolean word = unit.chars().allMatch(c -> c >= 'a' && c <= 'z');
            return invalid(word ? "its unit is not one of " + units : "it is not a whole number followed by a unit");
        }

        IllegalArgumentException invalid(String problem) {
            String value = text == null ? "" : text.strip();
            String shape = value.isEmpty() ? "" : " (the value is shaped " + shape(value) + ")";
            return new IllegalArgumentException(what + " is not a " + kind + ": " + problem + shape + "; " + how);
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        /** The value with each digit shown as 9, each letter as a, and other characters but spaces and common punctuation as ?. */
        private static String shape(String value) {
            StringBuilder shape = new StringBuilder(Math.min(value.length(), LONGEST_SHAPE) + 1);
            for (int i = 0; i < value.length() && i < LONGEST_SHAPE; i++) {
                char c = value.charAt(i);
                shape.append(isDigit(c) ? '9' : Character.isLetter(c) ? 'a' : c == ' ' || ".,:;-+_/".indexOf(c) >= 0 ? c : '?');
            }
            if (value.length() > LONGEST_SHAPE) {
                shape.append('…');
            }
            return shape.toString();
        }
    }
}
