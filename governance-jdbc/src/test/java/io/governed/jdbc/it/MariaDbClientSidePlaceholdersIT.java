package io.governed.jdbc.it;

import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MariaDB Connector/J prepares statements in the client unless told otherwise: it finds the {@code ?} itself and writes
 * each value into the text as a quoted literal. Its parser reads an executable {@code /*! … *}{@code /} comment as a
 * comment, where the server (and the analysis) read code: a {@code ?} between quotes inside such a comment is a
 * string's character to the server and a marker to the driver, whose quoted value then ends the server's string and
 * runs as SQL no one checked. Such texts are refused; markers the driver and the server agree on still work, read
 * through a raw connection afterwards.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbClientSidePlaceholdersIT {
    private static final String SSN = "219-45-6789";
    private final String table = UniqueNames.of("csp_acc");
    private final String sink = UniqueNames.of("csp_sink");

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
                  - { id: work, effect: permit, actions: [select, insert, update, delete] }
                  - { id: bounded, effect: forbid, actions: [update, delete], when: { where: absent } }
                masks:
                  - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4 }
                """);
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, owner VARCHAR(20), ssn VARCHAR(11))");
            s.execute("INSERT INTO " + table + " VALUES (1, 'ada', '" + SSN + "'), (2, 'bob', '321-54-9876')");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
        MemorySink.named(sink).clear();
    }

    private Connection governed() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.MARIADB.user());
        p.setProperty("password", TestDatabase.MARIADB.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "hana");
        p.setProperty("governed.kind", "human");
        p.setProperty("governed.audit", "memory:" + sink);
        return DriverManager.getConnection(TestDatabase.MARIADB.governedUrl(), p);
    }

    private int rawRows() throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Every value of every row of the statement's results, as strings. */
    private static List<String> run(PreparedStatement ps) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getString(i));
                    values.add(String.valueOf(rs.getObject(i)));
                }
            }
        }
        return values;
    }

    @Test
    void aValueTheDriverWritesIntoAStringOfAnExecutableCommentIsRefused() throws SQLException {
        String sql = "SELECT id /*! , '*/ , ? , ' */ FROM " + table + " WHERE id = 1";
        try (Connection c = governed()) {
            List<String> seen = new ArrayList<>();
            assertThatThrownBy(() -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, ", ssn AS s,");
                    seen.addAll(run(ps));
                }
            }).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("Connector/J").doesNotContain(SSN);
            });
            assertThat(seen).noneMatch(v -> v.contains(SSN));
            c.unwrap(GovernedConnection.class).governance().flushAudit();
        }
        List<AuditEvent> events = MemorySink.named(sink).events();
        assertThat(events).anySatisfy(e -> assertThat(e.decision()).isEqualTo(AuditDecision.DENY));
        assertThat(events.toString()).doesNotContain(SSN);
    }

    @Test
    void aBoundedDeleteTheDriversValueWouldUnboundIsRefusedAndDeletesNothing() throws SQLException {
        String sql = "DELETE FROM " + table + " WHERE id = 1 /*! + '*/ + ? + ' */";
        try (Connection c = governed()) {
            assertThatThrownBy(() -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, "+ 0 OR 1 = 1 OR");
                    ps.executeUpdate();
                }
            }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        }
        assertThat(rawRows()).isEqualTo(2);
    }

    @Test
    void aMarkerAfterAStatementThatSwitchesBackslashEscapesIsRefusedAndDeletesNothing() throws Exception {
        // a policy that lets the session set sql_mode: the driver escapes the value for the mode in force when the text is
        // sent (NO_BACKSLASH_ESCAPES, so it only doubles the quote), the SET before the DELETE switches it off, and the
        // server reads \'' as an escaped quote and a closing one: OR 1=1 runs
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: work, effect: permit, actions: [select, insert, update, delete] }
                  - { id: modes, effect: permit, actions: [set], when: { traits: [unlisted-setting] } }
                  - { id: bounded, effect: forbid, actions: [update, delete], when: { where: absent } }
                """);
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.MARIADB.user());
        p.setProperty("password", TestDatabase.MARIADB.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "svc");
        p.setProperty("governed.kind", "service");
        try (Connection c = DriverManager.getConnection(TestDatabase.MARIADB.governedUrl(), p)) {
            try (Statement s = c.createStatement()) {
                s.execute("SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'");
            }
            assertThatThrownBy(() -> {
                try (PreparedStatement ps = c.prepareStatement("SET SESSION sql_mode = ''; DELETE FROM " + table
                        + " WHERE owner = ?")) {
                    ps.setString(1, "\\' OR 1=1 #");
                    ps.execute();
                    while (ps.getMoreResults() || ps.getUpdateCount() != -1) {
                        // every result, so that each statement runs
                    }
                }
            }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        }
        assertThat(rawRows()).isEqualTo(2);
    }

    @Test
    void markersTheDriverAndTheServerAgreeOnStillRun() throws SQLException {
        try (Connection c = governed()) {
            // a ? in a string, a quoted name and comments of every kind, a -- without a space (arithmetic there), and the marker
            try (PreparedStatement ps = c.prepareStatement("SELECT id--?, '?', `?x` /* ? ' */ FROM (SELECT id, 1 AS `?x` FROM "
                    + table + ") t WHERE id = ? # it's ?\n -- what's ?\n")) {
                ps.setInt(1, 5);
                ps.setString(2, "1");
                assertThat(run(ps)).containsExactly("6", "6", "?", "?", "1", "1");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT ssn /*! , 'a' */ FROM " + table + " WHERE id = ?")) {
                ps.setInt(1, 1);
                assertThat(run(ps)).containsExactly("*******6789", "*******6789", "a", "a");
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id = ? AND owner <> 'it''s ?'")) {
                ps.setInt(1, 2);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
        assertThat(rawRows()).isEqualTo(1);
    }
}
