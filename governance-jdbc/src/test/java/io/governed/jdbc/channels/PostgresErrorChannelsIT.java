package io.governed.jdbc.channels;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ErrorChannelsSpec} on PostgreSQL: the masked text column cast to every type of {@code pg_type} (base, enum,
 * domain, range, multirange and array types; {@code ::} and {@code CAST}), passed to every function of
 * {@code pg_proc} taking one text that is not volatile, and put through the known risk shapes (XML, JSON, date/time
 * and number formats, regular expressions, {@code format}, reg* casts, notifications, dynamic SQL).
 */
class PostgresErrorChannelsIT extends ErrorChannelsSpec {
    static final String SCHEMA = UniqueNames.of("ec_channels");
    static final String TABLE = SCHEMA + ".people";
    static final String SINK = UniqueNames.of("ec_channels_audit");
    static final String POLICY = """
            version: 1
            default: deny
            classification:
              tags:
                pii.ssn: ["*.ssn"]
            rules:
              - id: analysts-read-and-call
                effect: permit
                principals: { groups: [analysts] }
                actions: [select, call]
                resources: ["*"]
            masks:
              - id: hide-ssn
                columns: { tags: [pii.ssn] }
                function: redact
                unless: { groups: [pii-readers] }
            """;
    private static Connection raw;
    /** Governed connections of the same settings, the corpus shared out over them. */
    private static final List<Connection> governed = new ArrayList<>();
    /** Raw connections, for the corpus through the database's own driver. */
    private static final List<Connection> raws = new ArrayList<>();
    private static List<String> probes;

    @BeforeContainer
    static void database() throws SQLException, IOException {
        TestDatabase.POSTGRESQL.requireReachable();
        raw = TestDatabase.POSTGRESQL.connectRaw();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
            s.execute("CREATE TABLE " + TABLE + " (id int PRIMARY KEY, ssn text)");
            s.execute("INSERT INTO " + TABLE + " VALUES (1, 'x')");
            s.execute("CREATE TYPE " + SCHEMA + ".mood AS ENUM ('calm', 'cross')");
            s.execute("CREATE DOMAIN " + SCHEMA + ".short_code AS text CHECK (length(VALUE) < 3)");
            s.execute("CREATE TYPE " + SCHEMA + ".pair AS (a int, b date)");
        }
        openConnections(TestDatabase.POSTGRESQL, POLICY, SINK, governed, raws);
        probes = corpus(raw);
    }

    @AfterContainer
    static void drop() throws SQLException {
        closeConnections(governed, raws);
        if (raw != null) {
            try (Statement s = raw.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
            raw.close();
        }
    }

    /** The probes: casts to every type of the catalog, every non-volatile function of one text, and the risk shapes. */
    static List<String> corpus(Connection raw) throws SQLException {
        List<String> probes = new ArrayList<>();
        String from = " FROM " + TABLE;
        try (Statement s = raw.createStatement();
             ResultSet types = s.executeQuery("SELECT format_type(t.oid, NULL) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
                     + " WHERE t.typisdefined AND t.typtype IN ('b', 'e', 'd', 'r', 'm', 'c') AND t.typname NOT LIKE 'pg_toast%'"
                     + " AND (n.nspname IN ('pg_catalog', 'information_schema') OR n.nspname = '" + SCHEMA + "')"
                     + " AND (t.typrelid = 0 OR n.nspname = '" + SCHEMA + "') ORDER BY 1")) {
            while (types.next()) {
                String type = types.getString(1);
                probes.add("SELECT ssn::" + type + from);
                probes.add("SELECT CAST(ssn AS " + type + ")" + from);
            }
        }
        try (Statement s = raw.createStatement();
             ResultSet functions = s.executeQuery("SELECT DISTINCT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                     + " WHERE n.nspname = 'pg_catalog' AND p.pronargs = 1 AND p.proargtypes[0] = 'text'::regtype"
                     + " AND p.prokind = 'f' AND NOT p.proretset AND p.provolatile <> 'v' ORDER BY 1")) {
            while (functions.next()) {
                probes.add("SELECT pg_catalog." + functions.getString(1) + "(ssn)" + from);
            }
        }
        for (String shape : List.of(
                "xmlparse(document ssn)", "xmlparse(content ssn)", "ssn::xml", "xmlparse(document '<a>' || ssn || '</b>')",
                "xpath(ssn, '<a/>'::xml)", "ssn::json", "ssn::jsonb", "('{\"a\": ' || ssn || '}')::jsonb",
                "'{}'::jsonb -> ssn", "jsonb_path_query('{}', ssn::jsonpath)", "json_populate_record(null::" + SCHEMA + ".pair, json_build_object('a', ssn))",
                "ssn::date", "ssn::timestamptz", "ssn::interval", "to_date(ssn, 'YYYY-MM-DD')", "to_date('2020', ssn)",
                "to_timestamp(ssn, 'HH24:MI')", "to_number(ssn, '999')", "to_number('12', ssn)", "to_char(now(), ssn)",
                "date_trunc(ssn, now())", "date_part(ssn, now())", "timezone(ssn, now())", "ssn ~ ssn", "'a' ~ ssn",
                "regexp_replace('a', ssn, 'b')", "regexp_match('a', ssn)", "ssn SIMILAR TO ssn", "'a' LIKE 'b' ESCAPE ssn",
                "format(ssn)", "format('%I', ssn)", "format(ssn, 1)", "format('%' || ssn, 1)", "ssn::regclass", "ssn::regproc",
                "ssn::regprocedure", "ssn::regtype", "ssn::regoper", "ssn::regoperator", "ssn::regrole", "ssn::regnamespace",
                "ssn::regconfig", "ssn::regdictionary", "ssn::regcollation", "ssn::" + SCHEMA + ".mood", "ssn::" + SCHEMA + ".short_code",
                "('(' || ssn || ',1)')::" + SCHEMA + ".pair", "('{' || ssn || '}')::int[]", "('[' || ssn || ',1)')::int4range",
                "convert_from(ssn::bytea, ssn)", "decode(ssn, 'base64')", "decode(ssn, ssn)", "encode('a', ssn)", "ssn::bytea",
                "current_setting(ssn)", "to_tsvector(ssn::regconfig, 'a')", "to_tsquery(ssn)", "ssn::tsquery", "ssn::tsvector",
                "unistr(ssn)", "nextval(ssn)", "pg_notify('ec_channel', ssn)", "query_to_xml(ssn, true, true, '')",
                "has_table_privilege(ssn, 'select')", "has_column_privilege('" + TABLE + "', ssn, 'select')", "pg_get_viewdef(ssn)",
                "pg_size_bytes(ssn)", "length(ssn)::int / 0", "ssn::int + (1 / 0)", "make_date(ssn::int, 1, 1)", "ssn::inet",
                "ssn::macaddr", "ssn::uuid", "ssn::point", "ssn::money", "ssn::numeric(3, 1)", "ssn::bit(3)", "ssn::varbit",
                "ssn::char(2)::" + SCHEMA + ".short_code", "ssn::varchar(2)", "ssn::pg_lsn", "ssn::aclitem", "ssn::txid_snapshot")) {
            probes.add("SELECT " + shape + from);
        }
        probes.add("DO $$ BEGIN RAISE EXCEPTION '%', (SELECT ssn FROM " + TABLE + "); END $$");
        probes.add("DO $$ BEGIN RAISE NOTICE '%', (SELECT ssn FROM " + TABLE + "); END $$");
        probes.add("DO $$ BEGIN EXECUTE 'SELECT ' || (SELECT ssn FROM " + TABLE + "); END $$");
        probes.add("SELECT id FROM " + TABLE + " WHERE ssn::int > 0");
        probes.add("SELECT id FROM " + TABLE + " ORDER BY ssn::date");
        probes.add("SELECT id FROM " + TABLE + " GROUP BY id HAVING max(ssn)::int > 0");
        probes.add("SELECT (SELECT ssn::int" + from + ")");
        probes.add("WITH c AS (SELECT ssn::jsonb j" + from + ") SELECT 1 FROM c");
        probes.add("SELECT ssn FROM " + TABLE + " WHERE ssn::uuid IS NOT NULL");
        return probes;
    }

    static void plant(Connection raw, String marker) throws SQLException {
        try (PreparedStatement p = raw.prepareStatement("UPDATE " + TABLE + " SET ssn = ? WHERE id = 1")) {
            p.setString(1, marker);
            p.executeUpdate();
        }
    }

    @Property(tries = 12, shrinking = ShrinkingMode.OFF)
    void noFragmentOfAMaskedValueReachesAMaskedCallerThroughAnErrorOrWarning(@ForAll("markers") String marker) throws SQLException {
        plant(raw, marker);
        List<Leak> leaks = probeAll(governed, marker, probes);
        checkAudit(governed, SINK, marker, leaks);
        assertThat(leaks).as(() -> "marker " + marker.replace("\n", "\\n") + ": " + describe(leaks, 60)).isEmpty();
    }

    /** The corpus reaches the database's quoting messages: through the database's own driver, the marker shows. */
    @Example
    void throughTheDatabasesOwnDriverTheCorpusShowsTheMarker() throws SQLException {
        String marker = "Qzxjvk Wyqzx";
        plant(raw, marker);
        List<Leak> leaks = probeAll(raws, marker, probes);
        assertThat(leaks).as("probes whose error or warning quotes the value through the raw driver").hasSizeGreaterThan(10);
    }
}
