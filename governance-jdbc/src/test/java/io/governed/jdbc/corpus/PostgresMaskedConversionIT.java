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
import java.util.Properties;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A masked text column read through a getter of another type: pgjdbc converts the clear value first, and some text
 * makes its conversion throw an unchecked exception ({@code getDate} of a one-character text throws
 * {@code ArrayIndexOutOfBoundsException: Index -1 out of bounds for length 1}), whose message tells of the value's
 * shape. Such a failure comes back as the masked column's own error, naming the column and its mask and nothing of
 * the driver's message, as pgjdbc's {@code Bad value for type …: <value>} errors already did.
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
        Properties p = new Properties();
        p.setProperty("governed.policy", "classpath:policies/masking-policy.yaml");
        p.setProperty("governed.principal", "ann");
        p.setProperty("governed.groups", "analysts");
        analyst = postgres.governed(DATABASE, p);
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
            assertThatThrownBy(() -> rs.getDate(1)).isInstanceOf(RuntimeException.class)
                    .hasMessageContaining("length");
        }
    }

    @Test
    void everyTemporalGetterOfAMaskedTextColumnFailsAsTheMaskedColumnsOwnErrorOrGivesNoClearValue()
            throws SQLException {
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
                        failures.add(ssn + " " + e.getSQLState());
                    }
                }
            }
        }
        assertThat(failures).as("the one-character values fail as masked columns' errors").contains("x 22M01", "7 22M01");
    }

    private interface Getter {
        Object read() throws SQLException;
    }
}
