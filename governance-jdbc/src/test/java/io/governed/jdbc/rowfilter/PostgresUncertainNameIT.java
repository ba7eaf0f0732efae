package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * On PostgreSQL, in a database of the test's own (with {@code postgres_fdw}): a statement after {@code SET search_path}
 * (or {@code set_config('search_path', …)}) in the same text names its relations where the driver cannot resolve them
 * for certain (the session it read is the one before the text ran). A DBA made, through a raw connection, in schema
 * {@code un_other}, a foreign table pointing back at the row-filtered table {@code un_orders} and a view over it, and
 * the same over the masked table {@code un_customers}. The row-filtered caller reaching them through such a name is
 * refused (42501, naming the filter, saying to qualify the name); the masked caller sees no SSN through any getter.
 * A plain table through such a name, and sequences (which hold no table's rows), stay readable by filtered callers.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@ServerWide("databases, other databases by link, roles or users")
class PostgresUncertainNameIT {
    private static final String DB = "un_db_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String URL = "postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5";
    private static final String SECRET = "b-secret-7741";
    private static final String SSN = "219-45-6789";

    @BeforeAll
    static void database() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
        }
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE EXTENSION postgres_fdw");
            st.execute("CREATE TABLE un_orders (id int, tenant text, note text)");
            st.execute("INSERT INTO un_orders VALUES (1, 'a', 'a-note'), (2, 'b', '" + SECRET + "')");
            st.execute("CREATE TABLE un_customers (id int, ssn text)");
            st.execute("INSERT INTO un_customers VALUES (1, '" + SSN + "')");
            st.execute("CREATE SEQUENCE un_seq START 41");
            st.execute("SELECT nextval('un_seq')");
            st.execute("CREATE SCHEMA un_other");
            st.execute("CREATE SERVER un_self FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '5432',"
                    + " dbname '" + DB + "')");
            st.execute("CREATE USER MAPPING FOR PUBLIC SERVER un_self OPTIONS (user 'postgres')");
            st.execute("CREATE FOREIGN TABLE un_other.un_ft (id int, tenant text, note text) SERVER un_self"
                    + " OPTIONS (schema_name 'public', table_name 'un_orders')");
            st.execute("CREATE VIEW un_other.un_v AS SELECT id, tenant, note FROM public.un_orders");
            st.execute("CREATE FOREIGN TABLE un_other.un_cft (id int, ssn text) SERVER un_self"
                    + " OPTIONS (schema_name 'public', table_name 'un_customers')");
            st.execute("CREATE VIEW un_other.un_cv AS SELECT id, ssn AS digits FROM public.un_customers");
            st.execute("CREATE TABLE un_other.un_plain (id int, note text)");
            st.execute("INSERT INTO un_other.un_plain VALUES (5, 'plain-note')");
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + URL, "postgres", "");
    }

    private static Connection governed(String policyText, String principal, boolean agent) throws SQLException, IOException {
        Path policy = Files.createTempFile("un-uncertain", ".yaml");
        Files.writeString(policy, policyText);
        policy.toFile().deleteOnExit();
        Properties settings = new Properties();
        settings.setProperty("user", "postgres");
        settings.setProperty("password", "");
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.principal", principal);
        settings.setProperty("governed.attribute.tenant", "a");
        if (agent) {
            settings.setProperty("governed.kind", "agent");
        }
        return DriverManager.getConnection("jdbc:governed:" + URL, settings);
    }

    private static Connection tenantA() throws SQLException, IOException {
        return governed("""
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                row-filters:
                  - id: tenant-isolation
                    tables: [un_orders]
                    filter: "tenant = :identity.tenant"
                """, "un-analyst", false);
    }

    private static Connection maskedAgent() throws SQLException, IOException {
        return governed("""
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                masks:
                  - { id: hide-ssn, columns: { patterns: ["un_customers.ssn"] }, function: redact }
                """, "un-bot", true);
    }

    /** Every row of every result of {@code sql}, through every getter. */
    private static List<String> everyResult(Statement st, String sql) throws SQLException {
        List<String> got = new ArrayList<>();
        boolean query = st.execute(sql);
        while (true) {
            if (query) {
                try (ResultSet rs = st.getResultSet()) {
                    got.addAll(EveryGetter.ofAllRows(rs));
                }
            } else if (st.getUpdateCount() == -1) {
                return got;
            }
            query = st.getMoreResults();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "SET search_path = un_other, public; SELECT * FROM un_ft",
            "SET search_path = un_other, public; SELECT * FROM un_v",
            "SET search_path = un_other, public; SELECT note FROM un_v WHERE tenant = 'b'",
            "SELECT pg_catalog.set_config('search_path', 'un_other, public', false); SELECT * FROM un_ft",
            "SET search_path = un_other, public; UPDATE un_ft SET note = 'overwritten' WHERE tenant = 'b'",
    })
    void aRowFilteredCallerCannotReachOtherTenantsRowsThroughAnUncertainName(String sql) throws SQLException, IOException {
        String outcome;
        try (Connection c = tenantA(); Statement st = c.createStatement()) {
            outcome = "returned " + everyResult(st, sql);
        } catch (SQLException refused) {
            assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
            assertThat(refused.getMessage()).contains("tenant-isolation").doesNotContain(SECRET);
            outcome = null;
        }
        try (Connection raw = raw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT note FROM un_orders WHERE id = 2")) {
            rs.next();
            assertThat(rs.getString(1)).as("un_orders read raw after " + sql).isEqualTo(SECRET);
        }
        if (outcome != null) {
            fail("the filtered caller (tenant a) was not refused " + sql + ": it " + outcome);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "SET search_path = un_other, public; SELECT ssn FROM un_cft",
            "SET search_path = un_other, public; SELECT * FROM un_cft",
            "SET search_path = un_other, public; SELECT digits FROM un_cv",
            "SET search_path = un_other, public; SELECT * FROM un_cv",
            "SET search_path = un_other, public; SELECT upper(digits) FROM un_cv",
    })
    void aMaskedCallerSeesNoMaskedValueThroughAnUncertainName(String sql) throws SQLException, IOException {
        List<String> got;
        try (Connection c = maskedAgent(); Statement st = c.createStatement()) {
            got = everyResult(st, sql);
        } catch (SQLException refused) {
            assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
            assertThat(refused.getMessage()).contains("hide-ssn").doesNotContain(SSN);
            return;
        }
        assertThat(got).as(sql).isNotEmpty().noneMatch(value -> value.contains(SSN) || value.contains("219456789"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "SELECT last_value FROM un_seq",
            "SELECT last_value, is_called FROM public.un_seq",
            "SET search_path = un_other, public; SELECT last_value FROM un_seq",
    })
    void aRowFilteredCallerReadsASequence(String sql) throws SQLException, IOException {
        try (Connection c = tenantA(); Statement st = c.createStatement()) {
            assertThat(everyResult(st, sql)).anyMatch(value -> value.contains("41"));
        }
    }

    @Test
    void theRefusalNamesTheRelationItMayBeAndSaysToQualifyTheName() throws SQLException, IOException {
        try (Connection c = tenantA(); Statement st = c.createStatement()) {
            everyResult(st, "SET search_path = un_other, public; SELECT * FROM un_ft");
            fail("not refused");
        } catch (SQLException refused) {
            assertThat(refused.getSQLState()).isEqualTo("42501");
            assertThat(refused.getMessage()).contains("tenant-isolation").contains("un_other.un_ft")
                    .contains("neither a table nor a view").contains("qualify the name with its schema");
        }
    }

    @Test
    void aPlainTableAndTheFilteredTableThroughAnUncertainNameStayReadable() throws SQLException, IOException {
        try (Connection c = tenantA(); Statement st = c.createStatement()) {
            assertThat(everyResult(st, "SET search_path = un_other, public; SELECT note FROM un_plain"))
                    .anyMatch(value -> value.contains("plain-note"));
            try {
                assertThat(everyResult(st, "SET search_path = public; SELECT id, note FROM un_orders"))
                        .noneMatch(value -> value.contains(SECRET)).anyMatch(value -> value.contains("a-note"));
            } catch (SQLException refused) {
                // the filtered table in a text of several statements is refused as it was: the rewrite restricts one
                assertThat(refused.getMessage()).contains("tenant-isolation").contains("several statements");
            }
        }
        try (Connection c = maskedAgent(); Statement st = c.createStatement()) {
            assertThat(everyResult(st, "SET search_path = un_other, public; SELECT note FROM un_plain"))
                    .anyMatch(value -> value.contains("plain-note"));
        }
    }
}
