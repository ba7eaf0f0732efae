package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.JdbcValues;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * On MariaDB: a conversion warning quotes the value of each row the caller's condition is evaluated on; the rewrite's
 * fence keeps that to the rows the filter admits (the raw connection warns for every row). Errors and warnings are scrubbed
 * for a caller a row filter restricts, as for one a mask applies to: through the statement, a prepared statement,
 * the result set, the connection and a batch's exception, with the SQLState kept; a caller the filter exempts sees the
 * database's own messages.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbRowFilterWarningsIT {
    private static final String SECRET_A = "OTHER-CONFIDENTIAL-A";
    private static final String SECRET_B = "OTHER-SECRET-B";
    private static final String QUERY = "SELECT id FROM {O} WHERE note + 0 = 1";

    private final String orders = UniqueNames.of("rfwarn_orders");
    private Path policy;

    @BeforeEach
    void tables() throws SQLException, IOException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE " + orders + " (id int PRIMARY KEY, tenant_id varchar(10), total int, note varchar(40))");
            st.execute("INSERT INTO " + orders + " VALUES (1, 't1', 100, 'own-note'), (2, 't2', 100, '" + SECRET_A
                    + "'), (3, 't2', 100, '" + SECRET_B + "')");
        }
        policy = TenantFixtures.tenantPolicy("rfwarn", orders, "unless: { groups: [support] }");
    }

    @AfterEach
    void drop() throws SQLException, IOException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + orders);
        }
        Files.deleteIfExists(policy);
    }

    private Connection connect(String... groups) throws SQLException {
        return TestDatabase.MARIADB.connectGoverned(policy, "t1", groups);
    }

    private String sql(String template) {
        return template.replace("{O}", orders);
    }

    private static List<Long> drain(ResultSet rs) throws SQLException {
        List<Long> ids = new java.util.ArrayList<>();
        while (rs.next()) {
            ids.add(rs.getLong(1));
        }
        return ids;
    }

    /** The warnings of {@link #QUERY} run through a plain statement on {@code c}. */
    private List<String> statementWarnings(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql(QUERY))) {
            assertThat(drain(rs)).isEmpty();
            return JdbcValues.warnings(st.getWarnings());
        }
    }

    private static void assertNoHiddenValue(List<String> texts) {
        assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(SECRET_A, SECRET_B, "CONFIDENTIAL", "SECRET"));
    }

    @Test
    void aStatementsWarningsQuoteNoHiddenRowForAFilteredCaller() throws SQLException {
        List<String> raw;
        try (Connection c = TestDatabase.MARIADB.connectRaw()) {
            raw = statementWarnings(c);
        }
        assertThat(String.join("\n", raw)).as("the server's warnings quote the other tenant's values").contains(SECRET_A);
        try (Connection c = connect()) {
            List<String> seen = statementWarnings(c);
            assertThat(seen).isNotEmpty();
            assertNoHiddenValue(seen);
            assertThat(seen.get(0).split(" ")[0]).isEqualTo(raw.get(0).split(" ")[0]);
            assertNoHiddenValue(JdbcValues.warnings(c.getWarnings()));
        }
        try (Connection c = connect("support")) {
            assertThat(statementWarnings(c)).as("a caller the filter exempts").isEqualTo(raw);
        }
    }

    /** Every getter's values, then the result set's, the prepared statement's and the connection's warnings. */
    private List<String> preparedWarnings(Connection c) throws SQLException {
        List<String> seen = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql("SELECT id, note FROM {O} WHERE note + 0 = ?"))) {
            ps.setInt(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                seen.addAll(io.governed.jdbc.support.EveryGetter.ofAllRows(rs));
                JdbcValues.warnings(rs.getWarnings()).forEach(w -> seen.add("result set: " + w));
            }
            JdbcValues.warnings(ps.getWarnings()).forEach(w -> seen.add("prepared: " + w));
        }
        JdbcValues.warnings(c.getWarnings()).forEach(w -> seen.add("connection: " + w));
        return seen;
    }

    @Test
    void aPreparedStatementsResultSetsAndConnectionsWarningsQuoteNoHiddenRow() throws SQLException {
        List<String> raw;
        try (Connection c = TestDatabase.MARIADB.connectRaw()) {
            raw = preparedWarnings(c);
        }
        assertThat(String.join("\n", raw)).as("the server's warnings quote the other tenant's values").contains(SECRET_A);
        try (Connection c = connect()) {
            List<String> seen = preparedWarnings(c);
            assertThat(seen).as("one warning, for the caller's own row: the other tenant's rows are not evaluated")
                    .hasSize(1).allSatisfy(w -> assertThat(w).startsWith("result set: "));
            assertThat(raw).as("the raw connection's, one per row").hasSize(3);
            assertNoHiddenValue(seen);
        }
        try (Connection c = connect("support")) {
            assertThat(preparedWarnings(c)).as("a caller the filter exempts").isEqualTo(raw);
        }
    }

    @Test
    void aBatchsExceptionQuotesNoValueForAFilteredCaller() throws SQLException {
        String failing = "UPDATE {O} SET total = note WHERE id = 1";
        SQLException original;
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement st = c.createStatement()) {
            st.execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES'");
            st.addBatch(sql(failing));
            original = catchThrowableOfType(BatchUpdateException.class, st::executeBatch);
        }
        assertThat(ExceptionTexts.of(original)).as("the server quotes the value").anyMatch(t -> t.contains("own-note"));
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES'");
            st.addBatch(sql("UPDATE {O} SET total = 5 WHERE id = 1"));
            st.addBatch(sql(failing));
            BatchUpdateException seen = catchThrowableOfType(BatchUpdateException.class, st::executeBatch);
            assertThat((Throwable) seen).isNotNull();
            assertThat(seen.getSQLState()).isEqualTo(original.getSQLState());
            assertThat(ExceptionTexts.of(seen)).allSatisfy(t -> assertThat(t).doesNotContain("own-note"));
            assertThat(ExceptionTexts.attached(seen)).isZero();
            SQLWarning none = st.getWarnings();
            assertNoHiddenValue(JdbcValues.warnings(none));
        }
    }
}
