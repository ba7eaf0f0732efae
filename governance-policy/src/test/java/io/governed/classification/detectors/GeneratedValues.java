package io.governed.classification.detectors;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Seeded generators of realistic values of each kind, and of look-alikes that a careless pattern
 * would take for them: the test data behind the precision and recall figures.
 */
final class GeneratedValues {
    private static final String UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String BASE64URL = ALNUM + "-_";
    private static final List<String> IBAN_COUNTRIES = List.of("DE", "GB", "FR", "NL", "BE", "CH", "ES", "IT", "NO",
            "PL", "SE", "DK", "AT", "IE", "PT", "FI", "SA", "BR", "TR", "MT");
    private static final List<String> WORDS = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace",
            "heidi", "ivan", "judy", "mallory", "oscar", "peggy", "trent", "walter", "info", "sales", "support");
    private static final List<String> TLDS = List.of("com", "org", "net", "io", "de", "co.uk", "travel", "example", "fr", "com.au");
    private static final List<String> PHONE_REGIONS = List.of("US", "GB", "DE", "FR", "JP", "AU", "BR", "IN", "CA", "ES",
            "IT", "NL", "SE", "MX", "ZA");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Random random;

    GeneratedValues(long seed) {
        this.random = new Random(seed);
    }

    // ----- payment cards

    /** A card number of a random scheme with a correct Luhn digit, plain or grouped in fours. */
    String cardNumber() {
        String[][] schemes = {{"4", "16"}, {"4", "13"}, {"51", "16"}, {"55", "16"}, {"2221", "16"}, {"2720", "16"},
            {"34", "15"}, {"37", "15"}, {"6011", "16"}, {"65", "19"}, {"3528", "16"}, {"36", "14"}, {"62", "17"},
            {"6759", "18"}, {"2200", "16"}};
        String[] scheme = schemes[random.nextInt(schemes.length)];
        StringBuilder digits = new StringBuilder(scheme[0]);
        int length = Integer.parseInt(scheme[1]);
        while (digits.length() < length - 1) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        digits.append(luhnDigit(digits));
        return group(digits.toString(), random.nextInt(3));
    }

    /** A card number with one digit changed, a random digit run, or an order id: all invalid. */
    String cardLookAlike() {
        switch (random.nextInt(4)) {
            case 0, 1 -> {
                char[] c = cardNumber().toCharArray();
                int i;
                do {
                    i = random.nextInt(c.length);
                } while (c[i] < '0' || c[i] > '9');
                c[i] = (char) ('0' + (c[i] - '0' + 1 + random.nextInt(9)) % 10);
                return new String(c);
            }
            case 2 -> {
                return digits(13 + random.nextInt(7));
            }
            default -> {
                return "ORD-" + digits(12);
            }
        }
    }

    // ----- IBANs

    /** A valid IBAN of one of twenty countries, plain or in groups of four. */
    String iban() {
        String country = IBAN_COUNTRIES.get(random.nextInt(IBAN_COUNTRIES.size()));
        int length = Ibans.lengthFor(country);
        StringBuilder bban = new StringBuilder();
        for (int i = 0; i < length - 4; i++) {
            bban.append(i < 4 && (country.equals("GB") || country.equals("NL") || country.equals("MT"))
                    ? (char) ('A' + random.nextInt(26)) : (char) ('0' + random.nextInt(10)));
        }
        String check = String.format("%02d", 98 - mod97(bban + country + "00"));
        String iban = country + check + bban;
        return random.nextBoolean() ? iban : iban.replaceAll("(.{4})(?!$)", "$1 ");
    }

    /** An IBAN with one character changed or two neighbours swapped, or a random code of the right shape. */
    String ibanLookAlike() {
        String iban = iban().replace(" ", "");
        char[] c = iban.toCharArray();
        switch (random.nextInt(3)) {
            case 0 -> {
                int i = 2 + random.nextInt(c.length - 2);
                c[i] = Character.isDigit(c[i]) ? (char) ('0' + (c[i] - '0' + 1 + random.nextInt(9)) % 10)
                        : (char) ('A' + (c[i] - 'A' + 1 + random.nextInt(25)) % 26);
            }
            case 1 -> {
                int i;
                do {
                    i = 4 + random.nextInt(c.length - 5);
                } while (c[i] == c[i + 1]);
                char t = c[i];
                c[i] = c[i + 1];
                c[i + 1] = t;
            }
            default -> {
                return iban.substring(0, 2) + digits(c.length - 2);
            }
        }
        return new String(c);
    }

    // ----- social security numbers

    /** An SSN that could have been issued. */
    String ssn() {
        int area;
        do {
            area = 1 + random.nextInt(899);
        } while (area == 666);
        String sep = random.nextInt(5) == 0 ? " " : "-";
        return String.format("%03d%s%02d%s%04d", area, sep, 1 + random.nextInt(99), sep, 1 + random.nextInt(9999));
    }

    /** An SSN with an impossible area, group or serial, or a number of another shape. */
    String ssnLookAlike() {
        return switch (random.nextInt(6)) {
            case 0 -> String.format("%03d-%02d-%04d", List.of(0, 666, 900 + random.nextInt(100)).get(random.nextInt(3)),
                    1 + random.nextInt(99), 1 + random.nextInt(9999));
            case 1 -> String.format("%03d-00-%04d", 1 + random.nextInt(665), 1 + random.nextInt(9999));
            case 2 -> String.format("%03d-%02d-0000", 1 + random.nextInt(665), 1 + random.nextInt(99));
            case 3 -> digits(3) + "-" + digits(3) + "-" + digits(4);
            case 4 -> digits(9);
            default -> String.format("%04d-%02d-%02d", 1900 + random.nextInt(150), 1 + random.nextInt(12), 1 + random.nextInt(28));
        };
    }

    // ----- e-mail addresses

    /** A realistic address: words, digits, dots, plus tags and sub-domains. */
    String email() {
        StringBuilder local = new StringBuilder(pick(WORDS));
        if (random.nextBoolean()) {
            local.append(".-_+".charAt(random.nextInt(4))).append(pick(WORDS));
        }
        if (random.nextInt(3) == 0) {
            local.append(random.nextInt(1000));
        }
        String domain = (random.nextInt(4) == 0 ? "mail." : "") + pick(WORDS) + (random.nextBoolean() ? "-corp" : "") + "." + pick(TLDS);
        String address = local + "@" + domain;
        return random.nextInt(5) == 0 ? address.toUpperCase() : address;
    }

    /** An address broken the way data entry and parsing break them. */
    String emailLookAlike() {
        String e = email();
        int at = e.indexOf('@');
        return switch (random.nextInt(8)) {
            case 0 -> e.replace("@", "");
            case 1 -> e.replace("@", "@@");
            case 2 -> e.substring(0, at) + " " + e.substring(at);
            case 3 -> e.substring(0, at) + ".@" + e.substring(at + 1);
            case 4 -> e.substring(0, at + 1) + pick(WORDS);
            case 5 -> e.substring(0, at + 1) + "-" + e.substring(at + 1);
            case 6 -> e.substring(0, e.lastIndexOf('.') + 1) + "c";
            default -> e.replace("@", " at ").replace(".", " dot ");
        };
    }

    // ----- bearer tokens

    /** A signed or unsecured JWT, a GitHub token or a Slack token. */
    String token() {
        return switch (random.nextInt(4)) {
            case 0, 1 -> {
                String alg = pick(List.of("HS256", "RS256", "ES256", "PS512", "none"));
                String header = random.nextBoolean() ? "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}" : "{\"alg\":\"" + alg + "\",\"kid\":\"" + chars(ALNUM, 8) + "\"}";
                String payload = "{\"sub\":\"" + random.nextInt(1_000_000) + "\",\"iat\":" + (1_600_000_000 + random.nextInt(100_000_000)) + "}";
                yield b64(header) + "." + b64(payload) + "." + (alg.equals("none") ? "" : chars(BASE64URL, 43));
            }
            case 2 -> pick(List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_")) + chars(ALNUM, 36);
            default -> "xox" + "bpas".charAt(random.nextInt(4)) + "-" + digits(12) + "-" + digits(13) + "-" + chars(ALNUM, 24);
        };
    }

    /** Dotted text that is not a token: three random base64url parts, versions, host and class names, headers without alg. */
    String tokenLookAlike() {
        return switch (random.nextInt(6)) {
            case 0 -> chars(BASE64URL, 20 + random.nextInt(20)) + "." + chars(BASE64URL, 40) + "." + chars(BASE64URL, 43);
            case 1 -> b64("{\"typ\":\"JWT\"}") + "." + b64("{\"sub\":\"1\"}") + "." + chars(BASE64URL, 43);
            case 2 -> random.nextInt(20) + "." + random.nextInt(50) + "." + random.nextInt(300);
            case 3 -> "www." + pick(WORDS) + "." + pick(TLDS);
            case 4 -> "gh" + "abcdefghijklmnqtvwxyz".charAt(random.nextInt(21)) + "_" + chars(ALNUM, 36);
            default -> "xox" + "cdefgz".charAt(random.nextInt(6)) + "-" + digits(12) + "-" + chars(ALNUM, 24);
        };
    }

    // ----- access keys

    /** An AWS access key id or a Google API key. */
    String accessKey() {
        return random.nextBoolean()
                ? (random.nextBoolean() ? "AKIA" : "ASIA") + chars(UPPER_DIGITS, 16)
                : "AIza" + chars(BASE64URL, 35);
    }

    /** Strings of nearly the same shape: wrong length, wrong case, another prefix, random upper-case ids. */
    String accessKeyLookAlike() {
        return switch (random.nextInt(5)) {
            case 0 -> "AKIA" + chars(UPPER_DIGITS, random.nextBoolean() ? 15 : 17);
            case 1 -> "AKIA" + chars(UPPER_DIGITS, 16).toLowerCase();
            case 2 -> chars("BCDEFGHJ", 1) + chars(UPPER_DIGITS, 19);
            case 3 -> "AIza" + chars(BASE64URL, random.nextBoolean() ? 34 : 36);
            default -> "AIZA" + chars(BASE64URL, 35);
        };
    }

    // ----- phone numbers

    /** A valid number of one of fifteen regions, formatted internationally, as E.164, or (for the US) nationally. */
    String phoneNumber() {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        while (true) {
            String region = pick(PHONE_REGIONS);
            PhoneNumber example = util.getExampleNumberForType(region,
                    random.nextBoolean() ? PhoneNumberType.MOBILE : PhoneNumberType.FIXED_LINE);
            if (example == null) {
                continue;
            }
            long national = example.getNationalNumber();
            long varied = national - national % 100 + random.nextInt(100);
            PhoneNumber number = new PhoneNumber().setCountryCode(example.getCountryCode()).setNationalNumber(varied);
            if (!util.isValidNumber(number)) {
                continue;
            }
            PhoneNumberFormat format = region.equals("US") && random.nextBoolean() ? PhoneNumberFormat.NATIONAL
                    : random.nextInt(3) == 0 ? PhoneNumberFormat.E164 : PhoneNumberFormat.INTERNATIONAL;
            return util.format(number, format);
        }
    }

    /** Numbers that are not phone numbers: bare digit runs, dates, IP addresses, amounts, SSNs, invalid area codes. */
    String phoneLookAlike() {
        return switch (random.nextInt(6)) {
            case 0 -> digits(7 + random.nextInt(9));
            case 1 -> String.format(pick(List.of("%04d-%02d-%02d", "%3$02d.%2$02d.%1$04d", "%2$02d/%3$02d/%1$04d")),
                    1900 + random.nextInt(150), 1 + random.nextInt(12), 1 + random.nextInt(28));
            case 2 -> random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
            case 3 -> String.format("%,d.%02d", 1_000_000 + random.nextInt(100_000_000), random.nextInt(100));
            case 4 -> ssn();
            default -> "+1 " + random.nextInt(2) + digits(2) + "-" + (2 + random.nextInt(8)) + digits(2) + "-" + digits(4);
        };
    }

    // ----- helpers

    private String group(String digits, int style) {
        if (style == 0) {
            return digits;
        }
        return digits.replaceAll("(.{4})(?!$)", style == 1 ? "$1 " : "$1-");
    }

    private static char luhnDigit(CharSequence payload) {
        int sum = 0;
        boolean twice = true;
        for (int i = payload.length() - 1; i >= 0; i--) {
            int d = payload.charAt(i) - '0';
            if (twice) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
            twice = !twice;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }

    private static int mod97(String rearranged) {
        StringBuilder numeric = new StringBuilder();
        for (char c : rearranged.toCharArray()) {
            numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue();
    }

    private String digits(int n) {
        StringBuilder b = new StringBuilder(n).append((char) ('1' + random.nextInt(9)));
        while (b.length() < n) {
            b.append((char) ('0' + random.nextInt(10)));
        }
        return b.toString();
    }

    private String chars(String alphabet, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
