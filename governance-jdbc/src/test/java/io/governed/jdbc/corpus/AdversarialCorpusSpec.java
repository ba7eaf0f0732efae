package io.governed.jdbc.corpus;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.corpus.AdversarialCorpus.As;
import io.governed.jdbc.corpus.AdversarialCorpus.Case;
import io.governed.jdbc.corpus.AdversarialCorpus.Expect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.AssertionFailedError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adversarial corpus of one dialect (see {@code corpus/adversarial/README.md}): every case runs
 * through the real driver as each reference identity it names, on a database holding the sensitive
 * fixture, and is checked for what the caller sees (every getter, generated keys, warnings, error
 * messages), for what the database holds afterwards (read through a raw connection), or against the
 * raw driver's own result.
 *
 * <p>Cases that fail today are listed in {@code corpus/known-gaps.txt}: a listed case that passes,
 * and an unlisted case that fails, both fail the run. The ids failing in a run are written to
 * {@code target/corpus/failing-DIALECT.txt}, the listed ones that hold to
 * {@code target/corpus/known-gaps-that-hold-DIALECT.txt}, and counts per class to {@code target/corpus/summary-DIALECT.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AdversarialCorpusSpec {
    private static final Logger log = LoggerFactory.getLogger(AdversarialCorpusSpec.class);
    static final String POLICY = "classpath:policies/masking-policy.yaml";

    private Connection raw;
    private SensitiveFixture fixture;
    private String before;
    private List<Case> cases;
    private Set<String> gaps;
    private final Map<String, int[]> counts = new TreeMap<>();
    private final List<String> failing = new ArrayList<>();
    private final List<String> gapsThatHold = new ArrayList<>();

    abstract CorpusDatabase database();

    /** {@code h2}, {@code postgresql} or {@code mariadb}: which corpus files apply. */
    abstract String dialect();

    abstract String databaseName();

    /** Makes sure the server is reachable and its databases exist; nothing for embedded H2. */
    void prepareServer() throws SQLException {
    }

    /** Removes everything the fixture and any case could have created, so the fixture can be laid afresh. */
    abstract void dropEverything(Statement raw) throws SQLException;

    /** Queries whose results together describe what a case could change: catalog, code objects, data, settings. */
    abstract List<String> snapshotQueries();

    /** The table of notes in a schema the reference identities may not read. */
    abstract String vaultTable();

    /** The policy the reference identities run under. */
    String policy() {
        return POLICY;
    }

    /** The cases this run checks: by default every case of the dialect in {@code adversarial/index.txt}. */
    List<Case> corpusCases() {
        return AdversarialCorpus.cases(dialect());
    }

    /** The dialect's extra fixture objects, statements separated by lines holding only {@code ;;}. */
    String fixtureText() {
        return AdversarialCorpus.read("fixture-" + dialect() + ".sql");
    }

    /** The class of hole whose masked cases the pii-reader self-check counts. */
    String selfCheckClass() {
        return "lineage";
    }

    /** Called after the fixture is laid, to add what the policy hides to the fixture's forbidden text. */
    void afterLay(Connection raw, SensitiveFixture fixture) throws SQLException {
    }

    @BeforeAll
    void fixtures() throws Exception {
        prepareServer();
        raw = database().raw(databaseName());
        lay();
        cases = corpusCases();
        gaps = knownGaps(dialect());
    }

    @AfterAll
    void close() throws SQLException {
        if (raw != null) {
            raw.close();
        }
    }

    /** The sensitive fixture, the dialect's extra objects, and notes no reference identity may read. */
    private void lay() throws Exception {
        try (Statement s = raw.createStatement()) {
            dropEverything(s);
        }
        fixture = new SensitiveFixture();
        fixture.lay(raw);
        try (Statement s = raw.createStatement()) {
            for (String sql : statementsOf(fixtureText())) {
                s.execute(sql);
            }
        }
        Random random = new Random(8L);
        try (PreparedStatement note = raw.prepareStatement("INSERT INTO " + vaultTable() + " VALUES (?, ?)")) {
            for (int id = 1; id <= 3; id++) {
                String secret = "vault" + randomText(random, 14);
                note.setInt(1, id);
                note.setString(2, "note " + secret);
                note.executeUpdate();
                fixture.forbiddenText.add(secret);
            }
        }
        try (Statement s = raw.createStatement()) {
            s.execute("INSERT INTO " + vaultTable().replace(".notes", ".orders") + " SELECT id, body FROM " + vaultTable());
        }
        for (Path marker : CorpusDatabase.MARKER_FILES) {
            Files.deleteIfExists(marker);
        }
        afterLay(raw, fixture);
        if (!raw.getAutoCommit()) {
            raw.commit();
        }
        before = database().snapshotOf(raw, snapshotQueries());
    }

    /** Fixture statements: separated by lines holding only {@code ;;}, so bodies may hold semicolons. */
    private static List<String> statementsOf(String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split("(?m)^;;\\s*$")) {
            String sql = part.lines().filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + b + "\n").strip();
            if (!sql.isEmpty()) {
                out.add(sql);
            }
        }
        return out;
    }

    private static String randomText(Random random, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @TestFactory
    Stream<DynamicTest> everyCaseHoldsOrIsAKnownGap() {
        Stream<DynamicTest> each = cases.stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            Throwable failure = null;
            try {
                check(c);
            } catch (Throwable t) {
                failure = t;
            }
            count(c, failure == null);
            if (failure != null) {
                failing.add(c.id());
            }
            if (gaps.contains(c.id()) && failure == null) {
                gapsThatHold.add(c.id());
                throw new AssertionFailedError(c.id() + " holds now: remove it from corpus/known-gaps.txt");
            }
            if (!gaps.contains(c.id()) && failure != null) {
                throw failure;
            }
        }));
        Stream<DynamicTest> end = Stream.of(
                DynamicTest.dynamicTest("every known gap of " + dialect() + " names a case", () -> {
                    Set<String> ids = new LinkedHashSet<>();
                    cases.forEach(c -> ids.add(c.id()));
                    assertThat(gaps).as("known gaps that name no case").isSubsetOf(ids);
                }),
                DynamicTest.dynamicTest("summary of " + dialect(), this::summarise));
        return Stream.concat(each, end);
    }

    /**
     * Each masked case, run through the raw driver, shows a piece of a protected value: the case is a
     * real leak attempt, and the checks that read it through every getter, key, warning and error do fire.
     */
    @TestFactory
    Stream<DynamicTest> everyMaskedCaseLeaksThroughTheRawDriver() {
        return cases.stream().filter(c -> c.expect() == Expect.MASKED).map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            List<String> seen = new ArrayList<>();
            try (Connection connection = rawFor(c)) {
                run(connection, c, seen);
            } finally {
                restoreIfChanged();
            }
            assertThat(seen.stream().map(fixture::leakIn).filter(l -> l != null).findAny())
                    .as("a protected value seen through the raw driver for %s", c).isPresent();
        }));
    }

    /**
     * A pii-reader sees clear values: the same leak check over the same cases fires for that identity
     * (on at least half of the lineage cases it may run; the others are redacted as secrets or refused),
     * so a check that passes for the other identities is not one that cannot fail.
     */
    @TestFactory
    Stream<DynamicTest> theLeakCheckFiresForAPiiReader() {
        return Stream.of(DynamicTest.dynamicTest("pii-reader on " + dialect(), () -> {
            Map<String, int[]> firedByClass = new TreeMap<>();
            for (Case c : cases) {
                if (c.expect() != Expect.MASKED || !c.as().contains(As.ANALYST)) {
                    continue;
                }
                if (refusedAtConnect(c, As.PII_READER)) {
                    continue;
                }
                List<String> seen = new ArrayList<>();
                boolean refused;
                try (Connection connection = governed(c, As.PII_READER)) {
                    refused = run(connection, c, seen);
                } finally {
                    restoreIfChanged();
                }
                if (refused) {
                    continue;
                }
                int[] n = firedByClass.computeIfAbsent(c.hole(), k -> new int[2]);
                n[1]++;
                if (seen.stream().anyMatch(s -> fixture.piiLeakIn(s) != null)) {
                    n[0]++;
                }
            }
            log.info("{}: the leak check fired for a pii-reader in {} (fired/run by class)", dialect(),
                    firedByClass.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()[0] + "/" + e.getValue()[1]).toList());
            int[] lineage = firedByClass.getOrDefault(selfCheckClass(), new int[2]);
            assertThat(lineage[1]).as("%s cases a pii-reader ran", selfCheckClass()).isPositive();
            assertThat(2 * lineage[0]).as("twice the %s cases where the leak check fired for a pii-reader, of %d run", selfCheckClass(), lineage[1])
                    .isGreaterThanOrEqualTo(lineage[1]);
        }));
    }

    private void check(Case c) throws Exception {
        List<String> problems = new ArrayList<>();
        try {
            for (As as : c.as()) {
                String problem = switch (c.expect()) {
                    case MASKED -> masked(c, as);
                    case REFUSED -> refused(c, as);
                    case CLEAR -> clear(c, as);
                };
                if (problem != null) {
                    problems.add(as.name().toLowerCase() + ": " + problem);
                }
            }
        } finally {
            String after = database().snapshotOf(raw, snapshotQueries());
            if (!after.equals(before)) {
                if (c.expect() == Expect.REFUSED) {
                    problems.add("the database changed:\n" + difference(before, after));
                }
                lay();
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionFailedError(c.id() + ": " + String.join("; ", problems));
        }
    }

    private String masked(Case c, As as) throws SQLException {
        if (refusedAtConnect(c, as)) {
            return null;
        }
        List<String> seen = new ArrayList<>();
        try (Connection connection = governed(c, as)) {
            run(connection, c, seen);
        }
        for (String s : seen) {
            String leak = fixture.leakIn(s);
            if (leak != null) {
                return "a protected value came back: " + s.substring(0, s.indexOf(':') + 1) + " contains " + leak;
            }
        }
        return null;
    }

    private String refused(Case c, As as) throws SQLException {
        if (refusedAtConnect(c, as)) {
            return null;
        }
        try (Connection connection = governed(c, as)) {
            prepare(connection, c, new ArrayList<>());
            String direct = refusal(() -> {
                try (Statement s = connection.createStatement()) {
                    s.setQueryTimeout(60);
                    execute(s, c.last(), c.keys());
                }
            });
            if (direct != null) {
                return "executed: " + direct;
            }
            String prepared = refusal(() -> {
                try (PreparedStatement s = connection.prepareStatement(c.last())) {
                    s.setQueryTimeout(60);
                    s.execute();
                }
            });
            return prepared == null ? null : "prepared: " + prepared;
        }
    }

    @FunctionalInterface
    private interface Execution {
        void run() throws SQLException;
    }

    /** What is wrong with how {@code execution} ended, or {@code null} when governance refused it. */
    private static String refusal(Execution execution) {
        try {
            execution.run();
            return "not refused";
        } catch (GovernanceException e) {
            return "42501".equals(e.getSQLState()) ? null : "refused with SQLState " + e.getSQLState() + " instead of 42501";
        } catch (SQLException e) {
            return "not refused by governance; the database answered SQLState " + e.getSQLState();
        }
    }

    private String clear(Case c, As as) throws SQLException {
        List<String> expected = new ArrayList<>();
        try (Connection connection = rawFor(c)) {
            prepare(connection, c, new ArrayList<>());
            values(connection, c.last(), expected);
        }
        List<String> actual = new ArrayList<>();
        try (Connection connection = governed(c, as)) {
            prepare(connection, c, new ArrayList<>());
            try {
                values(connection, c.last(), actual);
            } catch (SQLException e) {
                return "failed with SQLState " + e.getSQLState() + ": " + e.getMessage();
            }
        }
        return actual.equals(expected) ? null : "expected " + expected + " but got " + actual;
    }

    /** Runs every statement of {@code c}, collecting what the caller sees; true when the last one was refused by governance. */
    private boolean run(Connection connection, Case c, List<String> seen) {
        prepare(connection, c, seen);
        try (Statement s = connection.createStatement()) {
            s.setQueryTimeout(60);
            try {
                execute(s, c.last(), c.keys());
                collect(s, c.keys() != null, seen);
            } catch (GovernanceException e) {
                seen(e, seen);
                return true;
            } catch (SQLException e) {
                seen(e, seen);
            }
            warnings("statement warning", s.getWarnings(), seen);
            warnings("connection warning", connection.getWarnings(), seen);
        } catch (SQLException e) {
            seen(e, seen);
        }
        return false;
    }

    private void prepare(Connection connection, Case c, List<String> seen) {
        for (String sql : c.statements().subList(0, c.statements().size() - 1)) {
            try (Statement s = connection.createStatement()) {
                s.setQueryTimeout(60);
                execute(s, sql, null);
                collect(s, false, seen);
            } catch (SQLException e) {
                seen(e, seen);
            }
        }
    }

    private static void execute(Statement s, String sql, String keys) throws SQLException {
        if (keys == null) {
            s.execute(sql);
        } else if (keys.equals("RETURN_GENERATED_KEYS")) {
            s.execute(sql, Statement.RETURN_GENERATED_KEYS);
        } else {
            s.execute(sql, keys.split("\\s*,\\s*"));
        }
    }

    /** Every result of an executed statement, through every getter, its generated keys and its warnings. */
    private static void collect(Statement s, boolean keys, List<String> seen) throws SQLException {
        if (keys) {
            try (ResultSet rs = s.getGeneratedKeys()) {
                readAll("generated key", rs, seen);
            }
        }
        boolean isResultSet = s.getResultSet() != null;
        int results = 0;
        while (results++ < 100) {
            if (isResultSet) {
                try (ResultSet rs = s.getResultSet()) {
                    readAll("result", rs, seen);
                }
            } else if (s.getUpdateCount() == -1) {
                break;
            }
            isResultSet = s.getMoreResults();
        }
    }

    private static void readAll(String channel, ResultSet rs, List<String> seen) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
            for (int i = 1; i <= md.getColumnCount(); i++) {
                for (Map.Entry<String, String> read : EveryGetter.of(rs, i, md.getColumnLabel(i)).entrySet()) {
                    seen.add(channel + " column " + i + " (" + md.getColumnLabel(i) + ") by " + read.getKey() + ": " + read.getValue());
                }
            }
        }
        warnings(channel + " warning", rs.getWarnings(), seen);
    }

    private static void warnings(String channel, SQLWarning warning, List<String> seen) {
        for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
            seen.add(channel + ": " + w.getMessage() + " " + w);
        }
    }

    /** An error's message, every chained exception's and every cause's. */
    private static void seen(SQLException e, List<String> seen) {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            for (Throwable t = next; t != null; t = t.getCause()) {
                seen.add("error " + next.getSQLState() + ": " + t.getMessage() + " " + t);
                if (t.getCause() == t) {
                    break;
                }
            }
        }
    }

    /** Every row's getString and getObject values, of every result of {@code sql}. */
    private static void values(Connection connection, String sql, List<String> out) throws SQLException {
        try (Statement s = connection.createStatement()) {
            boolean isResultSet = s.execute(sql);
            while (true) {
                if (isResultSet) {
                    try (ResultSet rs = s.getResultSet()) {
                        ResultSetMetaData md = rs.getMetaData();
                        while (rs.next()) {
                            StringBuilder row = new StringBuilder();
                            for (int i = 1; i <= md.getColumnCount(); i++) {
                                Object object = rs.getObject(i);
                                String text;
                                try {
                                    text = EveryGetter.text(object);
                                } catch (Exception e) {
                                    text = String.valueOf(object);
                                }
                                row.append(rs.getString(i)).append(" / ").append(text).append(" | ");
                            }
                            out.add(row.toString());
                        }
                    }
                } else if (s.getUpdateCount() == -1) {
                    break;
                } else {
                    out.add("count " + s.getUpdateCount());
                }
                isResultSet = s.getMoreResults();
            }
        }
    }

    private Connection governed(Case c, As as) throws SQLException {
        Properties p = identity(as, policy());
        p.putAll(c.connect());
        return database().governed(databaseName(), p);
    }

    /**
     * Whether the governed driver refuses to connect with the case's connection settings (08001, naming a setting that
     * acts past the gate: pgjdbc's options, MariaDB's sessionVariables): nothing runs, so nothing leaks and nothing
     * changes, which holds for a masked and a refused case alike.
     */
    private boolean refusedAtConnect(Case c, As as) {
        if (c.connect().isEmpty()) {
            return false;
        }
        try (Connection ignored = governed(c, as)) {
            return false;
        } catch (SQLException e) {
            return "08001".equals(e.getSQLState()) && e.getMessage().startsWith("Connection refused: the ");
        }
    }

    private Connection rawFor(Case c) throws SQLException {
        Properties p = database().credentials();
        p.putAll(c.connect());
        return java.sql.DriverManager.getConnection(database().rawUrl(databaseName()), p);
    }

    /** The reference identities: under the reference policy's masks, or under the baseline. */
    static Properties identity(As as, String policy) {
        Properties p = new Properties();
        p.setProperty("governed.audit", "memory");
        if (as != As.BASELINE) {
            p.setProperty("governed.policy", policy);
        }
        switch (as) {
            case ANALYST -> {
                p.setProperty("governed.principal", "ann");
                p.setProperty("governed.kind", "human");
                p.setProperty("governed.groups", "analysts");
            }
            case AGENT -> {
                p.setProperty("governed.principal", "report-bot");
                p.setProperty("governed.kind", "agent");
                p.setProperty("governed.on-behalf-of", "ann");
            }
            case SERVICE, BASELINE -> {
                p.setProperty("governed.principal", "order-service");
                p.setProperty("governed.kind", "service");
            }
            case PII_READER -> {
                p.setProperty("governed.principal", "pia");
                p.setProperty("governed.kind", "human");
                p.setProperty("governed.groups", "analysts,pii-readers");
            }
        }
        return p;
    }

    /** The raw connection the fixture was laid through and the snapshots are read through. */
    Connection rawConnection() {
        return raw;
    }

    /** The snapshot taken after the fixture was last laid. */
    String snapshotAfterLay() {
        return before;
    }

    /** The snapshot now, read through the raw connection. */
    String snapshotNow() throws SQLException {
        return database().snapshotOf(raw, snapshotQueries());
    }

    /** Lays the fixture again when the database is not as it was laid. */
    void restoreIfChanged() throws Exception {
        if (!snapshotNow().equals(before)) {
            lay();
        }
    }

    static String difference(String before, String after) {
        List<String> was = before.lines().toList();
        List<String> is = after.lines().toList();
        StringBuilder out = new StringBuilder();
        is.stream().filter(l -> !was.contains(l)).limit(5).forEach(l -> out.append("  + ").append(l).append('\n'));
        was.stream().filter(l -> !is.contains(l)).limit(5).forEach(l -> out.append("  - ").append(l).append('\n'));
        return out.toString();
    }

    private void count(Case c, boolean holds) {
        int[] n = counts.computeIfAbsent(c.hole(), k -> new int[3]);
        n[0]++;
        if (holds) {
            n[1]++;
        }
        if (gaps.contains(c.id())) {
            n[2]++;
        }
    }

    private void summarise() throws IOException {
        StringBuilder table = new StringBuilder("| class | cases | hold | fail | known gaps |\n|---|---|---|---|---|\n");
        int[] total = new int[3];
        counts.forEach((hole, n) -> {
            table.append("| ").append(hole).append(" | ").append(n[0]).append(" | ").append(n[1]).append(" | ")
                    .append(n[0] - n[1]).append(" | ").append(n[2]).append(" |\n");
            for (int i = 0; i < 3; i++) {
                total[i] += n[i];
            }
        });
        table.append("| **all** | ").append(total[0]).append(" | ").append(total[1]).append(" | ").append(total[0] - total[1])
                .append(" | ").append(total[2]).append(" |\n");
        Path dir = Path.of("target", "corpus");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary-" + dialect() + ".md"), "# Adversarial corpus on " + dialect() + "\n\n" + table);
        Files.write(dir.resolve("failing-" + dialect() + ".txt"), failing);
        Files.write(dir.resolve("known-gaps-that-hold-" + dialect() + ".txt"), gapsThatHold);
        log.info("Adversarial corpus on {}:\n{}", dialect(), table);
    }

    /** The ids of {@code known-gaps.txt} that belong to {@code dialect}. */
    static Set<String> knownGaps(String dialect) {
        try (InputStream in = AdversarialCorpusSpec.class.getResourceAsStream("/corpus/known-gaps.txt")) {
            if (in == null) {
                throw new IllegalStateException("no corpus/known-gaps.txt");
            }
            Set<String> out = new LinkedHashSet<>();
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#") && l.startsWith(dialect + "/")).forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
