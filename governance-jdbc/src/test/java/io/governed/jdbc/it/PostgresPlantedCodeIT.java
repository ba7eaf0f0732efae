package io.governed.jdbc.it;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
 * On PostgreSQL, an AI agent a mask applies to shares the application's database role ({@code pc_app}, owner of its own
 * database {@code pc_db}) and plants code the application's own statements run later with the application's identity,
 * which sees SSNs in clear: a replaced routine of the application's, a trigger, a rule, a row security policy, a
 * column default, a check, an expression index, a domain's check. Each attack is planted through the governed driver,
 * the application then inserts and reads as it always does, and the agent reads its copy: whether an SSN reached the
 * agent's table is checked through a raw connection, and every getter of the agent's read.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresPlantedCodeIT {
    private static final String DB = TestDatabase.forkName("pc_db");
    private static final String ROLE = TestDatabase.forkName("pc_app");
    private static final String SSN = "987-65-4321";
    private static final String STORED_SSN = "123-45-6789";
    /** What the partial mask leaves of each SSN: anything more is the SSN in clear. */
    private static final List<String> CLEAR = List.of("987-65", "123-45");

    static final Identity AGENT =
            Identity.builder("bot").kind(IdentityKind.AGENT).onBehalfOf(Identity.human("ann")).build();
    static final Identity APP = Identity.builder("customer-service").kind(IdentityKind.SERVICE).build();

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

    /** The application's schema: its table, its routine, and the table the agent keeps its copies in. */
    @BeforeEach
    void tables() throws Exception {
        dropTables();
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE public.customers (id int PRIMARY KEY, name text, ssn text)");
            st.execute("INSERT INTO public.customers VALUES (1, 'Ann', '" + STORED_SSN + "')");
            st.execute("CREATE FUNCTION public.app_log(v text) RETURNS text LANGUAGE sql AS $$ SELECT 'logged' $$");
            st.execute("CREATE TABLE public.pc_loot (v text)");
        }
        Thread.sleep(1100); // the driver's catalog readings are cached about a second
    }

    @AfterEach
    void dropTables() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS public.customers, public.pc_loot CASCADE");
            st.execute("DROP FUNCTION IF EXISTS public.app_log(text), public.pc_grab(), public.pc_log_it(text),"
                    + " public.pc_steal(), public.pc_log_imm(text) CASCADE");
            st.execute("DROP DOMAIN IF EXISTS public.pc_watched CASCADE");
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + url, ROLE, "");
    }

    private static Connection governed(Identity identity) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", ROLE);
        p.setProperty("password", "");
        p.setProperty("governed.policy", "classpath:policies/search-path-shadowing.yaml");
        p.setProperty("governed.principal", identity.principal());
        p.setProperty("governed.kind", identity.kind().externalName());
        if (identity.onBehalfOf() != null) {
            p.setProperty("governed.on-behalf-of", identity.onBehalfOf().principal());
        }
        return DriverManager.getConnection("jdbc:governed:" + url, p);
    }

    /** Runs each statement as the agent; the refusals (SQLState and message), in order. */
    private static List<SQLException> agentPlants(String... statements) throws SQLException {
        List<SQLException> refusals = new ArrayList<>();
        try (Connection c = governed(AGENT); Statement st = c.createStatement()) {
            for (String sql : statements) {
                try {
                    st.execute(sql);
                } catch (SQLException refused) {
                    refusals.add(refused);
                }
            }
        }
        return refusals;
    }

    /** The application's ordinary work: an insert of a customer with an SSN, and a read of its customers. */
    private static void applicationWorks(String insert) throws SQLException {
        try (Connection app = governed(APP); Statement st = app.createStatement()) {
            st.execute(insert);
            try (ResultSet rs = st.executeQuery("SELECT id, name, ssn, app_log(ssn) FROM customers ORDER BY id")) {
                while (rs.next()) {
                    rs.getString(3);
                }
            }
        }
        try (Connection raw = raw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM public.customers WHERE ssn = '" + SSN + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the application's insert").isEqualTo(1);
        }
    }

    private static final String PLAIN_INSERT = "INSERT INTO customers (id, name, ssn) VALUES (2, 'Bob', '" + SSN + "')";

    /** The SSNs in clear in the agent's table, read past governance. */
    private static List<String> loot() throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection raw = raw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT v FROM public.pc_loot")) {
            while (rs.next()) {
                String v = rs.getString(1);
                if (v != null && CLEAR.stream().anyMatch(v::contains)) {
                    values.add(v);
                }
            }
        }
        return values;
    }

    /** Every getter of the agent's read of its table: none may hold an SSN in clear. */
    private static void assertAgentReadsNoClearSsn() throws Exception {
        List<String> seen = new ArrayList<>();
        try (Connection c = governed(AGENT); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT v FROM public.pc_loot")) {
            while (rs.next()) {
                seen.addAll(EveryGetter.of(rs, 1, "v").values());
            }
        } catch (SQLException refused) {
            seen.addAll(ExceptionTexts.of(refused));
        }
        assertThat(seen).as("what the agent reads of its table")
                .allSatisfy(v -> CLEAR.forEach(clear -> assertThat(v).doesNotContain(clear)));
    }

    /** The attack was refused to the agent, saying what and who should define it, and nothing reached its table. */
    private static void assertPlantingRefused(List<SQLException> refusals) throws Exception {
        assertThat(loot()).as("SSNs in the agent's table").isEmpty();
        assertAgentReadsNoClearSsn();
        // refused by governance (42501, naming the mask); a later step may then fail in the database for what it lacks
        assertThat(refusals).as("the agent's planting").anySatisfy(refused -> {
            assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
            assertThat(refused.getMessage()).contains("mask-ssn");
        });
        assertThat(refusals).allSatisfy(refused -> assertThat(refused.getMessage()).doesNotContain(SSN)
                .doesNotContain(STORED_SSN));
    }

    @Test
    void replacingTheApplicationsOwnRoutineIsRefused() throws Exception {
        List<SQLException> refused = agentPlants("CREATE OR REPLACE FUNCTION public.app_log(v text) RETURNS text"
                + " LANGUAGE sql AS $$ INSERT INTO public.pc_loot VALUES (v); SELECT 'logged' $$");
        applicationWorks(PLAIN_INSERT);
        assertPlantingRefused(refused);
        assertThat(refused.get(0).getMessage()).contains("runs later in other sessions' statements",
                "such as the migration identity");
    }

    @Test
    void aTriggerOnTheApplicationsTableIsRefused() throws Exception {
        List<SQLException> refused = agentPlants(
                "CREATE FUNCTION public.pc_grab() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO public.pc_loot VALUES (NEW.ssn); RETURN NEW; END $$",
                "CREATE TRIGGER pc_grab AFTER INSERT ON customers FOR EACH ROW EXECUTE FUNCTION pc_grab()");
        applicationWorks(PLAIN_INSERT);
        assertPlantingRefused(refused);
    }

    @Test
    void aRuleOnTheApplicationsTableIsRefused() throws Exception {
        List<SQLException> refused = agentPlants(
                "CREATE RULE pc_grab AS ON INSERT TO customers DO ALSO INSERT INTO public.pc_loot VALUES (NEW.ssn)");
        applicationWorks(PLAIN_INSERT);
        assertPlantingRefused(refused);
    }

    @Test
    void aRowSecurityPolicyCallingTheAgentsRoutineIsRefused() throws Exception {
        List<SQLException> refused = agentPlants(
                "CREATE FUNCTION public.pc_log_it(v text) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO public.pc_loot VALUES (v); RETURN true; END $$",
                "CREATE POLICY pc_grab ON customers USING (pc_log_it(ssn))",
                "ALTER TABLE customers ENABLE ROW LEVEL SECURITY",
                "ALTER TABLE customers FORCE ROW LEVEL SECURITY");
        applicationWorks(PLAIN_INSERT);
        assertPlantingRefused(refused);
    }

    @Test
    void aColumnDefaultCallingTheAgentsRoutineIsRefused() throws Exception {
        List<SQLException> refused = agentPlants(
                "CREATE FUNCTION public.pc_steal() RETURNS text LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO public.pc_loot SELECT ssn FROM public.customers; RETURN 'x'; END $$",
                "ALTER TABLE customers ALTER COLUMN name SET DEFAULT pc_steal()");
        applicationWorks("INSERT INTO customers (id, ssn) VALUES (2, '" + SSN + "')");
        assertPlantingRefused(refused);
    }

    @Test
    void aCheckConstraintCallingTheAgentsRoutineIsRefused() throws Exception {
        List<SQLException> refused = agentPlants(
                "CREATE FUNCTION public.pc_log_it(v text) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO public.pc_loot VALUES (v); RETURN true; END $$",
                "ALTER TABLE customers ADD CONSTRAINT pc_grab CHECK (pc_log_it(ssn))");
        applicationWorks(PLAIN_INSERT);
        assertPlantingRefused(refused);
    }

    @Test
    void anExpressionIndexCallingTheAgentsRoutineIsRefused() throws Exception {
        List<SQLException> refused = agentPlants(
                "CREATE FUNCTION public.pc_log_it(v text) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO public.pc_loot VALUES (v); RETURN true; END $$",
                "CREATE FUNCTION public.pc_log_imm(v text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN"
                        + " PERFORM public.pc_log_it(v); RETURN v; END $$",
                "CREATE INDEX pc_grab ON public.customers (pc_log_imm(ssn))");
        applicationWorks(PLAIN_INSERT);
        assertPlantingRefused(refused);
    }

    @Test
    void aDomainWithACheckCallingTheAgentsRoutineIsRefused() throws Exception {
        List<SQLException> refused = agentPlants(
                "CREATE FUNCTION public.pc_log_it(v text) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO public.pc_loot VALUES (v); RETURN true; END $$",
                "CREATE DOMAIN public.pc_watched AS text CHECK (pc_log_it(VALUE))",
                "ALTER TABLE customers ALTER COLUMN ssn TYPE pc_watched");
        applicationWorks(PLAIN_INSERT);
        assertPlantingRefused(refused);
    }

    @Test
    void theApplicationStillDefinesItsOwnTrigger() throws Exception {
        try (Connection app = governed(APP); Statement st = app.createStatement()) {
            st.execute("CREATE FUNCTION public.pc_grab() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " INSERT INTO public.pc_loot VALUES ('audited'); RETURN NEW; END $$");
            st.execute("CREATE TRIGGER pc_grab AFTER INSERT ON customers FOR EACH ROW EXECUTE FUNCTION pc_grab()");
            st.execute("CREATE OR REPLACE FUNCTION public.app_log(v text) RETURNS text LANGUAGE sql AS $$ SELECT 'v2' $$");
        }
        applicationWorks(PLAIN_INSERT);
        try (Connection raw = raw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM public.pc_loot WHERE v = 'audited'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void theAgentStillCreatesABrandNewRoutineAndTable() throws Exception {
        List<SQLException> refused = agentPlants(
                "CREATE TABLE public.pc_notes (id int, note text DEFAULT upper('x'))",
                "CREATE FUNCTION public.pc_log_it(v text) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$");
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS public.pc_notes");
        }
        assertThat(refused).as("refusals").extracting(SQLException::getMessage).isEmpty();
    }
}
