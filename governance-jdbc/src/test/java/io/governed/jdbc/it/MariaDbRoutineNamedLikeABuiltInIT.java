package io.governed.jdbc.it;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On MariaDB, an unqualified call of a name MariaDB has no built-in of ({@code IIF}, {@code GETDATE}), or a quoted call
 * of a function of its grammar ({@code `left`(…)}), reaches the current database's stored function of that name. An
 * analyst a mask applies to defines such a function copying its argument into a table of its own and calls it on the
 * SSNs: a definition under a name the analysis lists as a built-in is refused, a call of any other is judged as a call
 * of a stored function; no SSN reaches the table (checked through a raw connection), and every getter of the analyst's
 * reads holds none in clear.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbRoutineNamedLikeABuiltInIT {
    private static final String DB = TestDatabase.forkName("rt_db");
    private static final String STORED_SSN = "123-45-6789";
    private static final String CLEAR = "123-45";
    private static final String URL = "mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000";

    @BeforeAll
    static void database() throws SQLException {
        TestDatabase.MARIADB.requireReachable();
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
            st.execute("CREATE DATABASE " + DB);
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
        }
    }

    @BeforeEach
    void tables() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP FUNCTION IF EXISTS iif");
            st.execute("DROP FUNCTION IF EXISTS getdate");
            st.execute("DROP FUNCTION IF EXISTS rt_copy");
            st.execute("DROP TABLE IF EXISTS customers, rt_loot");
            st.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(20))");
            st.execute("INSERT INTO customers VALUES (1, 'Ann', '" + STORED_SSN + "')");
            st.execute("CREATE TABLE rt_loot (v VARCHAR(40))");
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + URL, "root", "");
    }

    private static Connection governed(String kind) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("password", "");
        p.setProperty("governed.policy", "classpath:policies/built-in-names.yaml");
        p.setProperty("governed.principal", kind.equals("human") ? "ann" : "customer-service");
        p.setProperty("governed.kind", kind);
        return DriverManager.getConnection("jdbc:governed:" + URL, p);
    }

    /** Runs each statement as the analyst, reading every getter of each result; the refusals, in order. */
    private static List<SQLException> analystRuns(List<String> seen, String... statements) throws SQLException {
        List<SQLException> refusals = new ArrayList<>();
        try (Connection c = governed("human"); Statement st = c.createStatement()) {
            for (String sql : statements) {
                try {
                    if (st.execute(sql)) {
                        try (ResultSet rs = st.getResultSet()) {
                            seen.addAll(EveryGetter.ofAllRows(rs));
                        }
                    }
                } catch (SQLException refused) {
                    refusals.add(refused);
                    seen.addAll(ExceptionTexts.of(refused));
                }
            }
        }
        return refusals;
    }

    private static int clearSsnsInLoot() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM rt_loot WHERE v LIKE '%" + CLEAR + "%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aStoredFunctionNamedLikeAListedBuiltInIsRefused() throws Exception {
        List<String> seen = new ArrayList<>();
        List<SQLException> refusals = analystRuns(seen,
                "CREATE FUNCTION `left`(v VARCHAR(40), n INT) RETURNS VARCHAR(40) MODIFIES SQL DATA"
                        + " BEGIN INSERT INTO rt_loot VALUES (v); RETURN v; END",
                "SELECT id, `left`(ssn, 6) FROM customers",
                "SELECT v FROM rt_loot");
        assertThat(clearSsnsInLoot()).as("SSNs in the analyst's table").isZero();
        assertThat(seen).as("what the analyst reads").allSatisfy(v -> assertThat(v).doesNotContain(CLEAR));
        assertThat(refusals).as("the definition").isNotEmpty();
        assertThat(refusals.get(0).getSQLState()).as(refusals.get(0).getMessage()).isEqualTo("42501");
        assertThat(refusals.get(0).getMessage()).contains("left", "built-in", "another name");
    }

    /**
     * Stored functions of names MariaDB has no built-in of ({@code IIF}, {@code SPLIT_PART}) or of a function of its
     * grammar called quoted ({@code `left`(…)}), defined by the database's owner before: the analyst's calls of them
     * are calls of stored functions, judged as such, not built-ins; no SSN reaches the table.
     */
    @Test
    void aStoredFunctionTheDatabaseAlreadyHoldsUnderANameMariaDbLacksIsJudgedAsACall() throws Exception {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP FUNCTION IF EXISTS split_part");
            st.execute("DROP FUNCTION IF EXISTS `left`");
            for (String name : List.of("iif", "split_part", "`left`")) {
                st.execute("CREATE FUNCTION " + name + "(v VARCHAR(40), n INT) RETURNS VARCHAR(40) MODIFIES SQL DATA"
                        + " BEGIN INSERT INTO rt_loot VALUES (v); RETURN v; END");
            }
        }
        try {
            List<String> seen = new ArrayList<>();
            List<SQLException> refusals = analystRuns(seen,
                    "SELECT id, iif(ssn, 1) FROM customers",
                    "SELECT id, split_part(ssn, 1) FROM customers",
                    "SELECT id, `left`(ssn, 6) FROM customers",
                    "SELECT id FROM customers WHERE `left`(ssn, 6) IS NOT NULL");
            assertThat(clearSsnsInLoot()).as("SSNs in the analyst's table").isZero();
            assertThat(seen).as("what the analyst reads").allSatisfy(v -> assertThat(v).doesNotContain(CLEAR));
            assertThat(refusals).as("every call").hasSize(4);
        } finally {
            try (Connection raw = raw(); Statement st = raw.createStatement()) {
                st.execute("DROP FUNCTION IF EXISTS split_part");
                st.execute("DROP FUNCTION IF EXISTS `left`");
            }
        }
    }

    @Test
    void aStoredFunctionOfANameNotListedIsStillDefinedAndItsCallJudged() throws Exception {
        List<String> seen = new ArrayList<>();
        List<SQLException> refusals = analystRuns(seen,
                "CREATE FUNCTION rt_copy(v VARCHAR(40)) RETURNS VARCHAR(40) MODIFIES SQL DATA"
                        + " BEGIN INSERT INTO rt_loot VALUES (v); RETURN v; END",
                "SELECT id, rt_copy(ssn) FROM customers");
        assertThat(clearSsnsInLoot()).as("SSNs in the analyst's table").isZero();
        assertThat(seen).as("what the analyst reads").allSatisfy(v -> assertThat(v).doesNotContain(CLEAR));
        assertThat(refusals).as("only the call on the masked column").hasSize(1);
        assertThat(refusals.get(0).getMessage()).contains("mask-ssn");
    }
}
