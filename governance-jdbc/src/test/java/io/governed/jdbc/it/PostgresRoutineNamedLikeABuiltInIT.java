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
 * On PostgreSQL, a function under a name the analysis lists as a built-in that {@code pg_catalog} lacks ({@code nvl}) is
 * what an unqualified call of the name runs; the driver refuses statements naming such a function once its reading of
 * the catalog shows it, but that reading is not taken again inside a transaction, nor between the statements of one
 * text. An analyst a mask applies to defines {@code nvl} copying its argument into a table of its own and calls it on the
 * SSNs in the same transaction, or in the same text: the definition is refused, no SSN reaches the table (checked
 * through a raw connection), and every getter of the analyst's reads holds none in clear.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRoutineNamedLikeABuiltInIT {
    private static final String DB = TestDatabase.forkName("rt_db");
    private static final String ROLE = TestDatabase.forkName("rt_app");
    private static final String STORED_SSN = "123-45-6789";
    private static final String CLEAR = "123-45";
    private static final String DEFINE = "CREATE FUNCTION public.nvl(v text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN"
            + " INSERT INTO public.rt_loot VALUES (v); RETURN v; END $$";

    private static String url;

    @BeforeAll
    static void database() throws SQLException {
        TestDatabase.POSTGRESQL.requireReachable();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
            st.execute("DROP ROLE IF EXISTS " + ROLE);
            st.execute("CREATE ROLE " + ROLE + " LOGIN");
            st.execute("CREATE DATABASE " + DB + " OWNER " + ROLE);
        }
        url = "postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5";
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
            st.execute("DROP ROLE IF EXISTS " + ROLE);
        }
    }

    @BeforeEach
    void tables() throws Exception {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP FUNCTION IF EXISTS public.nvl(text), public.rt_copy(text)");
            st.execute("DROP TABLE IF EXISTS public.customers, public.rt_loot");
            st.execute("CREATE TABLE public.customers (id int PRIMARY KEY, name text, ssn text)");
            st.execute("INSERT INTO public.customers VALUES (1, 'Ann', '" + STORED_SSN + "')");
            st.execute("CREATE TABLE public.rt_loot (v text)");
        }
        Thread.sleep(1100); // the driver's catalog readings are cached about a second
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + url, ROLE, "");
    }

    private static Connection governed() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", ROLE);
        p.setProperty("password", "");
        p.setProperty("governed.policy", "classpath:policies/built-in-names.yaml");
        p.setProperty("governed.principal", "ann");
        p.setProperty("governed.kind", "human");
        return DriverManager.getConnection("jdbc:governed:" + url, p);
    }

    /** Runs each text as the analyst (in one transaction unless {@code autoCommit}), reading every getter of each result. */
    private static List<SQLException> analystRuns(boolean autoCommit, List<String> seen, String... texts)
            throws SQLException {
        List<SQLException> refusals = new ArrayList<>();
        try (Connection c = governed(); Statement st = c.createStatement()) {
            c.setAutoCommit(autoCommit);
            for (String sql : texts) {
                try {
                    boolean results = st.execute(sql);
                    while (true) {
                        if (results) {
                            try (ResultSet rs = st.getResultSet()) {
                                seen.addAll(EveryGetter.ofAllRows(rs));
                            }
                        } else if (st.getUpdateCount() == -1) {
                            break;
                        }
                        results = st.getMoreResults();
                    }
                } catch (SQLException refused) {
                    refusals.add(refused);
                    seen.addAll(ExceptionTexts.of(refused));
                    if (!autoCommit) {
                        c.rollback();
                    }
                }
            }
            if (!autoCommit) {
                c.commit();
            }
        }
        return refusals;
    }

    private static int clearSsnsInLoot() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM public.rt_loot WHERE v LIKE '%" + CLEAR + "%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void assertRefusedWithoutLeak(List<String> seen, List<SQLException> refusals) throws SQLException {
        assertThat(clearSsnsInLoot()).as("SSNs in the analyst's table").isZero();
        assertThat(seen).as("what the analyst reads").allSatisfy(v -> assertThat(v).doesNotContain(CLEAR));
        assertThat(refusals).as("the definition").isNotEmpty();
        assertThat(refusals.get(0).getSQLState()).as(refusals.get(0).getMessage()).isEqualTo("42501");
        assertThat(refusals.get(0).getMessage()).contains("nvl", "built-in", "another name");
    }

    @Test
    void definedAndCalledInOneTransaction() throws Exception {
        List<String> seen = new ArrayList<>();
        List<SQLException> refusals = analystRuns(false, seen, DEFINE, "SELECT id, nvl(ssn) FROM customers",
                "SELECT v FROM public.rt_loot");
        assertRefusedWithoutLeak(seen, refusals);
    }

    @Test
    void definedAndCalledInOneText() throws Exception {
        List<String> seen = new ArrayList<>();
        List<SQLException> refusals = analystRuns(true, seen, DEFINE + "; SELECT id, nvl(ssn) FROM customers",
                "SELECT v FROM public.rt_loot");
        assertRefusedWithoutLeak(seen, refusals);
    }

    @Test
    void aFunctionOfANameNotListedIsStillDefinedAndItsCallJudged() throws Exception {
        List<String> seen = new ArrayList<>();
        List<SQLException> refusals = analystRuns(false, seen, DEFINE.replace("nvl", "rt_copy"),
                "SELECT id, rt_copy(ssn) FROM customers");
        assertThat(clearSsnsInLoot()).as("SSNs in the analyst's table").isZero();
        assertThat(seen).as("what the analyst reads").allSatisfy(v -> assertThat(v).doesNotContain(CLEAR));
        assertThat(refusals).as("only the call on the masked column").hasSize(1);
        assertThat(refusals.get(0).getMessage()).contains("mask-ssn");
    }
}
