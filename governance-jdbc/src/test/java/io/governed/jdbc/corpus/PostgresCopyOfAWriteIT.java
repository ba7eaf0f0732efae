package io.governed.jdbc.corpus;

import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code COPY (DELETE … RETURNING *) TO STDOUT} runs the write on the server before pgjdbc refuses the COPY (its
 * CopyManager is not reached through the governed connection): only the query's tables read counted, so a caller under
 * a forbid of unbounded writes emptied a table with it. The write is judged as itself now; the table is checked through
 * a raw connection after each attempt.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresCopyOfAWriteIT {
    private static final String DATABASE = "governed_copy_of_a_write";
    private static final String POLICY = """
            version: 1
            default: deny
            rules:
              - { id: devs-everything-in-schema, effect: permit, principals: { groups: [devs] }, actions: ["*"], resources: ["s.*"] }
              - { id: no-destructive-ddl, effect: forbid, actions: [drop, truncate, alter], resources: ["*"], unless: { groups: [dba] } }
              - { id: no-unbounded-writes, effect: forbid, actions: [update, delete], when: { where: absent } }
            """;

    private final PostgresCorpusDatabase postgres = new PostgresCorpusDatabase();
    private final String sinkName = "copy-of-a-write-" + UUID.randomUUID();
    private String policyPath;

    @BeforeAll
    void policy() throws Exception {
        Servers.ensurePostgresDatabase(DATABASE);
        Path policy = Files.createTempFile("copy-of-a-write", ".yaml");
        policy.toFile().deleteOnExit();
        Files.writeString(policy, POLICY);
        policyPath = policy.toString();
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
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT id || ':' || v FROM s.victim ORDER BY id")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "COPY (DELETE FROM s.victim RETURNING *) TO STDOUT",
            "COPY (UPDATE s.victim SET v = 'gone' RETURNING id) TO STDOUT",
            "COPY (WITH gone AS (DELETE FROM s.victim RETURNING *) SELECT * FROM gone) TO STDOUT",
    })
    void anUnboundedWriteInACopyIsRefusedAndNothingChanges(String sql) throws SQLException {
        try (Connection c = dev(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("no-unbounded-writes");
            });
            c.unwrap(GovernedConnection.class).governance().flushAudit();
        }
        assertThat(rawRows()).containsExactly("1:one", "2:two");
        assertThat(MemorySink.named(sinkName).events()).filteredOn(e -> e.decision() == AuditDecision.DENY)
                .singleElement().extracting(AuditEvent::principal).isEqualTo("dave");
    }
}
