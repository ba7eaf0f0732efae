package io.governed.jdbc.masking;

import io.governed.jdbc.masking.LaunderingFormsHarness.Expect;
import io.governed.jdbc.masking.LaunderingFormsHarness.Form;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.governed.jdbc.masking.LaunderingFormsHarness.REFUSE;

/**
 * {@link LaunderingFormsHarness} on PostgreSQL: {@code PREPARE}/{@code EXECUTE}, {@code DO} blocks, functions,
 * procedures, triggers, rules and event triggers the agent creates, {@code NOTIFY}, advisory locks, local settings,
 * {@code COPY}, large objects, tables in another schema, comments and the messages of failed casts.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@ServerWide("other sessions, server catalogs")
class PostgresLaunderingFormsIT {
    private static final String S = UniqueNames.of("lq");
    private static final String O = S + "_o";
    private static final String FILE = "/tmp/" + S + ".csv";
    private static final String CHANNEL = S + "_chan";

    private Connection listener;

    private static String sql(String template) {
        return template.replace("{S}", S).replace("{O}", O).replace("{F}", FILE).replace("{C}", CHANNEL);
    }

    private static DataSource source() {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(TestDatabase.POSTGRESQL.rawUrl());
        pg.setUser(TestDatabase.POSTGRESQL.user());
        pg.setCurrentSchema(S);
        return pg;
    }


    /** The raw connection that lays and drops the schemas, opened once for the class. */
    private static Connection admin;

    private static Connection admin() throws SQLException {
        if (admin == null || admin.isClosed()) {
            admin = TestDatabase.POSTGRESQL.connectRaw();
        }
        return admin;
    }

    /** Statements run on a raw statement. */
    private interface Work {
        void run(Statement s) throws SQLException;
    }

    /** {@code work} on {@link #admin} in one transaction: one commit instead of one per statement, no connection opened. */
    private static void inOneTransaction(Work work) throws SQLException {
        Connection raw = admin();
        raw.setAutoCommit(false);
        try (Statement s = raw.createStatement()) {
            work.run(s);
            raw.commit();
        } catch (SQLException e) {
            raw.rollback();
            throw e;
        } finally {
            raw.setAutoCommit(true);
        }
    }

    void fixture() throws SQLException {
        inOneTransaction(s -> {
            s.execute("DROP SCHEMA IF EXISTS " + S + ", " + O + " CASCADE");
            s.execute("CREATE SCHEMA " + S);
            s.execute("CREATE SCHEMA " + O);
            s.execute("SET LOCAL search_path TO " + S);
            LaunderingFormsHarness.sharedTables(s);
        });
        listener = TestDatabase.POSTGRESQL.connectRaw();
        try (Statement s = listener.createStatement()) {
            s.execute("LISTEN " + CHANNEL);
        }
    }


    void drop() throws SQLException {
        listener.close();
        inOneTransaction(s -> {
            // the event trigger's function lives in the schema: the cascade drops the event trigger with it
            s.execute("DROP SCHEMA IF EXISTS " + S + ", " + O + " CASCADE");
            for (String ssn : LaunderingFormsHarness.SSNS) {
                s.execute("SELECT lo_unlink(l.oid) FROM pg_largeobject_metadata l WHERE position('"
                        + ssn + "' in encode(lo_get(l.oid), 'escape')) > 0");
            }
        });
    }

    @AfterAll
    static void closeAdmin() throws SQLException {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }

    /**
     * Tables and their clear columns, sequences, comments, code, large objects, files, notifications, locks. The tables
     * and columns are read in one query from {@code pg_class} and {@code pg_attribute}: what
     * {@code information_schema.tables} and {@code .columns} list for a superuser (relations of kinds {@code r},
     * {@code v}, {@code f} and {@code p}; columns numbered above zero, not dropped, in their order), in the same order,
     * in one round trip instead of one per table, without the views' cost on the connection each form opens.
     */
    private String clearPlaces(Connection raw) throws SQLException {
        StringBuilder out = new StringBuilder();
        Map<String, List<String>> columnsOf = new LinkedHashMap<>();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT n.nspname, c.relname, a.attname "
                + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                + "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
                + "WHERE c.relkind IN ('r', 'v', 'f', 'p') AND n.nspname IN ('" + S + "', '" + O + "') AND a.attname <> 'ssn' "
                + "ORDER BY n.nspname, c.relname, a.attnum")) {
            while (rs.next()) {
                columnsOf.computeIfAbsent(rs.getString(1) + "." + rs.getString(2), k -> new ArrayList<>())
                        .add('"' + rs.getString(3) + '"');
            }
        }
        for (Map.Entry<String, List<String>> table : columnsOf.entrySet()) {
            out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT " + String.join(", ", table.getValue()) + " FROM "
                    + table.getKey()));
        }
        out.append(LaunderingFormsHarness.rowsOf(raw, sql("SELECT last_value FROM {S}.lq_seq")));
        out.append(LaunderingFormsHarness.rowsOf(raw, sql("SELECT d.description FROM pg_description d JOIN pg_class c "
                + "ON c.oid = d.objoid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('{S}', '{O}')")));
        out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT description FROM pg_shdescription"));
        out.append(LaunderingFormsHarness.rowsOf(raw, sql("SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n "
                + "ON n.oid = p.pronamespace WHERE n.nspname IN ('{S}', '{O}')")));
        out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT encode(lo_get(l.oid), 'escape') FROM pg_largeobject_metadata l"));
        out.append(LaunderingFormsHarness.rowsOf(raw, sql("SELECT pg_read_file('{F}', 0, 10000, true)")));
        out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT application_name FROM pg_stat_activity"));
        out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT classid, objid FROM pg_locks WHERE locktype = 'advisory'"));
        // an advisory lock keyed by a hash of an SSN: other sessions probe it with the hash of a guess
        Set<String> keys = new HashSet<>();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(sql("SELECT ssn, "
                + "(hashtext(ssn)::bigint & 4294967295)::text, (hashtext(ssn)::bigint >> 32 & 4294967295)::text "
                + "FROM {S}.lq_people"))) {
            while (rs.next()) {
                keys.add(rs.getString(2) + "/" + rs.getString(3) + "=" + rs.getString(1));
            }
        } catch (SQLException e) {
            out.append("no people: ").append(e.getSQLState()).append('\n');
        }
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT objid::text, classid::text FROM pg_locks WHERE locktype = 'advisory'")) {
            while (rs.next()) {
                String lock = rs.getString(1) + "/" + rs.getString(2);
                for (String key : keys) {
                    if (key.startsWith(lock + "=")) {
                        out.append("an advisory lock keyed by the hash of ").append(key.substring(lock.length() + 1));
                    }
                }
            }
        }
        try (Statement s = listener.createStatement()) {
            s.execute("SELECT 1");
        }
        PGNotification[] notes = listener.unwrap(PGConnection.class).getNotifications();
        if (notes != null) {
            for (PGNotification n : notes) {
                out.append("notification ").append(n.getName()).append(' ').append(n.getParameter()).append('\n');
            }
        }
        return out.toString();
    }

    private static final List<String> READ_BACKS = List.of(
            "SELECT * FROM lq_clear ORDER BY id", "SELECT * FROM lq_mid ORDER BY id", "SELECT * FROM lq_num ORDER BY id",
            sql("SELECT * FROM {O}.lq_copy"), "SELECT current_setting('lq.v', true)", "SHOW application_name",
            "SELECT last_value FROM lq_seq", "SELECT obj_description('lq_clear'::regclass)",
            "SELECT name FROM lq_people ORDER BY id");

    static List<Form> forms() {
        return List.of(
                // ---- statements prepared by name
                Form.of("PREPARE a query of the SSN, EXECUTE", Expect.NO_LEAK,
                        "PREPARE lq_p AS SELECT id, ssn FROM lq_people", "EXECUTE lq_p"),
                Form.of("PREPARE an insert, EXECUTE with the SSN as argument", Expect.REFUSED,
                        "PREPARE lq_i(text) AS INSERT INTO lq_clear(id, note) VALUES (10, $1)",
                        REFUSE + "EXECUTE lq_i((SELECT ssn FROM lq_people WHERE id = 1))"),
                Form.of("PREPARE an insert select of the SSN, EXECUTE", Expect.NO_LEAK,
                        "PREPARE lq_c AS INSERT INTO lq_clear(id, note) SELECT id + 10, ssn FROM lq_people",
                        "EXECUTE lq_c"),
                Form.of("EXECUTE a statement prepared through the protocol's name", Expect.NO_LEAK,
                        "PREPARE lq_cast AS SELECT CAST(ssn AS integer) FROM lq_people", "EXECUTE lq_cast"),
                // ---- code the agent creates or runs
                Form.of("DO block copies the SSN", Expect.REFUSED,
                        REFUSE + "DO $$ BEGIN INSERT INTO lq_clear(id, note) SELECT id + 20, ssn FROM lq_people; END $$"),
                Form.of("DO block raises the SSN", Expect.NO_LEAK,
                        "DO $$ BEGIN RAISE NOTICE '%', (SELECT ssn FROM lq_people WHERE id = 1); END $$",
                        "DO $$ BEGIN RAISE EXCEPTION '%', (SELECT ssn FROM lq_people WHERE id = 1); END $$"),
                Form.of("DO block comments with the SSN through EXECUTE format", Expect.REFUSED,
                        REFUSE + "DO $$ BEGIN EXECUTE format('COMMENT ON TABLE lq_clear IS %L', "
                                + "(SELECT ssn FROM lq_people WHERE id = 1)); END $$"),
                Form.of("SQL function reads the SSN, called", Expect.NO_LEAK,
                        "CREATE FUNCTION lq_f() RETURNS text LANGUAGE sql AS $$ SELECT ssn FROM lq_people WHERE id = 1 $$",
                        "SELECT lq_f()", "INSERT INTO lq_clear(id, note) VALUES (30, lq_f())"),
                Form.of("PL/pgSQL security definer function copies the SSN, called", Expect.NO_LEAK,
                        "CREATE FUNCTION lq_g() RETURNS int LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN "
                                + "INSERT INTO lq_clear(id, note) SELECT id + 35, ssn FROM lq_people; RETURN 1; END $$",
                        "SELECT lq_g()"),
                Form.of("procedure copies the SSN, CALL", Expect.NO_LEAK,
                        "CREATE PROCEDURE lq_pr() LANGUAGE sql AS $$ INSERT INTO lq_clear(id, note) "
                                + "SELECT id + 40, ssn FROM lq_people $$", "CALL lq_pr()"),
                Form.of("trigger copies the SSN into a harmless insert", Expect.NO_LEAK,
                        "CREATE FUNCTION lq_tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                                + "NEW.note := (SELECT ssn FROM lq_people WHERE id = 1); RETURN NEW; END $$",
                        "CREATE TRIGGER lq_t BEFORE INSERT ON lq_clear FOR EACH ROW EXECUTE FUNCTION lq_tf()",
                        "INSERT INTO lq_clear(id, note) VALUES (50, 'harmless')"),
                Form.of("rule copies the SSN on a harmless insert", Expect.NO_LEAK,
                        "CREATE RULE lq_r AS ON INSERT TO lq_mid DO ALSO INSERT INTO lq_clear(id, note) "
                                + "SELECT id + 60, ssn FROM lq_people",
                        "INSERT INTO lq_mid(id, note) VALUES (1, 'x')"),
                Form.of("event trigger copies the SSN on the agent's next DDL", Expect.NO_LEAK,
                        sql("CREATE FUNCTION lq_ef() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN "
                                + "IF current_schema() = '{S}' THEN INSERT INTO {S}.lq_clear(id, note) "
                                + "SELECT id + 70, ssn FROM {S}.lq_people; END IF; END $$"),
                        sql("CREATE EVENT TRIGGER {S}_e ON ddl_command_end EXECUTE FUNCTION {S}.lq_ef()"),
                        "CREATE TABLE lq_copy(id INT)"),
                // ---- side channels of the server
                Form.of("pg_notify with the SSN as payload", Expect.REFUSED,
                        REFUSE + sql("SELECT pg_notify('{C}', ssn) FROM lq_people WHERE id = 1")),
                Form.of("pg_notify and NOTIFY with a clear payload", Expect.NO_LEAK,
                        sql("SELECT pg_notify('{C}', name) FROM lq_people WHERE id = 1"), sql("NOTIFY {C}, 'hello'")),
                Form.of("advisory lock keyed by a hash of the SSN", Expect.REFUSED,
                        REFUSE + "SELECT pg_advisory_lock(hashtext(ssn)) FROM lq_people WHERE id = 1",
                        REFUSE + "SELECT pg_try_advisory_lock(replace(ssn, '-', '')::bigint) FROM lq_people WHERE id = 1"),
                Form.of("advisory lock with a constant key", Expect.ALLOWED,
                        "SELECT pg_advisory_lock(42)", "SELECT pg_advisory_unlock(42)"),
                Form.of("set_config local in a transaction, read back and copied", Expect.NO_LEAK,
                        "BEGIN", "SELECT set_config('lq.v', ssn, true) FROM lq_people WHERE id = 1",
                        "SELECT current_setting('lq.v', true)",
                        "INSERT INTO lq_clear(id, note) VALUES (80, current_setting('lq.v', true))", "COMMIT"),
                Form.of("set_config of application_name, which every session reads", Expect.REFUSED,
                        REFUSE + "SELECT set_config('application_name', ssn, false) FROM lq_people WHERE id = 1"),
                Form.of("set_config of a listed setting with a number from the SSN", Expect.REFUSED,
                        REFUSE + "SELECT set_config('statement_timeout', replace(ssn, '-', ''), false) FROM lq_people "
                                + "WHERE id = 1"),
                Form.of("COPY of the SSN to STDOUT", Expect.NO_LEAK, "COPY (SELECT ssn FROM lq_people) TO STDOUT"),
                Form.of("COPY of the SSN to a server file", Expect.REFUSED,
                        REFUSE + sql("COPY (SELECT ssn FROM lq_people) TO '{F}'")),
                Form.of("COPY FROM PROGRAM", Expect.REFUSED,
                        REFUSE + "COPY lq_clear(id, note) FROM PROGRAM 'echo 90,x' WITH (FORMAT csv)"),
                Form.of("large object from the SSN", Expect.REFUSED,
                        REFUSE + "SELECT lo_from_bytea(0, convert_to(ssn, 'UTF8')) FROM lq_people WHERE id = 1"),
                Form.of("CREATE TABLE AS of the SSN in another schema", Expect.REFUSED,
                        REFUSE + sql("CREATE TABLE {O}.lq_copy AS SELECT id, ssn AS note FROM lq_people")),
                Form.of("CREATE TABLE AS of a clear column in another schema", Expect.ALLOWED,
                        sql("CREATE TABLE {O}.lq_copy AS SELECT id, name AS note FROM lq_people")),
                Form.of("ALTER SEQUENCE RESTART with a constant", Expect.ALLOWED, "ALTER SEQUENCE lq_seq RESTART WITH 5"),
                Form.of("COMMENT ON TABLE with a constant", Expect.NO_LEAK, "COMMENT ON TABLE lq_clear IS 'clear'"),
                Form.of("statements other sessions ran", Expect.NO_LEAK,
                        "SELECT query FROM pg_stat_activity", "SELECT query FROM pg_stat_statements"),
                // ---- messages of errors and warnings
                Form.of("cast of the SSN to integer in a query", Expect.REFUSED,
                        REFUSE + "SELECT CAST(ssn AS integer) FROM lq_people", REFUSE + "SELECT ssn::int FROM lq_people"),
                Form.of("the SSN into an integer column", Expect.REFUSED,
                        REFUSE + "INSERT INTO lq_num(id, n) SELECT id, ssn::bigint FROM lq_people",
                        REFUSE + "INSERT INTO lq_num(id, n) SELECT id, ssn FROM lq_people"),
                Form.of("a write whose error reports the failing row with its SSN", Expect.NO_LEAK,
                        "UPDATE lq_people SET name = NULL WHERE id = 1",
                        "UPDATE lq_people SET ssn = (SELECT q.ssn FROM lq_people q WHERE q.id = 1) WHERE id = 2",
                        "INSERT INTO lq_people(id, name, ssn) SELECT id + 10, name, ssn FROM lq_people"),
                Form.of("a cast error of a clear column", Expect.NO_LEAK, "SELECT CAST(name AS integer) FROM lq_people"),
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
