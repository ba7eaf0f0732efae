package io.governed.jdbc.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
 * On PostgreSQL, an AI agent a mask applies to shares the application's database role ({@code sh_app}, owner of its own
 * database {@code sh_db}) and tries to make the application's unqualified {@code INSERT INTO customers …} land in a
 * relation it controls, then to read the SSNs captured there in clear: a schema named like the role (the default
 * {@code search_path} is {@code "$user", public}), a schema earlier on the application's path, the role's or the
 * database's stored {@code search_path}, and a {@code search_path} left on a pooled connection. Each attack's outcome
 * is checked where the rows landed (a raw connection) and in every getter of the agent's read.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@ServerWide("databases, roles or users")
class PostgresSearchPathShadowingIT {
    private static final String DB = "sh_db";
    private static final String ROLE = "sh_app";
    private static final String SSN = "987-65-4321";
    /** What the partial mask leaves of the SSN: anything more is the SSN in clear. */
    private static final String CLEAR = "987-65";

    private static final String POLICY = """
            version: 1
            default: deny
            classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
            rules:
              - { id: everything, effect: permit, principals: { kinds: [agent, service] }, actions: ["*"], resources: ["*"] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { kinds: [service] } }
            """;

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

    @BeforeEach
    void tables() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + ROLE + ", staging, scratch CASCADE");
            st.execute("ALTER ROLE " + ROLE + " RESET ALL");
            st.execute("ALTER ROLE " + ROLE + " IN DATABASE " + DB + " RESET ALL");
            st.execute("ALTER DATABASE " + DB + " RESET ALL");
            st.execute("DROP TABLE IF EXISTS public.customers");
            st.execute("CREATE TABLE public.customers (id int PRIMARY KEY, name text, ssn text)");
            st.execute("INSERT INTO public.customers VALUES (1, 'Ann', '123-45-6789')");
        }
    }

    @AfterEach
    void dropTables() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + ROLE + ", staging, scratch CASCADE");
            st.execute("ALTER ROLE " + ROLE + " RESET ALL");
            st.execute("ALTER ROLE " + ROLE + " IN DATABASE " + DB + " RESET ALL");
            st.execute("ALTER DATABASE " + DB + " RESET ALL");
            st.execute("DROP TABLE IF EXISTS public.customers");
        }
    }

    /** A connection to the test's database as its role, past governance. */
    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + url, ROLE, "");
    }

    /** A governed connection to the test's database as its role, of {@code identity}. */
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

    /** Runs each statement as the agent; the messages of those refused, in order. */
    private static List<String> agentRuns(String... statements) throws SQLException {
        List<String> refusals = new ArrayList<>();
        try (Connection c = governed(AGENT); Statement st = c.createStatement()) {
            for (String sql : statements) {
                try {
                    st.execute(sql);
                } catch (SQLException refused) {
                    // refused (42501), or failed for what an earlier refusal left out (3F000: no such schema)
                    refusals.add(sql + " -> " + refused.getSQLState() + " " + refused.getMessage());
                }
            }
        }
        return refusals;
    }

    /** The application's ordinary, unqualified insert of a customer with an SSN, through its own new session. */
    private static void applicationInserts(Connection app) throws SQLException {
        try (Statement st = app.createStatement()) {
            st.execute("INSERT INTO customers (id, name, ssn) VALUES (2, 'Bob', '" + SSN + "')");
        }
    }

    /** Where the application's row landed: public.customers must hold it, and no other relation its SSN. */
    private static void assertLandedInPublic() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM public.customers WHERE ssn = '" + SSN + "'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the application's row in public.customers").isEqualTo(1);
            }
            try (ResultSet rs = st.executeQuery("SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname IN ('" + ROLE + "', 'staging', 'scratch')")) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    try (Statement s2 = raw.createStatement();
                         ResultSet rows = s2.executeQuery("SELECT count(*) FROM " + table + " t WHERE t::text LIKE '%"
                                 + CLEAR + "%'")) {
                        rows.next();
                        assertThat(rows.getInt(1)).as("rows of the application's in " + table).isZero();
                    }
                }
            }
        }
    }

    /** Every getter of every column of the agent's read of {@code sql}: none may hold the SSN in clear. */
    private static void assertAgentReadsNoClearSsn(String sql) throws Exception {
        List<String> seen = new ArrayList<>();
        try (Connection c = governed(AGENT); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    seen.addAll(EveryGetter.of(rs, i, rs.getMetaData().getColumnLabel(i)).values());
                }
            }
        } catch (SQLException refused) {
            seen.addAll(ExceptionTexts.of(refused));
        }
        assertThat(seen).as("what the agent reads with " + sql).allSatisfy(v -> assertThat(v).doesNotContain(CLEAR));
    }

    @Test
    void aSchemaNamedLikeTheRoleDoesNotCaptureTheApplicationsInserts() throws Exception {
        List<String> refused = agentRuns(
                "CREATE SCHEMA " + ROLE,
                "CREATE TABLE " + ROLE + ".loot (id int, name text, secret text)",
                "CREATE VIEW " + ROLE + ".customers AS SELECT id, name, secret AS ssn FROM " + ROLE + ".loot");
        try (Connection app = governed(APP)) {
            applicationInserts(app);
        } catch (SQLException failed) {
            // the schema refused, the insert goes where it always went
        }
        assertAgentReadsNoClearSsn("SELECT * FROM " + ROLE + ".loot");
        assertLandedInPublic();
        assertThat(refused).as("the agent's statements refused").isNotEmpty()
                .first().asString().startsWith("CREATE SCHEMA " + ROLE + " -> 42501 ").contains("mask-ssn", "\"$user\"");
    }

    @Test
    void aSchemaCreatedWithTheRolesAuthorizationIsRefused() throws Exception {
        List<String> refused = agentRuns("CREATE SCHEMA AUTHORIZATION " + ROLE,
                "CREATE TABLE " + ROLE + ".customers (id int, name text, ssn text)");
        try (Connection app = governed(APP)) {
            applicationInserts(app);
        }
        assertLandedInPublic();
        assertThat(refused).as("the agent's statements refused").hasSize(2)
                .first().asString().startsWith("CREATE SCHEMA AUTHORIZATION " + ROLE + " -> 42501 ");
    }

    @Test
    void aRelationInASchemaEarlierOnTheApplicationsPathDoesNotCaptureItsInserts() throws Exception {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA staging"); // the application's: its path is staging, public
        }
        List<String> refused = agentRuns(
                "CREATE TABLE staging.loot (id int, name text, secret text)",
                "CREATE VIEW staging.customers AS SELECT id, name, secret AS ssn FROM staging.loot");
        try (Connection app = governed(APP); Statement st = app.createStatement()) {
            st.execute("SET search_path = staging, public");
            applicationInserts(app);
        }
        assertAgentReadsNoClearSsn("SELECT * FROM staging.loot");
        assertLandedInPublic();
        assertThat(refused).as("the agent's statements refused").singleElement().asString()
                .startsWith("CREATE VIEW staging.customers AS").contains("-> 42501 ", "mask-ssn", "exists in schema public", "shadow");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ALTER ROLE sh_app SET search_path = scratch, public",
            "ALTER ROLE CURRENT_USER SET search_path = scratch, public",
            "ALTER ROLE sh_app IN DATABASE sh_db SET search_path = scratch, public",
            "ALTER USER sh_app SET search_path TO scratch, public",
            "ALTER DATABASE sh_db SET search_path = scratch, public"})
    void aStoredSearchPathDoesNotRedirectOtherSessions(String alter) throws Exception {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            // a schema of the application's, where the agent's loot view would be
            st.execute("CREATE SCHEMA scratch");
            st.execute("CREATE TABLE scratch.loot (id int, name text, secret text)");
            st.execute("CREATE VIEW scratch.customers AS SELECT id, name, secret AS ssn FROM scratch.loot");
        }
        List<String> refused = agentRuns(alter);
        try (Connection app = governed(APP)) {
            applicationInserts(app);
        }
        assertAgentReadsNoClearSsn("SELECT * FROM scratch.loot");
        assertLandedInPublic();
        assertThat(refused).as("the agent's statement refused").singleElement().asString()
                .contains("-> 42501 ", "mask-ssn", "stores a setting");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SET search_path = scratch, public",
            "SET SESSION search_path TO scratch",
            "SELECT set_config('search_path', 'scratch, public', false)"})
    void aSearchPathLeftOnAPooledConnectionDoesNotRedirectTheNextBorrower(String set) throws Exception {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA scratch");
            st.execute("CREATE TABLE scratch.loot (id int, name text, secret text)");
            st.execute("CREATE VIEW scratch.customers AS SELECT id, name, secret AS ssn FROM scratch.loot");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("sh-shadowing");
        config.setJdbcUrl("jdbc:" + url);
        config.setUsername(ROLE);
        config.setPassword("");
        config.setMaximumPoolSize(1); // one physical connection: every borrower shares its session
        int[] inserted = {0};
        try (HikariDataSource pool = new HikariDataSource(config)) {
            GovernedDataSource governed = new GovernedDataSource(pool,
                    Governance.builder().policy(PolicyLoader.fromString("sh-shadowing.yaml", POLICY)).build());
            IdentityContext.runAs(AGENT, () -> {
                try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
                    st.execute(set);
                }
                return null;
            });
            IdentityContext.runAs(APP, () -> {
                try (Connection c = governed.getConnection()) {
                    applicationInserts(c);
                }
                return null;
            });
            inserted[0]++;
            // and within one borrowing, the identity switching per statement
            IdentityContext.runAs(AGENT, () -> {
                try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
                    st.execute(set);
                    IdentityContext.runAs(APP, () -> {
                        try (Statement app = c.createStatement()) {
                            app.execute("INSERT INTO customers (id, name, ssn) VALUES (3, 'Cy', '" + SSN + "')");
                            inserted[0]++;
                        } catch (SQLException refused) {
                            // refused rather than run in the agent's session (set_config may have set a role): safe too
                            assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
                        }
                        return null;
                    });
                }
                return null;
            });
        }
        assertAgentReadsNoClearSsn("SELECT * FROM scratch.loot");
        try (Connection raw = raw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM public.customers WHERE ssn = '" + SSN + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the application's rows in public.customers").isEqualTo(inserted[0]);
        }
        try (Connection raw = raw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM scratch.loot")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the application's rows in the agent's scratch.loot").isZero();
        }
    }
}
