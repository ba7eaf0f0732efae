package io.governed.jdbc.channels;

import io.governed.jdbc.wrapper.GovernedConnection;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.Futures;
import io.governed.jdbc.support.TestDatabase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The channels besides result columns through which a value of a masked column could reach a caller a mask applies
 * to: every text of an exception (message, localised message, {@code toString}, SQLState, causes, suppressed and next
 * exceptions, and the vendor's own error object when what is handed out is still the vendor's exception), the
 * warnings of the statement, its result sets and the connection, and the error the audit event records.
 *
 * <p>A subclass plants a generated marker in the masked column (raw connection), then runs each probe of its
 * corpus (casts to every type of the database's catalog, functions taking one text, known risk shapes) through the
 * governed connection as a caller the mask applies to; no fragment of four or more characters of the marker may
 * appear in any of those channels. The probes are shared out over a few connections of the same settings, each
 * running its share in order on a thread of its own ({@link #probeAll}): every probe still runs once per marker, and
 * each connection's warnings are read after each of its probes.
 */
abstract class ErrorChannelsSpec {

    /** Letters rare in English, so that a fragment found in a message is the marker's, not a word of the message. */
    private static Arbitrary<String> word() {
        return Arbitraries.strings().withChars("QXZJKVWqxzjkvwy").ofMinLength(5).ofMaxLength(10);
    }

    private static Arbitrary<String> digits() {
        return Arbitraries.strings().withChars("0123456789").ofMinLength(6).ofMaxLength(12);
    }

    @Provide
    Arbitrary<String> markers() {
        Arbitrary<String> w = word();
        return Arbitraries.oneOf(
                w,
                digits(),
                Combinators.combine(w, w, w).as((a, b, c) -> a + " " + b + " " + c),
                Combinators.combine(w, w, w).as((a, b, c) -> a + "." + b + "@" + c + ".org"),
                Combinators.combine(w, w).as((a, b) -> a + "\n" + b),
                Combinators.combine(w, w, w).as((a, b, c) -> a + "'" + b + "\"" + c + "`x"),
                Combinators.combine(w, w).as((a, b) -> a + "=(" + b + ")"),
                Combinators.combine(w, w).as((a, b) -> a + ": " + b + ", " + a),
                Combinators.combine(w, w).as((a, b) -> "Ωж" + a + "€ü" + b),
                Combinators.combine(w, digits()).as((a, b) -> a + "-" + b),
                Combinators.combine(w, w).as((a, b) -> "<" + a + ">" + b + "</" + a),
                Combinators.combine(w, w).as((a, b) -> "{\"" + a + "\": " + b + "}"));
    }

    /** The fragments of {@code marker} a caller must not see: each run of four or more of its characters with a letter or digit. */
    static Set<String> fragments(String marker) {
        Set<String> fragments = new LinkedHashSet<>();
        for (int i = 0; i + 4 <= marker.length(); i++) {
            String f = marker.substring(i, i + 4);
            if (f.chars().anyMatch(Character::isLetterOrDigit) && f.chars().filter(Character::isLetterOrDigit).count() >= 3) {
                fragments.add(f);
            }
        }
        return fragments;
    }

    /** One leak: the probe, the channel and the text in which a fragment of the marker showed. */
    record Leak(String probe, String channel, String fragment, String text) {
        @Override
        public String toString() {
            return probe + " | " + channel + " | " + fragment + " | " + text.replace("\n", "\\n");
        }
    }

    /** Every text reachable from {@code e}, with the vendor's error object when {@code e} is still the vendor's exception. */
    static List<String> texts(Throwable e) {
        List<String> texts = new ArrayList<>(ExceptionTexts.of(e));
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                texts.add(unlistedState(sql.getSQLState()));
                if (sql instanceof BatchUpdateException batch) {
                    texts.add(String.valueOf(java.util.Arrays.toString(batch.getLargeUpdateCounts())));
                }
                texts.add(vendorDetail(sql));
            }
        }
        return texts;
    }

    /** What pgjdbc's ServerErrorMessage would tell (every field), reached by reflection so that no vendor class is needed. */
    private static String vendorDetail(SQLException e) {
        try {
            Object server = e.getClass().getMethod("getServerErrorMessage").invoke(e);
            return "server error message of " + e.getClass().getName() + ": " + server;
        } catch (ReflectiveOperationException | RuntimeException none) {
            return "";
        }
    }

    static List<String> warningTexts(SQLWarning w) {
        List<String> texts = new ArrayList<>();
        int guard = 0;
        for (SQLWarning next = w; next != null && guard++ < 200; next = next.getNextWarning()) {
            texts.addAll(texts(next));
        }
        return texts;
    }

    static void check(String marker, String probe, String channel, Collection<String> texts, List<Leak> leaks) {
        Set<String> fragments = fragments(marker);
        for (String text : texts) {
            if (text == null) {
                continue;
            }
            String checked = withoutListedStates(text);
            for (String f : fragments) {
                if (checked.contains(f)) {
                    leaks.add(new Leak(probe, channel, f, text));
                    return;
                }
            }
        }
    }

    /**
     * Runs {@code sql} on {@code governed}, reading every row and column, and checks the exception (if any), the
     * statement's, result sets' and connection's warnings.
     */
    static void probe(Connection governed, String marker, String sql, List<Leak> leaks) throws SQLException {
        try (Statement s = governed.createStatement()) {
            try {
                boolean rows = s.execute(sql);
                for (int guard = 0; guard < 20; guard++) {
                    if (rows) {
                        try (ResultSet rs = s.getResultSet()) {
                            int columns = rs.getMetaData().getColumnCount();
                            while (rs.next()) {
                                for (int i = 1; i <= columns; i++) {
                                    try {
                                        rs.getObject(i);
                                        rs.getString(i);
                                    } catch (SQLException getter) {
                                        check(marker, sql, "getter exception", texts(getter), leaks);
                                    }
                                }
                            }
                            check(marker, sql, "ResultSet.getWarnings", warningTexts(rs.getWarnings()), leaks);
                        }
                    } else if (s.getUpdateCount() == -1) {
                        break;
                    }
                    rows = s.getMoreResults();
                }
            } catch (SQLException e) {
                check(marker, sql, "exception", texts(e), leaks);
            }
            check(marker, sql, "Statement.getWarnings", warningTexts(s.getWarnings()), leaks);
        } catch (SQLException closing) {
            check(marker, sql, "exception on close", texts(closing), leaks);
        }
        check(marker, sql, "Connection.getWarnings", warningTexts(governed.getWarnings()), leaks);
        governed.clearWarnings();
        if (!governed.getAutoCommit()) {
            governed.rollback();
        }
    }

    /** How many connections a corpus is shared out over: the probes' round trips and parsing overlap on two cores. */
    static final int CONNECTIONS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

    /**
     * Opens {@link #CONNECTIONS} governed connections to {@code database}, each as analyst {@code ana} under the policy
     * {@code policyYaml} with its audit in the memory sink {@code sink}, into {@code governed}, and as many raw ones into
     * {@code raws}: the connections {@link #probeAll} shares a corpus out over.
     */
    static void openConnections(TestDatabase database, String policyYaml, String sink, List<Connection> governed,
                                List<Connection> raws) throws IOException, SQLException {
        Path policy = Files.createTempFile("ec-channels", ".yaml");
        Files.writeString(policy, policyYaml);
        Properties p = new Properties();
        p.setProperty("user", database.user());
        p.setProperty("password", database.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "ana");
        p.setProperty("governed.groups", "analysts");
        p.setProperty("governed.audit", "memory:" + sink);
        for (int i = 0; i < CONNECTIONS; i++) {
            governed.add(DriverManager.getConnection(database.governedUrl(), p));
            raws.add(database.connectRaw());
        }
    }

    /** Closes every connection {@link #openConnections} opened. */
    static void closeConnections(List<Connection> governed, List<Connection> raws) throws SQLException {
        for (Connection c : governed) {
            c.close();
        }
        for (Connection c : raws) {
            c.close();
        }
    }

    /**
     * Runs every probe of {@code probes} once, probe {@code i} on connection {@code i} modulo their number, each
     * connection's probes in order on a thread of its own, as {@link #probe} does; returns the leaks found, in the
     * probes' order within each connection's share. A failure of the test code itself (not a probe's error, which
     * {@link #probe} reads) is thrown as it was.
     */
    static List<Leak> probeAll(List<Connection> connections, String marker, List<String> probes) throws SQLException {
        int n = connections.size();
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            List<Future<List<Leak>>> shares = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                int first = k;
                shares.add(threads.submit(() -> {
                    List<Leak> leaks = new ArrayList<>();
                    for (int i = first; i < probes.size(); i += n) {
                        probe(connections.get(first), marker, probes.get(i), leaks);
                    }
                    return leaks;
                }));
            }
            List<Leak> leaks = new ArrayList<>();
            for (Future<List<Leak>> share : shares) {
                leaks.addAll(Futures.result(share, "the probes ran"));
            }
            return leaks;
        } finally {
            threads.shutdownNow();
        }
    }

    /** {@link #checkAudit(Connection, String, String, List)} once every connection's governance has written its events. */
    static void checkAudit(List<Connection> governed, String sink, String marker, List<Leak> leaks) throws SQLException {
        for (Connection c : governed) {
            c.unwrap(GovernedConnection.class).governance().flushAudit();
        }
        checkAudit(governed.get(0), sink, marker, leaks);
    }

    /** Checks the error text of every audit event the memory sink {@code sink} holds, then clears it. */
    static void checkAudit(Connection governed, String sink, String marker, List<Leak> leaks) throws SQLException {
        governed.unwrap(GovernedConnection.class).governance().flushAudit();
        for (AuditEvent event : MemorySink.named(sink).events()) {
            if (event.error() != null) {
                check(marker, event.statement(), "audit error", List.of(withoutListedVendorCode(event.error()),
                        unlistedState(event.error().sqlState())), leaks);
            }
            check(marker, event.statement(), "audit reason", List.of(String.valueOf(event.reason())), leaks);
        }
        MemorySink.named(sink).clear();
    }

    /**
     * An SQLState (an audit error's, an exception's) when it is not one the databases define for a condition of their own, else the empty
     * text: {@link io.governed.jdbc.audit.MessageTemplate#userCodeState} keeps a listed code (such as {@code 45000}, the
     * code a routine of the corpus raises), which says only which listed condition it is and whose digits a marker of
     * digits may share by chance. Any other SQLState stays and is checked, as user code may compose it from a value.
     */
    static String unlistedState(String sqlState) {
        return sqlState != null && sqlState.equals(io.governed.jdbc.audit.MessageTemplate.userCodeState(sqlState)) ? "" : String.valueOf(sqlState);
    }

    private static final java.util.regex.Pattern STATE_IN_TEXT = java.util.regex.Pattern.compile("SQLState ([0-9A-Z]{5})");

    /**
     * {@code text} without the SQLStates it names ({@code SQLState 22003}) that the databases list (see
     * {@link #unlistedState}): a masked caller's message and the trail's refusal reasons name the SQLState, whose digits
     * a marker of digits may share by chance. An unlisted code stays and is checked.
     */
    static String withoutListedStates(String text) {
        java.util.regex.Matcher m = STATE_IN_TEXT.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, unlistedState(m.group(1)).isEmpty() ? "SQLState" : java.util.regex.Matcher.quoteReplacement(m.group()));
        }
        return m.appendTail(b).toString();
    }

    private static final java.util.regex.Pattern VENDOR_CODE = java.util.regex.Pattern.compile(" with vendor code (\\d+)");

    /**
     * The audit error's message without its vendor code when that code and the SQLState are one of the pairs a
     * database's driver defines ({@link io.governed.jdbc.audit.MessageTemplate#userCodeVendorCode} keeps it): a constant
     * such as H2's {@code 50000}, whose digits a marker of digits may share. Any other number stays and is checked.
     */
    static String withoutListedVendorCode(io.governed.jdbc.audit.AuditError error) {
        java.util.regex.Matcher m = VENDOR_CODE.matcher(error.message());
        if (m.find()) {
            int code = Integer.parseInt(m.group(1));
            if (io.governed.jdbc.audit.MessageTemplate.userCodeVendorCode(error.sqlState(), code) == code) {
                return error.message().substring(0, m.start()) + error.message().substring(m.end());
            }
        }
        return error.message();
    }

    /** A readable list of {@code leaks}, at most {@code max} of them, for a failing assertion. */
    static String describe(List<Leak> leaks, int max) {
        StringBuilder b = new StringBuilder(leaks.size() + " leaks:\n");
        leaks.stream().limit(max).forEach(l -> b.append("  ").append(l).append('\n'));
        return b.toString();
    }
}
