package io.governed.jdbc.masking;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A mask follows a column by its name. An agent that may alter a table renamed its masked column
 * ({@code ALTER TABLE ln_people RENAME COLUMN ssn TO tax_id}) and read the SSNs in clear with the next statement
 * ({@code SELECT tax_id FROM ln_people}, or copied them on with {@code INSERT … SELECT tax_id}). The rename is refused
 * (42501, naming the mask, never a value) to a caller the mask applies to, and the column keeps its name (read
 * through a raw connection); renaming a clear column, and a rename by a caller the mask exempts, still run.
 */
class H2MaskedColumnRenameTest {
    private static final String SSN = "219-45-6789";
    private static final Identity HR = Identity.builder("hana").kind(IdentityKind.HUMAN).groups("hr").build();
    private final JdbcDataSource h2 = new JdbcDataSource();
    private Connection raw;

    @BeforeEach
    void fixture() throws SQLException {
        h2.setURL("jdbc:h2:mem:ln-rename-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE ln_people(id INT PRIMARY KEY, name VARCHAR(40), ssn VARCHAR(11))");
            s.execute("CREATE TABLE ln_clear(id INT PRIMARY KEY, note VARCHAR(40))");
            s.execute("INSERT INTO ln_people VALUES (1, 'ada', '" + SSN + "')");
        }
    }

    @AfterEach
    void close() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private Connection as(Identity identity) throws SQLException {
        String policy = LaunderingAcrossStatementsSpec.POLICY.replace("""
                    function: redact
                """, """
                    function: redact
                    unless: { groups: [hr] }
                """);
        assertThat(policy).contains("unless: { groups: [hr] }");
        policy = policy.replace("principals: { kinds: [agent], on-behalf-of: required }\n    actions: [insert",
                "principals: { kinds: [agent, human] }\n    actions: [insert");
        Governance governance = Governance.builder().policy(PolicyLoader.fromString("rename.yaml", policy))
                .withoutAudit().defaultIdentity(identity).build();
        return new GovernedDataSource(h2, governance).getConnection();
    }

    private List<String> rawColumns() throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS "
                + "WHERE TABLE_NAME = 'LN_PEOPLE' ORDER BY ORDINAL_POSITION")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        return columns;
    }

    @Test
    void anAgentCannotRenameTheMaskedColumnToReadItInClear() throws SQLException {
        try (Connection c = as(LaunderingAcrossStatementsSpec.AGENT); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("ALTER TABLE ln_people RENAME COLUMN ssn TO tax_id"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining("hide-ssn").hasMessageContaining("renames").hasMessageNotContaining(SSN);
            assertThat(rawColumns()).containsExactly("ID", "NAME", "SSN");
            try (ResultSet rs = s.executeQuery("SELECT * FROM ln_people")) {
                rs.next();
                assertThat(rs.getString(3)).isEqualTo("****");
                assertThat(rs.getObject(3)).isEqualTo("****");
                assertThat(rs.getBytes(3)).isNotEqualTo(SSN.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            assertThatThrownBy(() -> s.execute("INSERT INTO ln_clear SELECT id, tax_id FROM ln_people"))
                    .isInstanceOf(SQLException.class).hasMessageNotContaining(SSN);
        }
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ln_clear")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void aClearColumnIsRenamedAndACallerTheMaskExemptsRenamesTheMaskedOne() throws SQLException {
        try (Connection c = as(LaunderingAcrossStatementsSpec.AGENT); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE ln_people RENAME COLUMN name TO full_name");
        }
        try (Connection c = as(HR); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE ln_people RENAME COLUMN ssn TO tax_id");
        }
        assertThat(rawColumns()).containsExactly("ID", "FULL_NAME", "TAX_ID");
    }

    /**
     * A pattern that names the table ({@code ln_people.ssn}, not {@code *.ssn}) stops matching once the table has
     * another name: an agent that may alter the tables renamed {@code ln_people} and read the SSNs in clear under the
     * new name. The rename is refused to a caller the mask applies to (read back raw: the table keeps its name).
     */
    @Test
    void anAgentCannotRenameATableWhoseNameTheMasksPatternNames() throws SQLException {
        String policy = LaunderingAcrossStatementsSpec.POLICY.replace("pii.ssn: [\"*.ssn\"]", "pii.ssn: [\"ln_people.ssn\"]");
        assertThat(policy).contains("pii.ssn: [\"ln_people.ssn\"]");
        Governance governance = Governance.builder().policy(PolicyLoader.fromString("rename-table.yaml", policy))
                .withoutAudit().defaultIdentity(LaunderingAcrossStatementsSpec.AGENT).build();
        try (Connection c = new GovernedDataSource(h2, governance).getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("ALTER TABLE ln_people RENAME TO ln_copy"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining("hide-ssn").hasMessageContaining("ln_people.ssn").hasMessageNotContaining(SSN);
            try (ResultSet rs = s.executeQuery("SELECT ssn FROM ln_people")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("****");
            }
        }
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE TABLE_NAME IN ('LN_PEOPLE', 'LN_COPY')")) {
            rs.next();
            assertThat(rs.getInt(1)).as("ln_people, still under its name").isEqualTo(1);
        }
        assertThat(rawColumns()).containsExactly("ID", "NAME", "SSN");
    }
}
