package io.governed.jdbc.masking;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.mariadb.jdbc.MariaDbDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link LaunderingAcrossStatementsSpec} on MariaDB: the two databases are two MariaDB databases, each connection's
 * own; the laundering forms add user variables ({@code SELECT @v := …}, {@code SET @v = (SELECT …)},
 * {@code SELECT … INTO @v}), {@code ON DUPLICATE KEY UPDATE}, {@code REPLACE … SELECT}, multi-table {@code UPDATE},
 * {@code CREATE TABLE … SELECT}, {@code CREATE TEMPORARY TABLE}, {@code ALTER TABLE … CHANGE}, {@code RENAME TABLE},
 * sequences ({@code SETVAL}, {@code NEXTVAL}), {@code LAST_INSERT_ID(expr)}, {@code RETURNING}, and two statements in
 * one text (the URL allows several).
 */
class MariaDbLaunderingAcrossStatementsIT extends LaunderingAcrossStatementsSpec {
    private static final String DATABASE_A = UniqueNames.of("ln_ma_a");
    private static final String DATABASE_B = UniqueNames.of("ln_ma_b");

    @BeforeContainer
    static void databases() throws SQLException {
        TestDatabase.MARIADB.requireReachable();
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
            for (String database : List.of(DATABASE_A, DATABASE_B)) {
                List<String> ssns = database.equals(DATABASE_A) ? SSNS_A : SSNS_B;
                s.execute("CREATE DATABASE " + database);
                s.execute("USE " + database);
                s.execute("CREATE TABLE ln_clear(id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(200))");
                createSharedTables(s, ssns);
            }
        }
    }

    @AfterContainer
    static void close() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE_A);
            s.execute("DROP DATABASE IF EXISTS " + DATABASE_B);
        }
    }

    @Property(tries = 100, afterFailure = AfterFailureMode.RANDOM_SEED)
    void noSequenceOfStatementsLetsTheAgentReadWhatItCannotSee(@ForAll("sequences") List<Step> steps) throws SQLException {
        checkSequence(steps);
    }

    /** REPLACE … SELECT of the SSN into a clear table, which once wrote every SSN there in clear. */
    @Example
    void replaceSelectCopiesNoSsn() throws SQLException {
        checkSequence(List.of(new Step("replace select",
                "REPLACE INTO ln_clear(id, note) SELECT p.id, p.ssn FROM ln_people p", Mode.EXECUTE)));
    }

    @Override
    DataSource rawSource(boolean a) {
        try {
            MariaDbDataSource maria = new MariaDbDataSource();
            maria.setUrl(TestDatabase.MARIADB.rawUrl(a ? DATABASE_A : DATABASE_B));
            maria.setUser(TestDatabase.MARIADB.user());
            maria.setPassword(TestDatabase.MARIADB.password());
            return maria;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    void reset(Connection raw) throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("DROP VIEW IF EXISTS ln_view");
            s.execute("DROP TABLE IF EXISTS ln_copy");
            s.execute("DROP TABLE IF EXISTS ln_people");
            s.execute("CREATE TABLE ln_people(id INT PRIMARY KEY, name VARCHAR(200), ssn VARCHAR(11))");
            s.execute("INSERT INTO ln_people SELECT id, CONCAT('name ', (id - 1) MOD 2), ssn FROM ln_ssns");
            s.execute("TRUNCATE TABLE ln_clear");
            s.execute("ALTER TABLE ln_clear AUTO_INCREMENT = 50");
            s.execute("INSERT INTO ln_clear(id, note) VALUES (1, 'n1'), (2, 'n2'), (3, 'n3')");
            s.execute("TRUNCATE TABLE ln_mid");
            s.execute("ALTER SEQUENCE ln_seq RESTART WITH 1");
        }
    }

    /**
     * Every column not named {@code ssn} (which the mask covers) of the tables the agent may write, the sequence, and
     * the tables and views there are with their columns.
     */
    @Override
    String clearPlaces(Connection raw) throws SQLException {
        return asIfOneDatabase(clearPlacesOnAServer(raw, "DATABASE()", '`', List.of(
                "SELECT next_not_cached_value, cycle_count FROM ln_seq",
                "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1",
                "SELECT table_name, column_name, column_type FROM information_schema.columns "
                        + "WHERE table_schema = DATABASE() ORDER BY 1, 2",
                "SELECT table_name, auto_increment FROM information_schema.tables "
                        + "WHERE table_schema = DATABASE() AND table_name = 'ln_clear'")));
    }

    @Override
    String asIfOneDatabase(String outcome) {
        return outcome.replace(DATABASE_A, "<database>").replace(DATABASE_B, "<database>");
    }

    @Override
    List<String> leaves() {
        return List.of("p.ssn", "ssn", "p.ssn", "(SELECT MAX(q.ssn) FROM ln_people q)",
                "(SELECT q.ssn FROM ln_people q WHERE q.id = p.id)",
                "(SELECT CAST(COUNT(*) AS CHAR) FROM ln_people q WHERE q.ssn LIKE '1%')",
                "(SELECT CAST(COUNT(DISTINCT q.ssn) AS CHAR) FROM ln_people q)",
                "(SELECT GROUP_CONCAT(q.ssn ORDER BY q.id) FROM ln_people q)", "@ln_v", "p.name", "'k'");
    }

    @Override
    List<String> wrappers() {
        return List.of("SUBSTRING(%s, 1, 3)", "LEFT(%s, 1)", "RIGHT(%s, 4)", "UPPER(%s)", "CONCAT(%s, '')",
                "CONCAT('x', %s, '-')", "REPLACE(%s, '-', '')", "MD5(%s)", "SHA2(%s, 256)", "SHA1(%s)",
                "CAST(CRC32(%s) AS CHAR)", "CAST(LENGTH(%s) AS CHAR)", "CAST(ASCII(%s) AS CHAR)", "HEX(%s)",
                "CAST(CAST(REPLACE(%s, '-', '') AS UNSIGNED) + 1 AS CHAR)", "CAST(SUBSTRING(%s, 1, 3) * 7 AS CHAR)",
                "CASE WHEN %s LIKE '1%%' THEN 'yes' ELSE 'no' END", "CAST(%s > '5' AS CHAR)",
                "IF(%s = '123-45-6789', 'a', 'b')", "CASE %s WHEN '900-11-2222' THEN 'a' END", "COALESCE(%s, 'none')",
                "CAST(%s AS CHAR(200))", "TRIM(%s)", "JSON_OBJECT('k', %s)", "(SELECT GROUP_CONCAT(%s) FROM ln_people r)",
                "(SELECT MAX(%s) FROM ln_people r)");
    }

    @Override
    List<Launder> launderings() {
        return List.of(
                new Launder("insert select", "INSERT INTO ln_clear(id, note) SELECT p.id + 100, %s FROM ln_people p"),
                new Launder("insert select into intermediate", "INSERT INTO ln_mid(id, note) SELECT p.id, %s FROM ln_people p"),
                new Launder("insert values subquery",
                        "INSERT INTO ln_clear(id, note) VALUES (150, (SELECT %s FROM ln_people p WHERE p.id = 1))"),
                new Launder("insert generated id", "INSERT INTO ln_clear(note) SELECT %s FROM ln_people p WHERE p.id = 2"),
                new Launder("insert set subquery",
                        "INSERT INTO ln_clear SET id = 160, note = (SELECT %s FROM ln_people p WHERE p.id = 1)"),
                new Launder("on duplicate key update", "INSERT INTO ln_clear(id, note) SELECT p.id, 'u' FROM ln_people p "
                        + "ON DUPLICATE KEY UPDATE note = %s"),
                new Launder("on duplicate key update values()", "INSERT INTO ln_clear(id, note) SELECT p.id, %s "
                        + "FROM ln_people p ON DUPLICATE KEY UPDATE note = VALUES(note)"),
                new Launder("replace select", "REPLACE INTO ln_clear(id, note) SELECT p.id, %s FROM ln_people p"),
                new Launder("update set subquery",
                        "UPDATE ln_clear c SET note = (SELECT %s FROM ln_people p WHERE p.id = c.id) WHERE c.id < 10"),
                new Launder("multi-table update join",
                        "UPDATE ln_clear c JOIN ln_people p ON p.id = c.id SET c.note = %s"),
                new Launder("multi-table update comma", "UPDATE ln_clear c, ln_people p SET c.note = %s WHERE p.id = c.id"),
                new Launder("update where", "UPDATE ln_clear c SET note = 'hit' WHERE c.id IN "
                        + "(SELECT p.id FROM ln_people p WHERE %s LIKE '1%%')"),
                new Launder("delete where", "DELETE FROM ln_clear WHERE id IN (SELECT p.id FROM ln_people p WHERE %s > '5')"),
                new Launder("multi-table delete", "DELETE c FROM ln_clear c JOIN ln_people p ON p.id = c.id WHERE %s > '5'"),
                new Launder("update own clear column", "UPDATE ln_people p SET name = %s WHERE p.id = 1"),
                new Launder("create table as", "CREATE TABLE ln_copy AS SELECT p.id, %s AS note FROM ln_people p"),
                new Launder("create table select", "CREATE TABLE ln_copy SELECT p.id, %s AS note FROM ln_people p"),
                new Launder("create table with columns select",
                        "CREATE TABLE ln_copy (note VARCHAR(200)) SELECT p.id, %s AS note FROM ln_people p"),
                new Launder("create temporary table as",
                        "CREATE TEMPORARY TABLE ln_tmp AS SELECT p.id, %s AS note FROM ln_people p"),
                new Launder("create temporary table select",
                        "CREATE TEMPORARY TABLE ln_tmp SELECT p.id, %s AS note FROM ln_people p"),
                new Launder("create view", "CREATE OR REPLACE VIEW ln_view AS SELECT p.id, %s AS note FROM ln_people p"),
                new Launder("select assigns variable", "SELECT @ln_v := %s FROM ln_people p WHERE p.id = 1"),
                new Launder("set variable", "SET @ln_v = (SELECT %s FROM ln_people p WHERE p.id = 1)"),
                new Launder("select into variable", "SELECT %s INTO @ln_v FROM ln_people p WHERE p.id = 1"),
                new Launder("select into variable at the end", "SELECT %s FROM ln_people p WHERE p.id = 2 INTO @ln_v"),
                new Launder("setval", "SELECT SETVAL(ln_seq, CRC32(%s)) FROM ln_people p WHERE p.id = 1"),
                new Launder("setval subquery", "SELECT SETVAL(ln_seq, (SELECT ASCII(%s) FROM ln_people p WHERE p.id = 1))"),
                new Launder("last_insert_id(expr)", "SELECT LAST_INSERT_ID(CRC32(%s)) FROM ln_people p WHERE p.id = 1"),
                new Launder("last_insert_id(expr) in update", "UPDATE ln_clear c SET c.note = 'l' WHERE c.id = 1 AND "
                        + "LAST_INSERT_ID((SELECT CRC32(%s) FROM ln_people p WHERE p.id = 1)) > 0"),
                new Launder("insert generated key from value", "INSERT INTO ln_clear(id, note) "
                        + "SELECT CRC32(%s) MOD 100000 + 3000, 'g' FROM ln_people p WHERE p.id = 1"),
                new Launder("insert returning",
                        "INSERT INTO ln_clear(id, note) SELECT p.id + 400, %s FROM ln_people p RETURNING id, note"),
                new Launder("insert values returning", "INSERT INTO ln_clear(id, note) VALUES (450, 'r') "
                        + "RETURNING id, (SELECT %s FROM ln_people p WHERE p.id = 1)"),
                new Launder("insert with cte", "INSERT INTO ln_clear(id, note) WITH w AS "
                        + "(SELECT p.id, %s AS note FROM ln_people p) SELECT id + 500, note FROM w"),
                new Launder("two statements in one", "SET @ln_v = (SELECT %s FROM ln_people p WHERE p.id = 1); "
                        + "INSERT INTO ln_clear(id, note) VALUES (1510, @ln_v)"),
                new Launder("add generated column",
                        "ALTER TABLE ln_people ADD COLUMN derived VARCHAR(200) AS (%s) PERSISTENT"),
                new Launder("count by group", "INSERT INTO ln_clear(id, note) SELECT MIN(p.id) + 600, "
                        + "CAST(COUNT(*) AS CHAR) FROM ln_people p GROUP BY %s"),
                new Launder("count where", "INSERT INTO ln_clear(id, note) SELECT 700, CAST(COUNT(*) AS CHAR) "
                        + "FROM ln_people p WHERE %s LIKE '1%%'"),
                new Launder("first by order", "INSERT INTO ln_clear(id, note) SELECT p.id + 800, 'x' FROM ln_people p "
                        + "ORDER BY %s, p.id LIMIT 1"));
    }

    @Override
    List<String> chains() {
        return withCommonChains(
                "INSERT INTO ln_clear(id, note) VALUES (1500, @ln_v)",
                "INSERT INTO ln_clear(id, note) VALUES (1550, LAST_INSERT_ID())",
                "UPDATE ln_clear SET note = @ln_v WHERE id = 1",
                "SET @ln_w = @ln_v",
                "SELECT @ln_w := CONCAT(@ln_v, '')",
                "INSERT INTO ln_clear(id, note) VALUES (1600, @ln_w)",
                "INSERT INTO ln_clear(id, note) VALUES (1700, NEXTVAL(ln_seq))",
                "INSERT INTO ln_clear(id, note) SELECT 1750, next_not_cached_value FROM ln_seq",
                "UPDATE ln_clear c JOIN ln_view v ON v.id = c.id SET c.note = v.note",
                "CREATE TABLE ln_copy AS SELECT id, note FROM ln_view",
                "CREATE TABLE ln_copy SELECT id, note FROM ln_mid",
                "CREATE TABLE ln_copy SELECT * FROM ln_tmp",
                "REPLACE INTO ln_clear(id, note) SELECT id, note FROM ln_mid",
                "INSERT INTO ln_mid(id, note) SELECT id, note FROM ln_clear",
                "INSERT INTO ln_clear(note) VALUES ('k')",
                "ALTER TABLE ln_people CHANGE ssn tax_id VARCHAR(11)",
                "ALTER TABLE ln_people CHANGE COLUMN ssn note VARCHAR(11)",
                "ALTER TABLE ln_people RENAME COLUMN ssn TO tax_id",
                "ALTER TABLE ln_people MODIFY ssn VARCHAR(11) DEFAULT 'x'",
                "INSERT INTO ln_clear(id, note) SELECT id + 1800, tax_id FROM ln_people",
                "INSERT INTO ln_clear(id, note) SELECT id + 1850, note FROM ln_people",
                "INSERT INTO ln_clear(id, note) SELECT id + 1900, derived FROM ln_people",
                "RENAME TABLE ln_people TO ln_copy",
                "ALTER TABLE ln_people RENAME TO ln_copy",
                "RENAME TABLE ln_copy TO ln_mid");
    }

    @Override
    List<String> readBacks() {
        return List.of(
                "SELECT id, note FROM ln_clear ORDER BY id",
                "SELECT id, note FROM ln_mid ORDER BY id, note",
                "SELECT * FROM ln_copy ORDER BY 1",
                "SELECT * FROM ln_view ORDER BY 1",
                "SELECT * FROM ln_tmp ORDER BY 1",
                "SELECT @ln_v, @ln_w",
                "SELECT LAST_INSERT_ID()",
                "SELECT next_not_cached_value, cycle_count FROM ln_seq",
                "SELECT NEXTVAL(ln_seq)",
                "SELECT * FROM ln_people ORDER BY id",
                "SELECT COUNT(*) FROM ln_clear WHERE note LIKE '1%'",
                "SELECT id FROM ln_clear WHERE note > '5' ORDER BY id");
    }
}
