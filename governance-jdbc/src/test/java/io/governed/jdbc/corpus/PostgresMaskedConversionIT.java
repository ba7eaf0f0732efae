package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A masked text column read through a getter of another type: pgjdbc converts the clear value first, and some text
 * makes its conversion throw an unchecked exception ({@code getDate} of a one-character text throws
 * {@code ArrayIndexOutOfBoundsException: Index -1 out of bounds for length 1}), whose message tells of the value's
 * shape, and it converts others ({@code 219-45-6789} is the date 0145-04-02), so whether such a getter works tells what
 * kind of value the mask hides. A masked column's typed getter masks the value in the column's own type and converts
 * the masked value or refuses, the same for every value.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresMaskedConversionIT {
    private static final String DATABASE = "governed_masked_conversion";
    private static final List<String> SSNS = List.of("x", "7", "ab", "219-45-6789");
    private final PostgresCorpusDatabase postgres = new PostgresCorpusDatabase();
    private Connection analyst;

    @BeforeAll
    void fixture() throws SQLException {
        Servers.ensurePostgresDatabase(DATABASE);
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS people CASCADE");
            s.execute("CREATE TABLE people (id int PRIMARY KEY, ssn text)");
            for (int i = 0; i < SSNS.size(); i++) {
                s.execute("INSERT INTO people VALUES (" + i + ", '" + SSNS.get(i) + "')");
            }
        }
        analyst = postgres.governedAnalyst(DATABASE);
    }

    @AfterAll
    void close() throws SQLException {
        if (analyst != null) {
            analyst.close();
        }
    }

    @Test
    void pgjdbcThrowsAnUncheckedExceptionForSomeTextSoTheCaseIsReal() throws SQLException {
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT ssn FROM people WHERE id = 0")) {
            rs.next();
            assertThatThrownBy(() -> rs.getDate(1)).isInstanceOf(ArrayIndexOutOfBoundsException.class);
        }
    }

    @Test
    void everyTemporalGetterOfAMaskedTextColumnFailsAlikeForEveryValue() throws SQLException {
        List<String> failures = new ArrayList<>();
        try (Statement s = analyst.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, ssn FROM people ORDER BY id")) {
            while (rs.next()) {
                String ssn = SSNS.get(rs.getInt(1));
                List<Getter> getters = List.of(
                        () -> rs.getDate(2), () -> rs.getDate("ssn"),
                        () -> rs.getDate(2, Calendar.getInstance(TimeZone.getTimeZone("UTC"))),
                        () -> rs.getTime(2), () -> rs.getTimestamp(2), () -> rs.getTimestamp("ssn"),
                        () -> rs.getObject(2, java.time.LocalDate.class));
                for (Getter getter : getters) {
                    try {
                        Object value = getter.read();
                        assertThat(String.valueOf(value)).as("value read from %s", ssn).doesNotContain(ssn);
                    } catch (SQLException e) {
                        assertThat(e.getMessage()).as("error reading %s", ssn)
                                .contains("'ssn' is masked")
                                .doesNotContain("out of bounds").doesNotContain("length").doesNotContain(": " + ssn);
                        if (e.getCause() != null) {
                            assertThat(e.getCause().getMessage()).doesNotContain("length");
                        }
                        failures.add(e.getSQLState() + " " + e.getMessage());
                    }
                }
            }
        }
        assertThat(failures).as("every getter of every value refused").hasSize(SSNS.size() * 7);
        assertThat(new java.util.HashSet<>(failures.subList(0, 7))).as("whatever the value")
                .isEqualTo(new java.util.HashSet<>(failures.subList(7, 14)))
                .isEqualTo(new java.util.HashSet<>(failures.subList(14, 21)))
                .isEqualTo(new java.util.HashSet<>(failures.subList(21, 28)));
        assertThat(failures.get(0)).startsWith("22M01 ");
    }

    private interface Getter {
        Object read() throws SQLException;
    }
}
