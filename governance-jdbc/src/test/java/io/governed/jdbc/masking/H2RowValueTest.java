package io.governed.jdbc.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * H2's row value constructor {@code ROW(…)} is a built-in (H2 refuses an alias of that name), so it needs no
 * {@code call} permission, and its value derives from its fields: clear when they are, masked when one is. A quoted
 * name in another case is another routine, which may be user code.
 */
class H2RowValueTest {

    private static final String SSN = "219-45-6789";
    private String url;

    @BeforeEach
    void database() throws SQLException {
        url = "jdbc:h2:mem:row-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection raw = DriverManager.getConnection(url); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40), ssn VARCHAR(11))");
            s.execute("INSERT INTO customers VALUES (1, 'Ann', '" + SSN + "')");
        }
    }

    private Connection analyst() throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", "classpath:policies/masking-policy.yaml");
        p.setProperty("governed.principal", "ann");
        p.setProperty("governed.groups", "analysts");
        return DriverManager.getConnection("jdbc:governed:" + url.substring("jdbc:".length()), p);
    }

    @Test
    void aRowOfClearColumnsRunsWithoutACallPermissionAndReadsAsRaw() throws SQLException {
        try (Connection governed = analyst(); Statement s = governed.createStatement();
             ResultSet rs = s.executeQuery("SELECT ROW(id, name) FROM customers")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("ROW (1, Ann)");
        }
    }

    @Test
    void aRowWithAMaskedFieldShowsNoPieceOfIt() throws SQLException {
        try (Connection governed = analyst(); Statement s = governed.createStatement();
             ResultSet rs = s.executeQuery("SELECT ROW(id, ssn) FROM customers")) {
            assertThat(rs.next()).isTrue();
            // H2 renders a ROW read as text as its result object, "rs<n>: org.h2.result.SimpleResult@<hash>": the
            // counter and the hash are no value, and may hold the digits looked for
            String shown = rs.getString(1).replaceAll("^rs\\d+: org\\.h2\\.result\\.SimpleResult@\\p{XDigit}+$", "");
            assertThat(shown).doesNotContain("219").doesNotContain("45-6");
            Object nested = rs.getObject(1);
            assertThat(nested).isInstanceOf(ResultSet.class);
            ResultSet fields = (ResultSet) nested;
            while (fields.next()) {
                for (int i = 1; i <= fields.getMetaData().getColumnCount(); i++) {
                    assertThat(String.valueOf(fields.getString(i))).doesNotContain("219").doesNotContain("45-6");
                }
            }
        }
    }

    @Test
    void aQuotedLowerCaseRowIsAnotherRoutineAndNeedsACallPermission() throws SQLException {
        try (Connection governed = analyst(); Statement s = governed.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT \"row\"(id) FROM customers"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        }
    }
}
