package io.governed.jdbc.unwrap;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetProvider;
import javax.sql.rowset.WebRowSet;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * The JDBC API around a masked column on H2 beyond a result's getters: errors a masked caller provokes on purpose,
 * whose H2 messages quote the values (a conversion, a duplicate key over the column), every getArray/getResultSet
 * variant of a masked array, row sets on a governed connection read and written back (checked through a raw
 * connection), scrolling. Nothing read holds the masked value or a piece of it.
 */
class H2ApiSurfaceTest {
    private static final String URL = "h2:mem:" + UniqueNames.of("ajd_surface") + ";DB_CLOSE_DELAY=-1";
    private static final String SSN = "219-45-6789";
    private static final List<String> PIECES = List.of(SSN, "219-45", "45-6789", "2194", "456789");
    private static final String POLICY = """
            version: 1
            default: deny
            on-unparseable: deny
            classification:
              auto-detect: false
              tags:
                pii.ssn: ["*.ssn", "*.ssn_list"]
            rules:
              - { id: work, effect: permit, actions: [select, insert, update, delete, call] }
            masks:
              - { id: hide-ssn, columns: { tags: [pii.ssn] }, function: redact }
            """;
    private Connection keeper;
    private Path policy;

    @BeforeEach
    void table() throws Exception {
        keeper = DriverManager.getConnection("jdbc:" + URL, "sa", "");
        try (Statement s = keeper.createStatement()) {
            s.execute("CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(20), n INT,"
                    + " ssn_list VARCHAR(20) ARRAY, UNIQUE (ssn, name))");
            s.execute("INSERT INTO people VALUES (1, 'a', '" + SSN + "', 1, ARRAY['" + SSN + "', '" + SSN + "']),"
                    + " (2, 'b', '" + SSN + "', 2, ARRAY['" + SSN + "'])");
        }
        policy = Files.createTempFile("api-surface", ".yaml");
        Files.writeString(policy, POLICY);
    }

    @AfterEach
    void drop() throws Exception {
        try (Statement s = keeper.createStatement()) {
            s.execute("DROP TABLE people");
        }
        keeper.close();
        Files.deleteIfExists(policy);
    }

    private Connection governed() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        return DriverManager.getConnection("jdbc:governed:" + URL, p);
    }

    private static void assertNoPiece(String what, Iterable<String> texts) {
        for (String text : texts) {
            for (String piece : PIECES) {
                assertThat(text).as("%s holds a piece of the masked value", what).doesNotContain(piece);
            }
        }
    }

    private List<String> rawRows() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = keeper.createStatement();
             ResultSet rs = s.executeQuery("SELECT ssn || '/' || name || '/' || n FROM people ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<String> warnings(SQLWarning first) {
        List<String> out = new ArrayList<>();
        for (SQLWarning w = first; w != null; w = w.getNextWarning()) {
            out.addAll(ExceptionTexts.of(w));
        }
        return out;
    }

    @Test
    void errorsAMaskedCallerProvokesOnPurposeCarryNoPieceOfTheValue() throws Exception {
        List<String> texts = new ArrayList<>();
        List<String> states = new ArrayList<>();
        List<String> provocations = List.of(
                "SELECT CAST(ssn AS INT) FROM people",
                "SELECT ssn + 0 FROM people",
                "SELECT CAST(ssn AS DATE) FROM people",
                "SELECT CAST(ssn_list[1] AS INT) FROM people",
                "SELECT id FROM people WHERE ssn = 1",
                "UPDATE people SET name = 'a' WHERE id = 2",
                "UPDATE people SET n = CAST(ssn AS INT) WHERE id = 1",
                "INSERT INTO people (id, name, ssn) SELECT 3, name, ssn FROM people WHERE id = 1");
        try (Connection c = governed()) {
            for (String sql : provocations) {
                for (boolean prepared : new boolean[]{false, true}) {
                    try (Statement s = prepared ? c.prepareStatement(sql) : c.createStatement()) {
                        boolean result = prepared ? ((PreparedStatement) s).execute() : s.execute(sql);
                        texts.add("ran: " + sql);
                        if (result) {
                            texts.addAll(EveryGetter.ofAllRows(s.getResultSet()));
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
        assertThat(states).isNotEmpty().doesNotContainNull();
        assertNoPiece("the errors", texts);
        assertThat(rawRows()).containsExactly(SSN + "/a/1", SSN + "/b/2");
    }

    @Test
    void everyVariantOfAMaskedArraysElementsIsMaskedOrRefused() throws Exception {
        List<String> texts = new ArrayList<>();
        try (Connection c = governed(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, ssn_list FROM people ORDER BY id")) {
            assertThat(rs.next()).isTrue();
            List<Array> arrays = new ArrayList<>();
            texts.add(read(() -> keep(arrays, rs.getArray(2))));
            texts.add(read(() -> keep(arrays, (Array) rs.getObject(2))));
            texts.add(read(() -> keep(arrays, rs.getObject(2, Array.class))));
            texts.add(read(() -> java.util.Arrays.deepToString(rs.getObject(2, Object[].class))));
            for (Array array : arrays) {
                texts.add(read(() -> java.util.Arrays.deepToString((Object[]) array.getArray())));
                texts.add(read(() -> java.util.Arrays.deepToString((Object[]) array.getArray(1, 2))));
                texts.add(read(() -> java.util.Arrays.deepToString((Object[]) array.getArray(Map.of()))));
                texts.add(read(() -> java.util.Arrays.deepToString((Object[]) array.getArray(2, 1, Map.of()))));
                texts.add(read(() -> String.join(",", EveryGetter.ofAllRows(array.getResultSet()))));
                texts.add(read(() -> String.join(",", EveryGetter.ofAllRows(array.getResultSet(1, 2)))));
                texts.add(read(() -> String.join(",", EveryGetter.ofAllRows(array.getResultSet(Map.of())))));
                texts.add(read(() -> String.join(",", EveryGetter.ofAllRows(array.getResultSet(2, 1, Map.of())))));
                texts.add(read(() -> array.toString()));
            }
        }
        assertNoPiece("a masked array", texts);
    }

    private static String keep(List<Array> arrays, Array array) {
        if (array != null) {
            arrays.add(array);
        }
        return String.valueOf(array);
    }

    @FunctionalInterface
    private interface Read {
        String get() throws Exception;
    }

    private static String read(Read read) {
        try {
            return read.get();
        } catch (Exception e) {
            return String.join(" | ", ExceptionTexts.of(e));
        }
    }

    @Test
    void rowSetsOnAGovernedConnectionHoldNoMaskedValueAndWriteNoneBack() throws Exception {
        List<String> texts = new ArrayList<>();
        try (Connection c = governed()) {
            CachedRowSet cached = RowSetProvider.newFactory().createCachedRowSet();
            cached.setCommand("SELECT id, name, ssn, ssn_list FROM people ORDER BY id");
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
