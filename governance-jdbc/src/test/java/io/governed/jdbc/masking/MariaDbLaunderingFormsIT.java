package io.governed.jdbc.masking;

import io.governed.jdbc.masking.LaunderingFormsHarness.Expect;
import io.governed.jdbc.masking.LaunderingFormsHarness.Form;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mariadb.jdbc.MariaDbDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.governed.jdbc.masking.LaunderingFormsHarness.REFUSE;

/**
 * {@link LaunderingFormsHarness} on MariaDB: {@code PREPARE … FROM}, {@code EXECUTE … USING}, {@code EXECUTE
 * IMMEDIATE}, procedures, functions, triggers, events and compound statements the agent creates, files, user and
 * session variables, named locks, {@code CREATE TABLE … SELECT}, {@code ON DUPLICATE KEY UPDATE}, {@code SIGNAL} and
 * the messages of failed conversions.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("MariaDB USE of another database, MariaDB events, databases")
class MariaDbLaunderingFormsIT {
    private static final String DB = UniqueNames.of("lq_ma");
    private static final String FILE = "/tmp/" + DB + ".txt";

    private static String sql(String template) {
        return template.replace("{D}", DB).replace("{F}", FILE);
    }

    private static DataSource source() {
        try {
            MariaDbDataSource maria = new MariaDbDataSource();
            maria.setUrl(TestDatabase.MARIADB.rawUrl(DB));
            maria.setUser(TestDatabase.MARIADB.user());
            maria.setPassword(TestDatabase.MARIADB.password());
            return maria;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void fixture() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB);
            s.execute("CREATE DATABASE " + DB);
            s.execute("USE " + DB);
            LaunderingFormsHarness.sharedTables(s);
        }
    }

    void drop() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB);
        }
    }

    /** Tables and their clear columns, the sequence, code and its definitions, comments, the file, named locks. */
    private String clearPlaces(Connection raw) throws SQLException {
        StringBuilder out = new StringBuilder();
        List<String> tables = new ArrayList<>();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT table_name FROM "
                + "information_schema.tables WHERE table_schema = '" + DB + "' AND table_type <> 'SEQUENCE' ORDER BY 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        for (String t : tables) {
            List<String> columns = new ArrayList<>();
            try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT column_name FROM "
                    + "information_schema.columns WHERE table_schema = '" + DB + "' AND table_name = '" + t
                    + "' AND column_name <> 'ssn' ORDER BY ordinal_position")) {
                while (rs.next()) {
                    columns.add('`' + rs.getString(1) + '`');
                }
            }
            if (!columns.isEmpty()) {
                out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT " + String.join(", ", columns) + " FROM "
                        + DB + ".`" + t + "`"));
            }
        }
        out.append(LaunderingFormsHarness.rowsOf(raw, sql("SELECT next_not_cached_value FROM {D}.lq_seq")));
        out.append(LaunderingFormsHarness.rowsOf(raw, sql("SELECT table_name, table_comment FROM information_schema.tables "
                + "WHERE table_schema = '{D}'")));
        out.append(LaunderingFormsHarness.rowsOf(raw, sql("SELECT routine_name, routine_definition FROM "
                + "information_schema.routines WHERE routine_schema = '{D}'")));
        out.append(LaunderingFormsHarness.rowsOf(raw, sql("SELECT trigger_name, action_statement FROM "
                + "information_schema.triggers WHERE trigger_schema = '{D}'")));
        out.append(LaunderingFormsHarness.rowsOf(raw, sql("SELECT event_name, event_definition FROM "
                + "information_schema.events WHERE event_schema = '{D}'")));
        out.append(LaunderingFormsHarness.rowsOf(raw, sql("SELECT LOAD_FILE('{F}')")));
        // a named lock keyed by the SSN: every session probes it with IS_USED_LOCK of a guess
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(sql(
                "SELECT ssn FROM {D}.lq_people WHERE IS_USED_LOCK(ssn) IS NOT NULL "
                        + "OR IS_USED_LOCK(REPLACE(ssn, '-', '')) IS NOT NULL"))) {
            while (rs.next()) {
                out.append("a named lock keyed by ").append(rs.getString(1)).append('\n');
            }
        } catch (SQLException e) {
            out.append("no people: ").append(e.getSQLState()).append('\n');
        }
        return out.toString();
    }

    private static final List<String> READ_BACKS = List.of(
            "SELECT * FROM lq_clear ORDER BY id", "SELECT * FROM lq_mid ORDER BY id", "SELECT * FROM lq_num ORDER BY id",
            "SELECT * FROM lq_copy", "SELECT @v, @q, @x, @m", "SELECT @@group_concat_max_len, @@max_join_size",
            "SELECT @@sql_select_limit", "SELECT name FROM lq_people ORDER BY id");

    static List<Form> forms() {
        return List.of(
                // ---- statements prepared by name
                Form.of("PREPARE FROM a text querying the SSN, EXECUTE", Expect.NO_LEAK,
                        "PREPARE lq_s FROM 'SELECT id, ssn FROM lq_people'", "EXECUTE lq_s"),
                Form.of("PREPARE FROM a variable built to query the SSN, EXECUTE", Expect.NO_LEAK,
                        "SET @q = CONCAT('SELECT id, ', 'ssn FROM lq_people')", "PREPARE lq_s FROM @q", "EXECUTE lq_s"),
                Form.of("PREPARE an insert select of the SSN, EXECUTE USING", Expect.NO_LEAK, "SET @x = 10",
                        "PREPARE lq_s FROM 'INSERT INTO lq_clear(id, note) SELECT id + ?, ssn FROM lq_people'",
                        "EXECUTE lq_s USING @x"),
                Form.of("PREPARE an insert select of the SSN, EXECUTE", Expect.REFUSED,
                        REFUSE + "PREPARE lq_s FROM 'INSERT INTO lq_clear(id, note) SELECT id + 30, ssn FROM lq_people'",
                        REFUSE + "EXECUTE lq_s"),
                Form.of("PREPARE FROM a variable built to copy the SSN, EXECUTE", Expect.REFUSED,
                        "SET @q = CONCAT('INSERT INTO lq_clear(id, note) SELECT id + 40, ', 'ssn FROM lq_people')",
                        REFUSE + "PREPARE lq_s FROM @q", REFUSE + "EXECUTE lq_s"),
                Form.of("PREPARE an insert, EXECUTE USING a variable holding the SSN", Expect.NO_LEAK,
                        "SET @v = (SELECT ssn FROM lq_people WHERE id = 1)",
                        "PREPARE lq_s FROM 'INSERT INTO lq_clear(id, note) VALUES (12, ?)'", "EXECUTE lq_s USING @v"),
                Form.of("EXECUTE IMMEDIATE of a copy of the SSN", Expect.REFUSED,
                        REFUSE + "EXECUTE IMMEDIATE 'INSERT INTO lq_clear(id, note) SELECT id + 14, ssn FROM lq_people'",
                        REFUSE + "EXECUTE IMMEDIATE CONCAT('SELECT ', 'ssn FROM lq_people')"),
                // ---- code the agent creates or runs
                Form.of("procedure copies the SSN, CALL", Expect.NO_LEAK,
                        "CREATE PROCEDURE lq_pr() INSERT INTO lq_clear(id, note) SELECT id + 20, ssn FROM lq_people",
                        "CALL lq_pr()"),
                Form.of("function reads the SSN, called", Expect.NO_LEAK,
                        "CREATE FUNCTION lq_f() RETURNS VARCHAR(20) READS SQL DATA "
                                + "RETURN (SELECT ssn FROM lq_people WHERE id = 1)",
                        "SELECT lq_f()", "INSERT INTO lq_clear(id, note) VALUES (30, lq_f())"),
                Form.of("trigger copies the SSN into a harmless insert", Expect.NO_LEAK,
                        "CREATE TRIGGER lq_t BEFORE INSERT ON lq_clear FOR EACH ROW "
                                + "SET NEW.note = (SELECT ssn FROM lq_people WHERE id = 1)",
                        "INSERT INTO lq_clear(id, note) VALUES (40, 'harmless')"),
                Form.of("event copies the SSN", Expect.REFUSED,
                        REFUSE + "CREATE EVENT lq_ev ON SCHEDULE AT CURRENT_TIMESTAMP DO "
                                + "INSERT INTO lq_clear(id, note) SELECT id + 50, ssn FROM lq_people"),
                Form.of("compound statement copies the SSN", Expect.REFUSED,
                        REFUSE + "BEGIN NOT ATOMIC DECLARE v VARCHAR(20); SELECT ssn INTO v FROM lq_people WHERE id = 1; "
                                + "INSERT INTO lq_clear(id, note) VALUES (60, v); END"),
                Form.of("compound statement signals the SSN", Expect.NO_LEAK,
                        "BEGIN NOT ATOMIC DECLARE v VARCHAR(20); SELECT ssn INTO v FROM lq_people WHERE id = 1; "
                                + "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v; END",
                        "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'plain'"),
                // ---- side channels of the server
                Form.of("SELECT INTO OUTFILE and DUMPFILE", Expect.REFUSED,
                        REFUSE + sql("SELECT ssn FROM lq_people INTO OUTFILE '{F}'"),
                        REFUSE + sql("SELECT ssn FROM lq_people WHERE id = 1 INTO DUMPFILE '{F}'")),
                Form.of("LOAD DATA of a server file", Expect.REFUSED,
                        REFUSE + sql("LOAD DATA INFILE '{F}' INTO TABLE lq_clear")),
                Form.of("SELECT INTO a user variable, read and copied", Expect.NO_LEAK,
                        "SELECT ssn INTO @v FROM lq_people WHERE id = 1", "SELECT @v",
                        "INSERT INTO lq_clear(id, note) VALUES (70, @v)"),
                Form.of("SET a user variable to the SSN, read and copied", Expect.NO_LEAK,
                        "SET @v := (SELECT ssn FROM lq_people WHERE id = 1)", "SELECT @v",
                        "INSERT INTO lq_clear(id, note) VALUES (72, @v)"),
                Form.of("user variable of a clear column", Expect.NO_LEAK,
                        "SET @v := (SELECT name FROM lq_people WHERE id = 1)", "SELECT @v",
                        "INSERT INTO lq_clear(id, note) VALUES (74, @v)"),
                Form.of("named lock keyed by the SSN", Expect.REFUSED,
                        REFUSE + "SELECT GET_LOCK(ssn, 0) FROM lq_people WHERE id = 1"),
                Form.of("named lock with a constant name", Expect.ALLOWED,
                        "SELECT GET_LOCK('lq_lock', 0)", "SELECT RELEASE_LOCK('lq_lock')"),
                Form.of("session variables set to numbers from the SSN", Expect.REFUSED,
                        REFUSE + "SET SESSION group_concat_max_len = (SELECT CAST(REPLACE(ssn, '-', '') AS UNSIGNED) "
                                + "FROM lq_people WHERE id = 1)",
                        REFUSE + "SET SESSION max_join_size = (SELECT CAST(REPLACE(ssn, '-', '') AS UNSIGNED) "
                                + "FROM lq_people WHERE id = 1)",
                        REFUSE + "SET @@session.sql_select_limit = (SELECT CAST(REPLACE(ssn, '-', '') AS UNSIGNED) "
                                + "FROM lq_people WHERE id = 1)"),
                Form.of("session variable set to a constant", Expect.ALLOWED, "SET SESSION group_concat_max_len = 4096"),
                Form.of("CREATE TABLE SELECT of the SSN", Expect.REFUSED,
                        REFUSE + "CREATE TABLE lq_copy SELECT id, ssn AS note FROM lq_people"),
                Form.of("CREATE TABLE SELECT of a clear column", Expect.NO_LEAK,
                        "CREATE TABLE lq_copy SELECT id, name AS note FROM lq_people"),
                Form.of("CREATE TABLE AS SELECT of a clear column", Expect.ALLOWED,
                        "CREATE TABLE lq_copy AS SELECT id, name AS note FROM lq_people"),
                Form.of("ON DUPLICATE KEY UPDATE with the SSN", Expect.REFUSED,
                        REFUSE + "INSERT INTO lq_clear(id, note) VALUES (1, 'x') ON DUPLICATE KEY UPDATE "
                                + "note = (SELECT ssn FROM lq_people WHERE id = 1)"),
                // ---- messages of errors and warnings
                Form.of("cast of the SSN to an integer", Expect.REFUSED,
                        REFUSE + "SELECT CAST(ssn AS INT) FROM lq_people",
                        REFUSE + "SELECT CAST(ssn AS UNSIGNED) FROM lq_people WHERE id = 1"),
                Form.of("XPath error over the SSN", Expect.REFUSED,
                        REFUSE + "SELECT EXTRACTVALUE(1, CONCAT(0x7e, ssn)) FROM lq_people",
                        REFUSE + "SELECT UPDATEXML(1, CONCAT(0x7e, ssn), 1) FROM lq_people"),
                Form.of("division by zero on the SSN's digits", Expect.REFUSED,
                        REFUSE + "SELECT 1 / (ASCII(ssn) - 53) FROM lq_people"),
                Form.of("the SSN into an integer column", Expect.REFUSED,
                        REFUSE + "INSERT INTO lq_num(id, n) SELECT id, ssn FROM lq_people"),
                Form.of("a write whose error reports the SSN", Expect.NO_LEAK,
                        "UPDATE lq_people SET ssn = (SELECT q.ssn FROM (SELECT ssn FROM lq_people WHERE id = 1) q) "
                                + "WHERE id = 2",
                        "INSERT INTO lq_people(id, name, ssn) SELECT id + 10, name, ssn FROM lq_people"),
                Form.of("SHOW WARNINGS and GET DIAGNOSTICS after duplicates of the SSN ignored", Expect.NO_LEAK,
                        "INSERT IGNORE INTO lq_people(id, name, ssn) SELECT id + 10, name, ssn FROM lq_people",
                        "SHOW WARNINGS", "GET DIAGNOSTICS CONDITION 1 @m = MESSAGE_TEXT", "SELECT @m",
                        "INSERT INTO lq_clear(id, note) VALUES (80, @m)"),
                Form.of("SHOW ERRORS and GET DIAGNOSTICS after a duplicate of the SSN", Expect.NO_LEAK,
                        "INSERT INTO lq_people(id, name, ssn) SELECT id + 10, name, ssn FROM lq_people",
                        "SHOW ERRORS", "GET DIAGNOSTICS CONDITION 1 @m = MESSAGE_TEXT", "SELECT @m"),
                Form.of("SHOW ERRORS after the SSN signalled", Expect.NO_LEAK,
                        "BEGIN NOT ATOMIC DECLARE v VARCHAR(20); SELECT ssn INTO v FROM lq_people WHERE id = 1; "
                                + "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v; END",
                        "SHOW ERRORS", "GET DIAGNOSTICS CONDITION 1 @m = MESSAGE_TEXT", "SELECT @m"),
                Form.of("a conversion warning of a clear column", Expect.NO_LEAK,
                        "SELECT CAST(name AS INT) FROM lq_people", "SHOW WARNINGS"),
                Form.of("SHOW WARNINGS after a statement over the SSN", Expect.NO_LEAK,
                        "SELECT ssn FROM lq_people WHERE ssn = 5", "SHOW WARNINGS", "SELECT @@warning_count"),
                Form.of("the masked column and clear copies", Expect.ALLOWED, "SELECT id, name, ssn FROM lq_people",
                        "INSERT INTO lq_clear(id, note) SELECT id + 100, name FROM lq_people"));
    }

    @TestFactory
    Stream<DynamicTest> noFormLeavesOrShowsTheSsnToAnAgentWhoMayNotRunCode() {
        return LaunderingFormsHarness.tests(forms(), this::fixture, this::drop, source(), this::clearPlaces, READ_BACKS,
                false);
    }

    @TestFactory
    Stream<DynamicTest> noFormLeavesOrShowsTheSsnToAnAgentWhoMayRunCode() {
        return LaunderingFormsHarness.tests(forms(), this::fixture, this::drop, source(), this::clearPlaces, READ_BACKS,
                true);
    }
}
