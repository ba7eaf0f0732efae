package io.governed.jdbc.masking;

import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A mask whose pattern names the table ({@code ln_people.ssn}) stops matching when the table's rows are read under
 * another name. An agent that may create objects made one for {@code ln_people}, a synonym ({@code CREATE SYNONYM
 * ln_alias FOR ln_people}) or a linked table pointing back at this very database ({@code CREATE LINKED TABLE
 * ln_link(…, 'LN_PEOPLE')}), and read the SSNs in clear with {@code SELECT ssn FROM ln_alias}. Both are refused (42501,
 * naming the mask, never a value) to a caller the mask applies to; nothing is created (read back raw), and the table
 * still comes back masked.
 */
class H2SecondNameTest {
    private static final String SSN = "219-45-6789";
    private static final String POLICY = """
            version: 1
            default: deny
            on-unparseable: deny
            classification:
              auto-detect: false
              tags:
                pii.ssn: ["ln_people.ssn"]
            rules:
              - { id: agents-all, effect: permit, principals: { kinds: [agent] }, actions: ["*"], resources: ["*"] }
            masks:
              - { id: hide-ssn, columns: { tags: [pii.ssn] }, function: redact }
            """;
    private final JdbcDataSource h2 = new JdbcDataSource();
    private String url;
    private Connection raw;

    @BeforeEach
    void fixture() throws SQLException {
        url = "jdbc:h2:mem:ln-second-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        h2.setURL(url);
        h2.setUser("sa");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE ln_people(id INT PRIMARY KEY, ssn VARCHAR(11))");
            s.execute("INSERT INTO ln_people VALUES (1, '" + SSN + "')");
        }
    }

    @AfterEach
    void close() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private Connection agent() throws SQLException {
        Governance governance = Governance.builder().policy(PolicyLoader.fromString("second-name.yaml", POLICY))
                .withoutAudit().defaultIdentity(LaunderingAcrossStatementsSpec.AGENT).build();
        return new GovernedDataSource(h2, governance).getConnection();
    }

    private int rawObjects(String name) throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM"
                + " INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = '" + name + "') + (SELECT COUNT(*) FROM"
                + " INFORMATION_SCHEMA.SYNONYMS WHERE SYNONYM_NAME = '" + name + "')")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void refused(Statement s, String sql, String name) throws SQLException {
        assertThatThrownBy(() -> s.execute(sql))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                .hasMessageContaining("hide-ssn").hasMessageNotContaining(SSN);
        assertThat(rawObjects(name)).as(name + ", read raw").isZero();
        try (ResultSet rs = s.executeQuery("SELECT ssn FROM ln_people")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("****");
            assertThat(rs.getObject(1)).isEqualTo("****");
            assertThat(rs.getBytes(1)).isNotEqualTo(SSN.getBytes(StandardCharsets.UTF_8));
            assertThat(rs.getNString(1)).isNotEqualTo(SSN);
        }
        assertThatThrownBy(() -> s.executeQuery("SELECT ssn FROM " + name)).isInstanceOf(SQLException.class)
                .hasMessageNotContaining(SSN);
    }

    @Test
    void anAgentCannotGiveTheMaskedTableASynonym() throws SQLException {
        try (Connection c = agent(); Statement s = c.createStatement()) {
            refused(s, "CREATE SYNONYM ln_alias FOR ln_people", "LN_ALIAS");
        }
    }

    @Test
    void anAgentCannotLinkTheMaskedTableBackIntoItsOwnDatabase() throws SQLException {
        try (Connection c = agent(); Statement s = c.createStatement()) {
            refused(s, "CREATE LINKED TABLE ln_link('org.h2.Driver', '" + url + "', 'sa', '', 'LN_PEOPLE')", "LN_LINK");
            refused(s, "CREATE LINKED TABLE ln_link('org.h2.Driver', '" + url + "', 'sa', '',"
                    + " '(SELECT ssn AS tax_id FROM ln_people)')", "LN_LINK");
        }
    }

    @Test
    void aSynonymOfATableNoPatternNamesIsCreated() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE ln_clear(id INT PRIMARY KEY, note VARCHAR(40))");
        }
        try (Connection c = agent(); Statement s = c.createStatement()) {
            s.execute("CREATE SYNONYM ln_notes FOR ln_clear");
        }
        assertThat(rawObjects("LN_NOTES")).isEqualTo(1);
    }
}
