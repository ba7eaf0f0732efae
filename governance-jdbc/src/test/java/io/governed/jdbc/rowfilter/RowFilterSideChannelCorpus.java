package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.JdbcValues;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller a row filter restricts to tenant {@code t1} writes conditions that fail or warn only for some values
 * (a subquery of two rows where one is needed, a division by zero, a cast, an invalid pattern) and guesses another
 * tenant's value: whether the statement fails or warns must not depend on whether the guess is right. Each probe is
 * run with the right and a wrong guess through the governed connection, and the outcomes (the error's SQLState, or
 * the rows, update count and number of warnings) compared; run through a raw connection without the filter, the
 * right guess does change the outcome, so the probe is one that would tell. Writes are checked through a raw
 * connection afterwards: the other tenant's rows unchanged, the caller's changed as the statement says.
 */
abstract class RowFilterSideChannelCorpus {
    static final String SECRET = "OTHER-SECRET2";
    static final String WRONG = "NOT-THE-NOTE";

    final String orders = UniqueNames.of("rf_sc_orders");
    final String two = UniqueNames.of("rf_sc_two");
    private Path policy;

    abstract TestDatabase database();

    /** A condition on {@code note} that fails (or warns) on a row whose note equals {@code {G}}, else is true. */
    abstract List<String> failingWhenEqual();

    /** A condition on {@code note} that fails or warns on a row whose note starts with {@code {G}}, else is true. */
    abstract String failingWhenPrefix();

    /**
     * Conditions as cheap as the filter's that fail or warn on a row whose note is {@link #poison()} (and not on the
     * caller's rows): the other tenant's row 4 is given that note, and the outcome must not change.
     */
    abstract List<String> failingOnPoison();

    /** A note that makes each of {@link #failingOnPoison()} fail or warn. */
    abstract String poison();

    @BeforeEach
    void tables() throws SQLException, IOException {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE " + orders + " (id int PRIMARY KEY, tenant_id varchar(10), total int, note varchar(40))");
            st.execute("CREATE TABLE " + two + " (id int)");
            st.execute("INSERT INTO " + two + " VALUES (1), (2)");
        }
        fresh();
        policy = TenantFixtures.tenantPolicy("rfsc", orders);
    }

    /** The four orders as they were first written: 1 and 2 of t1, 3 (holding {@link #SECRET}) and 4 of t2. */
    void fresh() throws SQLException {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DELETE FROM " + orders);
            st.execute("INSERT INTO " + orders + " VALUES (1, 't1', 100, 'mine-a'), (2, 't1', 100, 'mine-b'), "
                    + "(3, 't2', 100, '" + SECRET + "'), (4, 't2', 100, 'other-plain')");
        }
    }

    /** The raw state of every order after running {@code template} with {@code guess} on a fresh table. */
    private String afterWrite(boolean governed, String template, String guess) throws SQLException {
        fresh();
        String seen = governed ? governed(template, guess) : raw(template, guess);
        return seen + " then " + rawRows("SELECT id, total FROM {O} ORDER BY id");
    }

    /** A write probe tells the guess on a raw connection, not through the governed one, and leaves t2's rows alone. */
    void assertWriteTellsNothing(String template, String right) throws SQLException {
        assertThat(afterWrite(false, template, right)).as("the probe tells on a raw connection: " + template)
                .isNotEqualTo(afterWrite(false, template, WRONG));
        String seenRight = afterWrite(true, template, right);
        assertOtherTenantIntact();
        assertThat(seenRight).as("a filtered caller's write may not depend on the other tenant's note: " + template)
                .isEqualTo(afterWrite(true, template, WRONG));
        assertOtherTenantIntact();
    }

    /** The outcomes of a query (plain and updatable), an update and a delete for the filtered caller. */
    private List<String> governedOutcomes(String query, String update, String delete) throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            seen.add(outcome(st, query));
            seen.add(outcome(st, update));
            seen.add(outcome(st, delete));
        }
        try (Connection c = tenantOne();
             Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE)) {
            seen.add("updatable " + outcome(st, query));
        }
        return seen;
    }

    @Test
    void aConditionAsCheapAsTheFilterTellsNothingOfAPoisonedRow() throws SQLException {
        for (String condition : failingOnPoison()) {
            String query = sql("SELECT id FROM {O} WHERE " + condition, "");
            String update = sql("UPDATE {O} SET total = total WHERE " + condition, "");
            String delete = sql("DELETE FROM {O} WHERE total = 999 AND " + condition, "");
            List<String> plain = governedOutcomes(query, update, delete);
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                String before = outcome(st, query);
                st.executeUpdate(sql("UPDATE {O} SET note = '" + poison() + "' WHERE id = 4", ""));
                assertThat(outcome(st, query)).as("the probe tells on a raw connection: " + condition).isNotEqualTo(before);
            }
            assertThat(governedOutcomes(query, update, delete)).as("a poisoned row of another tenant: " + condition)
                    .isEqualTo(plain);
            fresh();
        }
        assertOtherTenantIntact();
    }

    @AfterEach
    void drop() throws SQLException, IOException {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + orders);
            st.execute("DROP TABLE IF EXISTS " + two);
        }
        Files.deleteIfExists(policy);
    }

    Connection tenantOne() throws SQLException {
        return database().connectGoverned(policy, "t1");
    }

    String sql(String template, String guess) {
        return template.replace("{O}", orders).replace("{T}", two).replace("{G}", guess);
    }

    /** What a user sees of running {@code sql}: the SQLState of its failure, or its rows (or count) and warnings. */
    static String outcome(Statement st, String sql) {
        try {
            StringBuilder seen = new StringBuilder();
            if (st.execute(sql)) {
                try (ResultSet rs = st.getResultSet()) {
                    seen.append("rows ").append(JdbcValues.rows(rs));
                    seen.append(" rs-warnings ").append(JdbcValues.warnings(rs.getWarnings()).size());
                }
            } else {
                seen.append("count ").append(st.getUpdateCount());
            }
            seen.append(" warnings ").append(JdbcValues.warnings(st.getWarnings()).size());
            seen.append(" connection-warnings ").append(JdbcValues.warnings(st.getConnection().getWarnings()).size());
            st.getConnection().clearWarnings();
            return seen.toString();
        } catch (SQLException e) {
            return "failed " + e.getSQLState();
        }
    }

    private String governed(String template, String guess) throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            return outcome(st, sql(template, guess));
        }
    }

    private String raw(String template, String guess) throws SQLException {
        try (Connection c = database().connectRaw(); Statement st = c.createStatement()) {
            return outcome(st, sql(template, guess));
        }
    }

    /** The probe tells the guess on the raw connection, and not through the governed one. */
    void assertNoSignal(String template, String right) throws SQLException {
        assertThat(raw(template, right)).as("the probe tells on a raw connection: " + template)
                .isNotEqualTo(raw(template, WRONG));
        String seenRight = governed(template, right);
        String seenWrong = governed(template, WRONG);
        assertThat(seenRight).as("a filtered caller's outcome may not depend on the other tenant's note: " + template)
                .isEqualTo(seenWrong);
    }

    List<String> rawRows(String query) throws SQLException {
        try (Connection c = database().connectRaw(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql(query, ""))) {
            List<String> rows = new ArrayList<>();
            for (List<Object> row : JdbcValues.rows(rs)) {
                rows.add(row.toString());
            }
            return rows;
        }
    }

    void assertOtherTenantIntact() throws SQLException {
        assertThat(rawRows("SELECT id, total, note FROM {O} WHERE tenant_id = 't2' ORDER BY id"))
                .containsExactly("[3, 100, " + SECRET + "]", "[4, 100, other-plain]");
    }

    @Test
    void aSelectsConditionTellsNothingOfAnotherTenantsRows() throws SQLException {
        for (String condition : failingWhenEqual()) {
            assertNoSignal("SELECT id FROM {O} WHERE " + condition, SECRET);
            assertNoSignal("SELECT id, total FROM {O} WHERE total > 0 AND " + condition + " ORDER BY id", SECRET);
        }
    }

    @Test
    void aValueCannotBeReadCharacterByCharacter() throws SQLException {
        for (String prefix : List.of("O", "OT", "OTH")) {
            assertNoSignal("SELECT id FROM {O} WHERE " + failingWhenPrefix(), prefix);
        }
    }

    @Test
    void aJoinConditionTellsNothing() throws SQLException {
        String condition = failingWhenEqual().get(0).replace("note", "o.note");
        assertNoSignal("SELECT o.id FROM {O} o JOIN {T} t ON t.id = 1 AND " + condition, SECRET);
        assertNoSignal("SELECT o.id FROM {T} t LEFT JOIN {O} o ON " + condition, SECRET);
    }

    @Test
    void aSubqueryOfTheFilteredTableTellsNothing() throws SQLException {
        String condition = failingWhenEqual().get(0);
        assertNoSignal("SELECT id FROM {T} WHERE id IN (SELECT total - 99 FROM {O} WHERE " + condition + ")", SECRET);
        assertNoSignal("SELECT (SELECT count(*) FROM {O} WHERE " + condition + ") FROM {T}", SECRET);
    }

    @Test
    void aPointSelectWithAConditionTellsNothing() throws SQLException {
        String condition = failingWhenEqual().get(0);
        assertNoSignal("SELECT id FROM {O} WHERE id = 3 AND " + condition, SECRET);
        assertNoSignal("SELECT id FROM {O} WHERE id IN (3, 4) AND " + condition, SECRET);
        assertNoSignal("SELECT id FROM {O} WHERE note = '{G}' AND " + condition, SECRET);
    }

    @Test
    void aPreparedGuessTellsNothing() throws SQLException {
        String condition = failingWhenEqual().get(0).replace("'{G}'", "?");
        List<String> seen = new ArrayList<>();
        for (String guess : List.of(SECRET, WRONG)) {
            try (Connection c = tenantOne(); PreparedStatement ps = c.prepareStatement(sql("SELECT id FROM {O} WHERE "
                    + condition, ""))) {
                ps.setString(1, guess);
                seen.add(outcome(ps));
            }
        }
        assertThat(seen.get(0)).isEqualTo(seen.get(1));
    }

    private static String outcome(PreparedStatement ps) {
        try (ResultSet rs = ps.executeQuery()) {
            return "rows " + JdbcValues.rows(rs) + " warnings " + JdbcValues.warnings(ps.getWarnings()).size();
        } catch (SQLException e) {
            return "failed " + e.getSQLState();
        }
    }

    /** A query whose results are updatable keeps the filtered table in its FROM (the filter in place). */
    @Test
    void anUpdatableQueryTellsNothing() throws SQLException {
        String condition = failingWhenEqual().get(0);
        List<String> seen = new ArrayList<>();
        for (String guess : List.of(SECRET, WRONG)) {
            try (Connection c = tenantOne();
                 Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE)) {
                seen.add(outcome(st, sql("SELECT id, total FROM {O} WHERE " + condition, guess)));
            }
        }
        assertThat(seen.get(0)).isEqualTo(seen.get(1));
        assertThat(seen.get(0)).startsWith("rows [[1, 100], [2, 100]]");
    }

    @Test
    void anUpdatableQueryStillUpdatesTheCallersRow() throws SQLException {
        try (Connection c = tenantOne();
             Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE);
             ResultSet rs = st.executeQuery(sql("SELECT id, total FROM {O} WHERE total > 0 AND id = 2", ""))) {
            assertThat(rs.getConcurrency()).isEqualTo(ResultSet.CONCUR_UPDATABLE);
            assertThat(rs.next()).isTrue();
            rs.updateInt(2, 7);
            rs.updateRow();
            assertThat(rs.next()).isFalse();
        }
        assertThat(rawRows("SELECT id, total FROM {O} WHERE tenant_id = 't1' ORDER BY id"))
                .containsExactly("[1, 100]", "[2, 7]");
        assertOtherTenantIntact();
    }

    @Test
    void anUpdatesConditionTellsNothingAndUpdatesTheCallersRowsOnly() throws SQLException {
        for (String condition : failingWhenEqual()) {
            assertWriteTellsNothing("UPDATE {O} SET total = total + 1 WHERE " + condition, SECRET);
        }
        assertThat(afterWrite(true, "UPDATE {O} SET total = total + 1 WHERE " + failingWhenEqual().get(0), WRONG))
                .endsWith("then [[1, 101], [2, 101], [3, 100], [4, 100]]");
        fresh();
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql("UPDATE {O} SET total = total + 5 WHERE id IN (1, 3) AND note <> 'x'", "")))
                    .isEqualTo(1);
            assertThat(st.executeUpdate(sql("UPDATE {O} SET total = 0 WHERE note = '{G}'", SECRET))).isZero();
            assertThat(st.executeUpdate(sql("UPDATE {O} SET total = 0 WHERE id = 4", ""))).isZero();
        }
        assertThat(rawRows("SELECT id, total FROM {O} ORDER BY id"))
                .containsExactly("[1, 105]", "[2, 100]", "[3, 100]", "[4, 100]");
    }

    @Test
    void aDeletesConditionTellsNothingAndDeletesTheCallersRowsOnly() throws SQLException {
        for (String condition : failingWhenEqual()) {
            assertWriteTellsNothing("DELETE FROM {O} WHERE " + condition, SECRET);
        }
        assertThat(afterWrite(true, "DELETE FROM {O} WHERE " + failingWhenEqual().get(0), WRONG))
                .endsWith("then [[3, 100], [4, 100]]");
        fresh();
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql("DELETE FROM {O} WHERE note = '{G}'", SECRET))).isZero();
            assertThat(st.executeUpdate(sql("DELETE FROM {O} WHERE id IN (2, 3, 4)", ""))).isEqualTo(1);
        }
        assertThat(rawRows("SELECT id FROM {O} ORDER BY id")).containsExactly("[1]", "[3]", "[4]");
        assertOtherTenantIntact();
    }
}
