package io.governed.jdbc.session;

import io.governed.jdbc.routines.PostgresRoutineCatalog;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.sql.TableRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * The driver reads PostgreSQL's catalog on the application's own session, under the application's search path. A path
 * that lists pg_catalog explicitly after another schema (SET search_path = s, pg_catalog) lets a function, aggregate,
 * operator or type of that schema of the same name and argument types replace the system's own wherever a query names
 * it unqualified: string_agg, =, LIKE's ~~, ::text. Whoever may create objects in a schema on the path could then make
 * the driver's readings lie (a default that changes the session read as none), so the driver's catalog queries name
 * every function, aggregate, operator and type with pg_catalog, as pg_dump does.
 *
 * The oracle: a schema of decoys, made from pg_catalog itself, of every system function, aggregate, operator and base
 * type under the same name and argument types (each raising when called). Each catalog query of the driver is made a
 * view under a path listing the decoys before pg_catalog; the view must depend on no decoy. The queries are collected
 * from the static SQL constants of the classes that hold them, so that a new one is checked without being listed here.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresCatalogQueriesQualifiedIT {
    private static final String DECOYS = "qf_decoy";
    private static final String LIAR = "qf_liar";
    private static final String PROBE = "qf_probe";
    private static final String APP = "qf_app";
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + TestDatabase.DATABASE + "?connectTimeout=5";

    /** The classes whose static String constants starting with SELECT or WITH are the driver's PostgreSQL catalog queries. */
    private static final List<Class<?>> HOLDERS = List.of(PostgresSessionReader.class, PostgresRoutineCatalog.class,
            CatalogQuery.class);

    static final String RAISE = "'BEGIN RAISE EXCEPTION ''decoy called''; END'";

    /** Decoys in schema %1$s of pg_catalog's base types, functions, operators and aggregates (those that can be made). */
    static final String MAKE_DECOYS = """
            DO $$
            DECLARE r record; stype text; body text := %2$s;
            BEGIN
              CREATE FUNCTION %1$s.qf_boom() RETURNS boolean LANGUAGE plpgsql AS 'BEGIN RAISE EXCEPTION ''decoy called''; END';
              FOR r IN SELECT t.typname FROM pg_catalog.pg_type t
                  WHERE t.typnamespace = 'pg_catalog'::pg_catalog.regnamespace AND t.typtype IN ('b', 'r', 'm', 'e')
                  AND t.typname NOT LIKE E'\\\\_%%' LOOP
                BEGIN
                  EXECUTE pg_catalog.format('CREATE DOMAIN %1$s.%%I AS pg_catalog.%%I CHECK (%1$s.qf_boom())', r.typname,
                    r.typname);
                EXCEPTION WHEN OTHERS THEN NULL;
                END;
              END LOOP;
              FOR r IN SELECT p.proname, pg_catalog.oidvectortypes(p.proargtypes) AS args,
                  pg_catalog.format_type(p.prorettype, NULL) AS ret, p.proretset FROM pg_catalog.pg_proc p
                  WHERE p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace AND p.prokind = 'f' LOOP
                BEGIN
                  EXECUTE pg_catalog.format('CREATE FUNCTION %1$s.%%I(%%s) RETURNS %%s%%s LANGUAGE plpgsql AS %%L',
                    r.proname, r.args, CASE WHEN r.proretset THEN 'SETOF ' ELSE '' END, r.ret, body);
                EXCEPTION WHEN OTHERS THEN NULL;
                END;
              END LOOP;
              FOR r IN SELECT o.oid, o.oprname, pg_catalog.format_type(o.oprleft, NULL) AS l,
                  pg_catalog.format_type(o.oprright, NULL) AS rt, pg_catalog.format_type(o.oprresult, NULL) AS res,
                  o.oprleft <> 0 AS binary FROM pg_catalog.pg_operator o
                  WHERE o.oprnamespace = 'pg_catalog'::pg_catalog.regnamespace LOOP
                BEGIN
                  EXECUTE pg_catalog.format('CREATE FUNCTION %1$s.qf_op_%%s(%%s) RETURNS %%s LANGUAGE plpgsql AS %%L', r.oid,
                    CASE WHEN r.binary THEN r.l || ', ' || r.rt ELSE r.rt END, r.res, body);
                  EXECUTE pg_catalog.format('CREATE OPERATOR %1$s.%%s (%%s RIGHTARG = %%s, FUNCTION = %1$s.qf_op_%%s)',
                    r.oprname, CASE WHEN r.binary THEN 'LEFTARG = ' || r.l || ',' ELSE '' END, r.rt, r.oid);
                EXCEPTION WHEN OTHERS THEN NULL;
                END;
              END LOOP;
              FOR r IN SELECT p.oid, p.proname, pg_catalog.oidvectortypes(p.proargtypes) AS args,
                  pg_catalog.format_type(a.aggtranstype, NULL) AS st, pg_catalog.format_type(p.prorettype, NULL) AS ret
                  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid
                  WHERE p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace AND p.prokind = 'a' AND p.pronargs > 0 LOOP
                BEGIN
                  stype := CASE WHEN r.st = 'internal' THEN r.ret ELSE r.st END;
                  EXECUTE pg_catalog.format('CREATE FUNCTION %1$s.qf_agg_%%s(%%s, %%s) RETURNS %%s LANGUAGE plpgsql AS %%L',
                    r.oid, stype, r.args, stype, body);
                  EXECUTE pg_catalog.format('CREATE AGGREGATE %1$s.%%I(%%s) (SFUNC = %1$s.qf_agg_%%s, STYPE = %%s)',
                    r.proname, r.args, r.oid, stype);
                EXCEPTION WHEN OTHERS THEN NULL;
                END;
              END LOOP;
            END $$""";

    @BeforeAll
    static void schemas() throws SQLException {
        dropSchemas();
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + DECOYS);
            s.execute("CREATE SCHEMA " + LIAR);
            s.execute("CREATE SCHEMA " + PROBE);
            s.execute("CREATE SCHEMA " + APP);
            s.execute(String.format(Locale.ROOT, MAKE_DECOYS, DECOYS, RAISE));
            // a liar: the system's string_agg(text, text), but for an aggregate that gives every group NULL
            s.execute("CREATE FUNCTION " + LIAR + ".qf_nothing(pg_catalog.text, pg_catalog.text, pg_catalog.text)"
                    + " RETURNS pg_catalog.text LANGUAGE sql IMMUTABLE AS 'SELECT NULL::pg_catalog.text'");
            s.execute("CREATE AGGREGATE " + LIAR + ".string_agg(pg_catalog.text, pg_catalog.text)"
                    + " (SFUNC = " + LIAR + ".qf_nothing, STYPE = pg_catalog.text)");
            // writing this table changes the session: its default sets a setting (a system function, which the
            // catalog does not record a dependency on, so the default's text is what tells)
            s.execute("CREATE TABLE " + APP + ".qf_t (id pg_catalog.int4,"
                    + " note pg_catalog.text DEFAULT pg_catalog.set_config('qf.note', 'set', false))");
        }
    }

    @AfterAll
    static void dropSchemas() throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + DECOYS + ", " + LIAR + ", " + PROBE + ", " + APP + " CASCADE");
        }
    }

    @Test
    void theDecoysShadowWhatTheyShouldForThisCheckToMeanAnything() throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("SET search_path = " + DECOYS + ", pg_catalog");
            for (String shadowed : List.of("SELECT string_agg(x, ',') FROM (VALUES ('a')) v(x)",
                    "SELECT 1::oid = 1::oid", "SELECT 'a'::name = 'a'", "SELECT 'a' LIKE 'a%'", "SELECT 'a'::text",
                    "SELECT 1 & 3", "SELECT bool_and(true)", "SELECT current_setting('search_path')",
                    "SELECT 'pg_class'::regclass")) {
                assertThat(failureOf(s, shadowed)).as(shadowed).isEqualTo("P0001");
            }
            assertThat(failureOf(s, "SELECT pg_catalog.string_agg(x, ',' ) FROM (VALUES ('a'::pg_catalog.text)) v(x)"))
                    .isNull();
        }
    }

    @Test
    void everyCatalogQueryNamesOnlyTheSystemsOwnFunctionsOperatorsAndTypes() throws Exception {
        Map<String, String> queries = catalogQueries();
        assertThat(queries).containsKeys("PostgresSessionReader.RELATIONS", "PostgresRoutineCatalog.QUERY");
        Map<String, List<String>> unqualified = new LinkedHashMap<>();
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("SET search_path = " + DECOYS + ", pg_catalog");
            for (Map.Entry<String, String> query : queries.entrySet()) {
                String sql = query.getValue().replace("%1$s", "'{}'::pg_catalog.oid[]").replace("?", "NULL");
                try {
                    s.execute("CREATE VIEW " + PROBE + ".q AS SELECT 1 AS one FROM (" + sql + ") AS q");
                } catch (SQLException e) {
                    boolean fragment = queries.values().stream()
                            .anyMatch(other -> other != query.getValue() && other.contains(query.getValue()));
                    if (!fragment) { // a decoy type found through the path fails it too
                        unqualified.put(query.getKey(), List.of("cannot be made a view (" + e.getSQLState() + "): "
                                + e.getMessage()));
                    }
                    continue;
                }
                List<String> used = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_describe_object(d.refclassid, d.refobjid, 0)"
                        + " FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite r"
                        + " ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass"
                        + " AND d.objid OPERATOR(pg_catalog.=) r.oid"
                        + " WHERE r.ev_class OPERATOR(pg_catalog.=) '" + PROBE + ".q'::pg_catalog.regclass"
                        + " AND d.refobjid OPERATOR(pg_catalog.<>) r.ev_class ORDER BY 1")) {
                    while (rs.next()) {
                        used.add(rs.getString(1));
                    }
                }
                s.execute("DROP VIEW " + PROBE + ".q");
                if (!used.isEmpty()) {
                    unqualified.put(query.getKey(), used);
                }
            }
        }
        assertThat(unqualified)
                .as("catalog queries naming a function, aggregate, operator or type found through the search path:"
                        + " qualify each with pg_catalog (pg_catalog.f(...), OPERATOR(pg_catalog.=), ::pg_catalog.text)")
                .isEmpty();
    }

    @Test
    void aStringAggOfAnotherSchemaBeforePgCatalogDoesNotHideADefaultThatChangesTheSession() throws SQLException {
        TableRef table = new TableRef(APP, "qf_t");
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("SET search_path = " + APP + ", public");
            assertThat(new PostgresSessionReader().read(() -> c).runsNoCode(table, true))
                    .as("the default sets a setting").isFalse();
        }
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("SET search_path = " + LIAR + ", " + APP + ", pg_catalog, public");
            assertThat(new PostgresSessionReader().read(() -> c).runsNoCode(table, true))
                    .as("the default sets a setting, whatever string_agg the path finds first").isFalse();
        }
    }

    @Test
    void theReadingIsTheSameUnderAPathOfDecoysBeforePgCatalog() throws SQLException {
        TableRef table = new TableRef(APP, "qf_t");
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("SET search_path = " + DECOYS + ", " + APP + ", pg_catalog, public");
            SessionReader.Reading reading = new PostgresSessionReader().read(() -> c);
            assertThat(reading.runsNoCode(table, true)).isFalse();
            assertThat(reading.runsNoCode(table, false)).isTrue();
            assertThat(reading.names().columns(APP, "qf_t")).containsExactlyInAnyOrder("id", "note");
        }
    }

    /** The driver's catalog queries, by class and field name. */
    private static Map<String, String> catalogQueries() throws IllegalAccessException {
        Map<String, String> queries = new LinkedHashMap<>();
        for (Class<?> holder : HOLDERS) {
            for (Field field : holder.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) || field.getType() != String.class) {
                    continue;
                }
                field.setAccessible(true);
                String value = (String) field.get(null);
                String start = value == null ? "" : value.stripLeading().toUpperCase(Locale.ROOT);
                if (start.startsWith("SELECT ") || start.startsWith("WITH ")) {
                    queries.put(holder.getSimpleName() + "." + field.getName(), value);
                }
            }
        }
        return queries;
    }

    /** The SQLState {@code sql} fails with, or {@code null} when it runs. */
    private static String failureOf(Statement s, String sql) {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection(URL, "postgres", "");
    }
}
