package io.governed.jdbc.channels;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link AuditTrailErrorsSpec} on PostgreSQL: casts and functions that quote the value or print it bare after a colon
 * or a number, a duplicate key and a foreign key (their {@code DETAIL} holds the key), a check constraint ({@code Failing
 * row contains}), and {@code DO} blocks that raise the value as their whole message, detail and SQLState.
 */
class PostgresAuditTrailErrorsIT extends AuditTrailErrorsSpec {
    static final String SCHEMA = UniqueNames.of("gs_aerr");
    private static Connection raw;
    private static Caller masked;
    private static Caller unmasked;

    @BeforeContainer
    static void database() throws SQLException, IOException {
        TestDatabase.POSTGRESQL.requireReachable();
        raw = TestDatabase.POSTGRESQL.connectRaw();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
            s.execute("CREATE TABLE " + SCHEMA + ".people (id int PRIMARY KEY, val text)");
            s.execute("INSERT INTO " + SCHEMA + ".people VALUES (1, 'x')");
            s.execute("CREATE TABLE " + SCHEMA + ".uniq (val text PRIMARY KEY)");
            s.execute("CREATE TABLE " + SCHEMA + ".shortcol (val varchar(3))");
            s.execute("CREATE TABLE " + SCHEMA + ".checked (id int, val text CHECK (val = 'x'))");
            s.execute("CREATE TABLE " + SCHEMA + ".refs (val text REFERENCES " + SCHEMA + ".uniq (val))");
        }
        String url = TestDatabase.POSTGRESQL.governedUrl();
        String user = TestDatabase.POSTGRESQL.user();
        masked = Caller.open("ana", url, user, TestDatabase.POSTGRESQL.password(), POLICY, "analysts", SCHEMA + "_masked");
        unmasked = Caller.open("pat", url, user, TestDatabase.POSTGRESQL.password(), POLICY, "analysts,pii-readers",
                SCHEMA + "_unmasked");
    }

    @AfterContainer
    static void drop() throws SQLException {
        if (masked != null) {
            masked.close();
        }
        if (unmasked != null) {
            unmasked.close();
        }
        if (raw != null) {
            try (Statement s = raw.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
            raw.close();
        }
    }

    @Override
    Caller masked() {
        return masked;
    }

    @Override
    Caller unmasked() {
        return unmasked;
    }

    @Override
    Connection raw() {
        return raw;
    }

    @Override
    void plant(String marker) throws SQLException {
        try (PreparedStatement p = raw.prepareStatement("UPDATE " + SCHEMA + ".people SET val = ? WHERE id = 1");
             Statement s = raw.createStatement()) {
            p.setString(1, marker);
            p.executeUpdate();
            s.execute("DELETE FROM " + SCHEMA + ".uniq");
            s.execute("INSERT INTO " + SCHEMA + ".uniq SELECT val FROM " + SCHEMA + ".people");
        }
    }

    @Override
    List<String> probes(String marker) {
        String people = SCHEMA + ".people";
        String from = " FROM " + people;
        String v = "(SELECT val" + from + " WHERE id = 1)";
        List<String> probes = new ArrayList<>();
        for (String type : List.of("int", "bigint", "numeric(3, 1)", "double precision", "boolean", "date", "timestamptz",
                "interval", "uuid", "inet", "json", "jsonb", "xml", "bytea", "bit(3)", "money", "point", "tsquery",
                "jsonpath", "regclass", "regproc", "regprocedure", "regtype", "regrole", "regnamespace", "regconfig")) {
            probes.add("SELECT val::" + type + from);
        }
        for (String shape : List.of("to_number('12', val)", "to_date('2020', val)", "to_date(val, 'YYYY-MM-DD')",
                "timezone(val, now())", "date_part(val, now())", "format(val)", "format('%' || val, 1)",
                "has_table_privilege(val, 'select')", "current_setting(val)", "nextval(val)", "decode(val, 'base64')",
                "encode('a', val)", "jsonb_path_query('{}', val::jsonpath)", "query_to_xml(val, true, true, '')",
                "regexp_replace('a', val, 'b')", "xmlparse(document val)", "('{' || val || '}')::int[]",
                "('{\"a\": ' || val || '}')::jsonb", "length(val) / 0")) {
            probes.add("SELECT " + shape + from);
        }
        probes.add("SELECT id" + from + " WHERE val::int > 0");
        probes.add("INSERT INTO " + SCHEMA + ".uniq SELECT val" + from);
        probes.add("INSERT INTO " + SCHEMA + ".shortcol SELECT val" + from);
        probes.add("INSERT INTO " + SCHEMA + ".checked SELECT id, val" + from);
        probes.add("INSERT INTO " + SCHEMA + ".refs SELECT val || 'x'" + from);
        probes.add("DO $$ BEGIN RAISE EXCEPTION '%', " + v + "; END $$");
        probes.add("DO $$ BEGIN RAISE EXCEPTION 'refused' USING DETAIL = " + v + ", HINT = " + v + "; END $$");
        probes.add("DO $$ BEGIN RAISE EXCEPTION 'refused' USING ERRCODE = upper(left(regexp_replace(" + v
                + ", '[^A-Za-z0-9]', '', 'g') || 'QQQQQ', 5)); END $$");
        probes.add("DO $$ BEGIN EXECUTE 'SELECT ' || " + v + "; END $$");
        String literal = literal(marker);
        probes.add("SELECT " + literal + "::int");
        probes.add("SELECT " + literal + "::regclass");
        probes.add("INSERT INTO " + SCHEMA + ".uniq VALUES (" + literal + ")");
        return probes;
    }

    @Override
    int minimumQuoting() {
        return 25;
    }
}
