package io.governed.jdbc.masking;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No built-in function of H2 shows an agent anything of a masked column, nor an analyst a masked value: the list of
 * what is tried is read from the H2 on the class path itself, not from a list of functions someone thought of.
 * <p>
 * Enumerated, by reflection on H2's own tables of names (H2 keeps no catalog of its built-ins that SQL can read:
 * {@code INFORMATION_SCHEMA.ROUTINES} lists user-defined routines only):
 * <ul>
 * <li>{@code org.h2.expression.function.BuiltinFunctions.FUNCTIONS}, the names the parser reads as built-in function
 * calls (string, numeric, date-time, JSON, array, bit, hash, system and file functions, {@code EXTRACT}, ...);</li>
 * <li>{@code org.h2.util.ParserUtil.KEYWORDS}, its keywords, some of which are functions ({@code LEFT}, {@code RIGHT},
 * {@code CURRENT_USER});</li>
 * <li>the text constants of its parser's class file ({@code org.h2.command.Parser}) that are one upper-case word: the
 * names the parser compares an identifier with, among them the functions it reads itself ({@code IFNULL},
 * {@code NVL2}, {@code DECODE}, {@code SUBSTR}, {@code GROUP_CONCAT}, ...) and also settings and keywords, calls of
 * which H2 rejects;</li>
 * <li>{@code org.h2.expression.aggregate.Aggregate.AGGREGATES}, the names of its aggregates;</li>
 * <li>{@code org.h2.expression.analysis.WindowFunctionType}, its window functions, called with
 * {@code OVER (ORDER BY c.id)};</li>
 * <li>the {@code FUNCTIONS} tables of the compatibility modes' functions ({@code org.h2.mode.FunctionsMySQL},
 * {@code FunctionsPostgreSQL}, {@code FunctionsOracle}, {@code FunctionsMSSQLServer}, {@code FunctionsDB2Derby},
 * {@code FunctionsLegacy}), which the databases here (in the default mode) reject: tried, so that a mode made the
 * default cannot bring them in untried.</li>
 * </ul>
 * If a new H2 no longer has one of these tables where it is read, or has it empty, the test fails and says which:
 * an upgrade of the parser cannot silently empty the list.
 * <p>
 * Each name is called with no argument and with one to three, the masked text column {@code c.ssn} (of
 * {@link MaskedValuesNonInterferenceSpec}'s two databases, A and B: the same rows but for the SSNs) in each position
 * and a literal ({@code 1}, or {@code 'a'}) in the others; each name H2 knows a function of is also called in each of
 * the forms with keywords between the arguments its grammar has ({@code NAME(x AS type)}, {@code NAME(DAY FROM x)},
 * {@code NAME(x FROM 1 FOR 2)}, {@code NAME(x IN y)}, {@code NAME(KEY k VALUE x)}, {@code NAME(x ORDER BY x)},
 * {@code WITHIN GROUP (ORDER BY x)}, {@code FILTER (WHERE ...)}, ...; a name H2 answers with "function not found" is
 * counted and not tried in them). A call of no argument whose value changes from one run to the next ({@code RAND()},
 * {@code UUID()}) is counted and not compared: it reads no column. A call H2 rejects on both databases (a wrong arity,
 * a syntax error) is an outcome like any other, the same on both. Each call runs through the governed driver in a select
 * list and in a condition ({@code HAVING} where the call is an aggregate) for the agent, whom the mask's
 * {@code deny-inference} covers, and in a select list for the analyst, whom it does not (see
 * {@link BuiltInCallOutcomes}). An outcome that differs between A and B, or that holds an SSN, is a leak: a masked
 * value in clear, a computation of one, or an answer about them (an error only some values raise, a filter) — the
 * function's part in the analysis (its lineage, or whether it is proven unable to fail) is wrong. The connections,
 * raw and governed, log in as a user who may only read the two tables (not an administrator: H2's file and session
 * functions refuse it), with a statement time limit.
 */
class H2EveryBuiltInFunctionTest {
    private static final Logger LOG = LoggerFactory.getLogger(H2EveryBuiltInFunctionTest.class);
    private static final String USER = "HFN_READER";
    private static final String PASSWORD = "hfn-" + UUID.randomUUID();
    private static final String DATABASE_A = ("HFN_A_" + UUID.randomUUID()).toUpperCase(Locale.ROOT);
    private static final String DATABASE_B = ("HFN_B_" + UUID.randomUUID()).toUpperCase(Locale.ROOT);
    private static Connection keepA;
    private static Connection keepB;
    private static MaskedValuesNonInterferenceSpec.Readers readers;
    private static Connection rawA;
    private static Connection rawB;

    @BeforeAll
    static void databases() throws SQLException {
        keepA = fill(DATABASE_A, MaskedValuesNonInterferenceSpec.SSNS_A);
        keepB = fill(DATABASE_B, MaskedValuesNonInterferenceSpec.SSNS_B);
        readers = MaskedValuesNonInterferenceSpec.Readers.over(reader(DATABASE_A), reader(DATABASE_B));
        rawA = reader(DATABASE_A).getConnection();
        rawB = reader(DATABASE_B).getConnection();
    }

    private static Connection fill(String database, List<String> ssns) throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1");
        Connection keep = h2.getConnection();
        try (Statement s = keep.createStatement()) {
            MaskedValuesNonInterferenceSpec.fill(s, ssns);
            s.execute("CREATE USER " + USER + " PASSWORD '" + PASSWORD + "'");
            s.execute("GRANT SELECT ON customers, orders TO " + USER);
        }
        return keep;
    }

    private static JdbcDataSource reader(String database) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + database + ";QUERY_TIMEOUT=3000");
        h2.setUser(USER);
        h2.setPassword(PASSWORD);
        return h2;
    }

    @AfterAll
    static void close() throws SQLException {
        BuiltInCallOutcomes.close(rawA, rawB, readers);
        for (Connection c : new Connection[] {keepA, keepB}) {
            if (c != null) {
                try (Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                }
            }
        }
    }

    /** H2's built-in names, by where they were read: a table of names that is gone or empty fails the test. */
    static Map<String, Collection<String>> builtInNames() {
        Map<String, Collection<String>> names = new TreeMap<>();
        names.put("functions", keys("org.h2.expression.function.BuiltinFunctions", "FUNCTIONS"));
        names.put("aggregates", keys("org.h2.expression.aggregate.Aggregate", "AGGREGATES"));
        List<String> windows = new ArrayList<>();
        for (Object type : enumConstants("org.h2.expression.analysis.WindowFunctionType")) {
            windows.add(((Enum<?>) type).name());
        }
        names.put("window functions", windows);
        names.put("keywords", keys("org.h2.util.ParserUtil", "KEYWORDS"));
        names.put("names the parser compares an identifier with", parserNames());
        for (String mode : List.of("MySQL", "PostgreSQL", "Oracle", "MSSQLServer", "DB2Derby", "Legacy")) {
            names.put("functions of compatibility mode " + mode, keys("org.h2.mode.Functions" + mode, "FUNCTIONS"));
        }
        return names;
    }

    private static Collection<String> keys(String className, String fieldName) {
        Object table;
        try {
            Field field = Class.forName(className).getDeclaredField(fieldName);
            if (!Modifier.isStatic(field.getModifiers())) {
                throw new AssertionError(className + "." + fieldName + " is no longer static: read H2's built-in "
                        + "names from where this H2 version keeps them");
            }
            field.setAccessible(true);
            table = field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new AssertionError("This H2 version has no " + className + "." + fieldName + " to read its built-in "
                    + "names from (" + e + "): find where it keeps them (its parser) and read them from there", e);
        }
        Collection<?> found = table instanceof Map<?, ?> map ? map.keySet() : table instanceof Collection<?> c ? c : null;
        if (found == null || found.isEmpty() || !found.stream().allMatch(String.class::isInstance)) {
            throw new AssertionError(className + "." + fieldName + " is no longer a non-empty set or map of names ("
                    + (table == null ? "null" : table.getClass().getName()) + "): read H2's built-in names from "
                    + "where this H2 version keeps them");
        }
        return found.stream().map(String.class::cast).sorted().toList();
    }

    /**
     * The text constants of H2's parser ({@code org.h2.command.Parser}'s class file) that read as one upper-case word:
     * the names it compares an identifier with, among them the functions it reads itself ({@code IFNULL}, {@code NVL2},
     * {@code DECODE}, {@code SUBSTR}, {@code GROUP_CONCAT}, ...), not in the tables above; the others are keywords
     * and settings, calls of which H2 rejects.
     */
    static Collection<String> parserNames() {
        byte[] bytes;
        try (InputStream in = Class.forName("org.h2.command.Parser").getResourceAsStream("Parser.class")) {
            if (in == null) {
                throw new AssertionError("This H2 version's org.h2.command.Parser has no class file to read its names "
                        + "from: read them from where it keeps them");
            }
            bytes = in.readAllBytes();
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError("This H2 version has no org.h2.command.Parser to read its names from: read them "
                    + "from where it keeps them", e);
        }
        List<String> names = new ArrayList<>();
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException("not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            List<Integer> strings = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 8 -> strings.add(in.readUnsignedShort());
                    case 7, 16, 19, 20 -> in.readUnsignedShort();
                    case 15 -> in.skipBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 5, 6 -> {
                        in.skipBytes(8);
                        i++;
                    }
                    default -> throw new IOException("constant pool tag " + tag);
                }
            }
            for (int index : strings) {
                if (utf8[index] != null && utf8[index].matches("[A-Z_][A-Z0-9_]*") && !names.contains(utf8[index])) {
                    names.add(utf8[index]);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("org.h2.command.Parser's class file could not be read (" + e + "): read H2's "
                    + "names from where this version keeps them", e);
        }
        if (!names.containsAll(List.of("IFNULL", "NVL2", "SUBSTR"))) {
            throw new AssertionError("org.h2.command.Parser's text constants no longer name the functions it reads "
                    + "itself (IFNULL, NVL2, SUBSTR): read them from where this H2 version keeps them");
        }
        names.sort(null);
        return names;
    }

    private static Object[] enumConstants(String className) {
        try {
            Object[] constants = Class.forName(className).getEnumConstants();
            if (constants == null || constants.length == 0) {
                throw new AssertionError(className + " is no longer an enum of names: read H2's window functions from "
                        + "where this H2 version keeps them");
            }
            return constants;
        } catch (ClassNotFoundException e) {
            throw new AssertionError("This H2 version has no " + className + ": read its window functions from where "
                    + "it keeps them", e);
        }
    }

    @Test
    void informationSchemaListsNoBuiltInRoutine() throws SQLException {
        // guard of the javadoc's claim: were H2 to list its built-ins in INFORMATION_SCHEMA, they should be read from there
        try (Statement s = rawA.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.ROUTINES")) {
            rs.next();
            assertThat(rs.getInt(1)).as("routines INFORMATION_SCHEMA lists: read the built-ins from there too").isZero();
        }
    }

    @Test
    void noBuiltInFunctionShowsAnythingOfTheMaskedColumn() {
        BuiltInCallOutcomes outcomes = new BuiltInCallOutcomes(readers, rawA, rawB,
                o -> o.replace(DATABASE_A, "<database>").replace(DATABASE_B, "<database>"));
        Map<String, Collection<String>> names = builtInNames();
        List<String> seen = new ArrayList<>();
        Collection<String> windows = names.get("window functions");
        for (Map.Entry<String, Collection<String>> table : names.entrySet()) {
            for (String name : table.getValue()) {
                boolean window = windows.contains(name);
                outcomes.count("names read: " + table.getKey());
                if (seen.contains(name.toUpperCase(Locale.ROOT))) {
                    outcomes.count("names read twice (called once)");
                    continue;
                }
                seen.add(name.toUpperCase(Locale.ROOT));
                outcomes.count("names enumerated");
                String over = window ? " OVER (ORDER BY c.id)" : "";
                String none = "SELECT c.id, " + name + "()" + over + " AS v FROM customers c";
                if (BuiltInCallOutcomes.render(rawA, none, false).equals(BuiltInCallOutcomes.render(rawA, none, false))) {
                    run(outcomes, name + "/0", name + "()" + over, window);
                } else {
                    outcomes.count("calls of no argument whose value changes from run to run (not compared)");
                }
                for (int arity = 1; arity <= 3; arity++) {
                    for (int position = 0; position < arity; position++) {
                        for (String literal : arity == 1 ? List.of("1") : List.of("1", "'a'")) {
                            List<String> values = new ArrayList<>();
                            for (int i = 0; i < arity; i++) {
                                values.add(i == position ? "c.ssn" : literal);
                            }
                            run(outcomes, name + "/" + arity + " #" + (position + 1),
                                    name + "(" + String.join(", ", values) + ")" + over, window);
                        }
                    }
                }
                if (unknown(name)) {
                    outcomes.count("names H2 knows no function of (no keyword forms)");
                    continue;
                }
                for (String form : KEYWORD_FORMS) {
                    outcomes.count("calls in a form with keywords");
                    run(outcomes, name + " as " + form, form.replace("NAME", name).replace("%s", "c.ssn") + over, window);
                }
            }
        }
        LOG.info("H2 built-ins over a masked column: {}", outcomes.counts());
        outcomes.losses().forEach(loss -> LOG.info("lost (refused to both callers): {}", loss));
        outcomes.findings().forEach(finding -> LOG.error("{}", finding));
        assertThat(outcomes.findings()).as("calls whose governed outcome differs between the databases or shows an SSN")
                .isEmpty();
        assertThat(outcomes.counts().getOrDefault("names enumerated", 0)).as("names tried").isGreaterThan(500);
    }

    /**
     * The forms with keywords between the arguments that H2's grammar has for its built-ins ({@code CAST(x AS t)},
     * {@code EXTRACT(f FROM x)}, {@code SUBSTRING(x FROM n FOR n)}, {@code POSITION(x IN y)}, {@code TRIM(BOTH x FROM
     * y)}, {@code JSON_OBJECT(KEY k VALUE v)}, {@code ARRAY_AGG(x ORDER BY y)}, {@code WITHIN GROUP}, ...), each
     * tried with every name H2 knows a function of ({@code NAME}), the column ({@code %s}) in one place: no list of
     * functions, the forms a call may take.
     */
    private static final List<String> KEYWORD_FORMS = List.of(
            "NAME(%s AS VARCHAR)", "NAME(%s AS INT)", "NAME(DAY FROM %s)", "NAME(%s FROM 1 FOR 2)", "NAME(%s FROM 2)",
            "NAME('1' IN %s)", "NAME(%s IN '123-45-6789')", "NAME(BOTH '1' FROM %s)", "NAME(LEADING %s FROM 'a')",
            "NAME(KEY 'k' VALUE %s)", "NAME('k' : %s)", "NAME(%s FORMAT JSON)", "NAME(%s NULL ON NULL)",
            "NAME(DISTINCT %s)", "NAME(%s ORDER BY %s)", "NAME(%s, ',' ORDER BY c.id)", "NAME(%s) FILTER (WHERE c.id > 0)",
            "NAME(%s) WITHIN GROUP (ORDER BY c.id)", "NAME(0.5) WITHIN GROUP (ORDER BY %s)",
            "NAME() WITHIN GROUP (ORDER BY %s)", "NAME(%s, ',') WITHIN GROUP (ORDER BY %s)", "NAME(%s USING UTF8)");

    /** Whether H2 has no function of this name (error 90022 for a call of one argument). */
    private static boolean unknown(String name) {
        try (Statement s = rawA.createStatement(); ResultSet rs = s.executeQuery("SELECT " + name + "(1) FROM customers c")) {
            return false;
        } catch (SQLException e) {
            return e.getErrorCode() == 90022;
        }
    }

    private static void run(BuiltInCallOutcomes outcomes, String label, String call, boolean window) {
        String condition = "SELECT c.id FROM customers c WHERE CAST(" + call + " AS VARCHAR) < '5'";
        if (window) {
            condition = "SELECT d.id FROM (SELECT c.id, " + call + " AS v FROM customers c) d WHERE CAST(d.v AS VARCHAR) < '5'";
        } else if (groupFunction(condition)) {
            condition = "SELECT COUNT(*) AS n FROM customers c HAVING CAST(" + call + " AS VARCHAR) < '5'";
        }
        outcomes.run(new BuiltInCallOutcomes.Call(label, "SELECT c.id, " + call + " AS v FROM customers c", condition));
    }

    /** Whether H2 rejects {@code sql} for an aggregate in its {@code WHERE} (error 90054). */
    private static boolean groupFunction(String sql) {
        try (Statement s = rawA.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return false;
        } catch (SQLException e) {
            return e.getErrorCode() == 90054;
        }
    }
}
