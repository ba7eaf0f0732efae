package io.governed.jdbc.masking;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Runs calls of a server's built-in functions over the masked column {@code c.ssn} of
 * {@link MaskedValuesNonInterferenceSpec}'s two databases, A and B (the same rows but for the SSNs), and collects
 * every call whose governed outcome tells the two apart:
 * <ul>
 * <li>the agent (whose kind the mask's {@code deny-inference} names) must get the same outcome on both, for the call
 * in the select list and in a condition: the same refusal, the same error (SQLState and message, which a scrubbed
 * message is), or the same rows through {@code getString} and {@code getObject};</li>
 * <li>the analyst (a human, who may filter and compute) must get every value of the call that differs between the
 * two databases masked: where the call succeeds on both, the distinct values of its result column, a masked value and
 * null counting as one, are the same on both;</li>
 * <li>no outcome, of either caller, holds an SSN of its database, in a value or in an error's message.</li>
 * </ul>
 * The raw connections run the select-list form without governance, to count the calls whose value does depend on
 * the SSNs (the ones the comparison is about) and those the server rejects whatever the values.
 * <p>
 * Given a map of outcomes read ({@link SharedMariaDb}), each statement runs once per pair of connections: a statement
 * a call writes again (a form of the help's syntax that is also a plain call, or a name two sweeps over the same two
 * databases both try) is judged again, counted and reported as before, on the outcomes its first run read on both
 * databases at the same moment.
 */
final class BuiltInCallOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(BuiltInCallOutcomes.class);
    /**
     * One call of a built-in: {@code function} names it for the report; {@code select} puts it in a select list as
     * result column {@code v}; {@code where} (or {@code null}) tests it in a condition. {@code v} is a value computed
     * from the column ({@code valueOfColumn}), which the analyst must get masked wherever it differs between the
     * databases, or an answer of a filter, a grouping or a sort on it ({@code count(*) … GROUP BY c.ssn}), which the
     * analyst, who may filter, group and sort, gets as it is (only the agent's outcomes are compared then, and no
     * outcome may show an SSN).
     */
    record Call(String function, String select, String where, boolean valueOfColumn) {
        Call(String function, String select, String where) {
            this(function, select, where, true);
        }
    }

    private final MaskedValuesNonInterferenceSpec.Readers governed;
    private final Connection rawA;
    private final Connection rawB;
    private final UnaryOperator<String> asIfOneDatabase;
    private final List<String> findings = new ArrayList<>();
    private final List<String> losses = new ArrayList<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    /** Outcomes read, by the connections that read them and the statement; {@code null}: each statement runs each time. */
    private final Map<String, String[]> read;

    BuiltInCallOutcomes(MaskedValuesNonInterferenceSpec.Readers governed, Connection rawA, Connection rawB,
                        UnaryOperator<String> asIfOneDatabase) {
        this(governed, rawA, rawB, asIfOneDatabase, null);
    }

    BuiltInCallOutcomes(MaskedValuesNonInterferenceSpec.Readers governed, Connection rawA, Connection rawB,
                        UnaryOperator<String> asIfOneDatabase, Map<String, String[]> read) {
        this.governed = governed;
        this.rawA = rawA;
        this.rawB = rawB;
        this.asIfOneDatabase = asIfOneDatabase;
        this.read = read;
    }

    /**
     * The outcomes of {@code sql} on {@code a} and {@code b}, read at the same time ({@link #render}), or as read
     * before by the connections {@code who} names.
     */
    private String[] onBoth(String who, Connection a, Connection b, String sql, boolean valuesOnly) {
        String key = who + (valuesOnly ? ", values: " : ": ") + sql;
        String[] known = read == null ? null : read.get(key);
        if (known != null) {
            count("statements read before: outcomes reused");
            return known;
        }
        String[] outcomes = MaskedValuesNonInterferenceSpec.onBoth(() -> render(a, sql, valuesOnly), () -> render(b, sql, valuesOnly));
        if (read != null) {
            read.put(key, outcomes);
        }
        return outcomes;
    }

    /** The raw outcome of {@code sql} on database A ({@link #render}), read with B's, which {@link #run} compares. */
    String rawOnA(String sql) {
        return onBoth("raw", rawA, rawB, sql, false)[0];
    }

    /** Whether the server rejects {@code sql}, run raw on database A, for an aggregate in its {@code WHERE} (MariaDB error 1111). */
    boolean groupFunctionOnA(String sql) {
        String key = "raw A, error 1111: " + sql;
        String[] known = read == null ? null : read.get(key);
        if (known != null) {
            return Boolean.parseBoolean(known[0]);
        }
        boolean group;
        try (Statement s = rawA.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            group = false;
        } catch (SQLException e) {
            group = e.getErrorCode() == 1111;
        }
        if (read != null) {
            read.put(key, new String[] {String.valueOf(group)});
        }
        return group;
    }

    void count(String what) {
        counts.merge(what, 1, Integer::sum);
    }

    Map<String, Integer> counts() {
        return counts;
    }

    List<String> findings() {
        return findings;
    }

    /**
     * The calls refused to both callers (on database A) that the server runs: lost to every caller, and leaking nothing.
     * Each as {@code function: statement => the analyst's refusal} (its SQLState and message: whether the parser could
     * not read the statement, or which rule refused it).
     */
    List<String> losses() {
        return losses;
    }

    void run(Call call) {
        count("calls");
        String[] raw = onBoth("raw", rawA, rawB, call.select(), false);
        String rawOutcomeA = raw[0];
        String rawOutcomeB = raw[1];
        if (rawOutcomeA.startsWith("failed") && rawOutcomeB.startsWith("failed")) {
            count("calls the server rejects on both databases (raw)");
        } else if (!asIfOneDatabase.apply(rawOutcomeA).equals(asIfOneDatabase.apply(rawOutcomeB))) {
            count("calls whose raw outcome depends on the SSNs");
        }
        String agentA = agent(call, call.select(), "select list");
        if (call.where() != null) {
            agent(call, call.where(), "condition");
        }
        String analystA = analyst(call);
        if (!rawOutcomeA.startsWith("failed") && agentA.startsWith("failed: refused")
                && analystA.startsWith("failed: refused")) {
            count("losses: refused to both callers, run by the server");
            losses.add(call.function() + ": " + call.select() + " => " + analystA);
        }
    }

    /** Runs {@code sql} as the agent on both databases and compares; returns the outcome on A. */
    private String agent(Call call, String sql, String place) {
        count("agent statements");
        String[] outcomes = onBoth("agent", governed.of(true, true), governed.of(false, true), sql, false);
        String a = outcomes[0];
        String b = outcomes[1];
        count("agent, " + place + ": " + kind(a));
        LOG.debug("agent: {} => {}", sql, a);
        secrets(call, sql, "agent", a, b);
        if (!asIfOneDatabase.apply(a).equals(asIfOneDatabase.apply(b))) {
            findings.add(call.function() + ": the agent's outcome of " + sql + " differs: on A " + a + ", on B " + b);
        }
        return a;
    }

    /** Runs the select-list form as the analyst on both databases and compares; returns the outcome on A. */
    private String analyst(Call call) {
        count("analyst statements");
        String[] outcomes = onBoth("analyst", governed.of(true, false), governed.of(false, false), call.select(), true);
        String a = outcomes[0];
        String b = outcomes[1];
        LOG.debug("analyst: {} => {}", call.select(), a);
        count("analyst, select list: " + (a.startsWith("failed") || b.startsWith("failed") ? kind(a.startsWith("failed") ? a : b)
                : a.equals("[[null or masked]]") ? "masked or null" : "rows"));
        secrets(call, call.select(), "analyst", a, b);
        if (call.valueOfColumn() && !a.startsWith("failed") && !b.startsWith("failed")
                && !asIfOneDatabase.apply(a).equals(asIfOneDatabase.apply(b))) {
            findings.add(call.function() + ": the analyst's values of " + call.select() + " differ, unmasked: on A " + a
                    + ", on B " + b);
        }
        return a;
    }

    private static String kind(String outcome) {
        return outcome.startsWith("failed: refused") ? "refused" : outcome.startsWith("failed") ? "error" : "rows";
    }

    private void secrets(Call call, String sql, String who, String a, String b) {
        if (MaskedValuesNonInterferenceSpec.SSNS_A.stream().anyMatch(ssn -> a.contains(ssn) || a.contains(ssn.replace("-", "")))) {
            findings.add(call.function() + ": " + sql + " shows the " + who + " an SSN of database A: " + a);
        }
        if (MaskedValuesNonInterferenceSpec.SSNS_B.stream().anyMatch(ssn -> b.contains(ssn) || b.contains(ssn.replace("-", "")))) {
            findings.add(call.function() + ": " + sql + " shows the " + who + " an SSN of database B: " + b);
        }
    }

    /**
     * The outcome of {@code sql}: {@code failed: refused|error <SQLState> <message>}, or the rows (sorted: the order of
     * rows is not compared); with {@code valuesOnly}, the distinct values of result column {@code v} alone, a null or a
     * masked value (only {@code *}) read as one (whether a computation is null is a test of the values, which a caller
     * who may filter on them may make).
     */
    static String render(Connection connection, String sql, boolean valuesOnly) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> rows = new ArrayList<>();
            TreeSet<String> values = new TreeSet<>();
            int column = 0;
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if (meta.getColumnLabel(i).equalsIgnoreCase("v")) {
                    column = i;
                }
            }
            int read = 0;
            while (rs.next() && read++ < 200) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    String cell = cell(rs, i, valuesOnly);
                    row.append(cell);
                    if (i == column) {
                        values.add(cell);
                    }
                }
                rows.add(row.toString());
            }
            if (valuesOnly) {
                return values.toString();
            }
            rows.sort(null);
            return rows.toString();
        } catch (GovernanceException e) {
            return "failed: refused " + e.getSQLState() + " " + e.getMessage();
        } catch (SQLException e) {
            return "failed: error " + e.getSQLState() + " " + e.getMessage();
        } catch (RuntimeException e) {
            return "failed: error " + e.getClass().getName() + " " + e.getMessage();
        }
    }

    /** Whether {@code text} is what the {@code redact} mask puts in a value's place: only {@code *}, or a zero. */
    private static boolean masked(String text) {
        return text.chars().allMatch(ch -> ch == '*') || text.matches("0(\\.0+)?");
    }

    private static String cell(ResultSet rs, int i, boolean nullOrMasked) throws SQLException {
        String text = rs.getString(i);
        boolean textNull = rs.wasNull();
        Object object = rs.getObject(i);
        boolean objectNull = rs.wasNull();
        if (object instanceof ResultSet nested) {
            // a row value (H2's ROW(...)): its fields, read as the outer cells are; the text H2 gives such a value
            // names the object (an identity, other on each run), not what it holds
            StringBuilder fields = new StringBuilder("row");
            ResultSetMetaData meta = nested.getMetaData();
            while (nested.next()) {
                for (int field = 1; field <= meta.getColumnCount(); field++) {
                    fields.append(cell(nested, field, nullOrMasked));
                }
            }
            String identity = text == null ? "null" : text.replaceAll("rs\\d+: org\\.h2\\.result\\.\\w+@\\p{XDigit}+", "<row>");
            return "[" + identity + " | " + fields + "]";
        }
        String shown = object instanceof Object[] array ? Arrays.deepToString(array)
                : object instanceof Array array ? Arrays.deepToString((Object[]) array.getArray())
                : object instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(object);
        if (nullOrMasked && (textNull || masked(text)) && (objectNull || masked(shown))) {
            return "[null or masked]";
        }
        return "[" + text + (textNull ? " (null)" : "") + " | " + shown + (objectNull ? " (null)" : "") + "]";
    }

    /** Closes what a test of built-ins opened for both databases, whichever of it was opened. */
    /**
     * Two databases of one server that differ only in the SSNs ({@link MaskedValuesNonInterferenceSpec#fill}): two
     * schemas on PostgreSQL, two databases on MariaDB, read by a user of their own with a 3-second statement limit;
     * the governed readers over them and a raw connection to each. Dropped, with the user, on {@link #close}.
     */
    static final class TwoDatabases implements AutoCloseable {
        final MaskedValuesNonInterferenceSpec.Readers readers;
        final Connection rawA;
        final Connection rawB;
        private final TestDatabase server;
        private final List<String> drops;

        private TwoDatabases(TestDatabase server, javax.sql.DataSource a, javax.sql.DataSource b, List<String> drops)
                throws SQLException {
            this.server = server;
            this.drops = drops;
            readers = MaskedValuesNonInterferenceSpec.Readers.over(a, b);
            rawA = a.getConnection();
            rawB = b.getConnection();
        }

        /** Schemas {@code schemaA} and {@code schemaB}, read by the new role {@code role}. */
        static TwoDatabases postgres(String schemaA, String schemaB, String role) throws SQLException {
            TestDatabase.POSTGRESQL.requireReachable();
            try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
                s.execute("CREATE ROLE " + role + " LOGIN");
                s.execute("ALTER ROLE " + role + " SET statement_timeout = '3s'");
                for (String schema : List.of(schemaA, schemaB)) {
                    s.execute("CREATE SCHEMA " + schema);
                    s.execute("SET search_path TO " + schema);
                    MaskedValuesNonInterferenceSpec.fill(s, schema.equals(schemaA)
                            ? MaskedValuesNonInterferenceSpec.SSNS_A : MaskedValuesNonInterferenceSpec.SSNS_B);
                    s.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
                    s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO " + role);
                }
            }
            return new TwoDatabases(TestDatabase.POSTGRESQL, pgSchema(schemaA, role), pgSchema(schemaB, role),
                    List.of("DROP SCHEMA IF EXISTS " + schemaA + ", " + schemaB + " CASCADE", "DROP OWNED BY " + role,
                            "DROP ROLE IF EXISTS " + role));
        }

        /** Databases {@code databaseA} and {@code databaseB}, read by the new user {@code user}. */
        static TwoDatabases mariaDb(String databaseA, String databaseB, String user) throws SQLException {
            TestDatabase.MARIADB.requireReachable();
            try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
                s.execute("CREATE USER '" + user + "'@'%' WITH MAX_STATEMENT_TIME 3");
                for (String database : List.of(databaseA, databaseB)) {
                    s.execute("CREATE DATABASE " + database);
                    s.execute("USE " + database);
                    MaskedValuesNonInterferenceSpec.fill(s, database.equals(databaseA)
                            ? MaskedValuesNonInterferenceSpec.SSNS_A : MaskedValuesNonInterferenceSpec.SSNS_B);
                    s.execute("GRANT SELECT ON " + database + ".* TO '" + user + "'@'%'");
                }
            }
            return new TwoDatabases(TestDatabase.MARIADB, mariaDbDatabase(databaseA, user), mariaDbDatabase(databaseB, user),
                    List.of("DROP DATABASE IF EXISTS " + databaseA, "DROP DATABASE IF EXISTS " + databaseB,
                            "DROP USER IF EXISTS '" + user + "'@'%'"));
        }

        private static javax.sql.DataSource pgSchema(String schema, String role) {
            org.postgresql.ds.PGSimpleDataSource pg = new org.postgresql.ds.PGSimpleDataSource();
            pg.setURL(TestDatabase.POSTGRESQL.rawUrl());
            pg.setUser(role);
            pg.setCurrentSchema(schema);
            return pg;
        }

        private static javax.sql.DataSource mariaDbDatabase(String database, String user) throws SQLException {
            org.mariadb.jdbc.MariaDbDataSource maria = new org.mariadb.jdbc.MariaDbDataSource();
            maria.setUrl(TestDatabase.MARIADB.rawUrl(database));
            maria.setUser(user);
            maria.setPassword("");
            return maria;
        }

        @Override
        public void close() throws SQLException {
            BuiltInCallOutcomes.close(rawA, rawB, readers);
            try (Connection raw = server.connectRaw(); Statement s = raw.createStatement()) {
                for (String drop : drops) {
                    s.execute(drop);
                }
            }
        }
    }

    /**
     * MariaDB's two databases (and their user) and the outcomes read from them, for the classes of one JVM that sweep
     * MariaDB's functions ({@code MariaDbEveryBuiltInFunctionIT}, {@code MariaDbEverySqlFunctionIT}): made by the first
     * that runs, kept in JUnit's root store, dropped when the JVM's tests end. Both sweeps try the same one-to-three
     * argument calls of every name both lists hold; each runs all of them, the second on the outcomes the first read.
     */
    static final class SharedMariaDb implements BeforeAllCallback {
        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedMariaDb.class);
        private Shared shared;

        /** The databases, their names and the outcomes read: what the store keeps, and closes at the end. */
        private record Shared(String databaseA, String databaseB, TwoDatabases databases, Map<String, String[]> read)
                implements AutoCloseable {
            @Override
            public void close() throws SQLException {
                databases.close();
            }
        }

        @Override
        public void beforeAll(ExtensionContext context) {
            TestDatabase.MARIADB.requireReachable();
            shared = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Shared.class, key -> {
                String a = UniqueNames.of("fnc_a");
                String b = UniqueNames.of("fnc_b");
                try {
                    return new Shared(a, b, TwoDatabases.mariaDb(a, b, UniqueNames.of("fnc_reader")), new HashMap<>());
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot make the two MariaDB databases of the function sweeps", e);
                }
            }, Shared.class);
        }

        TwoDatabases databases() {
            return shared.databases();
        }

        /** A new sweep's outcomes over the shared databases, reusing what every sweep over them read. */
        BuiltInCallOutcomes outcomes() {
            return new BuiltInCallOutcomes(shared.databases().readers, shared.databases().rawA, shared.databases().rawB,
                    o -> o.replace(shared.databaseA(), "<database>").replace(shared.databaseB(), "<database>"), shared.read());
        }
    }

    static void close(Connection rawA, Connection rawB, MaskedValuesNonInterferenceSpec.Readers readers) throws SQLException {
        for (Connection c : new Connection[] {rawA, rawB}) {
            if (c != null) {
                c.close();
            }
        }
        if (readers != null) {
            readers.close();
        }
    }
}
