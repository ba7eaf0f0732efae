package io.governed.jdbc.corpus;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Customers, orders, payments and accounts with valid-looking sensitive values (RFC-style e-mail
 * addresses, SSNs in issued ranges, Luhn-valid card numbers, Stripe-style API keys), and the pieces
 * of those values that must never come back through a masked result.
 */
final class SensitiveFixture {
    static final int CUSTOMERS = 12;
    private static final String[] FIRST = {"olivia", "liam", "emma", "noah", "amelia", "oliver", "sophia", "elijah",
            "isabella", "james", "mia", "lucas"};
    private static final String[] LAST = {"king", "wright", "lopez", "hill", "scott", "green", "adams", "baker",
            "nelson", "carter", "mitchell", "perez"};
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** Text that must not appear in any value read through a masked result. */
    final List<String> forbiddenText = new ArrayList<>();
    /** Runs of digits that must not appear among the digits of any value read through a masked result. */
    final List<String> forbiddenDigits = new ArrayList<>();
    /** The pieces of {@link #forbiddenText} that come from secrets, which no identity sees in clear. */
    final List<String> secretText = new ArrayList<>();

    private final Random random = new Random(20261122L);

    /** Lays the schema of {@code masking-fixture.sql} and fills it. */
    void lay(Connection raw) throws SQLException {
        try (Statement s = raw.createStatement()) {
            for (String sql : Corpus.fixture("masking-fixture.sql")) {
                s.execute(sql);
            }
        }
        try (PreparedStatement customer = raw.prepareStatement("INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement order = raw.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?)");
             PreparedStatement payment = raw.prepareStatement("INSERT INTO payments VALUES (?, ?, ?, ?)");
             PreparedStatement account = raw.prepareStatement("INSERT INTO accounts VALUES (?, ?, ?, ?)")) {
            for (int id = 1; id <= CUSTOMERS; id++) {
                String local = FIRST[id - 1] + "." + LAST[id - 1] + id;
                String email = local + "@example.org";
                String ssn = String.format("%03d-%02d-%04d", 101 + id * 37, 11 + id * 7, 1013 + id * 611);
                String apiKey = "sk_live_" + randomText(24);
                customer.setInt(1, id);
                customer.setString(2, capitalised(FIRST[id - 1]) + " " + capitalised(LAST[id - 1]));
                customer.setString(3, id == CUSTOMERS ? null : email);
                customer.setString(4, ssn);
                customer.setString(5, apiKey);
                customer.setString(6, id % 2 == 0 ? "Lyon" : "Porto");
                customer.setDate(7, Date.valueOf(LocalDate.of(2023, 1 + id % 12, 1 + id)));
                customer.executeUpdate();
                if (id != CUSTOMERS) {
                    forbiddenText.add(local);
                }
                forbiddenText.add(ssn);
                forbiddenText.add(apiKey.substring(apiKey.length() - 12));
                secretText.add(apiKey.substring(apiKey.length() - 12));
                forbiddenDigits.add(digits(ssn).substring(3));
                forbiddenDigits.add(digits(ssn).substring(0, 6));

                String card = luhnCard("4" + randomDigits(14));
                String numericCard = luhnCard("5" + randomDigits(14));
                order.setInt(1, id);
                order.setInt(2, id);
                order.setBigDecimal(3, new java.math.BigDecimal(10 * id + ".50"));
                order.setString(4, id % 3 == 0 ? "shipped" : "open");
                order.executeUpdate();
                payment.setInt(1, id);
                payment.setInt(2, id);
                payment.setString(3, card);
                payment.setBigDecimal(4, new java.math.BigDecimal(10 * id + ".50"));
                payment.executeUpdate();
                account.setInt(1, id);
                account.setInt(2, id);
                account.setLong(3, Long.parseLong(numericCard));
                account.setDate(4, Date.valueOf(LocalDate.of(2024, 1 + id % 12, 2)));
                account.executeUpdate();
                forbiddenDigits.add(card.substring(card.length() - 6));
                forbiddenDigits.add(card.substring(0, 6));
                forbiddenDigits.add(numericCard.substring(numericCard.length() - 6));
                forbiddenDigits.add(numericCard.substring(0, 6));
            }
        }
    }

    /**
     * A driver object's own rendering, as H2 prints a ROW value it hands out as a result set ({@code rs5:
     * org.h2.result.SimpleResult@3aacf32a}): its counter and identity hash are digits of no value, which by chance may
     * hold a forbidden run of digits.
     */
    private static final java.util.regex.Pattern OBJECT_RENDERING =
            java.util.regex.Pattern.compile("(\\b[a-z]+\\d+: )?\\b([a-z_$][\\w$]*\\.)+[A-Z][\\w$]*@[0-9a-f]+\\b");

    /** The digits of {@code text}, objects' renderings left out. */
    private static String valueDigits(String text) {
        return digits(OBJECT_RENDERING.matcher(text).replaceAll(" "));
    }

    /** The first forbidden piece {@code text} contains, or {@code null} when it contains none. */
    String leakIn(String text) {
        for (String f : forbiddenText) {
            if (text.contains(f)) {
                return f;
            }
        }
        String digits = valueDigits(text);
        for (String f : forbiddenDigits) {
            if (digits.contains(f)) {
                return f;
            }
        }
        return null;
    }

    /** The first forbidden piece {@code text} contains that is not a secret's, or {@code null}. */
    String piiLeakIn(String text) {
        for (String f : forbiddenText) {
            if (!secretText.contains(f) && text.contains(f)) {
                return f;
            }
        }
        String digits = valueDigits(text);
        for (String f : forbiddenDigits) {
            if (digits.contains(f)) {
                return f;
            }
        }
        return null;
    }

    String randomText(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return b.toString();
    }

    private String randomDigits(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) ('0' + random.nextInt(10)));
        }
        return b.toString();
    }

    /** The 15 digits given, with the Luhn check digit appended. */
    static String luhnCard(String fifteen) {
        int sum = 0;
        for (int i = 0; i < fifteen.length(); i++) {
            int d = fifteen.charAt(fifteen.length() - 1 - i) - '0';
            if (i % 2 == 0) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return fifteen + (10 - sum % 10) % 10;
    }

    private static String digits(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String capitalised(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
