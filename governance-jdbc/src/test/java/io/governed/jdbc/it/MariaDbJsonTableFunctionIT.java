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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MariaDB's {@code JSON_TABLE} is the server's own only as a table of {@code FROM}: called in an expression, MariaDB runs
 * the current database's stored function {@code json_table} when there is one. The database's owner has made such a
 * function (through a raw connection, past governance) that copies its argument into a table. An analyst the SSN mask
 * applies to calls it on the SSNs in a select list and in a condition: refused, as a call of any stored function given
 * a masked value is; with no {@code call} permission, a call of it on an unmasked column is refused too. The table holds
 * no SSN afterwards (read through a raw connection). {@code JSON_TABLE} in {@code FROM} runs as before, its values
 * masked, and never reaches the stored function.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbJsonTableFunctionIT {
    private static final String DB = TestDatabase.forkName("jt_db");
    private static final String URL = "mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000";
    private static final String STORED_SSN = "123-45-6789";
    private static final String CLEAR = "123-45";
    /** Permits everything (calls too); the SSN mask applies to humans. */
    private static Path everything;
    /** Permits reading and writing tables, no call; the SSN mask applies to humans. */
    private static Path noCalls;

    @BeforeAll
    static void database() throws SQLException, IOException {
        TestDatabase.MARIADB.requireReachable();
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
            st.execute("CREATE DATABASE " + DB);
        }
        String masks = """
                masks:
                  - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { kinds: [service] } }
                """;
        everything = Files.createTempFile("jt-everything", ".yaml");
        Files.writeString(everything, """
                version: 1
                default: deny
                classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
                rules:
                  - { id: everything, effect: permit, principals: { kinds: [human, service] }, actions: ["*"], resources: ["*"] }
                """ + masks);
        noCalls = Files.createTempFile("jt-no-calls", ".yaml");
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
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
        } finally {
            Files.deleteIfExists(everything);
            Files.deleteIfExists(noCalls);
        }
    }

    /** The tables, and the owner's stored function json_table, made anew past governance. */
    @BeforeEach
    void tables() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP FUNCTION IF EXISTS json_table");
            st.execute("DROP TABLE IF EXISTS jt_customers, jt_loot");
            st.execute("CREATE TABLE jt_customers (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(20))");
            st.execute("INSERT INTO jt_customers VALUES (1, 'Ann', '" + STORED_SSN + "')");
            st.execute("CREATE TABLE jt_loot (v VARCHAR(40))");
            st.execute("CREATE FUNCTION json_table(v VARCHAR(40)) RETURNS VARCHAR(40) MODIFIES SQL DATA"
                    + " BEGIN INSERT INTO jt_loot VALUES (v); RETURN v; END");
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + URL, "root", "");
    }

    /** Runs each statement as the analyst under {@code policy}, reading every getter of each result; the refusals, in order. */
    private static List<SQLException> analystRuns(Path policy, List<String> seen, String... statements) throws SQLException {
        return GovernedTwins.refusalsOf(() -> governed(policy), seen, statements);
    }

    private static Connection governed(Path policy) throws SQLException {
        return GovernedTwins.governed(URL, "root", policy, "jt-analyst", "human", null);
    }

    private static List<String> loot() throws SQLException {
        try (Connection raw = raw()) {
            return JdbcValues.firstColumnOfLast(raw, "SELECT v FROM jt_loot");
        }
    }

    @Test
    void theOwnersJsonTableFunctionCalledOnMaskedValuesIsRefused() throws Exception {
        List<String> seen = new ArrayList<>();
        List<SQLException> refusals = analystRuns(everything, seen,
                "SELECT id, json_table(ssn) FROM jt_customers",
                "SELECT id, JSON_TABLE(ssn) AS v FROM jt_customers",
                "SELECT id FROM jt_customers WHERE json_table(ssn) IS NOT NULL",
                "SELECT id FROM jt_customers ORDER BY json_table(CONCAT('x', ssn))");
        assertThat(loot()).as("what the stored function copied").noneSatisfy(v -> assertThat(v).contains(CLEAR));
        assertThat(seen).as("what the analyst reads").allSatisfy(v -> assertThat(v).doesNotContain(CLEAR));
        assertThat(refusals).as("every call").hasSize(4);
        for (SQLException refused : refusals) {
            assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
            assertThat(refused.getMessage()).contains("mask-ssn");
        }
    }

    @Test
    void withoutACallPermitTheOwnersJsonTableFunctionIsNotCalled() throws Exception {
        List<String> seen = new ArrayList<>();
        List<SQLException> refusals = analystRuns(noCalls, seen,
                "SELECT id, json_table(name) FROM jt_customers",
                "UPDATE jt_customers SET name = json_table(name) WHERE id = 1");
        assertThat(loot()).as("what the stored function copied").isEmpty();
        assertThat(refusals).as("every call").hasSize(2);
        for (SQLException refused : refusals) {
            assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
            assertThat(refused.getMessage()).as(refused.getMessage()).containsIgnoringCase("json_table").contains("call");
        }
    }

    @Test
    void jsonTableInFromRunsAsBeforeMaskedAndNeverReachesTheStoredFunction() throws Exception {
        for (Path policy : List.of(everything, noCalls)) {
            List<String> values = new ArrayList<>();
            try (Connection c = governed(policy); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT c.id, j.v FROM jt_customers c, JSON_TABLE(JSON_OBJECT('a', c.ssn),"
                        + " '$' COLUMNS (v VARCHAR(20) PATH '$.a')) j")) {
                    while (rs.next()) {
                        values.add(rs.getString(2));
                    }
                }
                List<Integer> xs = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT t.x FROM json_table('[1, 2, 3]', '$[*]' COLUMNS (x INT PATH '$')) t")) {
                    while (rs.next()) {
                        xs.add(rs.getInt(1));
                    }
                }
                assertThat(xs).as(policy + ": a JSON_TABLE of a literal").containsExactly(1, 2, 3);
            }
            assertThat(values).as(policy + ": the SSN through JSON_TABLE, masked").hasSize(1)
                    .allSatisfy(v -> assertThat(v).doesNotContain(CLEAR));
        }
        assertThat(loot()).as("what the stored function copied").isEmpty();
    }
}
