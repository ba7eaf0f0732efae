package io.governed.jdbc.it;

import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.wrapper.GovernedConnection;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Connector/J's own features through the governed driver, for a human a mask applies to: a masked column in the second
 * result of a multi-statement text, a refused text batched next to an allowed one under rewriteBatchedStatements, the
 * warnings of a comparison that converts masked values, server-side prepared statements and a procedure's result
 * sets. Outcomes are read through a raw connection.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbDriverFeaturesHoldIT {
    private static final String SSN = "219-45-6789";
    private final String table = UniqueNames.of("feat_acc");
    private final String proc = UniqueNames.of("feat_proc");
    private final String sink = UniqueNames.of("feat_sink");

    @TempDir
    Path dir;
    private Path policy;

    @BeforeEach
    void fixture() throws Exception {
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                classification:
                  tags:
                    pii.ssn: ["*.ssn"]
                rules:
                  - { id: work, effect: permit, actions: [select, insert, update, delete, call] }
                  - { id: bounded, effect: forbid, actions: [update, delete], when: { where: absent } }
                masks:
                  - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4 }
                """);
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, owner VARCHAR(20), ssn VARCHAR(11))");
            s.execute("INSERT INTO " + table + " VALUES (1, 'ada', '" + SSN + "'), (2, 'bob', '321-54-9876')");
            s.execute("CREATE PROCEDURE " + proc + "() BEGIN SELECT id FROM " + table + "; SELECT ssn FROM " + table + "; END");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("DROP PROCEDURE IF EXISTS " + proc);
        }
        MemorySink.named(sink).clear();
    }

    private Connection governed(String urlSuffix) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.MARIADB.user());
        p.setProperty("password", TestDatabase.MARIADB.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "hana");
        p.setProperty("governed.kind", "human");
        p.setProperty("governed.audit", "memory:" + sink);
        return DriverManager.getConnection(TestDatabase.MARIADB.governedUrl() + urlSuffix, p);
    }

    private String rawOwner(int id) throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT owner FROM " + table + " WHERE id = " + id)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void theSecondResultOfAMultiStatementTextIsMasked() throws SQLException {
        try (Connection c = governed(""); Statement s = c.createStatement()) {
            assertThat(s.execute("UPDATE " + table + " SET owner = 'x' WHERE id = 1; SELECT ssn FROM " + table + " ORDER BY id")).isFalse();
            assertThat(s.getUpdateCount()).isEqualTo(1);
            assertThat(s.getMoreResults()).isTrue();
            try (ResultSet rs = s.getResultSet()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("*******6789");
                assertThat(rs.getObject(1)).isEqualTo("*******6789");
            }
        }
    }

    @Test
    void aRefusedTextIsRefusedWhenBatchedUnderRewriteAndNeverRuns() throws SQLException {
        try (Connection c = governed("&rewriteBatchedStatements=true"); Statement s = c.createStatement()) {
            s.addBatch("UPDATE " + table + " SET owner = 'b1' WHERE id = 1");
            assertThatThrownBy(() -> s.addBatch("DELETE FROM " + table)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            assertThat(s.executeBatch()).containsExactly(1);
            c.unwrap(GovernedConnection.class).governance().flushAudit();
        }
        assertThat(rawOwner(1)).isEqualTo("b1");
        assertThat(rawOwner(2)).isEqualTo("bob");
        List<AuditEvent> events = MemorySink.named(sink).events();
        assertThat(events).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("delete");
            assertThat(e.decision()).isEqualTo(AuditDecision.DENY);
            assertThat(e.principal()).isEqualTo("hana");
        });
        assertThat(events).filteredOn(e -> e.decision() == AuditDecision.ALLOW).extracting(AuditEvent::action).containsExactly("update");
    }

    @Test
    void aBatchThatFailsInTheMiddleIsAuditedEntryByEntry() throws SQLException {
        try (Connection c = governed(""); Statement s = c.createStatement()) {
            s.addBatch("UPDATE " + table + " SET owner = 'f1' WHERE id = 1");
            s.addBatch("INSERT INTO " + table + " (id, owner) VALUES (1, 'dup')");
            assertThatThrownBy(s::executeBatch).isInstanceOf(java.sql.BatchUpdateException.class);
            c.unwrap(GovernedConnection.class).governance().flushAudit();
        }
        List<AuditEvent> events = MemorySink.named(sink).events();
        assertThat(events).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("update");
            assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
            assertThat(e.rows()).isEqualTo(1L);
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("insert");
            assertThat(e.decision()).isEqualTo(AuditDecision.ERROR);
            assertThat(e.error().message()).doesNotContain("dup").doesNotContain("'1'");
        });
        assertThat(rawOwner(1)).isEqualTo("f1");
    }

    @Test
    void warningsOfAConversionOfMaskedValuesQuoteNoValue() throws SQLException {
        try (Connection c = governed(""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM " + table + " WHERE ssn = 0")) {
            while (rs.next()) {
                // drain
            }
            List<String> texts = new ArrayList<>();
            for (SQLWarning w : new SQLWarning[]{s.getWarnings(), rs.getWarnings(), c.getWarnings()}) {
                for (SQLWarning x = w; x != null; x = x.getNextWarning()) {
                    texts.add(x.getMessage());
                }
            }
            assertThat(texts).isNotEmpty().allSatisfy(t -> assertThat(t).doesNotContain("45-6789").doesNotContain("54-9876"));
        }
    }

    @Test
    void serverPreparedStatementsMask() throws SQLException {
        try (Connection c = governed("&useServerPrepStmts=true");
             PreparedStatement ps = c.prepareStatement("SELECT ssn FROM " + table + " WHERE id = ?")) {
            ps.setInt(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("*******6789");
                assertThat(new String(rs.getBytes(1))).isEqualTo("*******6789");
            }
        }
    }

    @Test
    void aProceduresResultSetsShowNoMaskedValueInClear() throws SQLException {
        try (Connection c = governed(""); CallableStatement cs = c.prepareCall("{call " + proc + "()}")) {
            cs.execute();
            List<String> values = new ArrayList<>();
            do {
                ResultSet rs = cs.getResultSet();
                if (rs != null) {
                    while (rs.next()) {
                        values.add(rs.getString(1));
                    }
                }
            } while (cs.getMoreResults() || cs.getUpdateCount() != -1);
            assertThat(values).isNotEmpty().noneMatch(v -> v.equals(SSN) || v.equals("321-54-9876"));
        }
    }
}
