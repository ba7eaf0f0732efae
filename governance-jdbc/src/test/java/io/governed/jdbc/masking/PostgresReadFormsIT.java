package io.governed.jdbc.masking;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@link ReadFormsSweep} on PostgreSQL: whole-row and composite references ({@code SELECT p}, {@code p::text},
 * {@code to_jsonb(p)}, {@code (p).ssn}, {@code ROW(p.*)}, {@code format('%s', p)}), aggregates and ordered-set functions
 * over the column or the row, grouping sets, LATERAL, recursive CTEs, {@code VALUES}, {@code TABLE}, renamed columns of
 * tables and derived tables, {@code SELECT … INTO}, {@code CREATE TABLE AS}, {@code RETURNING} of every write, cursors,
 * {@code EXPLAIN ANALYZE VERBOSE}, {@code pg_stats}, XML and JSON functions over queries, settings and notifications,
 * conversions whose errors would quote the value, DDL whose errors would (a column's type changed, an index on a cast),
 * renamed and generated columns, views and materialized views. No form shows or leaves an SSN in clear; each is run by an
 * agent and an analyst the mask applies to.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresReadFormsIT {
    private static final String S = UniqueNames.of("sw_rf");

    private static final List<List<String>> FORMS = List.of(
            List.of("UPDATE lq_people SET name = name WHERE id = 1"),
            List.of("DELETE FROM lq_people WHERE id = 3"),
            List.of("INSERT INTO lq_people(id, name, ssn) SELECT 9, 'n', '000-00-0000'"),
            List.of("SELECT p FROM lq_people p"),
            List.of("SELECT p::text FROM lq_people p"),
            List.of("SELECT to_jsonb(p), row_to_json(p) FROM lq_people p"),
            List.of("SELECT ROW(p.*) FROM lq_people p"),
            List.of("SELECT (p).ssn FROM lq_people p"),
            List.of("SELECT concat(p.*) FROM lq_people p"),
            List.of("SELECT format('%s', p) FROM lq_people p"),
            List.of("SELECT json_agg(p), array_agg(p) FROM lq_people p"),
            List.of("SELECT array_agg(ssn) FROM lq_people"),
            List.of("SELECT string_agg(ssn, ',') FROM lq_people"),
            List.of("SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY ssn) FROM lq_people"),
            List.of("SELECT mode() WITHIN GROUP (ORDER BY ssn) FROM lq_people"),
            List.of("SELECT ssn, count(*) FROM lq_people GROUP BY GROUPING SETS ((ssn), ())"),
            List.of("SELECT min(ssn), max(ssn) FROM lq_people"),
            List.of("SELECT x.s FROM lq_people p, LATERAL (SELECT p.ssn AS s) x"),
            List.of("SELECT x FROM lq_people p, LATERAL (SELECT p.ssn AS s) x"),
            List.of("WITH RECURSIVE r(s, n) AS (SELECT ssn, 1 FROM lq_people UNION ALL SELECT s, n + 1 FROM r WHERE n < 2) SELECT s FROM r"),
            List.of("SELECT v.i, p.ssn FROM (VALUES (1)) v(i) JOIN lq_people p ON p.id = v.i"),
            List.of("TABLE lq_people"),
            List.of("SELECT ssn AS note INTO lq_new FROM lq_people", "SELECT * FROM lq_new"),
            List.of("CREATE TABLE lq_ct AS SELECT ssn AS note FROM lq_people", "SELECT * FROM lq_ct"),
            List.of("CREATE TABLE lq_ct2 AS TABLE lq_people", "SELECT * FROM lq_ct2"),
            List.of("CREATE TABLE lq_ct3 (LIKE lq_people)", "INSERT INTO lq_ct3 TABLE lq_people", "SELECT * FROM lq_ct3"),
            List.of("UPDATE lq_people SET name = name WHERE id = 1 RETURNING ssn"),
            List.of("UPDATE lq_people SET name = name WHERE id = 1 RETURNING *"),
            List.of("UPDATE lq_people SET name = name WHERE id = 1 RETURNING lq_people"),
            List.of("UPDATE lq_people SET name = name WHERE id = 1 RETURNING lq_people::text"),
            List.of("DELETE FROM lq_people WHERE id = 3 RETURNING ssn"),
            List.of("DELETE FROM lq_people WHERE id = 3 RETURNING lq_people"),
            List.of("INSERT INTO lq_mid(id, note) SELECT id, name FROM lq_people RETURNING (SELECT ssn FROM lq_people q WHERE q.id = lq_mid.id)"),
            List.of("UPDATE lq_clear c SET note = note FROM lq_people p WHERE p.id = c.id RETURNING p.ssn"),
            List.of("UPDATE lq_clear c SET note = note FROM lq_people p WHERE p.id = c.id RETURNING p"),
            List.of("UPDATE lq_clear c SET note = note FROM lq_people p WHERE p.id = c.id RETURNING c.*, p.*"),
            List.of("INSERT INTO lq_people(id, name, ssn) VALUES (1, 'x', '000-00-0000') ON CONFLICT (id) DO UPDATE SET name = 'y' RETURNING ssn"),
            List.of("INSERT INTO lq_people(id, name, ssn) VALUES (1, 'x', '000-00-0000') ON CONFLICT (id) DO UPDATE SET name = excluded.name RETURNING lq_people"),
            List.of("BEGIN", "DECLARE lq_c CURSOR FOR SELECT ssn FROM lq_people", "FETCH ALL FROM lq_c", "COMMIT"),
            List.of("BEGIN", "DECLARE lq_c CURSOR FOR SELECT p FROM lq_people p", "FETCH ALL FROM lq_c", "COMMIT"),
            List.of("BEGIN", "DECLARE lq_c CURSOR FOR SELECT id FROM lq_people", "FETCH ALL FROM lq_c", "COMMIT"),
            List.of("BEGIN", "DECLARE lq_c SCROLL CURSOR FOR SELECT ssn FROM lq_people", "MOVE LAST IN lq_c", "FETCH PRIOR FROM lq_c", "COMMIT"),
            List.of("EXPLAIN (ANALYZE, VERBOSE) SELECT ssn FROM lq_people"),
            List.of("EXPLAIN (VERBOSE, FORMAT JSON) SELECT * FROM lq_people WHERE id = 1"),
            List.of("SELECT most_common_vals::text, histogram_bounds::text FROM pg_stats WHERE attname = 'ssn'"),
            List.of("SELECT set_config('lq.v', ssn, false) FROM lq_people WHERE id = 1", "SELECT current_setting('lq.v')"),
            List.of("SELECT pg_notify('x', ssn) FROM lq_people"),
            List.of("SELECT CAST(ssn AS int) FROM lq_people"),
            List.of("SELECT ssn::date FROM lq_people"),
            List.of("SELECT to_number(ssn, 'FM') FROM lq_people"),
            List.of("SELECT jsonb_build_object('a', ssn) FROM lq_people"),
            List.of("SELECT ARRAY[ssn] FROM lq_people"),
            List.of("SELECT ARRAY(SELECT ssn FROM lq_people)"),
            List.of("SELECT (SELECT array_agg(q) FROM lq_people q)"),
            List.of("SELECT jsonb_agg(q) FROM (SELECT * FROM lq_people) q"),
            List.of("SELECT xmlelement(name a, ssn) FROM lq_people"),
            List.of("SELECT query_to_xml('SELECT ssn FROM lq_people', true, false, '')"),
            List.of("SELECT table_to_xml('lq_people', true, false, '')"),
            List.of("SELECT cursor_to_xml('c', 1, true, false, '')"),
            List.of("SELECT * FROM ROWS FROM (json_to_recordset((SELECT json_agg(p) FROM lq_people p))) AS x(id int, ssn text)"),
            List.of("SELECT x.* FROM lq_people p CROSS JOIN LATERAL jsonb_each_text(to_jsonb(p)) x"),
            List.of("SELECT t.* FROM lq_people p, unnest(ARRAY[p.ssn]) t"),
            List.of("SELECT * FROM unnest((SELECT array_agg(ssn) FROM lq_people))"),
            List.of("SELECT x FROM regexp_split_to_table((SELECT string_agg(ssn, ',') FROM lq_people), ',') x"),
            List.of("SELECT (SELECT ssn FROM lq_people WHERE id = 1) AS note"),
            List.of("SELECT name FROM lq_people ORDER BY ssn LIMIT 1 OFFSET 1"),
            List.of("SELECT DISTINCT ON (ssn) id FROM lq_people"),
            List.of("SELECT count(*) FILTER (WHERE ssn LIKE '5%') FROM lq_people"),
            List.of("SELECT * FROM lq_people p WHERE p > ROW(0, '', '')"),
            List.of("SELECT (p).* FROM lq_people p"),
            List.of("SELECT (p::lq_people).* FROM lq_people p"),
            List.of("SELECT (x).ssn FROM (SELECT p AS x FROM lq_people p) s"),
            List.of("SELECT ((SELECT p FROM lq_people p WHERE id = 1)).ssn"),
            List.of("SELECT ((SELECT p FROM lq_people p WHERE id = 1)).*"),
            List.of("SELECT (ROW(1, 'a', ssn)::lq_people).ssn FROM lq_people"),
            List.of("SELECT (populate_record(null::lq_clear, to_jsonb(p) - 'note' || jsonb_build_object('note', p.ssn))).note FROM lq_people p"),
            List.of("SELECT (jsonb_populate_record(null::lq_clear, jsonb_build_object('id', 1, 'note', p.ssn))).note FROM lq_people p"),
            List.of("SELECT n.note FROM lq_people p, jsonb_populate_record(null::lq_clear, jsonb_build_object('id', 1, 'note', p.ssn)) n"),
            List.of("SELECT n.note FROM lq_people p, jsonb_to_record(to_jsonb(p)) AS n(note text, ssn text)"),
            List.of("SELECT n.ssn FROM lq_people p, jsonb_to_record(to_jsonb(p)) AS n(ssn text)"),
            List.of("SELECT pg_column_size(ssn), length(ssn) FROM lq_people"),
            List.of("SELECT lq_people.ssn FROM lq_people"),
            List.of("SELECT \"SSN\" FROM (SELECT ssn AS \"SSN\" FROM lq_people) x"),
            List.of("WITH w AS MATERIALIZED (SELECT ssn AS note FROM lq_people) SELECT note FROM w"),
            List.of("WITH w(note) AS (SELECT ssn FROM lq_people) SELECT note FROM w"),
            List.of("WITH w AS (UPDATE lq_people SET name = name RETURNING ssn AS note) SELECT note FROM w"),
            List.of("WITH w AS (DELETE FROM lq_people WHERE id = 3 RETURNING ssn AS note) INSERT INTO lq_clear(id, note) SELECT 9, note FROM w"),
            List.of("WITH w AS (SELECT ssn AS note FROM lq_people) INSERT INTO lq_clear(id, note) SELECT 9, note FROM w LIMIT 1"),
            List.of("INSERT INTO lq_clear(id, note) SELECT 9, (p).ssn FROM lq_people p LIMIT 1"),
            List.of("INSERT INTO lq_clear(id, note) SELECT 9, p::text FROM lq_people p LIMIT 1"),
            List.of("INSERT INTO lq_clear(id, note) SELECT 9, x.s FROM lq_people p, LATERAL (SELECT p.ssn AS s) x LIMIT 1"),
            List.of("INSERT INTO lq_clear(id, note) SELECT 9, string_agg(ssn, ',') FROM lq_people"),
            List.of("INSERT INTO lq_clear SELECT id + 10, ssn FROM lq_people"),
            List.of("INSERT INTO lq_clear TABLE lq_mid", "INSERT INTO lq_mid SELECT id, ssn FROM lq_people"),
            List.of("UPDATE lq_clear c SET note = p.ssn FROM lq_people p WHERE p.id = c.id"),
            List.of("UPDATE lq_clear c SET (id, note) = (SELECT id, ssn FROM lq_people p WHERE p.id = c.id) WHERE id = 1"),
            List.of("UPDATE lq_clear c SET note = (SELECT p::text FROM lq_people p WHERE p.id = c.id) WHERE id = 1"),
            List.of("MERGE INTO lq_clear c USING lq_people p ON c.id = p.id WHEN MATCHED THEN UPDATE SET note = p.ssn"),
            List.of("MERGE INTO lq_clear c USING (SELECT id, ssn AS s FROM lq_people) p ON c.id = p.id WHEN MATCHED THEN UPDATE SET note = p.s"),
            List.of("ALTER TABLE lq_people ALTER COLUMN ssn TYPE int USING ssn::int"),
            List.of("CREATE INDEX lq_ix ON lq_people ((ssn::int))"),
            List.of("ALTER TABLE lq_people ADD COLUMN n2 int GENERATED ALWAYS AS (ssn::int) STORED"),
            List.of("ALTER TABLE lq_people ADD COLUMN n2 text GENERATED ALWAYS AS (ssn || '') STORED", "SELECT n2 FROM lq_people"),
            List.of("ALTER TABLE lq_people RENAME COLUMN ssn TO note", "SELECT note FROM lq_people"),
            List.of("ALTER TABLE lq_people ALTER COLUMN ssn TYPE text USING ssn || ''", "SELECT * FROM lq_people"),
            List.of("CREATE VIEW lq_v AS SELECT ssn AS note FROM lq_people", "SELECT note FROM lq_v"),
            List.of("CREATE TEMP VIEW lq_tv AS SELECT ssn AS note FROM lq_people", "SELECT note FROM lq_tv"),
            List.of("CREATE TEMP TABLE lq_tt AS SELECT ssn AS note FROM lq_people", "SELECT note FROM lq_tt"),
            List.of("CREATE MATERIALIZED VIEW lq_mv AS SELECT ssn AS note FROM lq_people", "SELECT note FROM lq_mv"),
            List.of("ALTER TABLE lq_people ADD CONSTRAINT lq_ck CHECK (ssn NOT LIKE '5%')"),
            List.of("CREATE UNIQUE INDEX lq_ux ON lq_people ((substr(ssn, 1, 0)), ssn)"),
            List.of("SELECT * FROM lq_people FOR UPDATE"),
            List.of("VALUES ((SELECT ssn FROM lq_people WHERE id = 1))"),
            List.of("SELECT * FROM (VALUES ((SELECT ssn FROM lq_people WHERE id = 1))) v(note)"),
            List.of("SELECT ssn COLLATE \"C\" FROM lq_people"),
            List.of("SELECT ssn::bytea FROM lq_people"),
            List.of("SELECT encode(ssn::bytea, 'hex') FROM lq_people"),
            List.of("SELECT (SELECT ssn FROM lq_people WHERE id = 1)::text AS id"),
            List.of("SELECT 1 AS id UNION ALL SELECT ssn::int FROM lq_people"),
            List.of("SELECT note FROM lq_clear UNION ALL SELECT ssn FROM lq_people"),
            List.of("SELECT note FROM lq_clear UNION SELECT ssn FROM lq_people"),
            List.of("SELECT GREATEST(ssn, '') FROM lq_people"),
            List.of("SELECT COALESCE(NULL, ssn) FROM lq_people"),
            List.of("SELECT NULLIF(ssn, '') FROM lq_people"),
            List.of("SELECT CASE WHEN true THEN ssn END FROM lq_people"),
            List.of("SELECT ssn IS NULL, ssn FROM lq_people"),
            List.of("SELECT lag(ssn) OVER (ORDER BY id) FROM lq_people"),
            List.of("SELECT first_value(ssn) OVER w FROM lq_people WINDOW w AS (ORDER BY id)"),
            List.of("SELECT nth_value(p, 1) OVER () FROM lq_people p"),
            List.of("SELECT p.* FROM lq_people p NATURAL JOIN lq_clear"),
            List.of("SELECT * FROM lq_people JOIN lq_clear USING (id)"),
            List.of("SELECT j.* FROM lq_people JOIN lq_clear USING (id) AS j"),
            List.of("SELECT * FROM lq_people AS p(a, b, c)"),
            List.of("SELECT c FROM lq_people AS p(a, b, c)"),
            List.of("SELECT p.c FROM lq_people AS p(a, b, c)"),
            List.of("SELECT x.c FROM (SELECT * FROM lq_people) AS x(a, b, c)"),
            List.of("WITH w(a, b, c) AS (SELECT * FROM lq_people) SELECT c FROM w"),
            List.of("SELECT c FROM (TABLE lq_people) AS x(a, b, c)"),
            List.of("SELECT * FROM ROWS FROM (unnest(ARRAY(SELECT ssn FROM lq_people))) AS u(note)"),
            List.of("SELECT s.x FROM lq_people p, LATERAL (VALUES (p.ssn)) s(x)"),
            List.of("SELECT s.x FROM lq_people p, LATERAL (VALUES (p.ssn)) s"),
            List.of("SELECT s.column1 FROM lq_people p, LATERAL (VALUES (p.ssn)) s"),
            List.of("SELECT s FROM lq_people p, LATERAL (VALUES (p.ssn)) s"),
            List.of("SELECT column1 FROM (VALUES ((SELECT ssn FROM lq_people WHERE id = 1))) AS v"),
            List.of("SELECT x FROM generate_series(1, 1) g, LATERAL (SELECT ssn FROM lq_people WHERE id = g) x"),
            List.of("SELECT x.* FROM generate_series(1, 1) g, LATERAL (SELECT ssn FROM lq_people WHERE id = g) x"),
            List.of("SELECT x.ssn FROM generate_series(1, 1) g, LATERAL (SELECT ssn FROM lq_people WHERE id = g) x"),
            List.of("SELECT p.tableoid::regclass, p.ctid, p.xmin FROM lq_people p"),
            List.of("SELECT lq_people FROM lq_people"),
            List.of("SELECT lq_people.* FROM lq_people"),
            List.of("SELECT * FROM lq_people, lq_clear"),
            List.of("SELECT hstore(p) FROM lq_people p"),
            List.of("SELECT to_json(array_agg(p)) FROM lq_people p"),
            List.of("SELECT json_object_agg(id, ssn) FROM lq_people"),
            List.of("SELECT jsonb_object_agg(ssn, id) FROM lq_people"),
            List.of("SELECT json_object(array_agg(ssn), array_agg(name)) FROM lq_people"),
            List.of("SELECT range_agg(int4range(1, 2)), array_agg(DISTINCT ssn) FROM lq_people"),
            List.of("SELECT xmlagg(xmlelement(name a, ssn)) FROM lq_people"),
            List.of("SELECT ssn FROM lq_people GROUP BY ROLLUP (ssn)"),
            List.of("SELECT GROUPING(ssn), ssn FROM lq_people GROUP BY CUBE (ssn)"),
            List.of("PREPARE lq_q AS SELECT p FROM lq_people p", "EXECUTE lq_q"),
            List.of("SELECT pg_typeof(p), p FROM lq_people p"),
            List.of("SELECT $$a$$ || p FROM lq_people p"),
            List.of("SELECT p::lq_people FROM lq_people p"),
            List.of("SELECT quote_literal(p) FROM lq_people p"),
            List.of("SELECT quote_nullable(p) FROM lq_people p"),
            List.of("SELECT p IS NOT NULL, row(p) FROM lq_people p"),
            List.of("SELECT array_to_string(array_agg(p), ',') FROM lq_people p"),
            List.of("SELECT string_agg(p::text, ',') FROM lq_people p"),
            List.of("SELECT md5(ssn), ssn FROM lq_people")
    );

    /** The raw connection that lays, checks and drops the schema, opened once for the class. */
    private static Connection admin;

    /** {@link #state} right after the tables were last laid, or {@code null} before the first lay. */
    private static String laid;

    /**
     * Everything of the schema a form could change, as text: every object in it and every object depending on one of its
     * relations (tables, views, indexes, sequences, functions, types, constraints, triggers, rules, policies, defaults),
     * each relation's storage, each column's name, type and generation, every row of the shared tables with its version
     * ({@code ctid}, {@code xmin}: an {@code UPDATE … SET name = name} counts as a change), the sequence, the statistics
     * and the comments. Equal texts mean the tables are as they were laid; a form that fails to read gives a text of its
     * own, so the tables are laid again.
     */
    private static final String STATE = ("SELECT concat_ws(E'\\n', "
            + "(SELECT string_agg(format('%s/%s/%s/%s', d.classid, d.objid, d.objsubid, d.deptype), ',' "
            + "ORDER BY d.classid, d.objid, d.objsubid, d.deptype) FROM pg_depend d WHERE (d.refclassid = "
            + "'pg_namespace'::regclass AND d.refobjid = 'S'::regnamespace) OR (d.refclassid = 'pg_class'::regclass "
            + "AND d.refobjid IN (SELECT oid FROM pg_class WHERE relnamespace = 'S'::regnamespace))), "
            + "(SELECT string_agg(format('%s/%s/%s/%s', c.oid, c.relname, c.relkind, c.relfilenode), ',' ORDER BY c.oid) "
            + "FROM pg_class c WHERE c.relnamespace = 'S'::regnamespace), "
            + "(SELECT string_agg(format('%s/%s/%s/%s/%s/%s', a.attrelid, a.attnum, a.attname, a.atttypid, a.attnotnull, "
            + "a.attgenerated), ',' ORDER BY a.attrelid, a.attnum) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            + "WHERE c.relnamespace = 'S'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped), "
            + "(SELECT string_agg(format('%s/%s/%s', t.ctid, t.xmin, t), ',' ORDER BY t.ctid) FROM S.lq_people t), "
            + "(SELECT string_agg(format('%s/%s/%s', t.ctid, t.xmin, t), ',' ORDER BY t.ctid) FROM S.lq_clear t), "
            + "(SELECT string_agg(format('%s/%s/%s', t.ctid, t.xmin, t), ',' ORDER BY t.ctid) FROM S.lq_mid t), "
            + "(SELECT string_agg(format('%s/%s/%s', t.ctid, t.xmin, t), ',' ORDER BY t.ctid) FROM S.lq_num t), "
            + "(SELECT format('%s/%s', last_value, is_called) FROM S.lq_seq), "
            + "(SELECT string_agg(format('%s/%s/%s/%s', st.starelid, st.staattnum, st.stanullfrac, st.stadistinct), ',' "
            + "ORDER BY st.starelid, st.staattnum) FROM pg_statistic st JOIN pg_class c ON c.oid = st.starelid "
            + "WHERE c.relnamespace = 'S'::regnamespace), "
            + "(SELECT string_agg(format('%s/%s/%s', ds.objoid, ds.objsubid, ds.description), ',' ORDER BY ds.objoid, "
            + "ds.objsubid) FROM pg_description ds JOIN pg_class c ON c.oid = ds.objoid WHERE c.relnamespace = "
            + "'S'::regnamespace))").replace("S.", S + ".").replace("'S'", "'" + S + "'");

    /** {@link #STATE} now, or a text no state has when it cannot be read (a table dropped or renamed, the schema gone). */
    private static String state() throws SQLException {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(STATE)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "unreadable: " + e.getSQLState();
        }
    }

    /**
     * The shared tables for one form, as {@link LaunderingFormsHarness#sharedTables} lays them: laid again (dropped and
     * created in one transaction, one commit) only when the form before changed anything of the schema ({@link #STATE}),
     * so the many forms that only read start from the very tables the one before had, without the schema rebuilt each time.
     */
    private static PGSimpleDataSource open() throws Exception {
        if (admin == null || admin.isClosed()) {
            admin = TestDatabase.POSTGRESQL.connectRaw();
            laid = null;
        }
        if (laid == null || !laid.equals(state())) {
            lay();
            laid = state();
        }
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(TestDatabase.POSTGRESQL.rawUrl());
        pg.setUser(TestDatabase.POSTGRESQL.user());
        pg.setCurrentSchema(S);
        return pg;
    }

    private static void lay() throws SQLException {
        admin.setAutoCommit(false);
        try (Statement s = admin.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + S + " CASCADE");
            s.execute("CREATE SCHEMA " + S);
            s.execute("SET LOCAL search_path TO " + S);
            LaunderingFormsHarness.sharedTables(s);
            s.execute("ANALYZE lq_people");
            admin.commit();
        } catch (SQLException e) {
            admin.rollback();
            throw e;
        } finally {
            admin.setAutoCommit(true);
        }
    }

    /** After each form: nothing, the next form's {@link #open} drops the schema; {@link #dropSchema} ends the class. */
    private static void drop() {
    }

    @AfterAll
    static void dropSchema() throws Exception {
        try (Connection raw = admin != null && !admin.isClosed() ? admin : TestDatabase.POSTGRESQL.connectRaw();
             Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + S + " CASCADE");
        } finally {
            admin = null;
            laid = null;
        }
    }

    /**
     * Every column of every table of the schema as text, but the masked column itself. The tables and columns are read
     * from {@code pg_class} and {@code pg_attribute}: the rows {@code information_schema.columns} joined with
     * {@code information_schema.tables} gives a superuser for the schema's base tables (kinds {@code r} and {@code p} in
     * a schema that is not a temporary one, columns numbered above zero and not dropped), in the same order ({@code name}
     * sorts by its bytes, as {@code sql_identifier}, a domain over it, does), at a fraction of the cost on the new
     * connection each form's check opens (the views cost ~60 ms on a new backend, these two catalogs ~10).
     */
    private static String places(Connection raw) throws java.sql.SQLException {
        StringBuilder out = new StringBuilder();
        List<String[]> columns = new ArrayList<>();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT c.relname, a.attname FROM "
                + "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_attribute a "
                + "ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped WHERE c.relkind IN ('r', 'p') "
                + "AND n.nspname = '" + S + "' ORDER BY 1, 2")) {
            while (rs.next()) {
                if (!(rs.getString(1).equals("lq_people") && rs.getString(2).equals("ssn"))) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        for (String[] c : columns) {
            out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT \"" + c[1] + "\"::text FROM " + S + ".\"" + c[0] + "\""));
        }
        return out.toString();
    }

    @TestFactory
    Stream<DynamicTest> noFormShowsOrLeavesTheSsnInClear() {
        return ReadFormsSweep.tests(FORMS, PostgresReadFormsIT::open, PostgresReadFormsIT::places, PostgresReadFormsIT::drop);
    }
}
