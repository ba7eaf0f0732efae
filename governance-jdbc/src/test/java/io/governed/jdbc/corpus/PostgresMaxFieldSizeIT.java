package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code Statement.setMaxFieldSize}: pgjdbc cuts text and bytes to the limit in every getter, before the wrapper masks
 * them, and a partial mask keeping the last four characters of a cut value shows another window of it for each limit
 * ({@code 219-45-6789} cut to 5 is {@code 219-4}, masked {@code *19-4}): every character but the first could be read
 * back. A result with a masked column is refused under a limit; columns nothing masks keep pgjdbc's cut.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresMaxFieldSizeIT {
    private static final String DATABASE = "governed_max_field_size";
    private static final String SSN = "219-45-6789";
    private static final String EMAIL = "ada.lovelace@example.org";
    private final PostgresCorpusDatabase postgres = new PostgresCorpusDatabase();
    private Connection analyst;

    @BeforeAll
    void fixture() throws SQLException {
        Servers.ensurePostgresDatabase(DATABASE);
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS people CASCADE");
            s.execute("CREATE TABLE people (id int PRIMARY KEY, name text, ssn text, email text, card_number varchar(19))");
            s.execute("INSERT INTO people VALUES (1, 'Ada', '" + SSN + "', '" + EMAIL + "', '4111222233334444')");
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
    void pgjdbcCutsValuesToTheLimitSoTheAttackIsReal() throws SQLException {
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.setMaxFieldSize(5);
            try (ResultSet rs = s.executeQuery("SELECT ssn FROM people")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("219-4");
            }
        }
    }

    @Test
    void aMaskedColumnReadUnderAFieldSizeLimitIsRefusedForEveryLimit() throws SQLException {
        for (int limit = 1; limit <= SSN.length() + 2; limit++) {
            try (Statement s = analyst.createStatement()) {
                s.setMaxFieldSize(limit);
                assertRefused(() -> s.executeQuery("SELECT ssn, email, card_number FROM people"), limit);
                assertRefused(() -> {
                    s.execute("SELECT ssn FROM people");
                    return s.getResultSet();
                }, limit);
            }
            try (PreparedStatement ps = analyst.prepareStatement("SELECT id, ssn FROM people WHERE id = ?")) {
                ps.setMaxFieldSize(limit);
                ps.setInt(1, 1);
                assertRefused(ps::executeQuery, limit);
            }
        }
    }

    /** pgjdbc reads the limit in every getter, so a limit set once the result is open would cut what is read next. */
    @Test
    void aLimitSetWhileAMaskedResultIsOpenIsRefusedAndNothingIsCut() throws SQLException {
        for (int limit = 1; limit <= SSN.length() + 2; limit++) {
            try (Statement s = analyst.createStatement(); ResultSet rs = s.executeQuery("SELECT ssn FROM people")) {
                int cut = limit;
                assertRefused(() -> {
                    s.setMaxFieldSize(cut);
                    return null;
                }, limit);
                assertThat(s.getMaxFieldSize()).as("the limit stays as it was").isZero();
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("*******6789");
                assertThat(rs.getString("ssn")).isEqualTo("*******6789");
            }
        }
        try (PreparedStatement ps = analyst.prepareStatement("SELECT id, ssn FROM people WHERE id = ?")) {
            ps.setInt(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                assertRefused(() -> {
                    ps.setMaxFieldSize(6);
                    return null;
                }, 6);
                rs.next();
                assertThat(rs.getString(2)).isEqualTo("*******6789");
            }
            ps.setMaxFieldSize(6); // no result open: the next execution is refused instead
            assertRefused(ps::executeQuery, 6);
        }
        try (Statement s = analyst.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM people")) {
            s.setMaxFieldSize(2); // nothing the limit cuts is masked in the open result: the application's to set
            assertThat(s.getMaxFieldSize()).isEqualTo(2);
        }
    }

    @Test
    void derivedAndStarColumnsAreRefusedToo() throws SQLException {
        try (Statement s = analyst.createStatement()) {
            s.setMaxFieldSize(6);
            assertRefused(() -> s.executeQuery("SELECT * FROM people"), 6);
            assertRefused(() -> s.executeQuery("SELECT d.tax_ref FROM (SELECT ssn AS tax_ref FROM people) d"), 6);
        }
    }

    @Test
    void withoutALimitTheMaskedValueComesBackMasked() throws SQLException {
        try (Statement s = analyst.createStatement()) {
            s.setMaxFieldSize(7);
            s.setMaxFieldSize(0);
            try (ResultSet rs = s.executeQuery("SELECT ssn FROM people")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("*******6789");
            }
        }
    }

    @Test
    void numbersAndDatesAreNotCutAndComeBackUnderALimit() throws SQLException {
        try (Statement s = analyst.createStatement()) {
            s.setMaxFieldSize(2);
            try (ResultSet rs = s.executeQuery("SELECT id, DATE '2024-01-31' AS day FROM people")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getDate(2)).hasToString("2024-01-31");
            }
        }
    }

    @Test
    void whereNoMaskAppliesTextKeepsPgjdbcsCut() throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", "classpath:policies/permit-all.yaml");
        p.setProperty("governed.principal", "ann");
        try (Connection unmasked = postgres.governed(DATABASE, p); Statement s = unmasked.createStatement()) {
            s.setMaxFieldSize(2);
            try (ResultSet rs = s.executeQuery("SELECT id, name FROM people")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo("Ad");
                assertThat(s.getMaxFieldSize()).isEqualTo(2);
            }
        }
    }

    private interface Run {
        Object run() throws SQLException;
    }

    private static void assertRefused(Run run, int limit) {
        assertThatThrownBy(run::run)
                .as("limit %d", limit)
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("42501");
                    assertThat(e.getMessage()).contains("setMaxFieldSize").contains("setMaxFieldSize(0)");
                    for (int from = 0; from + 4 <= SSN.length(); from++) {
                        assertThat(e.getMessage()).doesNotContain(SSN.substring(from, from + 4));
                    }
                    assertThat(e.getMessage()).doesNotContain("lovelace").doesNotContain("2222");
                });
    }
}
