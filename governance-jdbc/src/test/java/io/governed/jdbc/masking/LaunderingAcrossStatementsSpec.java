package io.governed.jdbc.masking;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.load.PolicyLoader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Non-interference of a masked column across statements: an agent that may write some clear tables runs a generated
 * sequence of statements that tries to move an SSN, or something computed from one, somewhere it can read it back
 * unmasked — a clear table ({@code INSERT … SELECT}, {@code UPDATE … SET x = (SELECT …)}, {@code MERGE}, a data
 * change delta table or {@code RETURNING}), a table or view it creates ({@code CREATE TABLE … AS}, a temporary table,
 * {@code CREATE VIEW}), a clear column of the masked table itself, a user variable or setting, a sequence, a bound
 * parameter set from a value it read, generated keys — possibly through an intermediate table or variable, then reads
 * every destination back. The sequence runs on two databases that differ only in their SSNs
 * ({@link MaskedValuesNonInterferenceSpec#SSNS_A}, {@code SSNS_B}); for the agent every outcome of every statement
 * (the refusal or error with its SQLState and message, update counts, rows, generated keys, warnings, and each value
 * through {@code getString}, {@code getObject}, {@code getBytes}, {@code getLong} and {@code wasNull}) must be the same
 * on both, and no SSN may show in any of it. After every statement a raw connection (the database's own driver) reads
 * every clear place the agent could have written; those must be the same on both databases and hold no SSN.
 * <p>
 * The tables: {@code ln_people(id, name, ssn)} (the SSN masked by {@code redact}, {@code deny-inference} by default),
 * the clear tables {@code ln_clear(id, note)} and {@code ln_mid(id, note)}, which the agent may write, and the
 * sequence {@code ln_seq}; the agent may also create {@code ln_copy}, {@code ln_view}, {@code ln_tmp} and update
 * {@code ln_people}'s clear column {@code name}.
 */
abstract class LaunderingAcrossStatementsSpec {
    static final String POLICY = """
            version: 1
            default: deny
            on-unparseable: deny
            classification:
              auto-detect: false
              tags:
                pii.ssn: ["*.ssn"]
            rules:
              - id: agents-read
                effect: permit
                principals: { kinds: [agent], on-behalf-of: required }
                actions: [select, set, call]
                resources: ["*"]
              - id: agents-write-clear-tables
                effect: permit
                principals: { kinds: [agent], on-behalf-of: required }
                actions: [insert, update, delete, merge, create, alter]
                resources: ["ln_clear", "ln_mid", "ln_copy", "ln_view", "ln_tmp", "ln_seq", "ln_people"]
            masks:
              - id: hide-ssn
                columns: { tags: [pii.ssn] }
                function: redact
            """;
    static final Identity AGENT = Identity.builder("support-bot").kind(IdentityKind.AGENT)
            .onBehalfOf(Identity.human("ann")).purpose("ticket 12").build();
    private static final Governance GOVERNANCE = Governance.builder()
            .policy(PolicyLoader.fromString("laundering.yaml", POLICY)).withoutAudit().defaultIdentity(AGENT).build();
    static final List<String> SSNS_A = MaskedValuesNonInterferenceSpec.SSNS_A;
    static final List<String> SSNS_B = MaskedValuesNonInterferenceSpec.SSNS_B;

    // ---------------------------------------------------------------- what each dialect provides

    /** The database's own data source, for database A ({@code a}) or B, as its owner. */
    abstract DataSource rawSource(boolean a);

    /** Puts the clear places back as the fixture made them: no copies, views, variables or sequence moves. */
    abstract void reset(Connection raw) throws SQLException;

    /** Every clear place the agent may have written, read through the raw connection, as text. */
    abstract String clearPlaces(Connection raw) throws SQLException;

    /** An outcome with the names that tell database A from B (a database or schema name) written the same. */
    abstract String asIfOneDatabase(String outcome);

    /** Values from the SSN of row {@code p} of {@code ln_people p}: the column itself and subqueries over it. */
    abstract List<String> leaves();

    /** Forms of one expression ({@code %s}) an agent would wrap an SSN in: pieces, hashes, digits, tests. */
    abstract List<String> wrappers();

    /** Statements with one {@code %s}, a value over {@code ln_people p}, that move it towards a clear place. */
    abstract List<Launder> launderings();

    /** Statements that move what an earlier statement left (a copy, a view, a variable, a sequence) further on. */
    abstract List<String> chains();

    /** The tables every dialect's fixture makes alike: the intermediate table, the sequence, and the SSNs to copy in. */
    static void createSharedTables(Statement s, List<String> ssns) throws SQLException {
        s.execute("CREATE TABLE ln_mid(id INT, note VARCHAR(200))");
        s.execute("CREATE SEQUENCE ln_seq START WITH 1");
        s.execute("CREATE TABLE ln_ssns(id INT PRIMARY KEY, ssn VARCHAR(11))");
        for (int i = 0; i < ssns.size(); i++) {
            s.execute("INSERT INTO ln_ssns VALUES (" + (i + 1) + ", '" + ssns.get(i) + "')");
        }
    }

    /** The chain steps of every dialect: what a copy, the view, the temporary and intermediate tables hold, moved on. */
    private static final List<String> COMMON_CHAINS = List.of(
            "INSERT INTO ln_clear(id, note) SELECT id + 1000, note FROM ln_copy",
            "INSERT INTO ln_clear(id, note) SELECT id + 1100, note FROM ln_view",
            "INSERT INTO ln_clear(id, note) SELECT id + 1200, note FROM ln_tmp",
            "INSERT INTO ln_clear(id, note) SELECT id + 1300, note FROM ln_mid",
            "INSERT INTO ln_clear(id, note) SELECT id + 1400, name FROM ln_people");

    /** {@link #COMMON_CHAINS}, then a dialect's own chain steps. */
    static List<String> withCommonChains(String... own) {
        List<String> all = new ArrayList<>(COMMON_CHAINS);
        all.addAll(List.of(own));
        return all;
    }

    /**
     * The clear places of a server, as text: every column but {@code ssn} of the tables the agent may write, listed by
     * {@code information_schema} for the schema {@code currentSchema} (the SQL that names the session's schema or
     * database) and quoted with {@code quote}, then the rows of each query of {@code more} (the sequence, the tables).
     */
    static String clearPlacesOnAServer(Connection raw, String currentSchema, char quote, List<String> more)
            throws SQLException {
        List<String> queries = new ArrayList<>();
        for (String table : List.of("ln_clear", "ln_mid", "ln_people", "ln_copy")) {
            List<String> columns = new ArrayList<>();
            try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT column_name FROM "
                    + "information_schema.columns WHERE table_schema = " + currentSchema + " AND table_name = '" + table
                    + "' AND column_name <> 'ssn' ORDER BY ordinal_position")) {
                while (rs.next()) {
                    columns.add(quote + rs.getString(1) + quote);
                }
            }
            queries.add(columns.isEmpty() ? "SELECT 'no table " + table + "'"
                    : "SELECT " + String.join(", ", columns) + " FROM " + table + " ORDER BY " + String.join(", ", columns));
        }
        queries.addAll(more);
        StringBuilder out = new StringBuilder();
        for (String sql : queries) {
            try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                out.append(sql).append(": ").append(rows(rs)).append('\n');
            }
        }
        return out.toString();
    }

    /** The statements that read every destination back, run after each sequence. */
    abstract List<String> readBacks();

    /** A laundering statement: its name (for statistics), its text with {@code %s}, and whether it is a query. */
    record Launder(String name, String form) {
    }

    /** How a statement is sent. */
    enum Mode { EXECUTE, PREPARED, BATCH, GENERATED_KEYS, READ_THEN_BIND }

    /** One statement of a sequence: its name, its SQL, how it is sent. */
    record Step(String name, String sql, Mode mode) {
        @Override
        public String toString() {
            return mode + " " + sql;
        }
    }

    // ---------------------------------------------------------------- generation

    @Provide
    Arbitrary<String> derived() {
        return derived(2);
    }

    private Arbitrary<String> derived(int depth) {
        Arbitrary<String> leaf = Arbitraries.of(leaves());
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<String> inner = Arbitraries.lazy(() -> derived(depth - 1));
        Arbitrary<String> wrapped = Combinators.combine(Arbitraries.of(wrappers()), inner).as(String::formatted);
        return Arbitraries.frequencyOf(Tuple.of(2, leaf), Tuple.of(3, wrapped));
    }

    private Arbitrary<Step> laundering() {
        Arbitrary<Mode> mode = Arbitraries.frequency(Tuple.of(4, Mode.EXECUTE), Tuple.of(2, Mode.PREPARED),
                Tuple.of(1, Mode.BATCH), Tuple.of(2, Mode.GENERATED_KEYS), Tuple.of(1, Mode.READ_THEN_BIND));
        return Combinators.combine(Arbitraries.of(launderings()), derived(), mode)
                .as((l, d, m) -> m == Mode.READ_THEN_BIND ? new Step("read then bind", d, m)
                        : new Step(l.name(), l.form().formatted(d), m));
    }

    private Arbitrary<Step> chain() {
        return Combinators.combine(Arbitraries.of(chains()), Arbitraries.of(Mode.EXECUTE, Mode.PREPARED, Mode.GENERATED_KEYS))
                .as((sql, m) -> new Step("chain", sql, m));
    }

    /** A laundering statement, then up to three more, each another laundering or a chain step. */
    @Provide
    Arbitrary<List<Step>> sequences() {
        Arbitrary<Step> next = Arbitraries.frequencyOf(Tuple.of(1, laundering()), Tuple.of(1, chain()));
        return Combinators.combine(laundering(), next.list().ofMinSize(0).ofMaxSize(3)).as((first, rest) -> {
            List<Step> steps = new ArrayList<>();
            steps.add(first);
            steps.addAll(rest);
            return steps;
        });
    }

    // ---------------------------------------------------------------- the property

    /**
     * The property, which each dialect's class declares with its number of tries ({@code @Property(tries = …,
     * afterFailure = AfterFailureMode.RANDOM_SEED) void …(@ForAll("sequences") List<Step> steps)}): a server's
     * DDL costs more than H2's.
     */
    void checkSequence(List<Step> steps) throws SQLException {
        Run a = run(true, steps);
        Run b = run(false, steps);
        for (int i = 0; i < a.outcomes().size(); i++) {
            String what = i < steps.size() ? steps.get(i).toString() : "read back: " + readBacks().get(i - steps.size());
            assertThat(b.outcomes().get(i)).as("in the sequence %s%nstatement %s%ngives on database A: %s%nand on "
                    + "database B (other SSNs): %s", steps, what, a.outcomes().get(i), b.outcomes().get(i))
                    .isEqualTo(a.outcomes().get(i));
        }
        for (int i = 0; i < a.clear().size(); i++) {
            assertThat(b.clear().get(i)).as("in the sequence %s%nafter statement %d (%s) the clear places hold on "
                    + "database A: %s%nand on database B: %s", steps, i + 1, steps.get(i), a.clear().get(i), b.clear().get(i))
                    .isEqualTo(a.clear().get(i));
        }
        assertNoSsn(a, SSNS_A, steps);
        assertNoSsn(b, SSNS_B, steps);
        for (int i = 0; i < steps.size(); i++) {
            String o = a.outcomes().get(i);
            Statistics.label("step").collect(steps.get(i).name() + ": " + (o.startsWith("failed: 42501") ? "refused"
                    : o.startsWith("failed") ? "failed" : "ran") + (steps.get(i).sql().toLowerCase().contains("ssn")
                    ? ", over the SSN" : ""));
        }
        Statistics.label("statements").collect(steps.size() + 1);
    }

    private static void assertNoSsn(Run run, List<String> ssns, List<Step> steps) {
        String all = String.join("\n", run.outcomes()) + "\n" + String.join("\n", run.clear());
        for (String ssn : ssns) {
            // a statement's own literal ('123-45-6789' in a comparison) comes back in the labels and messages that quote
            // the statement: that is the agent's own text, not a value read
            if (steps.stream().anyMatch(step -> step.sql().contains("'" + ssn + "'"))) {
                all = all.replace("'" + ssn + "'", "'<the statement's literal>'");
            }
        }
        for (String ssn : ssns) {
            assertThat(all).as("the sequence %s shows or leaves an SSN in clear: %s", steps, all)
                    .doesNotContain(ssn).doesNotContain(ssn.replace("-", ""));
        }
    }

    /** What the agent saw of each statement and read-back, and what the clear places held after each statement. */
    record Run(List<String> outcomes, List<String> clear) {
    }

    private Run run(boolean a, List<Step> steps) throws SQLException {
        List<String> outcomes = new ArrayList<>();
        List<String> clear = new ArrayList<>();
        try (Connection raw = rawSource(a).getConnection()) {
            reset(raw);
            String before = clearPlaces(raw);
            try (Connection agent = new GovernedDataSource(rawSource(a), GOVERNANCE).getConnection()) {
                for (Step step : steps) {
                    outcomes.add(asIfOneDatabase(outcome(agent, step)));
                    clear.add(clearPlaces(raw));
                }
                for (String read : readBacks()) {
                    outcomes.add(asIfOneDatabase(outcome(agent, new Step("read", read, Mode.EXECUTE))));
                }
            }
            assertThat(before).as("the fixture's clear places").doesNotContain(a ? SSNS_A.get(0) : SSNS_B.get(0));
        }
        return new Run(outcomes, clear);
    }

    // ---------------------------------------------------------------- what the agent sees

    private static String outcome(Connection c, Step step) {
        StringBuilder out = new StringBuilder();
        try {
            switch (step.mode()) {
                case EXECUTE -> {
                    try (Statement s = c.createStatement()) {
                        results(s, s.execute(step.sql()), out);
                    }
                }
                case PREPARED -> {
                    try (PreparedStatement s = c.prepareStatement(step.sql())) {
                        results(s, s.execute(), out);
                    }
                }
                case BATCH -> {
                    try (Statement s = c.createStatement()) {
                        s.addBatch(step.sql());
                        out.append("batch ").append(Arrays.toString(s.executeBatch()));
                        warnings(s.getWarnings(), out);
                    }
                }
                case GENERATED_KEYS -> {
                    try (Statement s = c.createStatement()) {
                        results(s, s.execute(step.sql(), Statement.RETURN_GENERATED_KEYS), out);
                        try (ResultSet keys = s.getGeneratedKeys()) {
                            out.append(" keys ").append(rows(keys));
                        }
                    }
                }
                case READ_THEN_BIND -> {
                    // the value the agent reads (masked, or an error) is bound into a write of a clear table
                    String read = null;
                    Object object = null;
                    String select = "SELECT " + step.sql() + " FROM ln_people p WHERE p.id = 1";
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(select)) {
                        if (rs.next()) {
                            read = rs.getString(1);
                            object = rs.getObject(1);
                        }
                        out.append("read ").append(read).append(" | ").append(object).append("; ");
                    } catch (SQLException e) {
                        out.append("read failed: ").append(e.getSQLState()).append(' ').append(e.getMessage()).append("; ");
                    }
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO ln_clear(id, note) VALUES (?, ?)")) {
                        s.setInt(1, 900);
                        s.setString(2, read);
                        out.append("bound string ").append(s.executeUpdate());
                    }
                    try (PreparedStatement s = c.prepareStatement("UPDATE ln_clear SET note = ? WHERE id = ?")) {
                        s.setObject(1, object == null ? null : object instanceof byte[] ? object : String.valueOf(object));
                        s.setInt(2, 2);
                        out.append(", bound object ").append(s.executeUpdate());
                    }
                }
            }
        } catch (SQLException e) {
            return out + "failed: " + e.getSQLState() + " " + e.getMessage();
        }
        return out.toString();
    }

    private static void results(Statement s, boolean isResultSet, StringBuilder out) throws SQLException {
        boolean more = isResultSet;
        for (int i = 0; i < 5; i++) {
            if (more) {
                try (ResultSet rs = s.getResultSet()) {
                    out.append("rows ").append(rows(rs));
                }
            } else {
                int count = s.getUpdateCount();
                if (count == -1) {
                    break;
                }
                out.append("count ").append(count);
            }
            more = s.getMoreResults();
            out.append("; ");
        }
        warnings(s.getWarnings(), out);
    }

    private static void warnings(SQLWarning w, StringBuilder out) {
        for (; w != null; w = w.getNextWarning()) {
            out.append(" warning ").append(w.getSQLState()).append(' ').append(w.getMessage());
        }
    }

    /** Every row in order, each cell through getString, wasNull, getObject, wasNull, getBytes and getLong. */
    static String rows(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        StringBuilder out = new StringBuilder("(");
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            out.append(meta.getColumnLabel(i)).append(' ');
        }
        out.append(')');
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
            StringBuilder row = new StringBuilder("[");
            for (int column = 1; column <= meta.getColumnCount(); column++) {
                int i = column;
                row.append(getter(() -> {
                    String v = rs.getString(i);
                    return v + (rs.wasNull() ? " (null)" : "");
                })).append(" | ").append(getter(() -> {
                    Object v = rs.getObject(i);
                    return (v instanceof byte[] b ? Arrays.toString(b) : String.valueOf(v)) + (rs.wasNull() ? " (null)" : "");
                })).append(" | ").append(getter(() -> {
                    byte[] v = rs.getBytes(i);
                    return v == null ? "null" : new String(v, StandardCharsets.ISO_8859_1);
                })).append(" | ").append(getter(() -> rs.getLong(i) + (rs.wasNull() ? " (null)" : ""))).append("; ");
            }
            rows.add(row.append(']').toString());
        }
        return out.append(rows).toString();
    }

    private interface Getter {
        String get() throws SQLException;
    }

    private static String getter(Getter g) {
        try {
            return g.get();
        } catch (SQLException e) {
            return "error " + e.getSQLState() + " " + e.getMessage();
        } catch (RuntimeException e) {
            return "error " + e.getClass().getSimpleName() + " " + e.getMessage();
        }
    }
}
