package io.governed.jdbc.audit;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the sizes and durations that audit settings are written with: {@code 100MB}, {@code 64KB},
 * {@code 1GB}, {@code 4096} (bytes); {@code 250ms}, {@code 30s}, {@code 15m}, {@code 12h},
 * {@code 1d}. Units are case-insensitive; {@code KB}, {@code MB}, {@code GB} are powers of 1024.
 */
public final class Quantities {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|k|mb|m|gb|g)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Quantities() {
    }

    /**
     * A size in bytes.
     *
     * @param what names the setting, for the error message
     * @throws IllegalArgumentException saying how to write a size
     */
    public static long parseSize(String what, String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a size: write e.g. 100MB, 512KB, 1GB or a number of bytes");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long factor = switch (unit.charAt(0)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1L;
        };
        return Math.multiplyExact(n, factor);
    }

    /**
     * A duration.
     *
     * @param what names the setting, for the error message
     * @throws IllegalArgumentException saying how to write a duration
     */
    public static Duration parseDuration(String what, String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a duration: write e.g. 250ms, 30s, 15m, 12h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
