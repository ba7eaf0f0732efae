package io.governed.jdbc.masking;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.masking.LaunderingFormsHarness.Expect;
import io.governed.jdbc.masking.LaunderingFormsHarness.Form;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.mariadb.jdbc.MariaDbDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.governed.jdbc.masking.LaunderingFormsHarness.REFUSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A masked SSN carried from one statement to the next on MariaDB, through what the session or the server keeps
 * between them: user variables assigned every way ({@code SELECT @v := ssn}, {@code SET @v = (SELECT ssn …)},
 * {@code SELECT ssn INTO @v} and {@code SELECT … INTO @v} at the end, {@code DO @v := …}), read back by {@code SELECT
 * @v} and {@code information_schema.USER_VARIABLES}; session system variables of text set from a value (whose errors
 * quote it: {@code time_zone}, {@code sql_mode}, {@code lc_time_names}) and {@code SET STATEMENT}; {@code
 * LAST_INSERT_ID(x)} and {@code SETVAL}; temporary tables and views the agent creates; {@code HANDLER}, which reads a
 * table without a {@code SELECT}; named locks ({@code GET_LOCK}, probed by {@code IS_USED_LOCK}); files ({@code INTO
 * OUTFILE}/{@code DUMPFILE} then {@code LOAD_FILE}). Each form runs through {@link LaunderingFormsHarness}: after every
 * statement a raw connection reads every clear place, and every value the agent gets back is read through every getter.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("MariaDB USE of another database, databases")
class MariaDbCarriedAcrossStatementsIT {
    private static final String DB = UniqueNames.of("xs_ma");
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

    /**
     * Tables and their clear columns (a view keeps none: its owner reads the tables beneath it), the sequence, the
     * file, named locks.
     */
    private String clearPlaces(Connection raw) throws SQLException {
        StringBuilder out = new StringBuilder();
        List<String> tables = new ArrayList<>();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT table_name FROM "
                + "information_schema.tables WHERE table_schema = '" + DB + "' AND table_type = 'BASE TABLE' ORDER BY 1")) {
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
        out.append(LaunderingFormsHarness.rowsOf(raw, sql("SELECT LOAD_FILE('{F}')")));
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
            "SELECT * FROM lq_copy", "SELECT * FROM lq_t", "SELECT * FROM lq_v", "SELECT @v, @w, @a, @b",
            "SELECT CONCAT(@v, ''), UPPER(@w)",
            "SELECT variable_name, variable_value FROM information_schema.user_variables",
            "SELECT @@time_zone, @@lc_time_names, @@sql_mode, @@max_join_size, @@group_concat_max_len",
            "SELECT variable_name, variable_value FROM information_schema.session_variables "
                    + "WHERE variable_name IN ('TIME_ZONE', 'MAX_JOIN_SIZE', 'SQL_SELECT_LIMIT')",
            "SHOW SESSION VARIABLES LIKE 'max_join_size'", "SELECT LAST_INSERT_ID()", "SELECT LASTVAL(lq_seq)",
            "SELECT NEXTVAL(lq_seq)", sql("SELECT LOAD_FILE('{F}')"), "SELECT name FROM lq_people ORDER BY id");

    static List<Form> forms() {
        return List.of(
                // ---- user variables
                Form.of("user variables assigned from the SSN every way", Expect.REFUSED,
                        REFUSE + "SELECT @v := ssn FROM lq_people WHERE id = 1",
                        REFUSE + "SET @v = (SELECT ssn FROM lq_people WHERE id = 1)",
                        REFUSE + "SELECT ssn INTO @v FROM lq_people WHERE id = 1",
                        REFUSE + "SELECT ssn FROM lq_people WHERE id = 1 INTO @v",
                        REFUSE + "SELECT id, ssn INTO @a, @b FROM lq_people WHERE id = 1",
                        REFUSE + "DO @v := (SELECT ssn FROM lq_people WHERE id = 1)",
                        REFUSE + "SELECT id FROM lq_people WHERE (@w := UPPER(ssn)) IS NOT NULL",
                        "SELECT @v, @w, @a, @b"),
                Form.of("a user variable from a view of the SSN the agent creates", Expect.REFUSED,
                        "CREATE VIEW lq_v AS SELECT id, ssn AS note FROM lq_people",
                        "SELECT * FROM lq_v",
                        REFUSE + "SET @v = (SELECT note FROM lq_v WHERE id = 1)",
                        REFUSE + "SELECT note INTO @v FROM lq_v WHERE id = 1"),
                Form.of("a user variable of a clear column, read back", Expect.NO_LEAK,
                        "SET @w = (SELECT name FROM lq_people WHERE id = 1)", "SELECT @w",
                        "SELECT variable_name, variable_value FROM information_schema.user_variables"),
                // ---- session system variables and kept values
                Form.of("session variables of text set from the SSN, whose errors quote the value", Expect.REFUSED,
                        REFUSE + "SET time_zone = (SELECT ssn FROM lq_people WHERE id = 1)",
                        REFUSE + "SET SESSION sql_mode = (SELECT ssn FROM lq_people WHERE id = 1)",
                        REFUSE + "SET SESSION lc_time_names = (SELECT ssn FROM lq_people WHERE id = 1)",
                        REFUSE + "SET @@session.time_zone = (SELECT CONCAT('+0', LEFT(ssn, 1), ':00') FROM lq_people "
                                + "WHERE id = 1)",
                        REFUSE + "SET STATEMENT max_join_size = (SELECT CAST(REPLACE(ssn, '-', '') AS UNSIGNED) "
                                + "FROM lq_people WHERE id = 1) FOR SELECT @@max_join_size"),
                Form.of("LAST_INSERT_ID and SETVAL from the SSN, read back", Expect.REFUSED,
                        REFUSE + "SELECT LAST_INSERT_ID(CAST(REPLACE(ssn, '-', '') AS UNSIGNED)) FROM lq_people "
                                + "WHERE id = 1",
                        REFUSE + "SELECT SETVAL(lq_seq, CAST(REPLACE(ssn, '-', '') AS UNSIGNED)) FROM lq_people "
                                + "WHERE id = 1",
                        REFUSE + "SELECT SETVAL(lq_seq, LENGTH(ssn)) FROM lq_people WHERE id = 1",
                        "SELECT LAST_INSERT_ID()", "SELECT LASTVAL(lq_seq)"),
                // ---- temporary and ordinary objects
                Form.of("temporary tables of the SSN", Expect.REFUSED,
                        REFUSE + "CREATE TEMPORARY TABLE lq_t AS SELECT id, ssn AS note FROM lq_people",
                        REFUSE + "CREATE TEMPORARY TABLE lq_t SELECT id, ssn AS note FROM lq_people",
                        "SELECT * FROM lq_t"),
                Form.of("a table of the agent's filled with the SSN", Expect.REFUSED,
                        REFUSE + "INSERT INTO lq_clear(id, note) SELECT id + 10, ssn FROM lq_people",
                        REFUSE + "REPLACE INTO lq_clear(id, note) SELECT id, ssn FROM lq_people",
                        REFUSE + "INSERT INTO lq_mid(id, note) SELECT id, note FROM (SELECT id, ssn AS note "
                                + "FROM lq_people) d"),
                Form.of("a view of the SSN the agent creates, read back and copied", Expect.REFUSED,
                        "CREATE VIEW lq_v AS SELECT id, ssn AS note, UPPER(ssn) AS loud FROM lq_people",
                        "SELECT * FROM lq_v", "SELECT note, loud FROM lq_v",
                        REFUSE + "INSERT INTO lq_clear(id, note) SELECT id + 20, note FROM lq_v",
                        REFUSE + "CREATE TABLE lq_copy AS SELECT * FROM lq_v"),
                Form.of("HANDLER reads of the masked table", Expect.NO_LEAK,
                        "HANDLER lq_people OPEN", "HANDLER lq_people READ FIRST", "HANDLER lq_people READ NEXT",
                        "HANDLER lq_people CLOSE", "HANDLER lq_people OPEN AS h", "HANDLER h READ `PRIMARY` FIRST",
                        "HANDLER h CLOSE"),
                Form.of("PREPARE a query of the SSN, EXECUTE", Expect.NO_LEAK,
                        "PREPARE xs_p FROM 'SELECT id, ssn, UPPER(ssn) AS loud FROM lq_people'", "EXECUTE xs_p"),
                // ---- side channels of the server
                Form.of("named locks keyed by the SSN, probed", Expect.REFUSED,
                        REFUSE + "SELECT GET_LOCK(ssn, 0) FROM lq_people WHERE id = 1",
                        REFUSE + "DO GET_LOCK((SELECT ssn FROM lq_people WHERE id = 1), 0)",
                        REFUSE + "SELECT GET_LOCK(REPLACE(ssn, '-', ''), 0) FROM lq_people WHERE id = 1",
                        "SELECT IS_USED_LOCK('xs_probe') IS NOT NULL"),
                Form.of("files of the SSN read back by LOAD_FILE", Expect.REFUSED,
                        REFUSE + sql("SELECT ssn FROM lq_people INTO OUTFILE '{F}'"),
                        REFUSE + sql("SELECT ssn FROM lq_people WHERE id = 1 INTO DUMPFILE '{F}'"),
                        REFUSE + sql("SELECT LOAD_FILE('{F}')")),
                Form.of("the masked column and clear copies", Expect.ALLOWED, "SELECT id, name, ssn FROM lq_people",
                        "INSERT INTO lq_clear(id, note) SELECT id + 100, name FROM lq_people"));
    }

    @TestFactory
    Stream<DynamicTest> noFormCarriesTheSsnToAnAgentWhoMayNotRunCode() {
        return LaunderingFormsHarness.tests(forms(), this::fixture, this::drop, source(), this::clearPlaces, READ_BACKS,
                false);
    }

    @TestFactory
    Stream<DynamicTest> noFormCarriesTheSsnToAnAgentWhoMayRunCode() {
        return LaunderingFormsHarness.tests(forms(), this::fixture, this::drop, source(), this::clearPlaces, READ_BACKS,
                true);
    }

    /** MariaDB Connector/J's own connection and statements are out of the masked agent's reach. */
    @Test
    void theDriversOwnObjectsAreOutOfTheMaskedAgentsReach() throws Exception {
        fixture();
        try (Connection agent = new GovernedDataSource(source(), LaunderingFormsHarness.PERMISSIVE).getConnection();
             Statement s = agent.createStatement(); ResultSet rs = s.executeQuery("SELECT id, ssn FROM lq_people")) {
            for (Wrapper route : List.of(agent, s, rs, agent.getMetaData(), s.getConnection(), rs.getStatement())) {
                for (Class<?> vendor : List.of(org.mariadb.jdbc.Connection.class, org.mariadb.jdbc.Statement.class)) {
                    assertThat(route.isWrapperFor(vendor)).as("isWrapperFor %s of %s", vendor, route).isFalse();
                    assertThatThrownBy(() -> route.unwrap(vendor)).as("unwrap %s of %s", vendor, route)
                            .isInstanceOf(GovernanceException.class)
                            .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
                }
            }
        } finally {
            drop();
        }
    }
}
