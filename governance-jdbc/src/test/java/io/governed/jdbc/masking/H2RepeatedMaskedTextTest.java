package io.governed.jdbc.masking;

import static org.assertj.core.api.Assertions.assertThat;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.UniqueNames;
import io.governed.masking.MaskFunction;
import io.governed.masking.MaskerRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Masked texts that repeat from row to row, alternate, and change length, in two masked columns read in turn (the
 * reader hands a masked text equal to its column's one before out again): every row, through every getter, shows
 * exactly what the mask function gives for that row's value, and nothing of the clear values.
 */
class H2RepeatedMaskedTextTest {
    private static final String URL = "h2:mem:" + UniqueNames.of("sc_repeat") + ";DB_CLOSE_DELAY=-1";
    private static final String POLICY = """
            version: 1
            default: deny
            classification:
              auto-detect: false
              tags:
                pii.email: ["*.email"]
                pii.ssn: ["*.ssn"]
            rules:
              - { id: read, effect: permit, actions: [select] }
            masks:
              - { id: hide-email, columns: { tags: [pii.email] }, function: email }
              - { id: hide-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4 }
            """;
    /** Rows of (email, ssn): masked texts equal to the row before's, then not, then equal again, nulls between. */
    private static final String[][] ROWS = {
            {"user1@example.com", "123-45-6789"},
            {"user2@example.com", "987-65-6789"},
            {"ann@example.com", "111-22-3333"},
            {"al@example.com", "111-22-3333"},
            {"u@example.com", "1-2-3333"},
            {"uma@example.com.evil", "9-8-3333"},
            {null, null},
            {"uwe@example.com", "123-45-6789"},
            {"not-an-address", "12"},
            {"neither", "34"},
            {"\u0394elta@example.com", "\u0394\u0394\u0394-6789"},
            {"\u0394ora@example.com", "\u0394\u0394\u0394-6789"},
            {"user9@example.com", "000-00-6789"}};
    /** Pieces of the clear values no getter may show. */
    private static final List<String> CLEAR = List.of("user1@", "user2@", "user9@", "ann@", "al@", "uma@", "uwe@",
            "not-an-address", "neither", "\u0394elta", "\u0394ora", "123-45", "987-65", "111-22", "000-00", "1-2-", "9-8-",
            "\u0394\u0394");

    private Connection keeper;
    private Path policy;

    @BeforeEach
    void table() throws Exception {
        keeper = DriverManager.getConnection("jdbc:" + URL, "sa", "");
        try (Statement s = keeper.createStatement()) {
            s.execute("CREATE TABLE sc_people (id INT PRIMARY KEY, email VARCHAR(40), ssn VARCHAR(20), city VARCHAR(20))");
            for (int r = 0; r < ROWS.length; r++) {
                s.execute("INSERT INTO sc_people VALUES (" + r + ", " + literal(ROWS[r][0]) + ", " + literal(ROWS[r][1])
                        + ", 'City " + r + "')");
            }
        }
        policy = Files.createTempFile("sc-repeat", ".yaml");
        Files.writeString(policy, POLICY);
    }

    private static String literal(String value) {
        return value == null ? "NULL" : "'" + value + "'";
    }

    @AfterEach
    void drop() throws Exception {
        try (Statement s = keeper.createStatement()) {
            s.execute("DROP TABLE sc_people");
        }
        keeper.close();
        Files.deleteIfExists(policy);
    }

    private Connection governed() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        return DriverManager.getConnection("jdbc:governed:" + URL, p);
    }

    @Test
    void everyRowShowsItsOwnMaskedTextThroughGetStringAndGetObject() throws Exception {
        MaskerRegistry maskers = MaskerRegistry.builtIn();
        MaskFunction email = maskers.create("email", Map.of());
        MaskFunction lastFour = maskers.create("partial", Map.of("keep-last", 4));
        List<String> seen = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        try (Connection c = governed(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, email, ssn, city FROM sc_people ORDER BY id")) {
            int r = 0;
            while (rs.next()) {
                seen.add(rs.getString(2) + " | " + rs.getString(3) + " | " + rs.getObject(2) + " | " + rs.getObject(3)
                        + " | " + rs.getNString(2) + " | " + rs.getString(4));
                Object e = email.mask(ROWS[r][0]);
                Object l = lastFour.mask(ROWS[r][1]);
                expected.add(e + " | " + l + " | " + e + " | " + l + " | " + e + " | City " + r);
                r++;
            }
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(seen).contains("u***@example.com | *******6789 | u***@example.com | *******6789 | u***@example.com | City 0",
                "u***@example.com | *******6789 | u***@example.com | *******6789 | u***@example.com | City 1",
                "**** | ** | **** | ** | **** | City 8");
    }

    @Test
    void everyGetterOfEveryRowShowsNoClearValue() throws Exception {
        List<String> seen = new ArrayList<>();
        try (Connection c = governed(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, email, ssn FROM sc_people ORDER BY id")) {
            while (rs.next()) {
                seen.add(String.valueOf(EveryGetter.of(rs, 2, "email")));
                seen.add(String.valueOf(EveryGetter.of(rs, 3, "ssn")));
            }
        }
        assertThat(seen).hasSize(2 * ROWS.length);
        for (String text : seen) {
            for (String piece : CLEAR) {
                assertThat(text).as(text).doesNotContain(piece);
            }
        }
    }
}
