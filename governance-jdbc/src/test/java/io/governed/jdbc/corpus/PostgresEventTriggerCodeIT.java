package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL runs the functions of its event triggers for DDL, whatever the DDL names: an event trigger whose function
 * copies every SSN into a table anyone reads ran for a masked writer's {@code CREATE TABLE}, putting the clear SSNs in
 * {@code s.pub}. The DDL is now a call of the function, whose body is the statement's own: refused to the masked
 * (42501, naming the mask and the function), run for the exempt (whose run shows what it writes); a function that only
 * logs the command needs a permit of {@code call}. Outcomes are read through a raw connection. The database is this
 * class's own, since event triggers are the whole database's.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresEventTriggerCodeIT {
    private static final String DATABASE = "governed_event_trigger_code";
    private static final String SSN = "524-71-3398";
    private static final String POLICY = """
            version: 1
            default: deny
            classification: { tags: { pii.ssn: ["*.ssn"] } }
            rules:
              - { id: writers, effect: permit, principals: { groups: [writers] }, actions: ["*"], resources: ["s.*"] }
              - { id: builders, effect: permit, principals: { groups: [builders] }, actions: [create, insert, select],
                  resources: ["s.*"] }
              - { id: loggers, effect: permit, principals: { groups: [loggers] }, actions: [call], resources: ["s.log_ddl"] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { groups: [pii-readers] } }
            """;

    private final PostgresCorpusDatabase postgres = new PostgresCorpusDatabase();
    private String policyPath;

    @BeforeAll
    void policy() throws Exception {
        Servers.ensurePostgresDatabase(DATABASE);
        policyPath = Servers.policyFile("event-trigger-code", POLICY);
    }

    @BeforeEach
    void fixture() throws SQLException {
        raw("DROP EVENT TRIGGER IF EXISTS copy_on_ddl");
        raw("DROP EVENT TRIGGER IF EXISTS log_on_ddl");
        raw("DROP SCHEMA IF EXISTS s CASCADE");
        raw("CREATE SCHEMA s");
        raw("CREATE TABLE s.customers (id int PRIMARY KEY, name text, ssn text)");
        raw("INSERT INTO s.customers VALUES (1, 'Ida', '" + SSN + "')");
        raw("CREATE TABLE s.pub (v text)");
        raw("CREATE TABLE s.ddl_log (tag text)");
    }

    @AfterEach
    void dropEventTriggers() throws SQLException {
        raw("DROP EVENT TRIGGER IF EXISTS copy_on_ddl");
        raw("DROP EVENT TRIGGER IF EXISTS log_on_ddl");
    }

    private Connection as(String groups) throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policyPath);
        p.setProperty("governed.principal", "erin");
        p.setProperty("governed.groups", groups);
        return postgres.governed(DATABASE, p);
    }

    private void raw(String sql) throws SQLException {
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void anEventTriggerCopyingMaskedValuesIsRefusedToAMaskedCallersDdl() throws SQLException {
        raw("CREATE FUNCTION s.copy_ssns() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " INSERT INTO s.pub (v) SELECT ssn FROM s.customers; END $$");
        raw("CREATE EVENT TRIGGER copy_on_ddl ON ddl_command_end EXECUTE FUNCTION s.copy_ssns()");
        for (String sql : new String[] {"CREATE TABLE s.scratch (id int)", "COMMENT ON TABLE s.customers IS 'people'"}) {
            try (Connection c = as("writers"); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("42501");
                    assertThat(e.getMessage()).contains("mask-ssn", "s.copy_ssns").doesNotContain(SSN);
                });
            }
            assertThat(postgres.rawColumn(DATABASE, "SELECT v FROM s.pub")).as(sql).isEmpty();
        }
        // a query or a write of rows fires no event trigger
        try (Connection c = as("writers"); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE s.customers SET name = 'Ines' WHERE id = 1")).isEqualTo(1);
        }
        // what the exempt's DDL does
        try (Connection c = as("writers,pii-readers"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE s.scratch (id int)");
        }
        assertThat(postgres.rawColumn(DATABASE, "SELECT v FROM s.pub")).containsExactly(SSN);
    }

    @Test
    void anEventTriggersFunctionIsACallThePolicyMustPermit() throws SQLException {
        raw("CREATE FUNCTION s.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " INSERT INTO s.ddl_log (tag) VALUES (TG_TAG); END $$");
        raw("CREATE EVENT TRIGGER log_on_ddl ON ddl_command_end EXECUTE FUNCTION s.log_ddl()");
        try (Connection c = as("builders"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("CREATE TABLE s.scratch (id int)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42501");
                        assertThat(e.getMessage()).contains("call on s.log_ddl, which the database runs for the"
                                + " statement's DDL");
                    });
        }
        assertThat(postgres.rawColumn(DATABASE, "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 's'"
                + " AND tablename = 'scratch'")).containsExactly("0");
        try (Connection c = as("builders,loggers"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE s.scratch (id int)");
        }
        assertThat(postgres.rawColumn(DATABASE, "SELECT tag FROM s.ddl_log")).containsExactly("CREATE TABLE");
    }
}
