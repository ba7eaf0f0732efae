package io.governed.jdbc.masking;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
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

/**
 * {@link ReadFormsSweep} on H2: {@code SCRIPT} (to the caller and to a file), {@code CSVWRITE}, {@code FILE_WRITE},
 * {@code LINK_SCHEMA}, {@code TABLE}, {@code EXPLAIN ANALYZE}, row values, {@code ARRAY_AGG}, {@code LISTAGG},
 * {@code JSON_ARRAYAGG}, {@code JSON_OBJECTAGG}, ordered-set aggregates, renamed columns of derived tables, recursive CTEs,
 * {@code VALUES}, {@code UNNEST}, {@code TABLE(…)}, {@code CREATE TABLE AS}, {@code MERGE}, data change delta tables
 * ({@code FINAL TABLE (UPDATE …)}, {@code OLD TABLE (DELETE …)}), user variables, defaults that read the column, renamed
 * and generated columns, views, file reads. No form shows or leaves an SSN in clear (the tables and the files a form
 * names); each is run by an agent and an analyst the mask applies to.
 */
class H2ReadFormsTest {
    private static final Path DIR = Path.of(System.getProperty("java.io.tmpdir"), "sw_rf_" + UUID.randomUUID());
    private static String url;

    private static final String F = DIR.resolve("f.txt").toString().replace('\\', '/');

    private static final List<List<String>> FORMS = List.of(
            List.of("UPDATE lq_people SET name = name WHERE id = 1"),
            List.of("DELETE FROM lq_people WHERE id = 3"),
            List.of("SCRIPT"),
            List.of("SCRIPT TABLE lq_people"),
            List.of("SCRIPT TO '" + F + "' TABLE lq_people"),
            List.of("SCRIPT SIMPLE NOSETTINGS TABLE lq_people"),
            List.of("CALL CSVWRITE('" + F + "', 'SELECT ssn FROM lq_people')"),
            List.of("SELECT CSVWRITE('" + F + "', 'SELECT * FROM lq_people')"),
            List.of("SELECT FILE_WRITE(ssn, '" + F + "') FROM lq_people WHERE id = 1"),
            List.of("SELECT FILE_WRITE((SELECT GROUP_CONCAT(ssn) FROM lq_people), '" + F + "')"),
            List.of("SELECT LINK_SCHEMA('LQ_L', '', 'jdbc:h2:mem:sw_h2probe_link', 'sa', '', 'PUBLIC')"),
            List.of("TABLE lq_people"),
            List.of("EXPLAIN ANALYZE SELECT ssn FROM lq_people"),
            List.of("EXPLAIN ANALYZE SELECT * FROM lq_people WHERE ssn = (SELECT ssn FROM lq_people WHERE id = 1)"),
            List.of("EXPLAIN SELECT * FROM lq_people WHERE ssn = (SELECT ssn FROM lq_people WHERE id = 1)"),
            List.of("SELECT p FROM lq_people p"),
            List.of("SELECT ROW(p.*) FROM lq_people p"),
            List.of("SELECT (id, name, ssn) FROM lq_people"),
            List.of("SELECT ROW(id, name, ssn) FROM lq_people"),
            List.of("SELECT ARRAY[ssn] FROM lq_people"),
            List.of("SELECT ARRAY_AGG(ssn) FROM lq_people"),
            List.of("SELECT LISTAGG(ssn, ',') FROM lq_people"),
            List.of("SELECT GROUP_CONCAT(ssn) FROM lq_people"),
            List.of("SELECT JSON_ARRAYAGG(ssn) FROM lq_people"),
            List.of("SELECT JSON_OBJECTAGG(KEY ssn VALUE id) FROM lq_people"),
            List.of("SELECT JSON_OBJECT('a': ssn) FROM lq_people"),
            List.of("SELECT MIN(ssn), MAX(ssn), ANY_VALUE(ssn) FROM lq_people"),
            List.of("SELECT MODE() WITHIN GROUP (ORDER BY ssn) FROM lq_people"),
            List.of("SELECT PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY ssn) FROM lq_people"),
            List.of("SELECT * FROM lq_people, lq_clear"),
            List.of("SELECT * FROM lq_people NATURAL JOIN lq_clear"),
            List.of("SELECT x.c FROM (SELECT * FROM lq_people) AS x(a, b, c)"),
            List.of("SELECT c FROM lq_people AS p(a, b, c)"),
            List.of("WITH w(a, b, c) AS (SELECT * FROM lq_people) SELECT c FROM w"),
            List.of("WITH RECURSIVE r(s, n) AS (SELECT ssn, 1 FROM lq_people UNION ALL SELECT s, n + 1 FROM r WHERE n < 2) SELECT s FROM r"),
            List.of("SELECT * FROM (VALUES ((SELECT ssn FROM lq_people WHERE id = 1))) v"),
            List.of("VALUES ((SELECT ssn FROM lq_people WHERE id = 1))"),
            List.of("SELECT * FROM UNNEST((SELECT ARRAY_AGG(ssn) FROM lq_people))"),
            List.of("SELECT * FROM TABLE(x VARCHAR = (SELECT ARRAY_AGG(ssn) FROM lq_people))"),
            List.of("CREATE TABLE lq_ct AS SELECT ssn AS note FROM lq_people", "SELECT * FROM lq_ct"),
            List.of("CREATE TABLE lq_ct2 AS TABLE lq_people", "SELECT * FROM lq_ct2"),
            List.of("INSERT INTO lq_clear(id, note) SELECT id + 10, ssn FROM lq_people"),
            List.of("MERGE INTO lq_clear c USING lq_people p ON c.id = p.id WHEN MATCHED THEN UPDATE SET note = p.ssn"),
            List.of("MERGE INTO lq_clear KEY (id) SELECT id, ssn FROM lq_people"),
            List.of("SELECT * FROM FINAL TABLE (UPDATE lq_people SET name = name WHERE id = 1)"),
            List.of("SELECT ssn FROM FINAL TABLE (UPDATE lq_people SET name = name WHERE id = 1)"),
            List.of("SELECT * FROM OLD TABLE (DELETE FROM lq_people WHERE id = 3)"),
            List.of("SELECT * FROM NEW TABLE (INSERT INTO lq_mid(id, note) SELECT id, ssn FROM lq_people)"),
            List.of("SELECT x.* FROM (SELECT * FROM OLD TABLE (UPDATE lq_people SET name = name WHERE id = 1)) x"),
            List.of("SELECT CAST(ssn AS INT) FROM lq_people"),
            List.of("SET @v = (SELECT ssn FROM lq_people WHERE id = 1)", "SELECT @v"),
            List.of("SELECT SET(@v, ssn) FROM lq_people", "SELECT @v"),
            List.of("CREATE TABLE lq_d(id INT, note VARCHAR(20) DEFAULT (SELECT ssn FROM lq_people WHERE id = 1))", "INSERT INTO lq_d(id) VALUES (1)", "SELECT * FROM lq_d"),
            List.of("ALTER TABLE lq_people ALTER COLUMN ssn RENAME TO note", "SELECT note FROM lq_people"),
            List.of("ALTER TABLE lq_people ADD COLUMN n2 VARCHAR(20) GENERATED ALWAYS AS (ssn)", "SELECT n2 FROM lq_people"),
            List.of("ALTER TABLE lq_people ALTER COLUMN ssn INT"),
            List.of("CREATE VIEW lq_v AS SELECT ssn AS note FROM lq_people", "SELECT note FROM lq_v"),
            List.of("SELECT * FROM INFORMATION_SCHEMA.SESSIONS"),
            List.of("SELECT DISK_SPACE_USED('lq_people')"),
            List.of("SELECT ssn FROM lq_people FOR UPDATE"),
            List.of("SELECT STRINGTOUTF8(ssn) FROM lq_people"),
            List.of("SELECT UTF8TOSTRING(STRINGTOUTF8(ssn)) FROM lq_people"),
            List.of("SELECT FORMATDATETIME(ssn, 'x') FROM lq_people"),
            List.of("SELECT ssn FROM lq_people UNION ALL SELECT note FROM lq_clear"),
            List.of("SELECT CSVREAD('" + F + "')"),
            List.of("SELECT * FROM CSVREAD('" + F + "')"),
            List.of("SELECT FILE_READ('" + F + "')")
    );

    private static JdbcDataSource open() throws Exception {
        Files.createDirectories(DIR);
        url = "jdbc:h2:mem:sw_rf_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser("sa");
        try (Connection raw = h2.getConnection(); Statement s = raw.createStatement()) {
            LaunderingFormsHarness.sharedTables(s);
        }
        return h2;
    }

    private static void drop() throws Exception {
        try (Connection raw = java.sql.DriverManager.getConnection(url, "sa", ""); Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
        try (var files = Files.list(DIR)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(DIR);
    }

    /** Every column of every base table of PUBLIC as text, but the masked column itself, and the files in the forms' folder. */
    private static String places(Connection raw) throws SQLException {
        StringBuilder out = new StringBuilder();
        List<String[]> columns = new ArrayList<>();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT c.TABLE_NAME, c.COLUMN_NAME FROM "
                + "INFORMATION_SCHEMA.COLUMNS c JOIN INFORMATION_SCHEMA.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA "
                + "AND t.TABLE_NAME = c.TABLE_NAME WHERE c.TABLE_SCHEMA = 'PUBLIC' AND t.TABLE_TYPE = 'BASE TABLE' ORDER BY 1, 2")) {
            while (rs.next()) {
                if (!(rs.getString(1).equals("LQ_PEOPLE") && rs.getString(2).equals("SSN"))) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        for (String[] c : columns) {
            out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT CAST(\"" + c[1] + "\" AS VARCHAR) FROM PUBLIC.\"" + c[0]
                    + "\""));
        }
        try (var files = Files.list(DIR)) {
            for (Path f : files.toList()) {
                out.append(f).append(": ").append(Files.readString(f, StandardCharsets.ISO_8859_1)).append('\n');
            }
        } catch (java.io.IOException e) {
            throw new SQLException("the forms' folder cannot be read", e);
        }
        return out.toString();
    }

    @TestFactory
    Stream<DynamicTest> noFormShowsOrLeavesTheSsnInClear() {
        return ReadFormsSweep.tests(FORMS, H2ReadFormsTest::open, H2ReadFormsTest::places, H2ReadFormsTest::drop);
    }
}
