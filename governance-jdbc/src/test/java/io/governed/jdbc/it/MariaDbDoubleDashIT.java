package io.governed.jdbc.it;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MariaDB's comments as the server reads them, against what the masked analyst gets: {@code --} starts a comment only
 * before a space or a control character (DEL included), so {@code 0 --card_number} is {@code 0 - (-card_number)}, the
 * card number as a floating-point number, which the analysis reads as computed from the masked column: redacted, a number
 * becoming 0. {@code #} comments, and the content of {@code /*! … *}{@code /} runs.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbDoubleDashIT {
    private static final String CARD = "4111111111111111";
    private final String table = UniqueNames.of("sf2_cards");

    @TempDir
    Path dir;
    private Path policy;

    @BeforeEach
    void fixture() throws Exception {
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                classification:
                  tags:
                    pci.pan: ["*.card_number"]
                rules:
                  - { id: read, effect: permit, actions: [select] }
                masks:
                  - { id: mask-pan, columns: { tags: [pci.pan] }, function: partial, keep-last: 4 }
                """);
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, card_number VARCHAR(20))");
            s.execute("INSERT INTO " + table + " VALUES (1, '" + CARD + "')");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    private static List<String> values(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static boolean holdsTheCard(String value) {
        return value != null && (value.contains("41111") || value.contains("4.111") || value.contains("4111111"));
    }

    /**
     * {@code raw} says what the server runs: {@code card} when the raw driver gives the card number (the text after
     * {@code --} is code), {@code 7} when it gives the literal (a comment). The masked analyst never gets the card number,
     * and gets the literal when the server reads a comment.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "SELECT 7 --card_number\\nFROM %s                | card",
        "SELECT 7 --card_number FROM %s                  | card",
        "SELECT 7--card_number FROM %s                   | card",
        "SELECT CONCAT('n', 0 --card_number) FROM %s     | card",
        "SELECT 7 -- card_number\\nFROM %s               | 7",
        "SELECT 7 --\\tcard_number\\nFROM %s             | 7",
        "SELECT 7 --\\u007fcard_number\\nFROM %s         | 7",
        "SELECT 7 --\\u0001card_number\\nFROM %s         | 7",
        "SELECT 7 #card_number\\nFROM %s                 | 7",
        "SELECT 7 /*! -card_number */ FROM %s            | card",
        "SELECT 7 /*!-card_number*/ FROM %s              | card",
        "SELECT 7 /* -card_number */ FROM %s             | 7",
    })
    void theAnalystGetsWhatTheServerRunsMasked(String form, String raw) throws SQLException {
        String sql = form.replace("\\n", "\n").replace("\\t", "\t").replace("\\u007f", "\u007f").replace("\\u0001", "\u0001")
                .formatted(table);
        try (Connection c = TestDatabase.MARIADB.connectRaw()) {
            List<String> rawValues = values(c, sql);
            assertThat(rawValues).as("raw: " + sql).hasSize(1);
            if (raw.equals("card")) {
                assertThat(rawValues).as("raw: " + sql).allMatch(MariaDbDoubleDashIT::holdsTheCard);
            } else {
                assertThat(rawValues).as("raw: " + sql).containsExactly(raw);
            }
        }
        try (Connection governed = TestDatabase.MARIADB.connectGoverned(policy, null, "analysts");
             Statement s = governed.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> seen = EveryGetter.ofAllRows(rs);
            assertThat(seen).as(sql).isNotEmpty().noneMatch(MariaDbDoubleDashIT::holdsTheCard);
            if (!raw.equals("card")) {
                assertThat(seen).as(sql).anyMatch(v -> v.endsWith(".getString=7"));
            }
        }
    }
}
