package io.governed.classification.detectors;

import java.util.Map;

/**
 * Recognises international bank account numbers (ISO 13616): a country code with a registered
 * length, two check digits, a letters-and-digits account part, and the mod-97 check. Letters may
 * be of either case and the number may be written in groups separated by single spaces.
 */
public final class Ibans {
    /** IBAN lengths by country, from the IBAN registry. */
    private static final Map<String, Integer> LENGTHS = Map.ofEntries(
            Map.entry("AD", 24), Map.entry("AE", 23), Map.entry("AL", 28), Map.entry("AT", 20),
            Map.entry("AZ", 28), Map.entry("BA", 20), Map.entry("BE", 16), Map.entry("BG", 22),
            Map.entry("BH", 22), Map.entry("BI", 27), Map.entry("BR", 29), Map.entry("BY", 28),
            Map.entry("CH", 21), Map.entry("CR", 22), Map.entry("CY", 28), Map.entry("CZ", 24),
            Map.entry("DE", 22), Map.entry("DJ", 27), Map.entry("DK", 18), Map.entry("DO", 28),
            Map.entry("EE", 20), Map.entry("EG", 29), Map.entry("ES", 24), Map.entry("FI", 18),
            Map.entry("FK", 18), Map.entry("FO", 18), Map.entry("FR", 27), Map.entry("GB", 22),
            Map.entry("GE", 22), Map.entry("GI", 23), Map.entry("GL", 18), Map.entry("GR", 27),
            Map.entry("GT", 28), Map.entry("HN", 28), Map.entry("HR", 21), Map.entry("HU", 28),
            Map.entry("IE", 22), Map.entry("IL", 23), Map.entry("IQ", 23), Map.entry("IS", 26),
            Map.entry("IT", 27), Map.entry("JO", 30), Map.entry("KW", 30), Map.entry("KZ", 20),
            Map.entry("LB", 28), Map.entry("LC", 32), Map.entry("LI", 21), Map.entry("LT", 20),
            Map.entry("LU", 20), Map.entry("LV", 21), Map.entry("LY", 25), Map.entry("MC", 27),
            Map.entry("MD", 24), Map.entry("ME", 22), Map.entry("MK", 19), Map.entry("MN", 20),
            Map.entry("MR", 27), Map.entry("MT", 31), Map.entry("MU", 30), Map.entry("NI", 28),
            Map.entry("NL", 18), Map.entry("NO", 15), Map.entry("OM", 23), Map.entry("PK", 24),
            Map.entry("PL", 28), Map.entry("PS", 29), Map.entry("PT", 25), Map.entry("QA", 29),
            Map.entry("RO", 24), Map.entry("RS", 22), Map.entry("RU", 33), Map.entry("SA", 24),
            Map.entry("SC", 31), Map.entry("SD", 18), Map.entry("SE", 24), Map.entry("SI", 19),
            Map.entry("SK", 24), Map.entry("SM", 27), Map.entry("SO", 23), Map.entry("ST", 25),
            Map.entry("SV", 28), Map.entry("TL", 23), Map.entry("TN", 24), Map.entry("TR", 26),
            Map.entry("UA", 29), Map.entry("VA", 22), Map.entry("VG", 24), Map.entry("XK", 20),
            Map.entry("YE", 30));

    private static final int MAX_LENGTH = 34;

    private Ibans() {
    }

    /** The registered IBAN length for a country code, or 0 when the country has none. */
    public static int lengthFor(String countryCode) {
        return LENGTHS.getOrDefault(countryCode, 0);
    }

    /** Whether the text is a valid IBAN. */
    public static boolean isValid(String text) {
        int len = text.length();
        if (len < 15 || len > MAX_LENGTH + MAX_LENGTH / 4) {
            return false;
        }
        char[] compact = new char[MAX_LENGTH];
        int n = 0;
        for (int i = 0; i < len; i++) {
            char c = text.charAt(i);
            if (c == ' ' && i > 0 && i < len - 1 && text.charAt(i - 1) != ' ') {
                continue;
            }
            if (n == MAX_LENGTH || !isAlnum(c)) {
                return false;
            }
            compact[n++] = Character.toUpperCase(c);
        }
        if (!isLetter(compact[0]) || !isLetter(compact[1]) || !isDigit(compact[2]) || !isDigit(compact[3])) {
            return false;
        }
        String country = new String(compact, 0, 2);
        return lengthFor(country) == n && mod97(compact, n) == 1;
    }

    /** The remainder mod 97 of the IBAN rearranged (first four characters moved to the end, letters as 10–35). */
    static int mod97(char[] iban, int n) {
        int remainder = 0;
        for (int k = 0; k < n; k++) {
            char c = iban[(k + 4) % n];
            int v = isDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = v < 10 ? (remainder * 10 + v) % 97 : (remainder * 100 + v) % 97;
        }
        return remainder;
    }

    private static boolean isAlnum(char c) {
        return isDigit(c) || isLetter(Character.toUpperCase(c));
    }

    private static boolean isLetter(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
