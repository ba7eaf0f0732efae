package io.governed.jdbc.masking;

import io.governed.jdbc.masking.LaunderingFormsHarness.Expect;
import io.governed.jdbc.masking.LaunderingFormsHarness.Form;
import org.h2.api.Trigger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static io.governed.jdbc.masking.LaunderingFormsHarness.REFUSE;

/**
 * {@link LaunderingFormsHarness} on H2: aliases (Java source and a class's method) and triggers the agent creates,
 * constants and sequences started from a value, files, and the messages of failed conversions and duplicates.
 */
class H2LaunderingFormsTest {
    private static final Path FILE = Path.of(System.getProperty("java.io.tmpdir"), "lq_" + UUID.randomUUID() + ".csv");

    private static String sql(String template) {
        return template.replace("{F}", FILE.toString().replace('\\', '/'));
    }

    /** A trigger that writes the first SSN into the note of each row inserted. */
    public static final class CopySsn implements Trigger {
        @Override
        public void fire(Connection c, Object[] oldRow, Object[] newRow) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT ssn FROM lq_people WHERE id = 1")) {
                rs.next();
                newRow[1] = rs.getString(1);
            }
        }
    }

    /** An alias's method that reads the first SSN. */
    public static String readSsn(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT ssn FROM lq_people WHERE id = 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static JdbcDataSource source(String name) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        h2.setPassword("");
        return h2;
    }

    private static void fixture(Connection raw) throws SQLException {
        try (Statement s = raw.createStatement()) {
            LaunderingFormsHarness.sharedTables(s);
        }
    }

    private static String clearPlaces(Connection raw) throws SQLException {
        StringBuilder out = new StringBuilder();
        List<String> tables = new ArrayList<>();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM "
                + "INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        for (String t : tables) {
            List<String> columns = new ArrayList<>();
            try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COLUMN_NAME FROM "
                    + "INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = '" + t
                    + "' AND COLUMN_NAME <> 'SSN' ORDER BY ORDINAL_POSITION")) {
                while (rs.next()) {
                    columns.add('"' + rs.getString(1) + '"');
                }
            }
            if (!columns.isEmpty()) {
                out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT " + String.join(", ", columns) + " FROM \"" + t + '"'));
            }
        }
        out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT SEQUENCE_NAME, BASE_VALUE, START_VALUE FROM "
                + "INFORMATION_SCHEMA.SEQUENCES"));
        out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT CONSTANT_NAME, VALUE_DEFINITION FROM "
                + "INFORMATION_SCHEMA.CONSTANTS"));
        out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT TABLE_NAME, REMARKS FROM INFORMATION_SCHEMA.TABLES "
                + "WHERE TABLE_SCHEMA = 'PUBLIC'"));
        out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT COLUMN_NAME, COLUMN_DEFAULT FROM INFORMATION_SCHEMA.COLUMNS "
                + "WHERE TABLE_SCHEMA = 'PUBLIC'"));
        try {
            out.append(Files.exists(FILE) ? Files.readString(FILE) : "no file");
        } catch (IOException e) {
            out.append("file unreadable");
        }
        return out.toString();
    }

    private static final List<String> READ_BACKS = List.of(
            "SELECT * FROM lq_clear ORDER BY id", "SELECT * FROM lq_mid ORDER BY id", "SELECT * FROM lq_num ORDER BY id",
            "SELECT * FROM lq_copy", "SELECT lq_c", "SELECT CURRENT VALUE FOR lq_seq2", "SELECT @v",
            "SELECT name FROM lq_people ORDER BY id");

    static List<Form> forms() {
        return List.of(
                Form.of("alias of Java source reads the SSN, called", Expect.REFUSED,
                        REFUSE + "CREATE ALIAS lq_f AS $$ String f(java.sql.Connection c) throws Exception { "
                                + "java.sql.ResultSet r = c.createStatement().executeQuery("
                                + "\"SELECT ssn FROM lq_people WHERE id = 1\"); r.next(); return r.getString(1); } $$",
                        "SELECT lq_f()", "INSERT INTO lq_clear(id, note) VALUES (10, lq_f())"),
                Form.of("alias for a method that reads the SSN, called", Expect.REFUSED,
                        REFUSE + "CREATE ALIAS lq_g FOR '" + H2LaunderingFormsTest.class.getName() + ".readSsn'",
                        "SELECT lq_g()", "INSERT INTO lq_clear(id, note) VALUES (20, lq_g())"),
                Form.of("trigger class copies the SSN into a harmless insert", Expect.REFUSED,
                        REFUSE + "CREATE TRIGGER lq_t BEFORE INSERT ON lq_clear FOR EACH ROW CALL '"
                                + CopySsn.class.getName() + "'",
                        "INSERT INTO lq_clear(id, note) VALUES (30, 'harmless')"),
                Form.of("trigger of Java source copies the SSN into a harmless insert", Expect.REFUSED,
                        REFUSE + "CREATE TRIGGER lq_u BEFORE INSERT ON lq_clear FOR EACH ROW AS $$ "
                                + "org.h2.api.Trigger create() { return new org.h2.api.Trigger() { public void fire("
                                + "java.sql.Connection c, Object[] o, Object[] n) throws java.sql.SQLException { "
                                + "java.sql.ResultSet r = c.createStatement().executeQuery("
                                + "\"SELECT ssn FROM lq_people WHERE id = 1\"); r.next(); n[1] = r.getString(1); } }; } $$",
                        "INSERT INTO lq_clear(id, note) VALUES (40, 'harmless')"),
                Form.of("constant valued from the SSN", Expect.NO_LEAK,
                        "CREATE CONSTANT lq_c VALUE (SELECT ssn FROM lq_people WHERE id = 1)", "SELECT lq_c",
                        "INSERT INTO lq_clear(id, note) VALUES (50, lq_c)"),
                Form.of("sequence started from the SSN", Expect.NO_LEAK,
                        "CREATE SEQUENCE lq_seq2 START WITH (SELECT CAST(REPLACE(ssn, '-', '') AS BIGINT) FROM lq_people "
                                + "WHERE id = 1)",
                        "SELECT NEXT VALUE FOR lq_seq2"),
                Form.of("column default from the SSN", Expect.NO_LEAK,
                        "CREATE TABLE lq_copy(id INT, note VARCHAR(200) DEFAULT (SELECT ssn FROM lq_people WHERE id = 1))",
                        "INSERT INTO lq_copy(id) VALUES (1)"),
                Form.of("column default of a new table reads the SSN, a harmless insert fills it", Expect.REFUSED,
                        REFUSE + "CREATE TABLE lq_copy(id INT, note VARCHAR(200) DEFAULT "
                                + "(SELECT ssn FROM lq_people WHERE id = 1))",
                        "INSERT INTO lq_copy(id) VALUES (1)"),
                Form.of("column default of a new table reads a clear column", Expect.ALLOWED,
                        "CREATE TABLE lq_copy(id INT, note VARCHAR(200) DEFAULT (SELECT name FROM lq_people WHERE id = 1))",
                        "INSERT INTO lq_copy(id) VALUES (1)"),
                Form.of("column default on update of a new table reads the SSN", Expect.REFUSED,
                        REFUSE + "CREATE TABLE lq_copy(id INT, note VARCHAR(200) ON UPDATE "
                                + "(SELECT ssn FROM lq_people WHERE id = 1))",
                        "INSERT INTO lq_copy(id) VALUES (1)", "UPDATE lq_copy SET id = 2 WHERE id = 1"),
                Form.of("check of a new table compares with the SSN", Expect.REFUSED,
                        REFUSE + "CREATE TABLE lq_copy(id INT, note VARCHAR(200), "
                                + "CHECK (note <> (SELECT ssn FROM lq_people WHERE id = 1)))"),
                Form.of("column default set on a clear table reads the SSN", Expect.REFUSED,
                        REFUSE + "ALTER TABLE lq_clear ALTER COLUMN note SET DEFAULT "
                                + "(SELECT ssn FROM lq_people WHERE id = 1)",
                        "INSERT INTO lq_clear(id) VALUES (60)"),
                Form.of("column added to a clear table with a default reading the SSN", Expect.REFUSED,
                        REFUSE + "ALTER TABLE lq_clear ADD COLUMN extra VARCHAR(20) DEFAULT "
                                + "(SELECT ssn FROM lq_people WHERE id = 1)"),
                Form.of("CSVWRITE, SCRIPT TO and FILE_WRITE of the SSN", Expect.REFUSED,
                        REFUSE + sql("CALL CSVWRITE('{F}', 'SELECT ssn FROM lq_people')"),
                        REFUSE + sql("SCRIPT TO '{F}'"),
                        REFUSE + sql("SELECT FILE_WRITE(ssn, '{F}') FROM lq_people WHERE id = 1")),
                Form.of("cast of the SSN to an integer", Expect.REFUSED,
                        REFUSE + "SELECT CAST(ssn AS INT) FROM lq_people"),
                Form.of("the SSN into an integer column", Expect.REFUSED,
                        REFUSE + "INSERT INTO lq_num(id, n) SELECT id, ssn FROM lq_people"),
                Form.of("a write whose error reports the SSN", Expect.NO_LEAK,
                        "INSERT INTO lq_people(id, name, ssn) SELECT id + 10, name, ssn FROM lq_people",
                        "UPDATE lq_people SET ssn = (SELECT q.ssn FROM lq_people q WHERE q.id = 1) WHERE id = 2"),
                Form.of("a cast error of a clear column", Expect.NO_LEAK, "SELECT CAST(name AS INT) FROM lq_people"),
                Form.of("the masked column and clear copies", Expect.ALLOWED, "SELECT id, name, ssn FROM lq_people",
                        "INSERT INTO lq_clear(id, note) SELECT id + 100, name FROM lq_people"));
    }

    @TestFactory
    Stream<DynamicTest> noFormLeavesOrShowsTheSsnToAnAgentWhoMayNotRunCode() {
        return forms().stream().map(form -> DynamicTest.dynamicTest(form.name(), () -> {
            JdbcDataSource source = source("lq-" + UUID.randomUUID());
            try (Connection keep = source.getConnection()) {
                fixture(keep);
                try {
                    LaunderingFormsHarness.check(form, source, H2LaunderingFormsTest::clearPlaces, READ_BACKS);
                } finally {
                    try (Statement s = keep.createStatement()) {
                        s.execute("SHUTDOWN");
                    }
                    Files.deleteIfExists(FILE);
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> noFormLeavesOrShowsTheSsnToAnAgentWhoMayRunCode() {
        return forms().stream().map(form -> DynamicTest.dynamicTest(form.name(), () -> {
            JdbcDataSource source = source("lq-" + UUID.randomUUID());
            try (Connection keep = source.getConnection()) {
                fixture(keep);
                try {
                    LaunderingFormsHarness.check(form, source, H2LaunderingFormsTest::clearPlaces, READ_BACKS, true);
                } finally {
                    try (Statement s = keep.createStatement()) {
                        s.execute("SHUTDOWN");
                    }
                    Files.deleteIfExists(FILE);
                }
            }
        }));
    }
}
