package io.governed.policy.load;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the ttl of an approval: a positive whole number and a unit, {@code 90s}, {@code 30m}, {@code 1h}, {@code 1d}. */
final class Ttl {

    private static final Pattern FORMAT = Pattern.compile("([0-9]{1,9})([smhd])");

    private Ttl() {
    }

    /** The duration, or {@code null} when the text is not a valid ttl. */
    static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long amount = Long.parseLong(m.group(1));
        if (amount == 0) {
            return null;
        }
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
