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
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.StringWriter;
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
 * A masked SSN carried from one statement to the next on PostgreSQL, through what the session or the server keeps
 * between them: custom settings read back by {@code current_setting}, {@code SHOW} and {@code pg_settings} (also
 * written through {@code UPDATE pg_settings}), temporary tables ({@code CREATE TEMP TABLE … AS}, {@code SELECT … INTO
 * TEMP}), views and materialized views the agent creates (and {@code REFRESH}es), cursors declared by SQL and read by
 * {@code FETCH} (also {@code WITH HOLD} past the transaction), statements prepared by SQL, data-modifying {@code WITH}
 * queries, {@code EXPLAIN ANALYZE} (which runs its statement), sequences ({@code setval} then {@code currval}),
 * advisory locks read back from {@code pg_locks}, notifications, large objects ({@code lo_from_bytea}, {@code lo_put},
 * read back by {@code lo_get}) and pgjdbc's COPY API reached through {@code unwrap}. Each form runs through {@link
 * LaunderingFormsHarness}: after every statement a raw connection reads every clear place, and every value the agent
 * gets back is read through every getter.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@ServerWide("other sessions")
class PostgresCarriedAcrossStatementsIT {
    private static final String S = UniqueNames.of("xs");
    private static final String O = S + "_o";
    private static final String CHANNEL = S + "_chan";

    private static String sql(String template) {
        return template.replace("{S}", S).replace("{O}", O).replace("{C}", CHANNEL);
    }

    private static DataSource source() {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(TestDatabase.POSTGRESQL.rawUrl());
        pg.setUser(TestDatabase.POSTGRESQL.user());
        pg.setCurrentSchema(S);
        return pg;
    }

    void fixture() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + S + ", " + O + " CASCADE");
            s.execute("CREATE SCHEMA " + S);
            s.execute("CREATE SCHEMA " + O);
            s.execute("SET search_path TO " + S);
            LaunderingFormsHarness.sharedTables(s);
        }
    }

    void drop() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + S + ", " + O + " CASCADE");
            for (String ssn : LaunderingFormsHarness.SSNS) {
                s.execute("SELECT lo_unlink(l.oid) FROM pg_largeobject_metadata l WHERE position('"
                        + ssn + "' in encode(lo_get(l.oid), 'escape')) > 0");
            }
        }
    }

    /**
     * Every clear column of every table and materialized view of the two schemas (a materialized view keeps rows of
     * its own, and is not in {@code information_schema.tables}; a view keeps none: its owner reads the tables beneath
     * it), the sequence, large objects and advisory locks.
     */
    private String clearPlaces(Connection raw) throws SQLException {
        StringBuilder out = new StringBuilder();
        List<String> relations = new ArrayList<>();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(sql("SELECT n.nspname || '.' || c.relname "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('{S}', '{O}') "
                + "AND c.relkind IN ('r', 'm', 'p') ORDER BY 1"))) {
            while (rs.next()) {
                relations.add(rs.getString(1));
            }
        }
        for (String relation : relations) {
            List<String> columns = new ArrayList<>();
            try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT attname FROM pg_attribute "
                    + "WHERE attrelid = '" + relation + "'::regclass AND attnum > 0 AND NOT attisdropped "
                    + "AND attname <> 'ssn' ORDER BY attnum")) {
                while (rs.next()) {
                    columns.add('"' + rs.getString(1) + '"');
                }
            }
            if (!columns.isEmpty()) {
                out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT " + String.join(", ", columns) + " FROM " + relation));
            }
        }
        out.append(LaunderingFormsHarness.rowsOf(raw, sql("SELECT last_value FROM {S}.lq_seq")));
        out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT encode(lo_get(l.oid), 'escape') FROM pg_largeobject_metadata l"));
        out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT classid, objid FROM pg_locks WHERE locktype = 'advisory'"));
        out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT application_name FROM pg_stat_activity"));
        return out.toString();
    }

    /** What the agent reads to collect what it left: settings every way, copies, cursors, locks, large objects. */
    private static final List<String> READ_BACKS = List.of(
            "SELECT * FROM lq_clear ORDER BY id", "SELECT * FROM lq_mid ORDER BY id", "SELECT * FROM lq_num ORDER BY id",
            "SELECT current_setting('xs.v', true), current_setting('xs.w', true)", "SHOW xs.v",
            "SELECT name, setting, reset_val, boot_val FROM pg_settings WHERE name LIKE 'xs.%' OR name = 'application_name'",
            "SHOW ALL", "SELECT * FROM lq_t", "SELECT * FROM lq_t2", "SELECT * FROM lq_v", sql("SELECT * FROM {O}.lq_v"),
            "SELECT * FROM lq_mv", "SELECT * FROM lq_tv", "FETCH ALL FROM lq_c", "FETCH ALL FROM lq_h",
            "SELECT last_value FROM lq_seq", "SELECT currval('lq_seq')",
            "SELECT classid, objid FROM pg_locks WHERE locktype = 'advisory'",
            "SELECT encode(lo_get(l.oid), 'escape') FROM pg_largeobject_metadata l",
            "SELECT name FROM lq_people ORDER BY id");

    static List<Form> forms() {
        return List.of(
                // ---- settings
                Form.of("set_config of a custom setting from the SSN, read back every way", Expect.REFUSED,
                        REFUSE + "SELECT set_config('xs.v', ssn, false) FROM lq_people WHERE id = 1",
                        "SELECT current_setting('xs.v', true)", "SHOW xs.v",
                        "SELECT setting FROM pg_settings WHERE name = 'xs.v'"),
                Form.of("set_config from the SSN in a WITH query, a scalar subquery and a prepared statement",
                        Expect.REFUSED,
                        REFUSE + "WITH x AS (SELECT set_config('xs.v', ssn, false) AS s FROM lq_people WHERE id = 1) "
                                + "SELECT count(*) FROM x",
                        REFUSE + "SELECT (SELECT set_config('xs.v', ssn, false) FROM lq_people WHERE id = 1)",
                        REFUSE + "SELECT pg_catalog.set_config('xs.v', p.ssn, false) FROM lq_people p WHERE p.id = 1",
                        "PREPARE xs_k AS SELECT set_config('xs.v', ssn, false) FROM lq_people WHERE id = 1",
                        REFUSE + "EXECUTE xs_k"),
                Form.of("UPDATE pg_settings to the SSN, which sets it as set_config does", Expect.REFUSED,
                        "SET xs.v = 'clear'",
                        REFUSE + "UPDATE pg_settings SET setting = (SELECT ssn FROM lq_people WHERE id = 1) "
                                + "WHERE name = 'xs.v'",
                        REFUSE + "UPDATE pg_settings SET setting = (SELECT ssn FROM lq_people WHERE id = 1) "
                                + "WHERE name = 'application_name'"),
                Form.of("a setting from a copy of the SSN in a view of the agent's", Expect.REFUSED,
                        "CREATE VIEW lq_v AS SELECT id, ssn AS note FROM lq_people",
                        REFUSE + "SELECT set_config('xs.v', note, false) FROM lq_v WHERE id = 1"),
                Form.of("a custom setting given a constant, read back", Expect.NO_LEAK,
                        "SET xs.v = 'clear'", "SHOW xs.v", "SELECT current_setting('xs.v')",
                        "SELECT setting FROM pg_settings WHERE name = 'xs.v'"),
                Form.of("set_config of a clear column, read back", Expect.NO_LEAK,
                        "SELECT set_config('xs.w', name, false) FROM lq_people WHERE id = 1",
                        "SELECT current_setting('xs.w')"),
                // ---- temporary and ordinary objects
                Form.of("temporary tables of the SSN", Expect.REFUSED,
                        REFUSE + "CREATE TEMP TABLE lq_t AS SELECT id, ssn AS note FROM lq_people",
                        REFUSE + "SELECT id, ssn AS note INTO TEMP lq_t2 FROM lq_people",
                        REFUSE + "SELECT id, ssn AS note INTO TEMPORARY TABLE lq_t2 FROM lq_people"),
                Form.of("a table of the agent's filled with the SSN, in its schema and another", Expect.REFUSED,
                        REFUSE + "INSERT INTO lq_clear(id, note) SELECT id + 10, ssn FROM lq_people",
                        REFUSE + "SELECT id, ssn AS note INTO lq_copy FROM lq_people",
                        REFUSE + sql("CREATE TABLE {O}.lq_copy AS SELECT id, ssn AS note FROM lq_people")),
                Form.of("a view of the SSN the agent creates, read back and copied", Expect.REFUSED,
                        "CREATE VIEW lq_v AS SELECT id, ssn AS note, upper(ssn) AS loud FROM lq_people",
                        "SELECT * FROM lq_v", "SELECT note, loud FROM lq_v",
                        REFUSE + "INSERT INTO lq_clear(id, note) SELECT id + 20, note FROM lq_v",
                        REFUSE + "CREATE TABLE lq_copy AS SELECT * FROM lq_v"),
                Form.of("a view of the SSN in another schema, renamed column, read back", Expect.NO_LEAK,
                        sql("CREATE VIEW {O}.lq_v AS SELECT id, ssn AS note FROM {S}.lq_people"),
                        sql("ALTER VIEW {O}.lq_v RENAME COLUMN note TO other"),
                        sql("SELECT * FROM {O}.lq_v"),
                        sql("CREATE OR REPLACE VIEW {O}.lq_v AS SELECT id, concat(ssn, '') AS other FROM {S}.lq_people"),
                        sql("SELECT * FROM {O}.lq_v")),
                Form.of("a temporary view of the SSN, read back and copied", Expect.REFUSED,
                        REFUSE + "CREATE TEMP VIEW lq_tv AS SELECT id, ssn AS note FROM lq_people",
                        "SELECT * FROM lq_tv", "INSERT INTO lq_clear(id, note) SELECT id + 25, note FROM lq_tv"),
                Form.of("a temporary view named as the masked table, its clear column the SSN", Expect.REFUSED,
                        REFUSE + sql("CREATE TEMPORARY VIEW lq_people AS SELECT id, ssn AS name, ssn FROM {S}.lq_people"),
                        "SELECT id, name FROM lq_people",
                        "INSERT INTO lq_clear(id, note) SELECT id + 27, name FROM lq_people"),
                Form.of("a materialized view of the SSN, refreshed, read back and copied", Expect.REFUSED,
                        REFUSE + "CREATE MATERIALIZED VIEW lq_mv AS SELECT id, ssn AS note FROM lq_people",
                        "SELECT * FROM lq_mv"),
                Form.of("a materialized view of the SSN made without data, then refreshed", Expect.REFUSED,
                        REFUSE + "CREATE MATERIALIZED VIEW lq_mv AS SELECT id, ssn AS note FROM lq_people WITH NO DATA",
                        REFUSE + "REFRESH MATERIALIZED VIEW lq_mv", "SELECT * FROM lq_mv"),
                Form.of("a materialized view of a clear column", Expect.NO_LEAK,
                        "CREATE MATERIALIZED VIEW lq_mv AS SELECT id, name AS note FROM lq_people",
                        "REFRESH MATERIALIZED VIEW lq_mv", "SELECT * FROM lq_mv"),
                Form.of("data-modifying WITH queries carrying the SSN", Expect.REFUSED,
                        REFUSE + "WITH w AS (INSERT INTO lq_clear(id, note) SELECT id + 30, ssn FROM lq_people "
                                + "RETURNING id) SELECT count(*) FROM w",
                        REFUSE + "WITH s AS (SELECT id, ssn FROM lq_people) INSERT INTO lq_clear(id, note) "
                                + "SELECT id + 40, ssn FROM s",
                        REFUSE + "WITH w AS (UPDATE lq_clear SET note = (SELECT ssn FROM lq_people WHERE id = 1) "
                                + "WHERE id = 1 RETURNING note) SELECT * FROM w",
                        REFUSE + "WITH w AS (DELETE FROM lq_mid RETURNING id) INSERT INTO lq_clear(id, note) "
                                + "SELECT p.id + 50, p.ssn FROM lq_people p"),
                Form.of("EXPLAIN ANALYZE, which runs its statement, of a copy and a setting", Expect.REFUSED,
                        REFUSE + "EXPLAIN ANALYZE INSERT INTO lq_clear(id, note) SELECT id + 60, ssn FROM lq_people",
                        REFUSE + "EXPLAIN ANALYZE SELECT set_config('xs.v', ssn, false) FROM lq_people WHERE id = 1",
                        REFUSE + "EXPLAIN (ANALYZE) CREATE TABLE lq_copy AS SELECT id, ssn AS note FROM lq_people"),
                // ---- statements prepared, cursors declared by SQL
                Form.of("PREPARE a query of the SSN, EXECUTE", Expect.NO_LEAK,
                        "PREPARE xs_p AS SELECT id, ssn, upper(ssn) AS loud FROM lq_people", "EXECUTE xs_p"),
                Form.of("PREPARE a copy of the SSN, EXECUTE", Expect.REFUSED,
                        "PREPARE xs_c AS INSERT INTO lq_clear(id, note) SELECT id + 70, ssn FROM lq_people",
                        REFUSE + "EXECUTE xs_c"),
                Form.of("a cursor of the SSN declared by SQL, fetched", Expect.NO_LEAK,
                        "BEGIN", "DECLARE lq_c CURSOR FOR SELECT id, ssn, upper(ssn) AS loud FROM lq_people",
                        "FETCH 1 FROM lq_c", "FETCH ALL FROM lq_c", "MOVE ABSOLUTE 0 IN lq_c", "FETCH NEXT IN lq_c",
                        "FETCH BACKWARD 1 FROM lq_c", "COMMIT"),
                Form.of("a cursor of the SSN held past its transaction, fetched later", Expect.NO_LEAK,
                        "DECLARE lq_h SCROLL CURSOR WITH HOLD FOR SELECT id, ssn AS note FROM lq_people",
                        "FETCH ALL FROM lq_h", "FETCH ABSOLUTE 1 FROM lq_h", "CLOSE lq_h"),
                Form.of("a cursor of a copy of the SSN, fetched into a table", Expect.NO_LEAK,
                        "BEGIN", "DECLARE lq_c CURSOR FOR SELECT id, ssn AS note FROM lq_people",
                        "INSERT INTO lq_clear(id, note) SELECT 80, 'x' WHERE EXISTS (SELECT 1)",
                        "FETCH ALL FROM lq_c", "COMMIT"),
                Form.of("COPY of the SSN to STDOUT by a statement", Expect.NO_LEAK,
                        "COPY (SELECT ssn FROM lq_people) TO STDOUT", "COPY lq_people TO STDOUT"),
                // ---- side channels of the server
                Form.of("a sequence set from the SSN, read back by currval and last_value", Expect.REFUSED,
                        REFUSE + "SELECT setval('lq_seq', replace(ssn, '-', '')::bigint) FROM lq_people WHERE id = 1",
                        REFUSE + "SELECT setval('lq_seq', length(ssn)) FROM lq_people WHERE id = 1",
                        REFUSE + "SELECT setval('lq_seq', ascii(substr(ssn, 1, 1))) FROM lq_people WHERE id = 1",
                        REFUSE + "SELECT nextval('lq_seq') FROM lq_people WHERE ssn LIKE '5%'",
                        "SELECT currval('lq_seq')", "SELECT last_value FROM lq_seq"),
                Form.of("a sequence advanced by a constant", Expect.NO_LEAK,
                        "SELECT setval('lq_seq', 7)", "SELECT nextval('lq_seq')", "SELECT currval('lq_seq')"),
                Form.of("advisory locks keyed by the SSN, read back from pg_locks", Expect.REFUSED,
                        REFUSE + "SELECT pg_advisory_lock(hashtext(ssn)) FROM lq_people WHERE id = 1",
                        REFUSE + "SELECT pg_try_advisory_lock_shared(ascii(ssn), 1) FROM lq_people WHERE id = 1",
                        "BEGIN",
                        REFUSE + "SELECT pg_advisory_xact_lock(replace(ssn, '-', '')::bigint) FROM lq_people WHERE id = 1",
                        "SELECT classid, objid FROM pg_locks WHERE locktype = 'advisory'", "ROLLBACK"),
                Form.of("notifications with the SSN to the agent's own LISTEN", Expect.REFUSED,
                        sql("LISTEN {C}"),
                        REFUSE + sql("SELECT pg_notify('{C}', ssn) FROM lq_people WHERE id = 1"),
                        REFUSE + sql("SELECT pg_notify('{C}', v.note) FROM (SELECT ssn AS note FROM lq_people) v")),
                Form.of("large objects of the SSN, read back by lo_get", Expect.REFUSED,
                        REFUSE + "SELECT lo_from_bytea(0, ssn::bytea) FROM lq_people WHERE id = 1",
                        REFUSE + "SELECT lo_from_bytea(0, convert_to(ssn, 'UTF8')) FROM lq_people WHERE id = 1",
                        REFUSE + "SELECT lo_put(lo_create(0), 0, convert_to(ssn, 'UTF8')) FROM lq_people WHERE id = 1",
                        "SELECT encode(lo_get(l.oid), 'escape') FROM pg_largeobject_metadata l"),
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

    /**
     * pgjdbc's COPY API moves rows without a statement the gate sees: the masked agent reaches it through no route,
     * and a raw connection shows that nothing was copied.
     */
    @Test
    void theCopyApiIsOutOfTheMaskedAgentsReach() throws Exception {
        fixture();
        try (Connection agent = new GovernedDataSource(source(), LaunderingFormsHarness.PERMISSIVE).getConnection();
             Statement s = agent.createStatement(); ResultSet rs = s.executeQuery("SELECT id, ssn FROM lq_people")) {
            for (Wrapper route : List.of(agent, s, rs, agent.getMetaData(), s.getConnection(), rs.getStatement())) {
                assertThat(route.isWrapperFor(PGConnection.class)).as("isWrapperFor of %s", route).isFalse();
                assertThatThrownBy(() -> {
                    CopyManager copy = route.unwrap(PGConnection.class).getCopyAPI();
                    StringWriter out = new StringWriter();
                    copy.copyOut("COPY (SELECT ssn FROM lq_people) TO STDOUT", out);
                    LaunderingFormsHarness.assertNoSsn(Form.of("COPY API", Expect.NO_LEAK), "COPY out", out.toString());
                }).as("unwrap of %s", route).isInstanceOf(GovernanceException.class)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            }
        } finally {
            drop();
        }
    }
}
