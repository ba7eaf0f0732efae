package io.governed.classification.detectors;

/**
 * Recognises US social security numbers written as {@code AAA-GG-SSSS} or {@code AAA GG SSSS}:
 * the area is not 000, 666 or 900–999, the group not 00, the serial not 0000, and the number is not
 * one of the few published specimen numbers that were never issued (078-05-1120, 219-09-9999).
 *
 * <p>Nine digits without separators are not recognised: too many identifiers look the same.
 */
public final class SocialSecurityNumbers {
    private SocialSecurityNumbers() {
    }

    /** Whether the text is a valid social security number. */
    public static boolean isValid(String text) {
        if (text.length() != 11) {
            return false;
        }
        char sep = text.charAt(3);
        if ((sep != '-' && sep != ' ') || text.charAt(6) != sep) {
            return false;
        }
        int area = digits(text, 0, 3);
        int group = digits(text, 4, 6);
        int serial = digits(text, 7, 11);
        if (area < 0 || group < 0 || serial < 0) {
            return false;
        }
        if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) {
            return false;
        }
        return !(area == 78 && group == 5 && serial == 1120) && !(area == 219 && group == 9 && serial == 9999);
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
