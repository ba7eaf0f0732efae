package io.governed.jdbc.masking;

import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No built-in function or operator of PostgreSQL shows an agent anything of a masked column, nor an analyst a
 * masked value: the list of what is tried is the server's own catalog, not a list of functions someone thought of.
 * <p>
 * Enumerated: every function, aggregate and window function of {@code pg_catalog} ({@code pg_proc}, {@code prokind}
 * f, a, w; ordered-set and hypothetical-set aggregates with {@code WITHIN GROUP}) and every prefix and infix operator
 * ({@code pg_operator}) with an argument that can take the masked text column {@code c.ssn} (of {@link
 * MaskedValuesNonInterferenceSpec}'s two databases, A and B: the same rows but for the SSNs): text, {@code varchar},
 * {@code bpchar}, {@code name}, {@code "char"}, {@code cstring}, the polymorphic types that take text
 * ({@code "any"}, {@code anyelement}, {@code anynonarray}, {@code anycompatible…}), arrays of them
 * ({@code ARRAY[c.ssn]}), {@code record} ({@code ROW(c.ssn)}), and by an explicit conversion {@code bytea},
 * {@code xml}, {@code tsvector}, {@code tsquery}, {@code jsonpath} (casts), {@code json} and {@code jsonb}
 * ({@code to_json}, {@code to_jsonb}). Each call puts the column in one such argument and a literal derived from the
 * type in every other (a typed {@code NULL} where no literal is known). Skipped, by type and counted: signatures with
 * an internal or handler type (not callable from SQL), with a range, multirange or enum polymorphic argument (no
 * built-in one holds text), and those with no argument that can take the column.
 * <p>
 * Each call runs through the governed driver in a select list and in a condition for the agent, whom the mask's
 * {@code deny-inference} covers, and in a select list for the analyst, whom it does not (see
 * {@link BuiltInCallOutcomes}). An outcome that differs between A and B is a leak: a masked value in clear, a
 * computation of one, or an answer about them (an error only some values raise, a filter) — the function's part in
 * the analysis (its lineage, or whether it is proven unable to fail) is wrong. A new server version's new function
 * is tried as soon as the catalog has it. The governed connections log in as a role of their own without
 * privileges beyond reading the two schemas, so a function with effects fails as it would for such a user.
 */
@ServerWide("GRANT/REVOKE, MariaDB USE of another database, MariaDB schemas (databases), databases, roles or users")
class PostgresEveryBuiltInFunctionIT {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresEveryBuiltInFunctionIT.class);
    private static final String SCHEMA_A = UniqueNames.of("fnc_a");
    private static final String SCHEMA_B = UniqueNames.of("fnc_b");
    private static final String ROLE = UniqueNames.of("fnc_reader");
    /** Types no SQL expression has: functions with one are the server's machinery (I/O, planner and handler support). */
    private static final Set<String> INTERNAL = Set.of("internal", "trigger", "event_trigger", "language_handler",
            "fdw_handler", "index_am_handler", "tsm_handler", "table_am_handler");
    /** Polymorphic types no built-in type of text satisfies. */
    private static final Set<String> NOT_OF_TEXT = Set.of("anyrange", "anymultirange", "anycompatiblerange",
            "anycompatiblemultirange", "anyenum");
    private static BuiltInCallOutcomes.TwoDatabases databases;

    /** One type of {@code pg_type}: its name, and how SQL spells it. */
    record Type(String name, String spelled) {
    }

    @BeforeAll
    static void databases() throws SQLException {
        databases = BuiltInCallOutcomes.TwoDatabases.postgres(SCHEMA_A, SCHEMA_B, ROLE);
    }

    @AfterAll
    static void close() throws SQLException {
        if (databases != null) {
            databases.close();
        }
    }

    @Test
    void noBuiltInFunctionOrOperatorShowsAnythingOfTheMaskedColumn() throws SQLException {
        BuiltInCallOutcomes outcomes = new BuiltInCallOutcomes(databases.readers, databases.rawA, databases.rawB,
                o -> o.replace(SCHEMA_A, "<schema>").replace(SCHEMA_B, "<schema>"));
        Map<Long, Type> types = new HashMap<>();
        List<Object[]> functions = new ArrayList<>();
        List<Object[]> operators = new ArrayList<>();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT oid, typname, format_type(oid, NULL) FROM pg_type")) {
                while (rs.next()) {
                    types.put(rs.getLong(1), new Type(rs.getString(2), rs.getString(3)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT p.proname, p.prokind, p.proretset, p.provariadic, "
                    + "ARRAY(SELECT t FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, i) ORDER BY i), p.prorettype, "
                    + "COALESCE(a.aggkind, 'n'), COALESCE(a.aggnumdirectargs, 0) FROM pg_proc p "
                    + "JOIN pg_namespace n ON n.oid = p.pronamespace LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid "
                    + "WHERE n.nspname = 'pg_catalog' AND p.prokind IN ('f', 'a', 'w') ORDER BY p.proname, p.oid")) {
                while (rs.next()) {
                    functions.add(new Object[] {rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getLong(4),
                            (Long[]) rs.getArray(5).getArray(), rs.getLong(6), rs.getString(7), rs.getInt(8)});
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT o.oprname, o.oprleft, o.oprright, o.oprresult FROM pg_operator o "
                    + "JOIN pg_namespace n ON n.oid = o.oprnamespace WHERE n.nspname = 'pg_catalog' ORDER BY 1, 2, 3")) {
                while (rs.next()) {
                    operators.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
        }
        for (Object[] f : functions) {
            outcomes.count("functions in pg_catalog");
            calls(f, types, outcomes);
        }
        for (Object[] o : operators) {
            outcomes.count("operators in pg_catalog");
            operatorCalls((String) o[0], types.get((Long) o[1]), types.get((Long) o[2]), types.get((Long) o[3]), outcomes);
        }
        LOG.info("PostgreSQL built-ins over a masked column: {}", outcomes.counts());
        outcomes.losses().forEach(loss -> LOG.info("lost (refused to both callers): {}", loss));
        outcomes.findings().forEach(finding -> LOG.error("{}", finding));
        assertThat(outcomes.findings()).as("calls whose governed outcome differs between the databases or shows an SSN")
                .isEmpty();
        assertThat(outcomes.counts().getOrDefault("calls", 0)).as("calls tried").isGreaterThan(1000);
    }

    private static void calls(Object[] f, Map<Long, Type> types, BuiltInCallOutcomes outcomes) {
        String name = (String) f[0];
        String kind = (String) f[1];
        boolean returnsSet = (Boolean) f[2];
        long variadic = (Long) f[3];
        Long[] argTypes = (Long[]) f[4];
        Type returned = types.get((Long) f[5]);
        String aggregateKind = (String) f[6];
        int direct = (Integer) f[7];
        List<Type> args = new ArrayList<>();
        for (Long t : argTypes) {
            args.add(types.get(t));
        }
        if (variadic != 0 && !args.isEmpty()) {
            args.set(args.size() - 1, types.get(variadic)); // one value in the variadic argument's place
        }
        if (INTERNAL.contains(returned.name()) || args.stream().anyMatch(t -> INTERNAL.contains(t.name()))) {
            outcomes.count("functions skipped: an internal or handler type in the signature");
            return;
        }
        if (args.stream().anyMatch(t -> NOT_OF_TEXT.contains(t.name()))) {
            outcomes.count("functions skipped: a range, multirange or enum polymorphic argument");
            return;
        }
        List<Type> ordered = List.of();
        if (!aggregateKind.equals("n")) {
            ordered = aggregateKind.equals("h") ? args.subList(0, direct) : args.subList(direct, args.size());
            args = args.subList(0, direct);
        }
        List<Type> all = new ArrayList<>(args);
        all.addAll(ordered);
        boolean any = false;
        for (int position = 0; position < all.size(); position++) {
            String column = column(all.get(position));
            if (column == null) {
                continue;
            }
            any = true;
            List<String> values = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                values.add(i == position ? column : literal(all.get(i), outcomes));
            }
            String label = name + "(" + String.join(", ", all.stream().map(Type::spelled).toList()) + ") #" + (position + 1);
            BuiltInCallOutcomes.Call call = call(spelled(name), kind, returnsSet, aggregateKind, args.size(), values, label);
            if (BuiltInCallOutcomes.render(databases.rawA, call.select(), false).startsWith("failed: error 42601")) {
                // a name that is also a keyword (extract, xmlexists, char): the call form is the qualified one
                outcomes.count("calls written pg_catalog.name: the bare name is a keyword");
                call = call("pg_catalog." + spelled(name), kind, returnsSet, aggregateKind, args.size(), values, label);
            }
            outcomes.run(call);
        }
        if (!any) {
            outcomes.count("functions skipped: no argument that can take the column");
        } else {
            outcomes.count("functions called");
        }
    }

    private static BuiltInCallOutcomes.Call call(String function, String kind, boolean returnsSet, String aggregateKind,
                                                 int direct, List<String> values, String label) {
        String call = function + "(" + String.join(", ", values.subList(0, direct)) + ")";
        if (!aggregateKind.equals("n")) {
            call += " WITHIN GROUP (ORDER BY " + String.join(", ", values.subList(direct, values.size())) + ")";
        }
        return switch (kind) {
            case "a" -> new BuiltInCallOutcomes.Call(label, "SELECT " + call + " AS v FROM customers c",
                    "SELECT count(*) AS n FROM customers c HAVING CAST(" + call + " AS text) < '5'");
            case "w" -> new BuiltInCallOutcomes.Call(label,
                    "SELECT c.id, " + call + " OVER (ORDER BY c.id) AS v FROM customers c",
                    "SELECT d.id FROM (SELECT c.id, " + call + " OVER (ORDER BY c.id) AS v FROM customers c) d "
                            + "WHERE CAST(d.v AS text) < '5'");
            default -> new BuiltInCallOutcomes.Call(label, "SELECT c.id, " + call + " AS v FROM customers c",
                    returnsSet ? "SELECT c.id FROM customers c WHERE EXISTS (SELECT 1 FROM " + call
                            + " AS x WHERE CAST(x AS text) < '5')"
                            : "SELECT c.id FROM customers c WHERE CAST(" + call + " AS text) < '5'");
        };
    }

    private static void operatorCalls(String operator, Type left, Type right, Type result, BuiltInCallOutcomes outcomes) {
        if (left != null && INTERNAL.contains(left.name()) || right != null && INTERNAL.contains(right.name())
                || result != null && INTERNAL.contains(result.name())) {
            outcomes.count("operators skipped: an internal type");
            return;
        }
        boolean any = false;
        for (boolean columnLeft : new boolean[] {true, false}) {
            Type side = columnLeft ? left : right;
            Type other = columnLeft ? right : left;
            String column = side == null ? null : column(side);
            if (column == null || other != null && NOT_OF_TEXT.contains(other.name())) {
                continue;
            }
            any = true;
            String expression = other == null ? "(" + operator + " " + column + ")"
                    : columnLeft ? "(" + column + " " + operator + " " + literal(other, outcomes) + ")"
                    : "(" + literal(other, outcomes) + " " + operator + " " + column + ")";
            String label = "operator " + (left == null ? "" : left.spelled() + " ") + operator + " " + right.spelled();
            outcomes.run(new BuiltInCallOutcomes.Call(label, "SELECT c.id, " + expression + " AS v FROM customers c",
                    "SELECT c.id FROM customers c WHERE CAST(" + expression + " AS text) < '5'"));
        }
        outcomes.count(any ? "operators called" : "operators skipped: no operand that can take the column");
    }

    /** The function's name as a call writes it: bare, quoted where it is not a plain lower-case word. */
    private static String spelled(String name) {
        return name.matches("[a-z_][a-z0-9_]*") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** The masked column as an argument of {@code type}, or {@code null} where the column cannot be one. */
    private static String column(Type type) {
        return switch (type.name()) {
            case "text", "varchar", "any", "anyelement", "anynonarray", "anycompatible", "anycompatiblenonarray" -> "c.ssn";
            case "bpchar", "name", "char", "cstring", "bytea", "xml", "tsvector", "tsquery", "jsonpath" ->
                    "c.ssn::" + type.spelled();
            case "anyarray", "anycompatiblearray", "_text", "_varchar" -> "ARRAY[c.ssn]";
            case "_bpchar", "_name", "_char" -> "ARRAY[c.ssn::" + type.spelled().replace("[]", "") + "]";
            case "json" -> "to_json(c.ssn)";
            case "jsonb" -> "to_jsonb(c.ssn)";
            case "record" -> "ROW(c.ssn)";
            default -> null;
        };
    }

    /** A literal of {@code type}: a value of it where one is known, else a typed {@code NULL} (counted). */
    private static String literal(Type type, BuiltInCallOutcomes outcomes) {
        String literal = switch (type.name()) {
            case "int2", "int4", "int8", "oid", "float4", "float8", "money", "xid", "xid8", "cid" -> "1::" + type.spelled();
            case "numeric" -> "1.5";
            case "bool" -> "true";
            case "text", "any", "unknown" -> "'a'";
            case "varchar", "bpchar", "name", "char", "cstring", "anyelement", "anynonarray", "anycompatible",
                 "anycompatiblenonarray" -> "'a'::" + (type.name().startsWith("any") ? "varchar" : type.spelled());
            case "anyarray", "anycompatiblearray" -> "ARRAY['a'::varchar]";
            case "_text", "_varchar", "_name", "_bpchar" -> "ARRAY['a']::" + type.spelled();
            case "_int2", "_int4", "_int8", "_float4", "_float8", "_numeric", "_oid" -> "ARRAY[1]::" + type.spelled();
            case "bytea" -> "'\\x61'::bytea";
            case "date" -> "DATE '2020-01-02'";
            case "timestamp" -> "TIMESTAMP '2020-01-02 03:04:05'";
            case "timestamptz" -> "TIMESTAMPTZ '2020-01-02 03:04:05+00'";
            case "time" -> "TIME '03:04:05'";
            case "timetz" -> "'03:04:05+00'::timetz";
            case "interval" -> "INTERVAL '1 day'";
            case "json", "jsonb" -> "'{\"a\": 1}'::" + type.spelled();
            case "jsonpath" -> "'$.a'::jsonpath";
            case "xml" -> "'<a>1</a>'::xml";
            case "tsvector", "tsquery" -> "'a'::" + type.spelled();
            case "regconfig", "regdictionary" -> "'simple'::" + type.spelled();
            case "regclass" -> "'pg_class'::regclass";
            case "regtype" -> "'int4'::regtype";
            case "regproc" -> "'now'::regproc";
            case "regnamespace" -> "'pg_catalog'::regnamespace";
            case "regrole" -> "'pg_monitor'::regrole";
            case "uuid" -> "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid";
            case "inet" -> "'127.0.0.1'::inet";
            case "cidr" -> "'10.0.0.0/8'::cidr";
            case "macaddr", "macaddr8" -> "'08:00:2b:01:02:03'::" + type.spelled();
            case "point" -> "'(1,2)'::point";
            case "bit", "varbit" -> "B'1'::" + type.spelled();
            case "record" -> "ROW('a'::varchar)";
            default -> null;
        };
        if (literal == null) {
            outcomes.count("arguments given a typed NULL: " + type.name());
            return "NULL::" + type.spelled();
        }
        return literal;
    }
}
