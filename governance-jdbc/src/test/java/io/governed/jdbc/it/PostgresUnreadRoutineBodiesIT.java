package io.governed.jdbc.it;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A routine whose body the analysis cannot read (dynamic SQL through {@code EXECUTE}, a function in another language
 * than SQL and PL/pgSQL, a trigger function running {@code EXECUTE}) may do anything: a service permitted to call the
 * routines, select and delete {@code orders}, but nothing on {@code customers} or {@code audit}, is refused each call
 * and each write that fires such a trigger (42501, naming the routine), and the tables keep their rows, read back through
 * a raw connection. With the policy's declaration of what a routine does, the call is judged as doing that: permitted
 * when the caller may do it, refused naming the declared table when it may not, and refused under a row filter over a
 * declared table.
 */
class PostgresUnreadRoutineBodiesIT {
    private static final TestDatabase DATABASE = TestDatabase.POSTGRESQL;
    private static final String SECRET = "078-05-1120";
    private static final String CUSTOMERS = UniqueNames.of("unread_customers");
    private static final String ORDERS = UniqueNames.of("unread_orders");
    private static final String AUDIT = UniqueNames.of("unread_audit");
    private static final String F = UniqueNames.of("unread_fn");

    @TempDir
    static Path dir;
    /** The schema of the extension whose C functions the test calls; whether this test created it. */
    private static String extensionSchema;
    private static boolean extensionCreated;

    @BeforeAll
    static void createTablesAndRoutines() throws SQLException {
        DATABASE.requireReachable();
        try (Connection raw = DATABASE.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + CUSTOMERS + " (id INT PRIMARY KEY, ssn TEXT, region TEXT)");
            s.execute("INSERT INTO " + CUSTOMERS + " VALUES (1, '" + SECRET + "', 'eu')");
            s.execute("CREATE TABLE " + ORDERS + " (id INT PRIMARY KEY, customer_id INT)");
            s.execute("INSERT INTO " + ORDERS + " VALUES (10, 1), (11, 1)");
            s.execute("CREATE TABLE " + AUDIT + " (id INT PRIMARY KEY)");
            s.execute("INSERT INTO " + AUDIT + " VALUES (1), (2)");
            s.execute("CREATE FUNCTION " + F + "_read(k INT) RETURNS TEXT LANGUAGE plpgsql STABLE AS $$"
                    + " DECLARE r text; BEGIN EXECUTE 'SELECT ssn FROM " + CUSTOMERS + " WHERE id = $1' INTO r USING k;"
                    + " RETURN r; END $$");
            s.execute("CREATE FUNCTION " + F + "_wipe() RETURNS INT LANGUAGE plpgsql AS $$"
                    + " BEGIN EXECUTE 'DELETE FROM " + ORDERS + "'; RETURN 1; END $$");
            // another language than SQL and PL/pgSQL: the server's own C function under a name of the database's
            s.execute("CREATE FUNCTION " + F + "_len(text) RETURNS INT LANGUAGE internal IMMUTABLE STRICT AS 'textlen'");
            s.execute("CREATE FUNCTION " + F + "_trg() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN EXECUTE 'DELETE FROM " + AUDIT + "'; RETURN OLD; END $$");
            s.execute("CREATE TRIGGER " + F + "_trg BEFORE DELETE ON " + ORDERS + " FOR EACH ROW EXECUTE FUNCTION " + F + "_trg()");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_extension WHERE extname = 'fuzzystrmatch'")) {
                rs.next();
                extensionCreated = rs.getInt(1) == 0;
            }
            s.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch");
            try (ResultSet rs = s.executeQuery("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n"
                    + " ON n.oid = e.extnamespace WHERE e.extname = 'fuzzystrmatch'")) {
                rs.next();
                extensionSchema = rs.getString(1);
            }
        }
    }

    @AfterAll
    static void dropThem() throws SQLException {
        if (DATABASE.unreachableReason().isPresent()) {
            return;
        }
        try (Connection raw = DATABASE.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + ORDERS + ", " + CUSTOMERS + ", " + AUDIT);
            for (String f : List.of("_read(INT)", "_wipe()", "_len(text)", "_trg()")) {
                s.execute("DROP FUNCTION IF EXISTS " + F + f);
            }
            if (extensionCreated) {
                s.execute("DROP EXTENSION IF EXISTS fuzzystrmatch");
            }
        }
    }

    private static final String RULES = """
            version: 1
            rules:
              - { id: orders, effect: permit, actions: [select, delete], resources: ["public.%1$s"] }
              - { id: calls, effect: permit, actions: [call], resources: ["public.%2$s*"] }
            """;

    private static Connection service(String name, String more) throws Exception {
        Path policy = dir.resolve(name + ".yaml");
        Files.writeString(policy, RULES.formatted(ORDERS, F) + more.formatted(ORDERS, F, CUSTOMERS, AUDIT));
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.kind", "service");
        return DATABASE.connectGoverned(settings);
    }

    private static long rows(String table) throws SQLException {
        try (Connection raw = DATABASE.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void assertRefused(Statement s, String sql, String... reasonParts) {
        assertThatThrownBy(() -> {
            try (ResultSet rs = s.executeQuery(sql)) {
                EveryGetter.ofAllRows(rs);
            }
        }).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("42501");
            assertThat(e.getMessage()).contains(reasonParts).doesNotContain(SECRET);
        });
    }

    @Test
    void aCallPermitAloneRunsNoRoutineWhoseBodyCannotBeRead() throws Exception {
        long orders = rows(ORDERS);
        long audit = rows(AUDIT);
        try (Connection c = service("calls-only", ""); Statement s = c.createStatement()) {
            assertRefused(s, "SELECT " + F + "_read(customer_id) FROM " + ORDERS, "which routine public." + F + "_read may do");
            assertRefused(s, "SELECT id FROM " + ORDERS + " WHERE " + F + "_read(customer_id) LIKE '078%'", "may do");
            assertRefused(s, "SELECT " + F + "_wipe()", "which routine public." + F + "_wipe may do");
            assertRefused(s, "SELECT " + F + "_len('x')", "which routine public." + F + "_len may do");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM " + ORDERS + " WHERE id = 10"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining("which routine public." + F + "_trg may do");
        }
        assertThat(rows(ORDERS)).as("orders, read back raw").isEqualTo(orders).isPositive();
        assertThat(rows(AUDIT)).as("audit, read back raw: the trigger did not run").isEqualTo(audit);
    }

    /** An extension's functions in C are the server's installed code, as {@code pg_catalog}'s: a call permit runs them. */
    @Test
    void anExtensionsFunctionInCRunsUnderACallPermit() throws Exception {
        String more = "  - { id: extension-calls, effect: permit, actions: [call], resources: [\"" + extensionSchema
                + ".levenshtein\"] }\n";
        try (Connection c = service("extension", more); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + extensionSchema + ".levenshtein('kitten', 'sitting')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }

    @Test
    void aDeclarationIsJudgedAsWhatTheRoutineDoes() throws Exception {
        try (Connection raw = DATABASE.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("INSERT INTO " + AUDIT + " VALUES (1), (2) ON CONFLICT DO NOTHING");
        }
        String declared = """
                routines:
                  - { id: read-does, routines: ["public.%2$s_read"], does: [{ actions: [select], resources: ["public.%3$s"] }] }
                  - { id: len-does, routines: ["public.%2$s_len"], does: [] }
                  - { id: trg-does, routines: ["public.%2$s_trg"], does: [{ actions: [delete], resources: ["public.%4$s"] }] }
                """;
        try (Connection c = service("declared", declared); Statement s = c.createStatement()) {
            assertRefused(s, "SELECT " + F + "_read(customer_id) FROM " + ORDERS, "No rule permits select on public."
                    + CUSTOMERS + ", which the policy's routines section declares routine public." + F + "_read does");
            try (ResultSet rs = s.executeQuery("SELECT " + F + "_len('abc')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM " + ORDERS + " WHERE id = 10"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining("No rule permits delete on public." + AUDIT);
        }
        assertThat(rows(AUDIT)).as("audit, read back raw").isEqualTo(2);
        String permitted = """
                  - { id: customers-and-audit, effect: permit, actions: [select, delete], resources: ["public.%3$s", "public.%4$s"] }
                """ + declared;
        try (Connection c = service("declared-and-permitted", permitted); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT " + F + "_read(customer_id) FROM " + ORDERS + " WHERE id = 10")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(SECRET);
            }
            assertThat(s.executeUpdate("DELETE FROM " + ORDERS + " WHERE id = 11")).isEqualTo(1);
        }
        assertThat(rows(AUDIT)).as("audit, read back raw: the declared trigger ran").isZero();
        String filtered = permitted + """
                row-filters:
                  - { id: eu-only, tables: ["public.%3$s"], filter: "region = 'eu'" }
                """;
        try (Connection c = service("declared-filtered", filtered); Statement s = c.createStatement()) {
            assertRefused(s, "SELECT " + F + "_read(customer_id) FROM " + ORDERS, "row filter eu-only", "public." + F + "_read");
        }
    }
}
