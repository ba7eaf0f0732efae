package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * On MariaDB, in a database of the test's own: a statement after {@code USE} in the same text (multi-statement texts
 * allowed) names its relations where the driver cannot resolve them for certain (the session it read is the one before
 * the text ran). A DBA made, through a raw connection, a {@code MERGE} table over the row-filtered MyISAM table
 * {@code un_orders} and a view over it, and the same over the masked table {@code un_customers}. The row-filtered caller
 * reaching them through such a name is refused (42501, naming the filter, saying to qualify the name); the masked caller
 * sees no SSN through any getter. A plain table through such a name, and a sequence, stay readable by filtered callers.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbUncertainNameIT {
    private static final String DB = TestDatabase.forkName("un_db");
    private static final String URL = "mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000&allowMultiQueries=true";
    private static final String SECRET = "b-secret-7741";
    private static final String SSN = "219-45-6789";

    @BeforeAll
    static void database() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
            st.execute("CREATE DATABASE " + DB);
        }
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE un_orders (id int, tenant varchar(8), note varchar(40)) ENGINE=MyISAM");
            st.execute("INSERT INTO un_orders VALUES (1, 'a', 'a-note'), (2, 'b', '" + SECRET + "')");
            st.execute("CREATE TABLE un_m (id int, tenant varchar(8), note varchar(40)) ENGINE=MERGE UNION=(un_orders)"
                    + " INSERT_METHOD=LAST");
            st.execute("CREATE VIEW un_v AS SELECT id, tenant, note FROM un_orders");
            st.execute("CREATE TABLE un_customers (id int, ssn varchar(11)) ENGINE=MyISAM");
            st.execute("INSERT INTO un_customers VALUES (1, '" + SSN + "')");
            st.execute("CREATE TABLE un_cm (id int, ssn varchar(11)) ENGINE=MERGE UNION=(un_customers)");
            st.execute("CREATE VIEW un_cv AS SELECT id, ssn AS digits FROM un_customers");
            st.execute("CREATE SEQUENCE un_seq START WITH 41");
            st.execute("SELECT NEXTVAL(un_seq)");
            st.execute("CREATE TABLE un_plain (id int, note varchar(40))");
            st.execute("INSERT INTO un_plain VALUES (5, 'plain-note')");
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + URL, "root", "");
    }

    private static Connection governed(String policyText, String principal, boolean agent) throws SQLException, IOException {
        Path policy = Files.createTempFile("un-uncertain", ".yaml");
        Files.writeString(policy, policyText);
        policy.toFile().deleteOnExit();
        Properties settings = new Properties();
        settings.setProperty("user", "root");
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

    /** Each read names the side database, {@code un_db} in fork 1 and {@code un_db_forkN} in fork N. */
    static Stream<String> rowFilteredReads() {
        return Stream.of(
            "USE " + DB + "; SELECT * FROM un_m",
            "USE " + DB + "; SELECT * FROM un_v",
            "USE " + DB + "; SELECT note FROM un_v WHERE tenant = 'b'",
            "USE " + DB + "; UPDATE un_m SET note = 'overwritten' WHERE tenant = 'b'");
    }

    /** Each read names the side database, {@code un_db} in fork 1 and {@code un_db_forkN} in fork N. */
    static Stream<String> maskedReads() {
        return Stream.of(
            "USE " + DB + "; SELECT ssn FROM un_cm",
            "USE " + DB + "; SELECT * FROM un_cm",
            "USE " + DB + "; SELECT digits FROM un_cv",
            "USE " + DB + "; SELECT * FROM un_cv",
            "USE " + DB + "; SELECT upper(digits) FROM un_cv");
    }

    /** Each read names the side database, {@code un_db} in fork 1 and {@code un_db_forkN} in fork N. */
    static Stream<String> sequenceReads() {
        return Stream.of(
            "SELECT next_not_cached_value FROM un_seq",
            "SELECT * FROM " + DB + ".un_seq",
            "USE " + DB + "; SELECT * FROM un_seq");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rowFilteredReads")
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
    @MethodSource("maskedReads")
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
    @MethodSource("sequenceReads")
    void aRowFilteredCallerReadsASequence(String sql) throws SQLException, IOException {
        try (Connection c = tenantA(); Statement st = c.createStatement()) {
            assertThat(everyResult(st, sql)).anyMatch(value -> value.contains("41"));
        }
    }

    @Test
    void theRefusalNamesTheRelationItMayBeAndSaysToQualifyTheName() throws SQLException, IOException {
        try (Connection c = tenantA(); Statement st = c.createStatement()) {
            everyResult(st, "USE " + DB + "; SELECT * FROM un_m");
            fail("not refused");
        } catch (SQLException refused) {
            assertThat(refused.getSQLState()).isEqualTo("42501");
            assertThat(refused.getMessage()).contains("tenant-isolation").contains(DB + ".un_m")
                    .contains("neither a table nor a view").contains("qualify the name with its schema");
        }
    }

    @Test
    void aPlainTableAndTheFilteredTableThroughAnUncertainNameStayReadable() throws SQLException, IOException {
        try (Connection c = tenantA(); Statement st = c.createStatement()) {
            assertThat(everyResult(st, "USE " + DB + "; SELECT note FROM un_plain"))
                    .anyMatch(value -> value.contains("plain-note"));
            try {
                assertThat(everyResult(st, "USE " + DB + "; SELECT id, note FROM un_orders"))
                        .noneMatch(value -> value.contains(SECRET)).anyMatch(value -> value.contains("a-note"));
            } catch (SQLException refused) {
                // the filtered table in a text of several statements is refused as it was: the rewrite restricts one
                assertThat(refused.getMessage()).contains("tenant-isolation").contains("several statements");
            }
        }
        try (Connection c = maskedAgent(); Statement st = c.createStatement()) {
            assertThat(everyResult(st, "USE " + DB + "; SELECT note FROM un_plain"))
                    .anyMatch(value -> value.contains("plain-note"));
        }
    }
}
