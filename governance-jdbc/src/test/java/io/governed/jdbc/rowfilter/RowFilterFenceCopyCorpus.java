package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The caller's conjuncts that go beside the row filter (inside its fence) in every spelling the parser reads, on a
 * real database: the governed SELECT, UPDATE and DELETE of tenant t1 with {@code WHERE <condition>} see or change
 * exactly the rows the raw statement with {@code tenant_id = 't1' AND (<condition>)} sees (read through a raw
 * connection), or fail where the database refuses the condition itself. A copy that meant another condition (the
 * negation of {@code NOTNULL}, {@code <>} for an operator it did not know) would hide rows, or let a write reach rows
 * the caller's WHERE excludes.
 */
abstract class RowFilterFenceCopyCorpus {
    private final String table = UniqueNames.of("rx_fencecopy");
    private Path policy;
    private static Connection raw;

    abstract TestDatabase database();

    /** The rows: id, tenant, note (null for some), total. */
    private static final String ROWS = "(1, 't1', 'a', 10), (2, 't1', NULL, 20), (3, 't2', 'b', 30), (4, 't2', NULL, 40),"
            + " (5, 't1', 'c', 30), (6, 't1', NULL, 60), (7, 't2', 'd', 70)";

    static Stream<Arguments> conditions() {
        return Stream.of(
                c("note NOTNULL"), c("note ISNULL"), c("note IS NULL"), c("note IS NOT NULL"), c("NOT note IS NULL"),
                c("id = 1"), c("id <> 1"), c("id != 1"), c("id ^= 1"), c("id < > 1"), c("id > = 2"), c("id < = 2"),
                c("id >= 2"), c("id <= 2"), c("id > 2"), c("id < 2"), c("2 < id"), c("5 = id"), c("id <=> 1"),
                c("note <=> NULL"), c("id IN (1, 3, 5)"), c("id NOT IN (1, 3)"), c("id BETWEEN 2 AND 5"),
                c("id NOT BETWEEN 2 AND 4"), c("id BETWEEN SYMMETRIC 5 AND 2"), c("id IS DISTINCT FROM 1"),
                c("id IS NOT DISTINCT FROM 1"), c("note = 'a'"), c("note <> 'a'"), c("total > = 30"),
                c("id = ?", 1), c("id <> ?", 1), c("id != ?", 5), c("id > = ?", 2), c("id < > ?", 2), c("? < id", 2),
                c("id NOT IN (?, ?)", 1, 2), c("id NOT BETWEEN ? AND ?", 2, 5), c("id BETWEEN ? AND ?", 2, 5),
                c("id ^= ?", 1), c("note NOTNULL AND id <> ?", 5), c("id > = 2 AND note IS NOT NULL"));
    }

    private static Arguments c(String condition, Object... parameters) {
        return Arguments.of(condition, List.of(parameters));
    }

    @BeforeEach
    void createTable() throws Exception {
        if (raw == null || raw.isClosed()) {
            database().requireReachable();
            raw = database().connectRaw();
        }
        policy = TenantFixtures.tenantPolicy("rx-fencecopy", table);
        try (Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
            st.execute("CREATE TABLE " + table + " (id integer PRIMARY KEY, tenant_id varchar(10), note varchar(10),"
                    + " total integer)");
            st.execute("INSERT INTO " + table + " VALUES " + ROWS);
        }
    }

    @AfterEach
    void dropTable() throws Exception {
        try (Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
        }
        Files.deleteIfExists(policy);
    }

    @AfterAll
    static void closeRaw() throws SQLException {
        if (raw != null) {
            raw.close();
            raw = null;
        }
    }

    private Connection tenantOne() throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.attribute.tenant", "t1");
        return database().connectGoverned(settings);
    }

    /** The ids of t1's rows the condition admits, read raw; {@code null} when the database refuses the condition. */
    private Set<Integer> expected(String condition, List<Object> parameters) {
        try {
            return ids(raw, "SELECT id FROM " + table + " WHERE tenant_id = 't1' AND (" + condition + ")", parameters);
        } catch (SQLException refused) {
            return null;
        }
    }

    private static Set<Integer> ids(Connection c, String sql, List<Object> parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                ps.setObject(i + 1, parameters.get(i));
            }
            Set<Integer> ids = new TreeSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
            }
            return ids;
        }
    }

    private int update(Connection c, String sql, List<Object> parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                ps.setObject(i + 1, parameters.get(i));
            }
            return ps.executeUpdate();
        }
    }

    private Set<Integer> rawIds(String where) throws SQLException {
        return ids(raw, "SELECT id FROM " + table + " WHERE " + where, List.of());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditions")
    void aSelectSeesExactlyTheRowsTheConditionAndTheFilterAdmit(String condition, List<Object> parameters)
            throws SQLException {
        Set<Integer> expected = expected(condition, parameters);
        String sql = "SELECT id FROM " + table + " WHERE " + condition;
        try (Connection c = tenantOne()) {
            if (expected == null) {
                assertThatThrownBy(() -> ids(c, sql, parameters)).isInstanceOf(SQLException.class);
                return;
            }
            assertThat(ids(c, sql, parameters)).as(sql).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditions")
    void anUpdateChangesExactlyTheRowsTheConditionAndTheFilterAdmit(String condition, List<Object> parameters)
            throws SQLException {
        Set<Integer> expected = expected(condition, parameters);
        String sql = "UPDATE " + table + " SET total = total + 1000 WHERE " + condition;
        try (Connection c = tenantOne()) {
            if (expected == null) {
                assertThatThrownBy(() -> update(c, sql, parameters)).isInstanceOf(SQLException.class);
            } else {
                assertThat(update(c, sql, parameters)).as(sql).isEqualTo(expected.size());
            }
        }
        assertThat(rawIds("total >= 1000")).as(sql).isEqualTo(expected == null ? Set.of() : expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditions")
    void aDeleteRemovesExactlyTheRowsTheConditionAndTheFilterAdmit(String condition, List<Object> parameters)
            throws SQLException {
        Set<Integer> expected = expected(condition, parameters);
        Set<Integer> before = rawIds("1 = 1");
        String sql = "DELETE FROM " + table + " WHERE " + condition;
        try (Connection c = tenantOne()) {
            if (expected == null) {
                assertThatThrownBy(() -> update(c, sql, parameters)).isInstanceOf(SQLException.class);
            } else {
                assertThat(update(c, sql, parameters)).as(sql).isEqualTo(expected.size());
            }
        }
        Set<Integer> left = new TreeSet<>(before);
        if (expected != null) {
            left.removeAll(expected);
        }
        assertThat(rawIds("1 = 1")).as(sql).isEqualTo(left);
    }
}
