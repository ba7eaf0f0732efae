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
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MariaDB's {@code CALL} runs a stored procedure, never a built-in function, whatever its name. The database's owner
 * has made a procedure named {@code concat} (through a raw connection, past governance) that copies its argument into
 * a table. An analyst the SSN mask applies to, permitted everything, calls it on an SSN: refused, as a call of any
 * procedure whose body copies a masked value is; with no {@code call} permission for it, a call on a literal is refused
 * too. The table holds no SSN afterwards (read through a raw connection).
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbCallOfAListedNameIT {
    private static final String DB = TestDatabase.forkName("cl_db");
    private static final String URL = "mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000";
    private static final String STORED_SSN = "123-45-6789";
    private static final String CLEAR = "123-45";
    /** Permits everything (calls too); the SSN mask applies to humans. */
    private static Path everything;
    /** Permits reading and writing tables, and calling cl_reader_proc only; the SSN mask applies to humans. */
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
        everything = Files.createTempFile("cl-everything", ".yaml");
        Files.writeString(everything, """
                version: 1
                default: deny
                classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
                rules:
                  - { id: everything, effect: permit, principals: { kinds: [human, service] }, actions: ["*"], resources: ["*"] }
                """ + masks);
        noCalls = Files.createTempFile("cl-no-calls", ".yaml");
        Files.writeString(noCalls, """
                version: 1
                default: deny
                classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
                rules:
                  - { id: tables, effect: permit, principals: { kinds: [human, service] }, actions: [select, insert, update], resources: ["*"] }
                  - { id: one-call, effect: permit, principals: { kinds: [human, service] }, actions: [call], resources: ["*.cl_reader_proc"] }
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

    /** The tables, and the owner's procedure concat, made anew past governance. */
    @BeforeEach
    void tables() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP PROCEDURE IF EXISTS concat");
            st.execute("DROP TABLE IF EXISTS cl_customers, cl_loot");
            st.execute("CREATE TABLE cl_customers (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(20))");
            st.execute("INSERT INTO cl_customers VALUES (1, 'Ann', '" + STORED_SSN + "')");
            st.execute("CREATE TABLE cl_loot (v VARCHAR(40))");
            st.execute("CREATE PROCEDURE concat(v VARCHAR(40)) MODIFIES SQL DATA INSERT INTO cl_loot VALUES (v)");
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
        return GovernedTwins.governed(URL, "root", policy, "cl-analyst", "human", null);
    }

    private static List<String> loot() throws SQLException {
        try (Connection raw = raw()) {
            return JdbcValues.firstColumnOfLast(raw, "SELECT v FROM cl_loot");
        }
    }

    @Test
    void theOwnersProcedureNamedConcatGivenAMaskedValueIsRefused() throws Exception {
        List<String> seen = new ArrayList<>();
        List<SQLException> refusals = analystRuns(everything, seen,
                "CALL concat((SELECT ssn FROM cl_customers WHERE id = 1))",
                "CALL CONCAT((SELECT CONCAT('x', ssn) FROM cl_customers WHERE id = 1))");
        assertThat(loot()).as("what the procedure copied").noneSatisfy(v -> assertThat(v).contains(CLEAR));
        assertThat(seen).as("what the analyst reads").allSatisfy(v -> assertThat(v).doesNotContain(CLEAR));
        assertThat(refusals).as("every call").hasSize(2);
        for (SQLException refused : refusals) {
            assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
        }
    }

    @Test
    void withoutACallPermitForItTheOwnersProcedureIsNotCalled() throws Exception {
        List<String> seen = new ArrayList<>();
        List<SQLException> refusals = analystRuns(noCalls, seen, "CALL concat('x')", "CALL concat(CONCAT('a', 'b'))");
        assertThat(loot()).as("what the procedure copied").isEmpty();
        assertThat(refusals).as("every call").hasSize(2);
        for (SQLException refused : refusals) {
            assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
            assertThat(refused.getMessage()).as(refused.getMessage()).containsIgnoringCase("concat").contains("call");
        }
    }
}
