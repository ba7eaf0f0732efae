package io.governed.jdbc.statements;

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
 * H2's {@code ALTER SCHEMA … RENAME TO}, {@code ALTER VIEW … RENAME TO} and {@code ALTER TABLE t ALTER COLUMN c RENAME
 * TO d}: a migration identity the mask exempts runs them through the governed data source (read back in
 * INFORMATION_SCHEMA through a raw connection); a caller the mask applies to is refused renaming the masked column, a
 * view a pattern names, or the schema (42501 naming the mask), and the names stay as they were.
 */
class H2RenameFormsTest {
    private static final String SSN = "219-45-6789";
    private static final Identity MIGRATOR = Identity.builder("pf-migrator").kind(IdentityKind.SERVICE).build();
    private static final Identity ANALYST = Identity.builder("pf-analyst").kind(IdentityKind.HUMAN).build();
    private final JdbcDataSource h2 = new JdbcDataSource();
    private Connection raw;

    @BeforeEach
    void fixture() throws SQLException {
        h2.setURL("jdbc:h2:mem:pf-renames-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE SCHEMA PF_APP");
            s.execute("CREATE TABLE PF_APP.CUSTOMERS(ID INT PRIMARY KEY, NAME VARCHAR(40), SSN VARCHAR(11))");
            s.execute("INSERT INTO PF_APP.CUSTOMERS VALUES (1, 'ada', '" + SSN + "')");
            s.execute("CREATE VIEW PF_APP.CUSTOMER_VIEW AS SELECT ID, SSN FROM PF_APP.CUSTOMERS");
            s.execute("CREATE SCHEMA PF_OTHER");
            s.execute("CREATE TABLE PF_OTHER.NOTES(ID INT)");
            s.execute("CREATE VIEW PF_OTHER.NOTE_IDS AS SELECT ID FROM PF_OTHER.NOTES");
        }
    }

    @AfterEach
    void close() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private Connection as(Identity identity) throws SQLException {
        Governance governance = Governance.builder().policy(PolicyLoader.fromString("renames.yaml", """
                version: 1
                rules:
                  - { id: all, effect: permit, actions: ["*"], resources: ["*"] }
                masks:
                  - id: hide-ssn
                    columns: { patterns: ["PF_APP.CUSTOMERS.SSN", "PF_APP.CUSTOMER_VIEW.SSN"] }
                    function: redact
                    unless: { names: [pf-migrator] }
                """)).withoutAudit().defaultIdentity(identity).build();
        return new GovernedDataSource(h2, governance).getConnection();
    }

    private List<String> rawRows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private List<String> relationsOf(String schema) throws SQLException {
        return rawRows("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = '" + schema + "' ORDER BY 1");
    }

    private List<String> columnsOf(String schema, String table) throws SQLException {
        return rawRows("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = '" + schema
                + "' AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION");
    }

    @Test
    void aCallerTheMaskAppliesToIsRefusedEachRenameAPatternCovers() throws SQLException {
        for (String sql : new String[] {"ALTER TABLE PF_APP.CUSTOMERS ALTER COLUMN SSN RENAME TO TAX_ID",
                "ALTER TABLE IF EXISTS PF_APP.CUSTOMERS ALTER COLUMN \"SSN\" /* c */ RENAME TO TAX_ID",
                "ALTER VIEW PF_APP.CUSTOMER_VIEW RENAME TO CV2",
                "ALTER SCHEMA PF_APP RENAME TO PF_APP_OLD"}) {
            try (Connection c = as(ANALYST); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(e.getMessage()).isEqualTo("42501"))
                        .hasMessageContaining("hide-ssn").hasMessageNotContaining("unparseable").hasMessageNotContaining(SSN);
            }
        }
        assertThat(columnsOf("PF_APP", "CUSTOMERS")).containsExactly("ID", "NAME", "SSN");
        assertThat(relationsOf("PF_APP")).containsExactly("CUSTOMERS", "CUSTOMER_VIEW");
        // a clear column is renamed by the same caller
        try (Connection c = as(ANALYST); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE PF_APP.CUSTOMERS ALTER COLUMN NAME RENAME TO FULL_NAME");
        }
        assertThat(columnsOf("PF_APP", "CUSTOMERS")).containsExactly("ID", "FULL_NAME", "SSN");
    }

    @Test
    void aMigrationRunsEachForm() throws SQLException {
        try (Connection c = as(MIGRATOR); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE PF_APP.CUSTOMERS ALTER COLUMN SSN RENAME TO TAX_ID");
            s.execute("ALTER VIEW IF EXISTS PF_OTHER.NOTE_IDS RENAME TO NOTE_KEYS");
            s.execute("ALTER SCHEMA PF_OTHER RENAME TO PF_OTHER2");
        }
        assertThat(columnsOf("PF_APP", "CUSTOMERS")).containsExactly("ID", "NAME", "TAX_ID");
        assertThat(relationsOf("PF_OTHER2")).containsExactly("NOTES", "NOTE_KEYS");
        assertThat(rawRows("SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME LIKE 'PF_OTHER%'"))
                .containsExactly("PF_OTHER2");
    }
}
