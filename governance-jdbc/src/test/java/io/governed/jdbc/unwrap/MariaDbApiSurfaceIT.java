package io.governed.jdbc.unwrap;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetProvider;
import javax.sql.rowset.WebRowSet;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

/*
 * The JDBC API around a masked column on MariaDB beyond a result's getters: the warnings MariaDB raises when a masked
 * caller converts the column on purpose (Truncated incorrect INTEGER value: '…'), read from the statement, the result,
 * the connection and a prepared statement; errors provoked on purpose (a duplicate key over the column, a strict-mode
 * conversion in a write); row sets on a governed connection, read and written back (checked through a raw
 * connection); scrolling back and forth. Nothing read holds the masked value or a piece of it.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbApiSurfaceIT {
    private static final String DB = UniqueNames.of("ajd_surface");
    private static final String SSN = "219-45-6789";
    private static final List<String> PIECES = List.of(SSN, "219-45", "45-6789", "2194", "456789");
    private static final String POLICY = """
            version: 1
            default: deny
            on-unparseable: deny
            classification:
              auto-detect: false
              tags:
                pii.ssn: ["*.ssn"]
            rules:
              - { id: work, effect: permit, actions: [select, insert, update, delete, call] }
            masks:
              - { id: hide-ssn, columns: { tags: [pii.ssn] }, function: redact }
            """;
    private static Path policy;

    @BeforeAll
    static void database() throws Exception {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DB);
        }
        policy = Files.createTempFile("api-surface", ".yaml");
        Files.writeString(policy, POLICY);
    }

    @BeforeEach
    void rows() throws Exception {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + DB + ".people");
            s.execute("CREATE TABLE " + DB + ".people (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(20),"
                    + " n INT, UNIQUE KEY pair (ssn, name))");
            s.execute("INSERT INTO " + DB + ".people VALUES (1, 'a', '" + SSN + "', 1), (2, 'b', '" + SSN + "', 2)");
        }
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB);
        }
        Files.deleteIfExists(policy);
    }

    private static Connection governed() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.MARIADB.user());
        p.setProperty("password", TestDatabase.MARIADB.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        return DriverManager.getConnection("jdbc:governed:mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000", p);
    }

    private static void assertNoPiece(String what, Iterable<String> texts) {
        for (String text : texts) {
            for (String piece : PIECES) {
                assertThat(text).as("%s holds a piece of the masked value", what).doesNotContain(piece);
            }
        }
    }

    private static List<String> warnings(SQLWarning first) {
        List<String> out = new ArrayList<>();
        int guard = 0;
        for (SQLWarning w = first; w != null && guard++ < 100; w = w.getNextWarning()) {
            out.addAll(ExceptionTexts.of(w));
        }
        return out;
    }

    private static List<String> rawRows() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CONCAT(ssn, '/', name, '/', n) FROM " + DB + ".people ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void warningsOfConversionsAMaskedCallerMakesOnPurposeCarryNoPieceOfTheValue() throws Exception {
        List<String> texts = new ArrayList<>();
        List<String> provocations = List.of(
                "SELECT CAST(ssn AS SIGNED) FROM people",
                "SELECT ssn + 0 FROM people",
                "SELECT id FROM people WHERE ssn = 219",
                "SELECT CAST(ssn AS DATE) FROM people",
                "UPDATE people SET n = n + 1 WHERE ssn > 0");
        try (Connection c = governed()) {
            for (String sql : provocations) {
                try (Statement s = c.createStatement()) {
                    boolean result = s.execute(sql);
                    texts.add("ran: " + sql);
                    if (result) {
                        try (ResultSet rs = s.getResultSet()) {
                            texts.addAll(warnings(rs.getWarnings()));
                            texts.addAll(EveryGetter.ofAllRows(rs));
                            texts.addAll(warnings(rs.getWarnings()));
                        }
                    }
                    texts.addAll(warnings(s.getWarnings()));
                } catch (SQLException e) {
                    texts.addAll(ExceptionTexts.of(e));
                }
                texts.addAll(warnings(c.getWarnings()));
                try (PreparedStatement p = c.prepareStatement(sql)) {
                    if (p.execute()) {
                        try (ResultSet rs = p.getResultSet()) {
                            texts.addAll(EveryGetter.ofAllRows(rs));
                            texts.addAll(warnings(rs.getWarnings()));
                        }
                    }
                    texts.addAll(warnings(p.getWarnings()));
                } catch (SQLException e) {
                    texts.addAll(ExceptionTexts.of(e));
                }
                texts.addAll(warnings(c.getWarnings()));
            }
        }
        assertThat(texts).as("some conversions ran").anyMatch(t -> t.startsWith("ran: "));
        assertNoPiece("the warnings", texts);
    }

    @Test
    void errorsAMaskedCallerProvokesOnPurposeCarryNoPieceOfTheValue() throws Exception {
        List<String> texts = new ArrayList<>();
        List<String> states = new ArrayList<>();
        List<String> provocations = List.of(
                "UPDATE people SET name = 'a' WHERE id = 2",
                "INSERT INTO people (id, name, ssn) SELECT 3, name, ssn FROM people WHERE id = 1",
                "UPDATE people SET n = CAST(ssn AS SIGNED) WHERE id = 1");
        try (Connection c = governed()) {
            for (String sql : provocations) {
                for (boolean prepared : new boolean[]{false, true}) {
                    try (Statement s = prepared ? c.prepareStatement(sql) : c.createStatement()) {
                        if (prepared) {
                            ((PreparedStatement) s).execute();
                        } else {
                            s.execute(sql);
                        }
                        texts.addAll(warnings(s.getWarnings()));
                    } catch (SQLException e) {
                        texts.addAll(ExceptionTexts.of(e));
                        states.add(e.getSQLState());
                    }
                    texts.addAll(warnings(c.getWarnings()));
                }
            }
        }
        assertNoPiece("the errors", texts);
        assertThat(states).doesNotContainNull();
        assertThat(rawRows()).containsExactly(SSN + "/a/1", SSN + "/b/2");
    }

    @Test
    void rowSetsOnAGovernedConnectionHoldNoMaskedValueAndWriteNoneBack() throws Exception {
        List<String> texts = new ArrayList<>();
        try (Connection c = governed()) {
            CachedRowSet cached = RowSetProvider.newFactory().createCachedRowSet();
            cached.setCommand("SELECT id, name, ssn FROM people ORDER BY id");
            cached.execute(c);
            texts.addAll(EveryGetter.ofAllRows(cached));
            WebRowSet web = RowSetProvider.newFactory().createWebRowSet();
            web.setCommand("SELECT id, name, ssn FROM people ORDER BY id");
            web.execute(c);
            StringWriter xml = new StringWriter();
            web.writeXml(xml);
            texts.add(xml.toString());

            c.setAutoCommit(false);
            CachedRowSet rows = RowSetProvider.newFactory().createCachedRowSet();
            rows.setCommand("SELECT id, name, ssn FROM people ORDER BY id");
            rows.setKeyColumns(new int[]{1});
            rows.execute(c);
            rows.absolute(1);
            rows.updateString("name", "renamed");
            rows.updateRow();
            try {
                rows.acceptChanges(c);
            } catch (SQLException refusedOrConflict) {
                texts.addAll(ExceptionTexts.of(refusedOrConflict));
            }
            c.commit();
        }
        assertThat(texts).isNotEmpty();
        assertNoPiece("row sets", texts);
        assertThat(rawRows()).allSatisfy(row -> assertThat(row).startsWith(SSN + "/"));
    }

    @Test
    void scrollingAMaskedResultBackAndForthReadsItMaskedAtEveryPosition() throws Exception {
        List<String> texts = new ArrayList<>();
        try (Connection c = governed();
             Statement s = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY);
             ResultSet rs = s.executeQuery("SELECT id, name, ssn FROM people ORDER BY id")) {
            assertThat(rs.last()).isTrue();
            texts.addAll(EveryGetter.of(rs, 3, "ssn").values());
            assertThat(rs.previous()).isTrue();
            texts.addAll(EveryGetter.of(rs, 3, "ssn").values());
            assertThat(rs.absolute(-1)).isTrue();
            texts.addAll(EveryGetter.of(rs, 3, "ssn").values());
            rs.afterLast();
            while (rs.previous()) {
                texts.addAll(EveryGetter.of(rs, 3, "ssn").values());
            }
        }
        assertThat(texts).isNotEmpty();
        assertNoPiece("a scrolled result", texts);
    }
}
