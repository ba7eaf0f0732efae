package io.governed.jdbc.it;

import io.governed.jdbc.support.GovernedTwins;
import io.governed.jdbc.support.JdbcValues;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * H2's twin of {@link MariaDbJsonTableFunctionIT}: {@code SYSTEM_RANGE} is H2's own only as a table of {@code FROM}; called
 * in an expression (a select list, a condition, {@code CALL}), H2 runs an alias of the name when the database holds one.
 * The database's owner has made such an alias (from Java source, through a raw connection, past governance) that copies
 * its argument into a table. An analyst the SSN mask applies to calls it on the SSNs: refused, as a call of any alias
 * given a masked value is; with no {@code call} permission, a call of it on an unmasked column is refused too. The table
 * holds no SSN afterwards (read through a raw connection). {@code SYSTEM_RANGE} in {@code FROM} runs as before, H2's
 * own, never the alias.
 */
@RequiresDatabase(TestDatabase.H2)
class H2SystemRangeFunctionIT {
    private static final String URL = "h2:mem:jt_range_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8)
            + ";DB_CLOSE_DELAY=-1";
    private static final String STORED_SSN = "123-45-6789";
    private static final String CLEAR = "123-45";
    /** Permits everything (calls too); the SSN mask applies to humans. */
    private static Path everything;
    /** Permits reading and writing tables, no call; the SSN mask applies to humans. */
    private static Path noCalls;
    /** The one raw connection of the class; it also keeps the in-memory database open. */
    private static Connection raw;

    @BeforeAll
    static void database() throws SQLException, IOException {
        raw = DriverManager.getConnection("jdbc:" + URL, "sa", "");
        String masks = """
                masks:
                  - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { kinds: [service] } }
                """;
        everything = Files.createTempFile("jt-h2-everything", ".yaml");
        Files.writeString(everything, """
                version: 1
                default: deny
                classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
                rules:
                  - { id: everything, effect: permit, principals: { kinds: [human, service] }, actions: ["*"], resources: ["*"] }
                """ + masks);
        noCalls = Files.createTempFile("jt-h2-no-calls", ".yaml");
        Files.writeString(noCalls, """
                version: 1
                default: deny
                classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
                rules:
                  - { id: tables, effect: permit, principals: { kinds: [human, service] }, actions: [select, insert, update], resources: ["*"] }
                """ + masks);
    }

    @AfterAll
    static void dropDatabase() throws SQLException, IOException {
        try (Statement st = raw.createStatement()) {
            st.execute("DROP ALL OBJECTS");
        } finally {
            raw.close();
            Files.deleteIfExists(everything);
            Files.deleteIfExists(noCalls);
        }
    }

    /** The tables, and the owner's alias SYSTEM_RANGE (compiled from source), made anew past governance. */
    @BeforeEach
    void tables() throws SQLException {
        try (Statement st = raw.createStatement()) {
            st.execute("DROP ALL OBJECTS");
            st.execute("CREATE TABLE JT_CUSTOMERS (ID INT PRIMARY KEY, NAME VARCHAR(20), SSN VARCHAR(20))");
            st.execute("INSERT INTO JT_CUSTOMERS VALUES (1, 'Ann', '" + STORED_SSN + "')");
            st.execute("CREATE TABLE JT_LOOT (V VARCHAR(40))");
            st.execute("CREATE ALIAS SYSTEM_RANGE AS 'String copy(java.sql.Connection c, String v) throws java.sql.SQLException {"
                    + " try (java.sql.PreparedStatement p = c.prepareStatement(\"INSERT INTO JT_LOOT VALUES (?)\")) {"
                    + " p.setString(1, v); p.execute(); } return v; }'");
        }
    }

    /** Runs each statement as the analyst under {@code policy}, reading every getter of each result; the refusals, in order. */
    private static List<SQLException> analystRuns(Path policy, List<String> seen, String... statements) throws SQLException {
        return GovernedTwins.refusalsOf(() -> governed(policy), seen, statements);
    }

    private static Connection governed(Path policy) throws SQLException {
        return GovernedTwins.governed(URL, "sa", policy, "jt-analyst", "human", null);
    }

    private static List<String> loot() throws SQLException {
        return JdbcValues.firstColumnOfLast(raw, "SELECT V FROM JT_LOOT");
    }

    @Test
    void theOwnersSystemRangeAliasCalledOnMaskedValuesIsRefused() throws Exception {
        List<String> seen = new ArrayList<>();
        List<SQLException> refusals = analystRuns(everything, seen,
                "SELECT id, system_range(ssn) FROM jt_customers",
                "SELECT id, SYSTEM_RANGE(ssn) AS v FROM jt_customers",
                "SELECT id FROM jt_customers WHERE system_range(ssn) IS NOT NULL",
                "CALL system_range((SELECT ssn FROM jt_customers WHERE id = 1))");
        assertThat(loot()).as("what the alias copied").noneSatisfy(v -> assertThat(v).contains(CLEAR));
        assertThat(seen).as("what the analyst reads").allSatisfy(v -> assertThat(v).doesNotContain(CLEAR));
        assertThat(refusals).as("every call").hasSize(4);
        for (SQLException refused : refusals) {
            assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
            assertThat(refused.getMessage()).contains("mask-ssn");
        }
    }

    @Test
    void withoutACallPermitTheOwnersSystemRangeAliasIsNotCalled() throws Exception {
        List<String> seen = new ArrayList<>();
        List<SQLException> refusals = analystRuns(noCalls, seen,
                "SELECT id, system_range(name) FROM jt_customers",
                "UPDATE jt_customers SET name = system_range(name) WHERE id = 1");
        assertThat(loot()).as("what the alias copied").isEmpty();
        assertThat(refusals).as("every call").hasSize(2);
        for (SQLException refused : refusals) {
            assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
            assertThat(refused.getMessage()).as(refused.getMessage()).containsIgnoringCase("system_range").contains("call");
        }
    }

    @Test
    void systemRangeInFromRunsAsBeforeAndNeverReachesTheAlias() throws Exception {
        for (Path policy : List.of(everything, noCalls)) {
            try (Connection c = governed(policy); Statement st = c.createStatement()) {
                List<Long> xs = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT X FROM SYSTEM_RANGE(1, 3) ORDER BY X")) {
                    while (rs.next()) {
                        xs.add(rs.getLong(1));
                    }
                }
                assertThat(xs).as(policy + ": SYSTEM_RANGE in FROM").containsExactly(1L, 2L, 3L);
                List<String> ssns = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT c.ssn, r.X FROM jt_customers c JOIN system_range(1, 2) r ON r.X = c.id")) {
                    while (rs.next()) {
                        ssns.add(rs.getString(1));
                    }
                }
                assertThat(ssns).as(policy + ": the SSN beside SYSTEM_RANGE, masked").hasSize(1)
                        .allSatisfy(v -> assertThat(v).doesNotContain(CLEAR).endsWith("6789"));
            }
        }
        assertThat(loot()).as("what the alias copied").isEmpty();
    }
}
