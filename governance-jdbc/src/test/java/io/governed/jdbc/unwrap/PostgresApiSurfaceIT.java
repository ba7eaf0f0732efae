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
import javax.sql.rowset.FilteredRowSet;
import javax.sql.rowset.JoinRowSet;
import javax.sql.rowset.RowSetProvider;
import javax.sql.rowset.WebRowSet;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.sax.SAXSource;
import javax.xml.transform.stax.StAXSource;
import javax.xml.transform.stream.StreamSource;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * The JDBC API around a masked column on PostgreSQL, beyond the getters of a result: what the JDK builds on a governed
 * connection (cached, web, filtered and joined row sets, read and written back), every variant of a masked array's
 * getArray and getResultSet, every Source of a masked xml value, scrollable positioning, a database error a masked
 * caller provokes on purpose (a cast of the masked column, a duplicate key over it, a cast failing on a later fetch),
 * and serialising what a governed result hands out. Nothing read holds the masked value or a piece of it; writes are
 * checked through a raw connection.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresApiSurfaceIT {
    private static final String SCHEMA = UniqueNames.of("ajd_surface");
    private static final String SSN = "219-45-6789";
    private static final List<String> PIECES = List.of(SSN, "219-45", "45-6789", "2194", "456789");
    private static final String POLICY = """
            version: 1
            default: deny
            on-unparseable: deny
            classification:
              auto-detect: false
              tags:
                pii.ssn: ["*.ssn", "*.ssn_list", "*.ssn_doc"]
            rules:
              - { id: work, effect: permit, actions: [select, insert, update, delete, call] }
            masks:
              - { id: hide-ssn, columns: { tags: [pii.ssn] }, function: redact }
            """;
    private static Path policy;

    @BeforeAll
    static void schema() throws Exception {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
        }
        policy = Files.createTempFile("api-surface", ".yaml");
        Files.writeString(policy, POLICY);
    }

    @BeforeEach
    void rows() throws Exception {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + SCHEMA + ".people");
            s.execute("CREATE TABLE " + SCHEMA + ".people (id int PRIMARY KEY, name text, ssn text, ssn_list text[],"
                    + " ssn_doc xml, UNIQUE (ssn, name))");
            s.execute("INSERT INTO " + SCHEMA + ".people VALUES (1, 'a', '" + SSN + "', ARRAY['" + SSN + "', '" + SSN
                    + "'], '<s>" + SSN + "</s>'), (2, 'b', '" + SSN + "', ARRAY['" + SSN + "'], '<s>" + SSN + "</s>')");
        }
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        Files.deleteIfExists(policy);
    }

    private static Connection governed() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.POSTGRESQL.user());
        p.setProperty("password", TestDatabase.POSTGRESQL.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        return DriverManager.getConnection(TestDatabase.POSTGRESQL.governedUrl(), p);
    }

    private static String query() {
        return "SELECT id, name, ssn, ssn_list, ssn_doc FROM " + SCHEMA + ".people ORDER BY id";
    }

    private static void assertNoPiece(String what, Iterable<String> texts) {
        for (String text : texts) {
            for (String piece : PIECES) {
                assertThat(text).as("%s holds a piece of the masked value", what).doesNotContain(piece);
            }
        }
    }

    private static List<String> rawSsns() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ssn || '/' || name FROM " + SCHEMA + ".people ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Every getter of every column of every row of a row set, read after a beforeFirst. */
    private static List<String> everyGetter(ResultSet rs) throws SQLException {
        rs.beforeFirst();
        return EveryGetter.ofAllRows(rs);
    }

    @Test
    void rowSetsPopulatedFromAGovernedResultOrRunOnAGovernedConnectionHoldNoMaskedValue() throws Exception {
        List<String> texts = new ArrayList<>();
        try (Connection c = governed()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query())) {
                CachedRowSet cached = RowSetProvider.newFactory().createCachedRowSet();
                cached.populate(rs);
                texts.addAll(everyGetter(cached));
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                    out.writeObject(cached); // a cached row set is serialisable: what it holds is what was read
                } catch (java.io.NotSerializableException readerHeld) {
                    // it holds a value it cannot write (a reader): what was written so far is checked
                }
                texts.add(bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            CachedRowSet executed = RowSetProvider.newFactory().createCachedRowSet();
            executed.setCommand(query());
            executed.execute(c);
            texts.addAll(everyGetter(executed));
            texts.add(String.valueOf(executed.getOriginal() == null ? "" : EveryGetter.ofAllRows(executed.getOriginal())));

            WebRowSet web = RowSetProvider.newFactory().createWebRowSet();
            web.setCommand(query());
            web.execute(c);
            StringWriter xml = new StringWriter();
            web.writeXml(xml); // the original values are written as well as the current ones
            texts.add(xml.toString());

            FilteredRowSet filtered = RowSetProvider.newFactory().createFilteredRowSet();
            filtered.setCommand(query());
            filtered.execute(c);
            texts.addAll(everyGetter(filtered));

            JoinRowSet joined = RowSetProvider.newFactory().createJoinRowSet();
            CachedRowSet left = RowSetProvider.newFactory().createCachedRowSet();
            left.setCommand(query());
            left.execute(c);
            left.setMatchColumn("id");
            joined.addRowSet(left);
            texts.addAll(everyGetter(joined));
        }
        assertThat(texts).isNotEmpty();
        assertNoPiece("row sets", texts);
    }

    @Test
    void aCachedRowSetWrittenBackThroughAGovernedConnectionLeavesTheMaskedColumnAsItWas() throws Exception {
        List<String> texts = new ArrayList<>();
        try (Connection c = governed()) {
            c.setAutoCommit(false);
            CachedRowSet rows = RowSetProvider.newFactory().createCachedRowSet();
            rows.setCommand("SELECT id, name, ssn FROM " + SCHEMA + ".people ORDER BY id");
            rows.setKeyColumns(new int[]{1});
            rows.execute(c);
            rows.absolute(1);
            rows.updateString("name", "renamed");
            rows.updateRow();
            rows.absolute(2);
            rows.updateString("name", "renamed too");
            rows.updateRow();
            try {
                rows.acceptChanges(c);
            } catch (SQLException refusedOrConflict) {
                texts.addAll(ExceptionTexts.of(refusedOrConflict));
            }
            c.commit();
        }
        assertNoPiece("the write back's errors", texts);
        assertThat(rawSsns()).as("the masked column keeps its value whatever became of the names")
                .allSatisfy(row -> assertThat(row).startsWith(SSN + "/"));
    }

    @Test
    void everyVariantOfAMaskedArraysElementsIsMasked() throws Exception {
        List<String> texts = new ArrayList<>();
        try (Connection c = governed(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query())) {
            assertThat(rs.next()).isTrue();
            List<Array> arrays = new ArrayList<>();
            for (Read reach : List.<Read>of(() -> add(arrays, rs.getArray("ssn_list")),
                    () -> add(arrays, (Array) rs.getObject("ssn_list")),
                    () -> add(arrays, rs.getObject("ssn_list", Array.class)),
                    () -> add(arrays, rs.getArray(4)), () -> add(arrays, (Array) rs.getObject(4)))) {
                texts.add(read(reach)); // a refusal (42501) is as safe as a masked array
            }
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
        assertThat(texts).hasSizeGreaterThanOrEqualTo(5);
        assertNoPiece("a masked array", texts);
    }

    @Test
    void everySourceOfAMaskedXmlValueIsMasked() throws Exception {
        List<String> texts = new ArrayList<>();
        try (Connection c = governed(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query())) {
            assertThat(rs.next()).isTrue();
            List<Class<? extends javax.xml.transform.Source>> sources = List.of(DOMSource.class, SAXSource.class,
                    StAXSource.class, StreamSource.class);
            for (Class<? extends javax.xml.transform.Source> type : sources) {
                texts.add(read(() -> sourceText(rs.getSQLXML("ssn_doc").getSource(type))));
            }
            texts.add(read(() -> sourceText(rs.getSQLXML("ssn_doc").getSource(null))));
            texts.add(read(() -> EveryGetter.text(rs.getSQLXML("ssn_doc").getBinaryStream())));
            texts.add(read(() -> EveryGetter.text(rs.getSQLXML("ssn_doc").getCharacterStream())));
            texts.add(read(() -> rs.getSQLXML("ssn_doc").toString()));
            texts.add(read(() -> sourceText(rs.getObject("ssn_doc", SQLXML.class).getSource(DOMSource.class))));
            texts.add(read(() -> sourceText(rs.getSQLXML("ssn").getSource(StreamSource.class))));
        }
        assertNoPiece("a masked xml value", texts);
    }

    private static String add(List<Array> arrays, Array array) {
        if (array != null) {
            arrays.add(array);
        }
        return String.valueOf(array);
    }

    private static String sourceText(javax.xml.transform.Source source) throws Exception {
        if (source == null) {
            return "";
        }
        StringWriter out = new StringWriter();
        javax.xml.transform.TransformerFactory.newInstance().newTransformer()
                .transform(source, new javax.xml.transform.stream.StreamResult(out));
        return out.toString();
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
    void scrollingAMaskedResultBackAndForthReadsItMaskedAtEveryPosition() throws Exception {
        List<String> texts = new ArrayList<>();
        try (Connection c = governed();
             Statement s = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY);
             ResultSet rs = s.executeQuery(query())) {
            assertThat(rs.last()).isTrue();
            texts.addAll(EveryGetter.of(rs, 3, "ssn").values());
            assertThat(rs.previous()).isTrue();
            texts.addAll(EveryGetter.of(rs, 3, "ssn").values());
            assertThat(rs.absolute(-1)).isTrue();
            texts.addAll(EveryGetter.of(rs, 4, "ssn_list").values());
            assertThat(rs.relative(-1)).isTrue();
            texts.addAll(EveryGetter.of(rs, 5, "ssn_doc").values());
            rs.afterLast();
            while (rs.previous()) {
                texts.addAll(EveryGetter.of(rs, 3, "ssn").values());
            }
            assertThat(rs.first()).isTrue();
            texts.addAll(EveryGetter.of(rs, 3, "ssn").values());
        }
        assertThat(texts).isNotEmpty();
        assertNoPiece("a scrolled result", texts);
    }

    @Test
    void errorsAMaskedCallerProvokesOnPurposeCarryNoPieceOfTheValue() throws Exception {
        List<String> texts = new ArrayList<>();
        List<String> states = new ArrayList<>();
        List<String> provocations = List.of(
                "SELECT ssn::int FROM " + SCHEMA + ".people",
                "SELECT CAST(ssn AS numeric) FROM " + SCHEMA + ".people",
                "SELECT ssn_doc::text::date FROM " + SCHEMA + ".people",
                "SELECT (ssn_list[1])::int FROM " + SCHEMA + ".people",
                "UPDATE " + SCHEMA + ".people SET name = 'a' WHERE id = 2",
                "INSERT INTO " + SCHEMA + ".people (id, name, ssn) SELECT 3, name, ssn FROM " + SCHEMA + ".people WHERE id = 1");
        try (Connection c = governed()) {
            for (String sql : provocations) {
                try (Statement s = c.createStatement()) {
                    s.execute(sql);
                    texts.add("ran: " + sql);
                    texts.addAll(s.getResultSet() == null ? List.of() : EveryGetter.ofAllRows(s.getResultSet()));
                } catch (SQLException e) {
                    texts.addAll(ExceptionTexts.of(e));
                    states.add(e.getSQLState());
                    texts.add(serverDetail(e));
                }
                try (PreparedStatement p = c.prepareStatement(sql)) {
                    p.execute();
                } catch (SQLException e) {
                    texts.addAll(ExceptionTexts.of(e));
                    texts.add(serverDetail(e));
                }
            }
        }
        assertNoPiece("the errors", texts);
        assertThat(states).as("each provocation fails with a state of its own").doesNotContainNull();
        assertThat(rawSsns()).containsExactly(SSN + "/a", SSN + "/b");
    }

    @Test
    void aCastFailingOnALaterFetchOfACursorCarriesNoPieceOfTheValue() throws Exception {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + SCHEMA + ".people (id, name, ssn) SELECT g, 'n' || g, g::text"
                    + " FROM generate_series(3, 40) g");
            s.execute("UPDATE " + SCHEMA + ".people SET id = 100 WHERE id = 2");
        }
        List<String> texts = new ArrayList<>();
        int read = 0;
        try (Connection c = governed()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(2);
                try (ResultSet rs = s.executeQuery("SELECT ssn::int FROM " + SCHEMA + ".people WHERE id > 2 ORDER BY id")) {
                    while (rs.next()) {
                        read++;
                        texts.addAll(EveryGetter.of(rs, 1, "ssn").values());
                    }
                } catch (SQLException e) {
                    texts.addAll(ExceptionTexts.of(e));
                    texts.add(serverDetail(e));
                }
            }
            c.rollback();
            texts.addAll(ExceptionTexts.of(c.getWarnings() == null ? new SQLException() : c.getWarnings()));
        }
        assertNoPiece("a later fetch's error", texts);
    }

    /** What pgjdbc keeps of the server's error apart from the message (detail, hint, where), if the error is its own. */
    private static String serverDetail(SQLException e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.postgresql.util.PSQLException psql && psql.getServerErrorMessage() != null) {
                out.append(psql.getServerErrorMessage().toString()).append(' ')
                        .append(psql.getServerErrorMessage().getDetail()).append(' ')
                        .append(psql.getServerErrorMessage().getWhere());
            }
        }
        return out.toString();
    }

    @Test
    void generatedKeysOfWritesAfterAWithClauseHoldNoMaskedValue() throws Exception {
        List<String> texts = new ArrayList<>();
        List<String> writes = List.of(
                "WITH k AS (SELECT 1) UPDATE " + SCHEMA + ".people SET name = 'z' WHERE id = 1",
                "WITH k AS (SELECT 2 AS id) DELETE FROM " + SCHEMA + ".people WHERE id IN (SELECT id FROM k)",
                "WITH k AS (SELECT 5 AS id) INSERT INTO " + SCHEMA + ".people (id, name, ssn) SELECT id, 'n', 'x' FROM k",
                "WITH u AS (UPDATE " + SCHEMA + ".people SET name = 'y' WHERE id = 1 RETURNING id) SELECT id FROM u",
                "MERGE INTO " + SCHEMA + ".people p USING (SELECT 1 AS id) s ON p.id = s.id"
                        + " WHEN MATCHED THEN UPDATE SET name = 'm'");
        try (Connection c = governed()) {
            for (String sql : writes) {
                for (int way = 0; way < 4; way++) {
                    try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement r = raw.createStatement()) {
                        r.execute("INSERT INTO " + SCHEMA + ".people (id, name, ssn) VALUES (2, 'b', '" + SSN
                                + "') ON CONFLICT DO NOTHING");
                        r.execute("DELETE FROM " + SCHEMA + ".people WHERE id IN (5, 6)");
                    }
                    try {
                        Statement s;
                        switch (way) {
                            case 0 -> {
                                s = c.createStatement();
                                s.execute(sql, Statement.RETURN_GENERATED_KEYS);
                            }
                            case 1 -> {
                                s = c.createStatement();
                                s.executeUpdate(sql, new String[]{"ssn", "ssn_doc"});
                            }
                            case 2 -> {
                                PreparedStatement p = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
                                p.execute();
                                s = p;
                            }
                            default -> {
                                PreparedStatement p = c.prepareStatement(sql, new String[]{"ssn"});
                                p.executeUpdate();
                                s = p;
                            }
                        }
                        try (s; ResultSet keys = s.getGeneratedKeys()) {
                            texts.add("keys of way " + way);
                            texts.addAll(EveryGetter.ofAllRows(keys));
                        }
                    } catch (SQLException e) {
                        texts.addAll(ExceptionTexts.of(e));
                        texts.add(serverDetail(e));
                    }
                }
            }
        }
        assertThat(texts).as("some writes ran and handed keys out").anyMatch(t -> t.startsWith("keys of way"));
        assertThat(texts).as("the masked column read as keys").anyMatch(t -> t.contains(".ssn.getString="));
        assertNoPiece("generated keys", texts);
    }

    @Test
    void whatAGovernedResultHandsOutSerialisesNoMaskedValue() throws Exception {
        List<String> texts = new ArrayList<>();
        try (Connection c = governed(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query())) {
            assertThat(rs.next()).isTrue();
            for (String label : List.of("ssn", "ssn_list", "ssn_doc")) {
                for (Object value : new Object[]{rs.getObject(label), rs.getString(label)}) {
                    if (value == null) {
                        continue;
                    }
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                        out.writeObject(value);
                        texts.add(bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
                    } catch (java.io.NotSerializableException notSerialisable) {
                        texts.add(notSerialisable.getMessage());
                    }
                }
            }
            for (Object governedObject : List.of(c, s, rs, rs.getMetaData(), c.getMetaData())) {
                try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
                    out.writeObject(governedObject);
                    texts.add("serialised " + governedObject.getClass().getName());
                } catch (java.io.NotSerializableException expected) {
                    // a governed object is not serialisable
                }
            }
        }
        assertNoPiece("serialised values", texts);
        assertThat(texts).noneMatch(t -> t.startsWith("serialised "));
    }
}
