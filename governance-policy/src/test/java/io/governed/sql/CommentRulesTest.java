package io.governed.sql;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Comments, quotes and strings read as the server reads them (checked against MariaDB 10.11 and PostgreSQL 15): a text the
 * server runs as code must be read as code, or the statement refused. {@code \n}, {@code \t}, {@code \r}, {@code \u0001}
 * and {@code \u007f} in the forms stand for those characters. {@code reads} is the columns the first result column is
 * computed from ({@code -} for none), or {@code refused} when the analysis must not read the text.
 */
class CommentRulesTest {

    private static String text(String form) {
        return form.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r").replace("\\u0001", "\u0001")
                .replace("\\u007f", "\u007f").replace("\\u000b", "\u000b");
    }

    private static String reads(String sql, Dialect dialect) {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(text(sql), dialect);
        if (analysis.parseError() != null) {
            return "refused";
        }
        List<SourceColumn> sources = analysis.statements().get(0).resultColumns().get(0).sources();
        return sources.isEmpty() ? "-" : String.join(" ", sources.stream().map(SourceColumn::column).toList());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        // -- starts a comment only before a space or a control character: 0 --card_number is 0 - (-card_number)
        "SELECT 0 --card_number\\nFROM accounts      | card_number",
        "SELECT 0 --card_number FROM accounts        | card_number",
        "SELECT 0--card_number FROM accounts         | card_number",
        "SELECT 0 -- card_number\\nFROM accounts     | -",
        "SELECT 0 --\\tcard_number\\nFROM accounts   | -",
        "SELECT 0 --\\u000bcard_number\\nFROM accounts | -",
        "SELECT 0 --\\u0001card_number\\nFROM accounts | -",
        // DEL is a control character to the server too: --<DEL> starts a comment
        "SELECT 0 --\\u007fcard_number\\nFROM accounts | -",
        "SELECT 0 --\\ncard_number FROM accounts      | -",
        "SELECT 0 FROM accounts --                   | -",
        // # comments to the end of the line (a line feed: a carriage return does not end it)
        "SELECT 0 #card_number\\nFROM accounts       | -",
        "SELECT 0 # x\\r, card_number\\nFROM accounts | -",
        // the content of an executable comment runs; a plain block comment does not nest
        "SELECT 0 /*! -card_number */ FROM accounts  | card_number",
        "SELECT 0 /*!-card_number*/ FROM accounts    | card_number",
        "SELECT 0 /* -card_number */ FROM accounts   | -",
        "SELECT 0 /* /* */ -card_number FROM accounts | card_number",
    })
    void mariaDbCommentsAreTheServers(String sql, String reads) {
        assertThat(reads(sql, Dialect.MARIADB)).as(sql).isEqualTo(reads);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        // -- always starts a comment; block comments nest
        "SELECT 0 --ssn\\n, 1 FROM customers              | -",
        "SELECT 0 /* /* */ -ssn */ FROM customers         | -",
        "SELECT 0 /* /* */ */ - length(ssn) FROM customers | ssn",
        // -- inside dollar quotes and strings is text
        "SELECT concat($$ -- $$, ssn) FROM customers      | ssn",
        "SELECT concat($a$ -- $ $a$, ssn) FROM customers  | ssn",
        "SELECT concat(E'\\'--', ssn) FROM customers       | ssn",
        "SELECT concat(E'\\\\', ssn) FROM customers        | ssn",
        "SELECT concat('a' --x\\n, ssn) FROM customers     | ssn",
        // a Unicode-escaped name cannot be matched against the policy: refused
        "SELECT U&\"\\0073sn\" FROM customers              | refused",
        "SELECT U&\"!0073sn\" UESCAPE '!' FROM customers   | refused",
        "SELECT \"ssn\" FROM customers                     | ssn",
    })
    void postgresCommentsAreTheServers(String sql, String reads) {
        assertThat(reads(sql, Dialect.POSTGRESQL)).as(sql).isEqualTo(reads);
    }
}
