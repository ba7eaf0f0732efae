package io.governed.jdbc.corpus;

import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a statement runs beyond its own text, through the driver against PostgreSQL: a {@code DO} block's code, judged as
 * the statement's own, and a write in a {@code COPY}'s query ({@code COPY (DELETE … RETURNING *) TO STDOUT}, which the
 * server runs before pgjdbc refuses the COPY), judged as that write. A caller permitted everything in schema {@code s}
 * under forbids of destructive DDL and unbounded writes dropped, emptied and wiped {@code s}' tables with either, which
 * only rules on {@code define-code} or {@code copy} saw. The database is checked through a raw connection after each
 * attempt.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRunsBeyondItsTextIT {
    private static final String DATABASE = "governed_do_blocks";
    private static final String POLICY = """
            version: 1
            default: deny
            rules:
              - { id: devs-everything-in-schema, effect: permit, principals: { groups: [devs] }, actions: ["*"], resources: ["s.*"] }
              - { id: no-destructive-ddl, effect: forbid, actions: [drop, truncate, alter], resources: ["*"], unless: { groups: [dba] } }
              - { id: no-unbounded-writes, effect: forbid, actions: [update, delete], when: { where: absent } }
            """;

    private final PostgresCorpusDatabase postgres = new PostgresCorpusDatabase();
    private final String sinkName = "do-blocks-" + UUID.randomUUID();
    private String policyPath;

    @BeforeAll
    void policy() throws Exception {
        Servers.ensurePostgresDatabase(DATABASE);
        policyPath = Servers.policyFile("do-blocks", POLICY);
    }

    @BeforeEach
    void fixture() throws SQLException {
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS s CASCADE");
            s.execute("CREATE SCHEMA s");
            s.execute("CREATE TABLE s.victim (id int PRIMARY KEY, v text)");
            s.execute("INSERT INTO s.victim VALUES (1, 'one'), (2, 'two')");
        }
        MemorySink.named(sinkName).clear();
    }

    private Connection dev() throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policyPath);
        p.setProperty("governed.principal", "dave");
        p.setProperty("governed.groups", "devs");
        p.setProperty("governed.audit", "memory:" + sinkName);
        return postgres.governed(DATABASE, p);
    }

    private List<String> rawRows() throws SQLException {
        return postgres.rawColumn(DATABASE, "SELECT id || ':' || v FROM s.victim ORDER BY id");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "DO $$ BEGIN DROP TABLE s.victim; END $$",
            "DO $$ BEGIN EXECUTE 'DROP TABLE s.victim'; END $$",
            "DO $$ BEGIN EXECUTE 'DELETE FROM s.victim'; END $$",
            "DO $$ BEGIN EXECUTE 'TRUNCATE s.victim'; END $$",
            "DO $$ BEGIN DELETE FROM s.victim; END $$",
            "do language plpgsql $body$ begin truncate s.victim; end $body$",
            "DO LANGUAGE plperl $$ spi_exec_query('DROP TABLE s.victim'); $$",
    })
    void codeThatAForbidCoversIsRefusedAndNothingChanges(String sql) throws SQLException {
        try (Connection c = dev(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            c.unwrap(GovernedConnection.class).governance().flushAudit();
        }
        assertThat(rawRows()).containsExactly("1:one", "2:two");
        assertThat(MemorySink.named(sinkName).events()).filteredOn(e -> e.decision() == AuditDecision.DENY)
                .singleElement().extracting(AuditEvent::principal).isEqualTo("dave");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "COPY (DELETE FROM s.victim RETURNING *) TO STDOUT",
            "COPY (UPDATE s.victim SET v = 'gone' RETURNING id) TO STDOUT",
            "COPY (WITH gone AS (DELETE FROM s.victim RETURNING *) SELECT * FROM gone) TO STDOUT",
    })
    void anUnboundedWriteInACopyIsRefusedAndNothingChanges(String sql) throws SQLException {
        codeThatAForbidCoversIsRefusedAndNothingChanges(sql);
    }

    @Test
    void codeThePermitsAllowRunsAndATextOfTheSameFingerprintIsJudgedByItsOwnCode() throws SQLException {
        try (Connection c = dev(); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN UPDATE s.victim SET v = 'changed' WHERE id = 1; END $$");
            assertThat(rawRows()).containsExactly("1:changed", "2:two");
            // the same fingerprint (its body is a literal), another body: judged by its own code, not the first's
            assertThatThrownBy(() -> s.execute("DO $$ BEGIN UPDATE s.victim SET v = 'changed'; END $$"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42501");
                        assertThat(e.getMessage()).contains("no-unbounded-writes");
                    });
            c.unwrap(GovernedConnection.class).governance().flushAudit(); // its events are this test's, not the next one's
        }
        assertThat(rawRows()).containsExactly("1:changed", "2:two");
    }
}
