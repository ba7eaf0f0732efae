package io.governed.jdbc.it;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A routine written in PL/pgSQL reads and writes what its body's statements and expressions do: a caller who may call
 * the routines and select {@code orders}, but not select or delete {@code customers}, is refused a call whose body reads
 * {@code customers} (in a {@code SELECT … INTO} a local variable or an output parameter, a {@code RETURN QUERY}, a
 * {@code DECLARE} default, an exception handler of a nested block, a trigger function) or deletes from it, and the table is left as it was; with a permit on
 * {@code customers} as well, the same calls run.
 */
class PostgresPlpgsqlBodiesIT {
    private static final TestDatabase DATABASE = TestDatabase.POSTGRESQL;
    private static final String CUSTOMERS = UniqueNames.of("plpgsql_customers");
    private static final String ORDERS = UniqueNames.of("plpgsql_orders");
    private static final String F = UniqueNames.of("plpgsql_fn");

    @TempDir
    static Path dir;

    @BeforeAll
    static void createTablesAndRoutines() throws SQLException {
        DATABASE.requireReachable();
        try (Connection raw = DATABASE.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + CUSTOMERS + " (id INT PRIMARY KEY, name TEXT, ssn TEXT)");
            s.execute("INSERT INTO " + CUSTOMERS + " VALUES (1, 'ada', '078-05-1120')");
            s.execute("CREATE TABLE " + ORDERS + " (id INT PRIMARY KEY, customer_id INT, amount INT)");
            s.execute("INSERT INTO " + ORDERS + " VALUES (10, 1, 5)");
            s.execute("CREATE FUNCTION " + F + "_into(k INT) RETURNS TEXT LANGUAGE plpgsql STABLE AS $$"
                    + " DECLARE found_name text;"
                    + " BEGIN SELECT name INTO STRICT found_name FROM " + CUSTOMERS + " WHERE id = k;"
                    + " RETURN found_name; END $$");
            s.execute("CREATE FUNCTION " + F + "_query() RETURNS SETOF " + CUSTOMERS + " LANGUAGE plpgsql STABLE AS $$"
                    + " BEGIN RETURN QUERY SELECT * FROM " + CUSTOMERS + "; END $$");
            s.execute("CREATE FUNCTION " + F + "_default(k INT) RETURNS INT LANGUAGE plpgsql STABLE AS $body$"
                    + " DECLARE n int := (SELECT count(*) FROM " + CUSTOMERS + " WHERE id = k);"
                    + " BEGIN RAISE DEBUG 'END; $$ %', k; /* END; */ RETURN n; END $body$");
            s.execute("CREATE FUNCTION " + F + "_handler(k INT) RETURNS TEXT LANGUAGE plpgsql STABLE AS $$"
                    + " BEGIN <<inner>> BEGIN PERFORM 1 / 0; EXCEPTION WHEN division_by_zero THEN"
                    + " RETURN (SELECT name FROM " + CUSTOMERS + " WHERE id = k); END inner; RETURN NULL; END $$");
            s.execute("CREATE FUNCTION " + F + "_delete(k INT) RETURNS INT LANGUAGE plpgsql AS $$"
                    + " BEGIN IF k > 0 THEN DELETE FROM " + CUSTOMERS + " WHERE id = k; END IF; RETURN k; END $$");
            s.execute("CREATE FUNCTION " + F + "_trigger() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN IF TG_OP = 'INSERT' AND NOT EXISTS (SELECT 1 FROM " + CUSTOMERS
                    + " WHERE id = NEW.customer_id) THEN RAISE EXCEPTION 'no such customer'; END IF; RETURN NEW; END $$");
            s.execute("CREATE FUNCTION " + F + "_out(k INT, OUT who TEXT) LANGUAGE plpgsql STABLE AS $$"
                    + " BEGIN SELECT name INTO who FROM " + CUSTOMERS + " WHERE id = k; END $$");
            s.execute("CREATE FUNCTION " + F + "_orders(k INT) RETURNS INT LANGUAGE plpgsql STABLE AS $$"
                    + " DECLARE total int; BEGIN SELECT sum(amount) INTO total FROM " + ORDERS
                    + " WHERE customer_id = k; RETURN total; END $$");
        }
    }

    @AfterAll
    static void dropThem() throws SQLException {
        if (DATABASE.unreachableReason().isPresent()) {
            return;
        }
        try (Connection raw = DATABASE.connectRaw(); Statement s = raw.createStatement()) {
            for (String f : List.of("_into(INT)", "_query()", "_default(INT)", "_handler(INT)", "_delete(INT)",
                    "_trigger()", "_orders(INT)", "_out(INT)")) {
                s.execute("DROP FUNCTION IF EXISTS " + F + f);
            }
            s.execute("DROP TABLE IF EXISTS " + ORDERS);
            s.execute("DROP TABLE IF EXISTS " + CUSTOMERS);
        }
    }

    private static final String ORDERS_ONLY = """
            rules:
              - { id: read-orders, effect: permit, actions: [select], resources: ["public.%s"] }
              - { id: call-routines, effect: permit, actions: [call], resources: ["*.%s*"] }
            """;

    private Connection caller(String rules) throws Exception {
        Path policy = dir.resolve("policy-" + Integer.toHexString(rules.hashCode()) + ".yaml");
        Files.writeString(policy, "version: 1\n" + rules);
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.kind", "service");
        return DATABASE.connectGoverned(settings);
    }

    @BeforeEach
    void customerOneIsThere() throws SQLException {
        try (Connection raw = DATABASE.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("INSERT INTO " + CUSTOMERS + " VALUES (1, 'ada', '078-05-1120') ON CONFLICT (id) DO NOTHING");
        }
    }

    private static int customersLeft() throws SQLException {
        try (Connection raw = DATABASE.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + CUSTOMERS)) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }

    @Test
    void aCallWhoseBodyReadsOrWritesATableTheCallerMayNotIsRefused() throws Exception {
        List<String> statements = List.of(
                "SELECT " + F + "_into(1)",
                "SELECT " + F + "_into(customer_id) FROM " + ORDERS,
                "SELECT * FROM " + F + "_query()",
                "SELECT " + F + "_default(1)",
                "SELECT " + F + "_handler(1)",
                "SELECT " + F + "_delete(1)",
                "SELECT id FROM " + ORDERS + " WHERE " + F + "_delete(customer_id) > 0",
                "SELECT " + F + "_trigger()",
                "SELECT " + F + "_out(1)");
        List<String> notRefused = new ArrayList<>();
        try (Connection c = caller(ORDERS_ONLY.formatted(ORDERS, F)); Statement s = c.createStatement()) {
            for (String sql : statements) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    EveryGetter.ofAllRows(rs);
                    notRefused.add("answered: " + sql);
                } catch (SQLException e) {
                    if (!"42501".equals(e.getSQLState()) || !e.getMessage().contains(CUSTOMERS)) {
                        // the server's own error (a trigger function called directly): the call was not refused
                        notRefused.add(e.getSQLState() + ": " + sql);
                    }
                }
            }
        }
        assertThat(notRefused).as("calls that read or wrote customers through PL/pgSQL without a permit").isEmpty();
        assertThat(customersLeft()).as("customers, read back raw").isEqualTo(1);
    }

    @Test
    void aCallWhoseBodyReadsOnlyPermittedTablesRuns() throws Exception {
        String withCustomers = ORDERS_ONLY.formatted(ORDERS, F) + """
                  - { id: read-customers, effect: permit, actions: [select], resources: ["public.%s"] }
                """.formatted(CUSTOMERS);
        try (Connection c = caller(withCustomers); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT " + F + "_into(customer_id) FROM " + ORDERS)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("ada");
            }
            try (ResultSet rs = s.executeQuery("SELECT name FROM " + F + "_query()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("ada");
            }
            try (ResultSet rs = s.executeQuery("SELECT " + F + "_default(1), " + F + "_handler(1), " + F + "_out(1)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo("ada");
                assertThat(rs.getString(3)).isEqualTo("ada");
            }
        }
        try (Connection c = caller(ORDERS_ONLY.formatted(ORDERS, F)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + F + "_orders(1)")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("a body reading only orders, which the caller may select").isEqualTo(5);
        }
    }
}
