package io.governed.jdbc.masking;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mariadb.jdbc.MariaDbDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@link ReadFormsSweep} on MariaDB: {@code SELECT … INTO @v}, {@code @x := ssn}, {@code INTO OUTFILE|DUMPFILE},
 * {@code GROUP_CONCAT}, {@code JSON_ARRAYAGG}, {@code JSON_OBJECTAGG}, {@code JSON_TABLE}, dynamic columns,
 * {@code HANDLER … READ}, {@code TABLE}, {@code VALUES}, {@code EXPLAIN|ANALYZE FORMAT=JSON}, {@code PROCEDURE ANALYSE()},
 * conversions that warn with the value, {@code WITH ROLLUP}, {@code CREATE TABLE … SELECT}, {@code RETURNING},
 * {@code ON DUPLICATE KEY UPDATE}, multi-table updates, renamed, retyped and generated columns, views,
 * {@code SET STATEMENT … FOR}, {@code EXECUTE IMMEDIATE}. No form shows or leaves an SSN in clear; each is run by an
 * agent and an analyst the mask applies to.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbReadFormsIT {
    private static final String DB = UniqueNames.of("sw_ma");

    private static final List<List<String>> FORMS = List.of(
            List.of("UPDATE lq_people SET name = name WHERE id = 1"),
            List.of("DELETE FROM lq_people WHERE id = 3"),
            List.of("SELECT ssn INTO @v FROM lq_people WHERE id = 1", "SELECT @v"),
            List.of("SELECT @x := ssn FROM lq_people WHERE id = 1", "SELECT @x"),
            List.of("SELECT ssn FROM lq_people INTO OUTFILE '/tmp/" + DB + ".txt'"),
            List.of("SELECT ssn FROM lq_people LIMIT 1 INTO DUMPFILE '/tmp/" + DB + ".txt'"),
            List.of("SELECT GROUP_CONCAT(ssn) FROM lq_people"),
            List.of("SELECT JSON_ARRAYAGG(ssn) FROM lq_people"),
            List.of("SELECT JSON_OBJECTAGG(id, ssn) FROM lq_people"),
            List.of("SELECT JSON_OBJECTAGG(ssn, id) FROM lq_people"),
            List.of("SELECT LOAD_FILE('/etc/hostname')"),
            List.of("SHOW CREATE TABLE lq_people"),
            List.of("HANDLER lq_people OPEN", "HANDLER lq_people READ FIRST", "HANDLER lq_people CLOSE"),
            List.of("HANDLER lq_people OPEN AS h", "HANDLER h READ `PRIMARY` FIRST", "HANDLER h READ NEXT", "HANDLER h CLOSE"),
            List.of("HANDLER lq_people OPEN AS h", "HANDLER h READ ssn FIRST", "HANDLER h CLOSE"),
            List.of("HANDLER lq_people OPEN AS h", "HANDLER h READ ssn = ('512-34-7788')", "HANDLER h CLOSE"),
            List.of("TABLE lq_people"),
            List.of("VALUES ((SELECT ssn FROM lq_people WHERE id = 1))"),
            List.of("SELECT * FROM (VALUES ((SELECT ssn FROM lq_people WHERE id = 1))) v"),
            List.of("EXPLAIN FORMAT=JSON SELECT ssn FROM lq_people WHERE id = 1"),
            List.of("ANALYZE FORMAT=JSON SELECT ssn FROM lq_people WHERE id = 1"),
            List.of("ANALYZE SELECT ssn FROM lq_people"),
            List.of("EXPLAIN EXTENDED SELECT ssn FROM lq_people", "SHOW WARNINGS"),
            List.of("SELECT ssn FROM lq_people PROCEDURE ANALYSE()"),
            List.of("SELECT * FROM lq_people PROCEDURE ANALYSE()"),
            List.of("SELECT id FROM lq_people PROCEDURE ANALYSE()"),
            List.of("SELECT CAST(ssn AS SIGNED) FROM lq_people", "SHOW WARNINGS"),
            List.of("SELECT ssn + 0 FROM lq_people", "SHOW WARNINGS"),
            List.of("SELECT 1 FROM lq_people WHERE ssn = 0", "SHOW WARNINGS"),
            List.of("INSERT INTO lq_num(id, n) SELECT id, ssn FROM lq_people", "SHOW WARNINGS"),
            List.of("SELECT min(ssn), max(ssn) FROM lq_people"),
            List.of("SELECT ssn FROM lq_people WITH ROLLUP"),
            List.of("SELECT ssn, count(*) FROM lq_people GROUP BY ssn WITH ROLLUP"),
            List.of("SELECT * FROM lq_people NATURAL JOIN lq_clear"),
            List.of("SELECT x.c FROM (SELECT * FROM lq_people) AS x(a, b, c)"),
            List.of("WITH w(a, b, c) AS (SELECT * FROM lq_people) SELECT c FROM w"),
            List.of("WITH RECURSIVE r(s, n) AS (SELECT ssn, 1 FROM lq_people UNION ALL SELECT s, n + 1 FROM r WHERE n < 2) SELECT s FROM r"),
            List.of("SELECT x.s FROM lq_people p, LATERAL (SELECT p.ssn AS s) x"),
            List.of("CREATE TABLE lq_ct AS SELECT ssn AS note FROM lq_people", "SELECT * FROM lq_ct"),
            List.of("CREATE TABLE lq_ct SELECT ssn AS note FROM lq_people", "SELECT * FROM lq_ct"),
            List.of("CREATE TABLE lq_ct2 LIKE lq_people", "INSERT INTO lq_ct2 SELECT * FROM lq_people", "SELECT * FROM lq_ct2"),
            List.of("INSERT INTO lq_clear(id, note) SELECT id + 10, ssn FROM lq_people"),
            List.of("INSERT INTO lq_clear(id, note) VALUES (9, (SELECT ssn FROM lq_people WHERE id = 1))"),
            List.of("INSERT INTO lq_clear SET id = 9, note = (SELECT ssn FROM lq_people WHERE id = 1)"),
            List.of("REPLACE INTO lq_clear(id, note) SELECT id, ssn FROM lq_people"),
            List.of("INSERT INTO lq_clear(id, note) VALUES (1, 'x') ON DUPLICATE KEY UPDATE note = (SELECT ssn FROM lq_people WHERE id = 1)"),
            List.of("UPDATE lq_clear c JOIN lq_people p ON p.id = c.id SET c.note = p.ssn"),
            List.of("UPDATE lq_clear c, lq_people p SET c.note = p.ssn WHERE p.id = c.id"),
            List.of("DELETE FROM lq_people WHERE id = 3 RETURNING ssn"),
            List.of("DELETE FROM lq_people WHERE id = 3 RETURNING *"),
            List.of("INSERT INTO lq_people(id, name, ssn) VALUES (9, 'n', '000-00-0000') RETURNING (SELECT ssn FROM lq_people WHERE id = 1)"),
            List.of("INSERT INTO lq_mid(id, note) SELECT id, name FROM lq_people RETURNING (SELECT ssn FROM lq_people q WHERE q.id = lq_mid.id)"),
            List.of("REPLACE INTO lq_people(id, name, ssn) VALUES (1, 'x', '000-00-0000') RETURNING *"),
            List.of("ALTER TABLE lq_people MODIFY ssn INT", "SHOW WARNINGS"),
            List.of("ALTER TABLE lq_people ADD COLUMN n2 VARCHAR(20) AS (ssn) PERSISTENT", "SELECT n2 FROM lq_people"),
            List.of("ALTER TABLE lq_people ADD COLUMN n2 VARCHAR(20) AS (concat(ssn, '')) VIRTUAL", "SELECT n2 FROM lq_people"),
            List.of("ALTER TABLE lq_people CHANGE ssn note VARCHAR(11)", "SELECT note FROM lq_people"),
            List.of("ALTER TABLE lq_people RENAME COLUMN ssn TO note", "SELECT note FROM lq_people"),
            List.of("CREATE VIEW lq_v AS SELECT ssn AS note FROM lq_people", "SELECT note FROM lq_v"),
            List.of("SELECT JSON_OBJECT('a', ssn) FROM lq_people"),
            List.of("SELECT * FROM JSON_TABLE((SELECT JSON_ARRAYAGG(ssn) FROM lq_people), '$[*]' COLUMNS (note VARCHAR(20) PATH '$')) j"),
            List.of("SELECT ssn FROM lq_people UNION ALL SELECT note FROM lq_clear"),
            List.of("SELECT note FROM lq_clear UNION ALL SELECT ssn FROM lq_people"),
            List.of("SELECT COLUMN_JSON(COLUMN_CREATE('a', ssn)) FROM lq_people"),
            List.of("SELECT COLUMN_GET(COLUMN_CREATE('a', ssn), 'a' AS CHAR) FROM lq_people"),
            List.of("SELECT ssn FROM lq_people ORDER BY id LIMIT 1 OFFSET 1"),
            List.of("SELECT HEX(ssn), ssn FROM lq_people"),
            List.of("SELECT ExtractValue(CONCAT('<a>', ssn, '</a>'), '/a') FROM lq_people"),
            List.of("SELECT LAST_INSERT_ID(id) FROM lq_people WHERE id = 1"),
            List.of("SELECT ssn FROM lq_people FOR UPDATE"),
            List.of("SELECT * FROM lq_people FOR SYSTEM_TIME ALL"),
            List.of("SELECT ssn FROM lq_people INTO @a, @b"),
            List.of("SELECT id, ssn FROM lq_people WHERE id = 1 INTO @a, @b", "SELECT @a, @b"),
            List.of("SET @v = (SELECT ssn FROM lq_people WHERE id = 1)", "SELECT @v"),
            List.of("SET STATEMENT max_statement_time = 10 FOR SELECT ssn FROM lq_people"),
            List.of("SET STATEMENT max_statement_time = 10 FOR INSERT INTO lq_clear(id, note) SELECT id + 10, ssn FROM lq_people"),
            List.of("SELECT CONCAT_WS(',', ssn, name) FROM lq_people"),
            List.of("SELECT WEIGHT_STRING(ssn) FROM lq_people"),
            List.of("SELECT ssn FROM lq_people LIMIT ROWS EXAMINED 100"),
            List.of("SELECT a.* FROM (SELECT * FROM lq_people) a"),
            List.of("SELECT * FROM (SELECT * FROM lq_people) a, (SELECT * FROM lq_clear) b"),
            List.of("CHECKSUM TABLE lq_people"),
            List.of("SELECT ssn FROM lq_people WHERE id = 1 LOCK IN SHARE MODE"),
            List.of("SELECT (SELECT ssn FROM lq_people WHERE id = 1) AS id"),
            List.of("SELECT ROW_NUMBER() OVER (ORDER BY id), LAG(ssn) OVER (ORDER BY id) FROM lq_people"),
            List.of("EXECUTE IMMEDIATE 'SELECT ssn FROM lq_people'"),
            List.of("PREPARE st FROM 'SELECT ssn FROM lq_people'", "EXECUTE st"),
            List.of("SELECT * FROM lq_people WHERE id = 1 INTO OUTFILE '/tmp/" + DB + ".txt'")
    );

    private static MariaDbDataSource open() throws Exception {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB);
            s.execute("CREATE DATABASE " + DB);
            s.execute("USE " + DB);
            LaunderingFormsHarness.sharedTables(s);
        }
        MariaDbDataSource maria = new MariaDbDataSource();
        maria.setUrl(TestDatabase.MARIADB.rawUrl(DB));
        maria.setUser(TestDatabase.MARIADB.user());
        maria.setPassword(TestDatabase.MARIADB.password());
        return maria;
    }

    private static void drop() throws Exception {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB);
        }
    }

    /** Every column of every base table of the database, but the masked column itself, and the file the forms name. */
    private static String places(Connection raw) throws java.sql.SQLException {
        StringBuilder out = new StringBuilder();
        List<String[]> columns = new ArrayList<>();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT c.table_name, c.column_name FROM "
                + "information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema "
                + "AND t.table_name = c.table_name WHERE t.table_type = 'BASE TABLE' AND c.table_schema = '" + DB
                + "' ORDER BY 1, 2")) {
            while (rs.next()) {
                if (!(rs.getString(1).equals("lq_people") && rs.getString(2).equals("ssn"))) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        for (String[] c : columns) {
            out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT `" + c[1] + "` FROM `" + DB + "`.`" + c[0] + "`"));
        }
        out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT LOAD_FILE('/tmp/" + DB + ".txt')"));
        return out.toString();
    }

    @TestFactory
    Stream<DynamicTest> noFormShowsOrLeavesTheSsnInClear() {
        return ReadFormsSweep.tests(FORMS, MariaDbReadFormsIT::open, MariaDbReadFormsIT::places, MariaDbReadFormsIT::drop);
    }
}
