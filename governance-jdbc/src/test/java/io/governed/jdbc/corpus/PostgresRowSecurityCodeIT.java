package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Code PostgreSQL runs for a table's row security, through the driver: a row-level security policy whose expression
 * hands each row's SSN to a routine that writes it to a table anyone reads ({@code USING (s.log_value(ssn) = 1)}). Every
 * read of the table by an identity a mask applies to put the clear SSNs of the rows it read in {@code s.pub}, while
 * the SSNs it read came back masked. The statements run as a role of their own (row security does not apply to a
 * superuser); outcomes are read through a raw connection, and the mask's exempt run the same statement, which shows what
 * it would have written.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ServerWide("GRANT/REVOKE, roles or users, server catalogs")
class PostgresRowSecurityCodeIT {
    private static final String DATABASE = "governed_row_security_code";
    private static final String ROLE = "governed_rls_app";
    private static final String SSN = "138-18-1624";
    private static final String POLICY = """
            version: 1
            default: deny
            classification: { tags: { pii.ssn: ["*.ssn"] } }
            rules:
              - { id: writers, effect: permit, principals: { groups: [writers] }, actions: ["*"], resources: ["s.*"] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { groups: [pii-readers] } }
            """;

    private final PostgresCorpusDatabase postgres = new PostgresCorpusDatabase();
    private String policyPath;

    @BeforeAll
    void policy() throws Exception {
        Servers.ensurePostgresDatabase(DATABASE);
        policyPath = Servers.policyFile("row-security-code", POLICY);
    }

    @BeforeEach
    void fixture() throws SQLException {
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS s CASCADE");
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + ROLE + "') THEN"
                    + " CREATE ROLE " + ROLE + " LOGIN; END IF; END $$");
            s.execute("CREATE SCHEMA s");
            s.execute("CREATE TABLE s.customers (id int PRIMARY KEY, name text, ssn text)");
            s.execute("INSERT INTO s.customers VALUES (1, 'Olivia', '" + SSN + "')");
            s.execute("CREATE TABLE s.pub (id serial PRIMARY KEY, v text)");
            s.execute("CREATE FUNCTION s.log_value(p_value text) RETURNS int LANGUAGE plpgsql AS $$ BEGIN"
                    + " INSERT INTO s.pub (v) VALUES (p_value); RETURN 1; END $$");
            s.execute("CREATE FUNCTION s.current_tenant() RETURNS text LANGUAGE sql STABLE AS"
                    + " $$ SELECT current_setting('app.tenant', true) $$");
            s.execute("GRANT USAGE ON SCHEMA s TO " + ROLE);
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA s TO " + ROLE);
            s.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA s TO " + ROLE);
            s.execute("ALTER TABLE s.customers ENABLE ROW LEVEL SECURITY");
        }
    }

    private Connection as(String groups) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", ROLE);
        p.setProperty("governed.policy", policyPath);
        p.setProperty("governed.principal", "wendy");
        p.setProperty("governed.groups", groups);
        return postgres.governed(DATABASE, p);
    }

    private void raw(String sql) throws SQLException {
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute(sql);
        }
    }

    private List<String> published() throws SQLException {
        return postgres.rawColumn(DATABASE, "SELECT coalesce(v, '') FROM s.pub");
    }

    @Test
    void aRowSecurityPolicyHandingTheRowsMaskedValueToCodeThatWritesIsRefusedToTheMasked() throws SQLException {
        raw("CREATE POLICY logged ON s.customers USING (s.log_value(ssn) = 1)");
        for (String sql : List.of("SELECT name FROM s.customers", "SELECT count(*) FROM s.customers WHERE id = 1")) {
            try (Connection c = as("writers"); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeQuery(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("42501");
                    assertThat(e.getMessage()).contains("mask-ssn", "row security of s.customers").doesNotContain(SSN);
                });
            }
            assertThat(published()).as(sql).isEmpty();
        }
        // the mask's exempt read the table: the policy's routine writes each row's SSN where anyone reads it
        try (Connection c = as("writers,pii-readers"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM s.customers")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("Olivia");
        }
        assertThat(published()).containsExactly(SSN);
    }

    @Test
    void aRowSecurityPolicyWhoseRoutineOnlyReadsASettingStaysAllowedAndTheValuesComeBackMasked() throws SQLException {
        raw("ALTER TABLE s.customers ADD COLUMN tenant text DEFAULT 'acme'");
        raw("CREATE POLICY tenant ON s.customers USING (tenant = s.current_tenant())");
        try (Connection c = as("writers"); Statement s = c.createStatement()) {
            s.execute("SET app.tenant = 'acme'");
            try (ResultSet rs = s.executeQuery("SELECT name, ssn FROM s.customers")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Olivia");
                assertThat(rs.getString(2)).isNotNull().isNotEqualTo(SSN).endsWith("1624");
                assertThat(rs.next()).isFalse();
            }
            s.execute("SET app.tenant = 'other'");
            try (ResultSet rs = s.executeQuery("SELECT name FROM s.customers")) {
                assertThat(rs.next()).as("row security still applies").isFalse();
            }
        }
    }
}
