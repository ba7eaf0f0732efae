package io.governed.jdbc.rowfilter;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.JdbcValues;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller a row filter restricts to tenant {@code t1} looks a row up by its integer key: the statement the governed
 * driver sends (captured on its way to the database, with the values it binds) is explained on a raw connection, and
 * must read the row through the key's index, not the tenant's rows. And whatever the key's value is bound as (an
 * integer, a string that is or is not a number, a decimal, a floating-point number) or written as, whether the statement
 * fails or warns, and what it returns or changes, must not depend on another tenant's rows: each probe is run with a
 * key of another tenant's row (whose values make the rest of the condition fail or warn) and with a key of no row;
 * through a raw connection the two differ, through the governed one they may not.
 */
abstract class RowFilterIndexCorpus {
    /** Another tenant's row, whose total makes {@code 1 / (total - 100)} divide by zero. */
    static final long OTHERS = 3;
    /** No row's key. */
    static final long NONE = 999_999;

    final String orders = UniqueNames.of("fx_idx_orders");
    final String tenantIndex = UniqueNames.of("fx_idx_tenant");
    private Path policy;
    /** The plan {@link #readsByKey} explained last, for the failure's message. */
    String lastPlan;

    abstract TestDatabase database();

    /** Whether the explained plan of {@code sql} (with its bound values) reads the filtered table by its key alone. */
    abstract boolean readsByKey(Connection raw, String sql, Map<Integer, Object> values) throws SQLException;

    @BeforeEach
    void tables() throws SQLException, IOException {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE " + orders + " (id int PRIMARY KEY, tenant_id varchar(10), total int, note varchar(40))");
            st.execute("CREATE INDEX " + tenantIndex + " ON " + orders + " (tenant_id)");
            raw.setAutoCommit(false);
            try (PreparedStatement insert = raw.prepareStatement("INSERT INTO " + orders + " VALUES (?, ?, ?, 'n')")) {
                for (int id = 1; id <= 4000; id++) {
                    insert.setInt(1, id);
                    insert.setString(2, id % 2 == 0 ? "t1" : "t2");
                    insert.setInt(3, id % 2 == 0 ? 200 : 100);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            raw.commit();
            raw.setAutoCommit(true);
            analyze(st);
        }
        policy = TenantFixtures.tenantPolicy("fxidx", orders);
    }

    /** Brings the table's statistics up to date where the database keeps them. */
    void analyze(Statement st) throws SQLException {
    }

    @AfterEach
    void drop() throws SQLException, IOException {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + orders);
        }
        Files.deleteIfExists(policy);
    }

    // ---- index use ----------------------------------------------------------------------------------------------

    @Test
    void aPointSelectByAParameterBoundAsAnIntegerReadsTheKeysIndex() throws SQLException {
        assertReadsByKey("SELECT id, total FROM " + orders + " WHERE id = ?", 42L, "rows [[42, 200]]");
    }

    /**
     * Whether an UPDATE's or DELETE's comparison of the key with a parameter is narrowed beside the filter (MariaDB,
     * which plans a statement with its values); where it is not (H2, which plans it before they are bound), the
     * statement sent evaluates the comparison on the tenant's rows only, through the filter's index.
     */
    abstract boolean narrowsParameters();

    @Test
    void anUpdateByAParameterBoundAsAnIntegerReadsTheKeysIndex() throws SQLException {
        assertReadsByKey("UPDATE " + orders + " SET note = 'x' WHERE id = ?", 42L, "count 1", narrowsParameters());
    }

    @Test
    void aDeleteByAParameterBoundAsAnIntegerReadsTheKeysIndex() throws SQLException {
        assertReadsByKey("DELETE FROM " + orders + " WHERE id = ?", 42L, "count 1", narrowsParameters());
    }

    @Test
    void aPointSelectByAnIntegerLiteralReadsTheKeysIndex() throws SQLException {
        assertReadsByKey("SELECT id, total FROM " + orders + " WHERE id = 42", null, "rows [[42, 200]]");
        assertReadsByKey("UPDATE " + orders + " SET note = 'y' WHERE id = 42 AND note <> 'z'", null, "count 1");
    }

    /**
     * Runs {@code sql} (with {@code key} bound by {@code setLong} when not {@code null}) as tenant t1 through a governed
     * data source whose driver statements are recorded, checks what the caller sees, and explains the statement sent.
     */
    private void assertReadsByKey(String sql, Long key, String expected) throws SQLException {
        assertReadsByKey(sql, key, expected, true);
    }

    /** {@link #assertReadsByKey(String, Long, String)}, or with {@code byKey} false that it does not. */
    private void assertReadsByKey(String sql, Long key, String expected, boolean byKey) throws SQLException {
        Recorder recorder = new Recorder(database());
        Governance governance = Governance.builder()
                .policy(PolicyLoader.fromString("fxidx.yaml", Files.exists(policy) ? read(policy) : ""))
                .defaultIdentity(Identity.builder("svc").attribute("tenant", "t1").build())
                .allowUnlistedDataSources(true).build();
        try (Connection c = new GovernedDataSource(recorder.dataSource(), governance).getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            if (key != null) {
                ps.setLong(1, key);
            }
            assertThat(outcome(ps)).as(sql).startsWith(expected);
        }
        Recorder.Sent sent = recorder.sentNaming(orders);
        try (Connection raw = database().connectRaw()) {
            raw.setAutoCommit(false);
            try {
                boolean read = readsByKey(raw, sent.sql(), sent.values());
                assertThat(read).as("the statement sent for %s reads the row by its key (%s): %s, plan %s", sql, byKey,
                        sent.sql(), lastPlan).isEqualTo(byKey);
            } finally {
                raw.rollback();
            }
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the outcome does not depend on another tenant's rows ---------------------------------------------------

    /** A way the application binds the key: the value for another tenant's row's key, and for no row's key. */
    record Binding(String how, Object others, Object none) {
    }

    /** Bindings of every kind; each binds {@link #OTHERS} and {@link #NONE} as its type has them. */
    List<Binding> bindings() {
        return List.of(new Binding("setLong", OTHERS, NONE), new Binding("setInt", (int) OTHERS, (int) NONE),
                new Binding("setString", String.valueOf(OTHERS), String.valueOf(NONE)),
                new Binding("setBigDecimal", new BigDecimal(OTHERS), new BigDecimal("1E+30")),
                new Binding("setDouble", (double) OTHERS, (double) NONE),
                new Binding("setObject", String.valueOf(OTHERS), String.valueOf(NONE)),
                new Binding("setObject", OTHERS, NONE));
    }

    /** Literals of every kind for {@link #OTHERS} and {@link #NONE}. */
    List<String[]> literals() {
        return List.of(new String[] {"3", "999999"}, new String[] {"'3'", "'999999'"}, new String[] {"3.0", "999999.0"},
                new String[] {"+3", "+999999"}, new String[] {"3e0", "999999e0"}, new String[] {"-(-3)", "-(-999999)"});
    }

    @Test
    void aKeyBoundAsAnyTypeTellsNothingOfAnotherTenantsRow() throws SQLException {
        java.util.Set<Binding> telling = new java.util.HashSet<>();
        for (String template : List.of("SELECT id FROM {O} WHERE id = ? AND 1 / (total - 100) = 1",
                "SELECT id FROM {O} WHERE 1 / (total - 100) = 1 AND ? = id",
                "UPDATE {O} SET note = 'x' WHERE id = ? AND 1 / (total - 100) = 1",
                "DELETE FROM {O} WHERE id = ? AND 1 / (total - 100) = 1")) {
            String sql = template.replace("{O}", orders);
            for (Binding binding : bindings()) {
                String rawOthers = rawOutcome(sql, binding.how(), binding.others());
                String rawNone = rawOutcome(sql, binding.how(), binding.none());
                if (!rawOthers.equals(rawNone)) {
                    telling.add(binding);
                }
                String governedOthers = governedOutcome(sql, binding.how(), binding.others());
                String governedNone = governedOutcome(sql, binding.how(), binding.none());
                assertThat(governedOthers).as("a filtered caller's outcome may not depend on another tenant's row: %s %s",
                        binding, sql).isEqualTo(governedNone);
            }
        }
        assertThat(telling).as("each binding tells on a raw connection through one statement at least")
                .containsExactlyInAnyOrderElementsOf(bindings());
        assertOtherTenantIntact();
    }

    @Test
    void aKeyWrittenAsAnyLiteralTellsNothingOfAnotherTenantsRow() throws SQLException {
        for (String[] keys : literals()) {
            for (String template : List.of("SELECT id FROM {O} WHERE id = {K} AND 1 / (total - 100) = 1",
                    "UPDATE {O} SET note = 'x' WHERE {K} = id AND 1 / (total - 100) = 1")) {
                String others = template.replace("{O}", orders).replace("{K}", keys[0]);
                String none = template.replace("{O}", orders).replace("{K}", keys[1]);
                assertThat(rawOutcome(others, null, null)).as("the probe tells on a raw connection: " + others)
                        .isNotEqualTo(rawOutcome(none, null, null));
                assertThat(governedOutcome(others, null, null)).as("a filtered caller's outcome: " + others)
                        .isEqualTo(governedOutcome(none, null, null));
            }
        }
        assertOtherTenantIntact();
    }

    /**
     * A value that is no number at all, or none the key's type holds: the outcome is the same with and without the other
     * tenant's rows.
     */
    @Test
    void aKeyBoundAsNoIntegerOfTheKeysRangeFindsNothingAndTellsNothing() throws SQLException {
        String sql = "SELECT id FROM " + orders + " WHERE id = ? AND 1 / (total - 100) = 1";
        List<String> before = new ArrayList<>();
        List<Binding> odd = List.of(new Binding("setString", "abc", null), new Binding("setBigDecimal",
                new BigDecimal("1E+30"), null), new Binding("setDouble", Double.NaN, null),
                new Binding("setLong", Long.MAX_VALUE, null), new Binding("setString", "3.0000000000000000001", null));
        for (Binding binding : odd) {
            before.add(governedOutcome(sql, binding.how(), binding.others()));
        }
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.executeUpdate("DELETE FROM " + orders + " WHERE tenant_id = 't2'");
        }
        List<String> after = new ArrayList<>();
        for (Binding binding : odd) {
            after.add(governedOutcome(sql, binding.how(), binding.others()));
        }
        assertThat(after).isEqualTo(before);
    }

    void assertOtherTenantIntact() throws SQLException {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), sum(total), min(note), max(note) FROM " + orders
                     + " WHERE tenant_id = 't2'")) {
            assertThat(JdbcValues.rows(rs).get(0).toString()).isEqualTo("[2000, 200000, n, n]");
        }
    }

    private String rawOutcome(String sql, String how, Object value) throws SQLException {
        try (Connection c = database().connectRaw()) {
            c.setAutoCommit(false);
            try {
                return outcome(c, sql, how, value);
            } finally {
                c.rollback();
            }
        }
    }

    private String governedOutcome(String sql, String how, Object value) throws SQLException {
        try (Connection c = database().connectGoverned(policy, "t1")) {
            c.setAutoCommit(false);
            try {
                return outcome(c, sql, how, value);
            } finally {
                c.rollback();
            }
        }
    }

    /** What a user sees of running {@code sql} with {@code value} bound by the setter {@code how} (none when null). */
    static String outcome(Connection c, String sql, String how, Object value) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (how != null) {
                switch (how) {
                    case "setLong" -> ps.setLong(1, (Long) value);
                    case "setInt" -> ps.setInt(1, (Integer) value);
                    case "setString" -> ps.setString(1, (String) value);
                    case "setBigDecimal" -> ps.setBigDecimal(1, (BigDecimal) value);
                    case "setDouble" -> ps.setDouble(1, (Double) value);
                    default -> ps.setObject(1, value);
                }
            }
            String seen = outcome(ps);
            return seen + " connection-warnings " + JdbcValues.warnings(c.getWarnings()).size();
        } catch (SQLException e) {
            return "failed " + e.getSQLState();
        }
    }

    private static String outcome(PreparedStatement ps) {
        try {
            StringBuilder seen = new StringBuilder();
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    seen.append("rows ").append(JdbcValues.rows(rs));
                    seen.append(" rs-warnings ").append(JdbcValues.warnings(rs.getWarnings()).size());
                }
            } else {
                seen.append("count ").append(ps.getUpdateCount());
            }
            seen.append(" warnings ").append(JdbcValues.warnings(ps.getWarnings()).size());
            return seen.toString();
        } catch (SQLException e) {
            return "failed " + e.getSQLState();
        }
    }

    /**
     * A data source over the raw driver whose prepared statements note their SQL and the values bound to them (by
     * {@code set*} calls), so that the statement the governed driver sends can be explained as sent.
     */
    static final class Recorder {
        record Sent(String sql, Map<Integer, Object> values) {
        }

        private final TestDatabase database;
        private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());

        Recorder(TestDatabase database) {
            this.database = database;
        }

        /** The last statement sent that names {@code table} and is a rewrite of the filter (it holds the tenant's value). */
        Sent sentNaming(String table) {
            synchronized (sent) {
                for (int i = sent.size() - 1; i >= 0; i--) {
                    Sent s = sent.get(i);
                    if (s.sql().toLowerCase(Locale.ROOT).contains(table.toLowerCase(Locale.ROOT))
                            && s.values().containsValue("t1")) {
                        return s;
                    }
                }
            }
            throw new AssertionError("no rewrite of a statement on " + table + " was sent: " + sent);
        }

        DataSource dataSource() {
            return (DataSource) Proxy.newProxyInstance(Recorder.class.getClassLoader(), new Class<?>[] {DataSource.class},
                    (p, method, args) -> switch (method.getName()) {
                        case "getConnection" -> connection(database.connectRaw());
                        case "getLogWriter" -> (PrintWriter) null;
                        case "getLoginTimeout" -> 0;
                        case "getParentLogger" -> Logger.getGlobal();
                        case "isWrapperFor" -> false;
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == args[0];
                        case "toString" -> "recording data source";
                        default -> null;
                    });
        }

        private Connection connection(Connection target) {
            return (Connection) Proxy.newProxyInstance(Recorder.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (p, method, args) -> {
                        Object result = invoke(method, target, args);
                        if (result instanceof PreparedStatement prepared && method.getName().equals("prepareStatement")) {
                            Map<Integer, Object> values = Collections.synchronizedMap(new TreeMap<>());
                            sent.add(new Sent((String) args[0], values));
                            return prepared(prepared, values);
                        }
                        return result;
                    });
        }

        private static PreparedStatement prepared(PreparedStatement target, Map<Integer, Object> values) {
            return (PreparedStatement) Proxy.newProxyInstance(Recorder.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, (p, method, args) -> {
                        if (method.getName().startsWith("set") && args != null && args.length >= 2
                                && args[0] instanceof Integer index) {
                            values.put(index, args[1]);
                        }
                        return invoke(method, target, args);
                    });
        }

        private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
