package io.governed.classification.detectors;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.Locale;

/**
 * Recognises telephone numbers that libphonenumber considers valid (a number plan's pattern for a
 * real range, not just a plausible length), reading numbers without a country code as numbers of a
 * default region.
 *
 * <p>Before asking libphonenumber, a value must look like a written phone number: 7 to 15 digits
 * with only spaces, {@code -}, {@code .}, parentheses and a leading {@code +} between them; and
 * unless it starts with {@code +} or {@code 00} it must be grouped (contain a separator), because
 * bare digit runs are far more often identifiers or amounts. Dates ({@code 2024-01-15},
 * {@code 15.01.2024}) and IPv4 addresses are rejected by their shape.
 */
public final class PhoneNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private final String defaultRegion;

    /**
     * @param defaultRegion the ISO 3166 region for numbers without a country code, e.g. {@code US}
     * @throws IllegalArgumentException when libphonenumber does not know the region
     */
    public PhoneNumbers(String defaultRegion) {
        String region = defaultRegion.toUpperCase(Locale.ROOT);
        if (!UTIL.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("Unknown phone region '" + defaultRegion
                    + "'; use a two-letter ISO 3166 country code such as US, GB or DE");
        }
        this.defaultRegion = region;
    }

    /** The region numbers without a country code are read in. */
    public String defaultRegion() {
        return defaultRegion;
    }

    /** Whether the text is a valid phone number. */
    public boolean isValid(String text) {
        if (!looksLikePhoneNumber(text)) {
            return false;
        }
        try {
            return UTIL.isValidNumber(UTIL.parse(text, defaultRegion));
        } catch (NumberParseException e) {
            return false;
        }
    }

    static boolean looksLikePhoneNumber(String s) {
        int len = s.length();
        if (len < 7 || len > 24) {
            return false;
        }
        int digits = 0;
        int separators = 0;
        int groups = 0;
        int[] groupSizes = new int[4];
        int groupLength = 0;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
                groupLength++;
            } else if (c == '+' && i == 0) {
                continue;
            } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') {
                separators++;
                groups = endGroup(groupSizes, groups, groupLength);
                groupLength = 0;
            } else {
                return false;
            }
        }
        groups = endGroup(groupSizes, groups, groupLength);
        if (digits < 7 || digits > 15) {
            return false;
        }
        boolean international = s.charAt(0) == '+' || s.startsWith("00");
        if (!international && separators == 0) {
            return false;
        }
        return international || !(looksLikeDate(groups, groupSizes) || looksLikeIpv4(s, groups, groupSizes));
    }

    private static int endGroup(int[] sizes, int groups, int length) {
        if (length == 0) {
            return groups;
        }
        if (groups < sizes.length) {
            sizes[groups] = length;
        }
        return groups + 1;
    }

    private static boolean looksLikeDate(int groups, int[] sizes) {
        return groups == 3 && ((sizes[0] == 4 && sizes[1] <= 2 && sizes[2] <= 2)
                || (sizes[0] <= 2 && sizes[1] <= 2 && sizes[2] == 4));
    }

    private static boolean looksLikeIpv4(String s, int groups, int[] sizes) {
        return groups == 4 && s.indexOf('.') > 0 && sizes[0] <= 3 && sizes[1] <= 3 && sizes[2] <= 3 && sizes[3] <= 3;
    }
}
