package io.governed.jdbc.rowfilter;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * On H2, a statement after {@code SET SCHEMA} in the same text names its relations where the driver cannot resolve them
 * for certain (the session it read is the one before the text ran). A DBA made, through a raw connection, a linked
 * table over the row-filtered (and masked) tables and a view over them, in another schema. A row-filtered caller that
 * copies their rows into a clear table through such a name is refused (42501, naming the filter, saying to qualify the
 * name); a masked caller's copy is refused or masked. The clear table, read raw, holds nothing copied. A plain table
 * of that name elsewhere, and a name the catalog shows a plain table in every schema, stay allowed.
 */
class H2UncertainNameTest {
    private static final String SECRET = "b-secret-7741";
    private static final String SSN = "219-45-6789";
    private final JdbcDataSource h2 = new JdbcDataSource();
    private Connection raw;

    @BeforeEach
    void fixture() throws SQLException {
        h2.setURL("jdbc:h2:mem:un-uncertain-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE un_orders (id INT, tenant VARCHAR(5), note VARCHAR(40))");
            s.execute("INSERT INTO un_orders VALUES (1, 'a', 'a-note'), (2, 'b', '" + SECRET + "')");
            s.execute("CREATE TABLE un_customers (id INT, ssn VARCHAR(11))");
            s.execute("INSERT INTO un_customers VALUES (1, '" + SSN + "')");
            s.execute("CREATE TABLE un_clear (id INT, note VARCHAR(40))");
            s.execute("CREATE SCHEMA un_other");
            s.execute("CREATE LINKED TABLE un_other.un_link('org.h2.Driver', '" + h2.getURL() + "', 'sa', '', 'PUBLIC',"
                    + " 'UN_ORDERS')");
            s.execute("CREATE VIEW un_other.un_view AS SELECT id, tenant, note FROM PUBLIC.un_orders");
            s.execute("CREATE LINKED TABLE un_other.un_clink('org.h2.Driver', '" + h2.getURL() + "', 'sa', '', 'PUBLIC',"
                    + " 'UN_CUSTOMERS')");
            s.execute("CREATE VIEW un_other.un_cview AS SELECT id, ssn AS digits FROM PUBLIC.un_customers");
            s.execute("CREATE TABLE un_other.un_plain (id INT, note VARCHAR(40))");
            s.execute("INSERT INTO un_other.un_plain VALUES (5, 'plain-note')");
        }
    }

    @AfterEach
    void close() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private Connection filtered() throws SQLException {
        Governance governance = Governance.builder().policy(PolicyLoader.fromString("uncertain.yaml", """
                        version: 1
                        rules:
                          - { id: everything, effect: permit, actions: ["*"], resources: ["*"] }
                        row-filters:
                          - id: tenant-isolation
                            tables: [un_orders]
                            filter: "tenant = :identity.tenant"
                        """))
                .defaultIdentity(Identity.builder("un-analyst").attribute("tenant", "a").build())
                .withoutAudit().build();
        return new GovernedDataSource(h2, governance).getConnection();
    }

    private Connection masked() throws SQLException {
        Governance governance = Governance.builder().policy(PolicyLoader.fromString("uncertain-masks.yaml", """
                        version: 1
                        rules:
                          - { id: everything, effect: permit, actions: ["*"], resources: ["*"] }
                        masks:
                          - { id: hide-ssn, columns: { patterns: ["un_customers.ssn"] }, function: redact }
                        """))
                .defaultIdentity(Identity.builder("un-bot").kind(IdentityKind.AGENT).build())
                .withoutAudit().build();
        return new GovernedDataSource(h2, governance).getConnection();
    }

    private List<String> clearRows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT id, note FROM un_clear ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "|" + rs.getString(2));
            }
        }
        return rows;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "SET SCHEMA un_other; INSERT INTO PUBLIC.un_clear SELECT id, note FROM un_link",
            "SET SCHEMA un_other; INSERT INTO PUBLIC.un_clear SELECT id, note FROM un_view",
            "SET SCHEMA_SEARCH_PATH un_other; INSERT INTO un_clear SELECT id, note FROM un_link",
            "SET SCHEMA un_other; UPDATE un_link SET note = 'overwritten'",
    })
    void aRowFilteredCallerCannotReachOtherTenantsRowsThroughAnUncertainName(String sql) throws SQLException {
        String outcome;
        try (Connection c = filtered(); Statement s = c.createStatement()) {
            s.execute(sql);
            outcome = "ran";
        } catch (SQLException refused) {
            assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
            assertThat(refused.getMessage()).contains("tenant-isolation").doesNotContain(SECRET);
            outcome = null;
        }
        List<String> copied = clearRows();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT note FROM un_orders WHERE id = 2")) {
            rs.next();
            assertThat(rs.getString(1)).as("un_orders read raw after " + sql).isEqualTo(SECRET);
        }
        if (outcome != null) {
            fail("the filtered caller (tenant a) was not refused " + sql + ": it " + outcome + ", un_clear holds " + copied);
        }
        assertThat(copied).as("un_clear read raw").isEmpty();
    }

    @Test
    void theRefusalNamesTheRelationItMayBeAndSaysToQualifyTheName() throws SQLException {
        try (Connection c = filtered(); Statement s = c.createStatement()) {
            s.execute("SET SCHEMA un_other; INSERT INTO PUBLIC.un_clear SELECT id, note FROM un_link");
            fail("not refused");
        } catch (SQLException refused) {
            assertThat(refused.getSQLState()).isEqualTo("42501");
            assertThat(refused.getMessage()).contains("tenant-isolation").contains("UN_OTHER.UN_LINK")
                    .contains("neither a table nor a view").contains("qualify the name with its schema");
        }
        assertThat(clearRows()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "SET SCHEMA un_other; INSERT INTO PUBLIC.un_clear SELECT id, ssn FROM un_clink",
            "SET SCHEMA un_other; INSERT INTO PUBLIC.un_clear SELECT id, digits FROM un_cview",
            "SET SCHEMA_SEARCH_PATH un_other; INSERT INTO un_clear SELECT id, ssn FROM un_clink",
    })
    void aMaskedCallerCannotCopyAMaskedColumnOutThroughAnUncertainName(String sql) throws SQLException {
        try (Connection c = masked(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException refused) {
            assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
            assertThat(refused.getMessage()).contains("hide-ssn").doesNotContain(SSN);
        }
        assertThat(clearRows()).as("un_clear read raw after " + sql).noneMatch(row -> row.contains(SSN));
    }

    @Test
    void aPlainTableThroughAnUncertainNameIsNotRefused() throws SQLException {
        try (Connection c = filtered(); Statement s = c.createStatement()) {
            s.execute("SET SCHEMA un_other; INSERT INTO PUBLIC.un_clear SELECT id, note FROM un_plain");
        }
        assertThat(clearRows()).containsExactly("5|plain-note");
        try (Connection c = masked(); Statement s = c.createStatement()) {
            s.execute("SET SCHEMA un_other; INSERT INTO PUBLIC.un_clear SELECT id + 1, note FROM un_plain");
        }
        assertThat(clearRows()).containsExactly("5|plain-note", "6|plain-note");
    }

    @Test
    void theFilteredTableItselfStillReadsAsTheFilterAdmits() throws SQLException {
        try (Connection c = filtered(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, note FROM un_orders ORDER BY id")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getInt(1) + "|" + rs.getString(2));
            }
            assertThat(rows).containsExactly("1|a-note");
        }
    }
}
