package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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

/**
 * On MariaDB, in a database of the test's own: {@code mg_m} is a MERGE table an administrator made over {@code mg_orders}.
 * {@code CREATE TABLE t LIKE mg_m} copies its UNION list, so {@code t} is one more name for {@code mg_orders}' rows.
 * Callers permitted everything on their own tables ({@code mg_own_*}) and to read {@code mg_m} and {@code mg_orders} (one
 * a row filter on {@code mg_orders} restricts, one a mask on {@code mg_orders.ssn} applies to, one permitted only to
 * read) try it, then read, update and delete through {@code t}: nothing of {@code mg_orders} changes (read raw), and no
 * other tenant's row or SSN reaches them in any getter. A caller whose mask names the column in any table ({@code
 * *.ssn}) may not make its own table a MERGE table over {@code mg_orders} either.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbMergeLikeIT {
    private static final String SSN = "219-45-6789";
    private static final String DB = "mg_db_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String URL = "mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000";

    @BeforeAll
    static void database() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
        }
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE mg_orders (id int, tenant varchar(8), ssn varchar(11)) ENGINE=MyISAM");
            st.execute("CREATE TABLE mg_m (id int, tenant varchar(8), ssn varchar(11)) ENGINE=MERGE UNION=(mg_orders)");
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
        }
    }

    @BeforeEach
    void rows() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS mg_own_t, mg_own_mine");
            st.execute("DELETE FROM mg_orders");
            st.execute("INSERT INTO mg_orders VALUES (1, 'a', '111-11-1111'), (2, 'b', '" + SSN + "')");
            st.execute("CREATE TABLE mg_own_mine (id int, tenant varchar(8), tax varchar(11)) ENGINE=MyISAM");
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + URL, "root", "");
    }

    private static Connection as(String principal) throws SQLException, IOException {
        Path policy = Files.createTempFile("mg-like", ".yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                rules:
                  - { id: own-tables, effect: permit, actions: ["*"], resources: ["%1$s.mg_own_*"] }
                  - { id: read-orders, effect: permit, actions: [select], resources: ["%1$s.mg_orders", "%1$s.mg_m"] }
                  - { id: trusted, effect: permit, actions: ["*"], resources: ["*"], principals: { names: [mg-filtered, mg-masked, mg-any-ssn] } }
                masks:
                  - id: mg-hide-ssn
                    columns: { patterns: ["%1$s.mg_orders.ssn"] }
                    function: redact
                    unless: { names: [mg-filtered, mg-reader, mg-any-ssn] }
                  - id: mg-hide-any-ssn
                    columns: { patterns: ["*.ssn"] }
                    function: redact
                    unless: { names: [mg-filtered, mg-reader, mg-masked] }
                row-filters:
                  - { id: mg-own-tenant, tables: ["%1$s.mg_orders"], filter: "tenant = :identity.tenant", unless: { names: [mg-masked, mg-reader, mg-any-ssn] } }
                """.formatted(DB));
        policy.toFile().deleteOnExit();
        Properties settings = new Properties();
        settings.setProperty("user", "root");
        settings.setProperty("password", "");
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.principal", principal);
        settings.setProperty("governed.attribute.tenant", "a");
        return DriverManager.getConnection("jdbc:governed:" + URL, settings);
    }

    private static String engine(String table) throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT engine FROM information_schema.tables WHERE table_schema = '" + DB + "' AND table_name = '"
                        + table + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String orders() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, tenant, ssn FROM mg_orders ORDER BY id")) {
            StringBuilder rows = new StringBuilder();
            while (rs.next()) {
                rows.append(rs.getInt(1)).append('|').append(rs.getString(2)).append('|').append(rs.getString(3)).append(';');
            }
            return rows.toString();
        }
    }

    /** Runs each statement, gathering every getter's value of each row and every refusal's texts. */
    private static List<String> run(Statement st, List<String> sqls, List<SQLException> refusals) {
        List<String> seen = new ArrayList<>();
        for (String sql : sqls) {
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
        return seen;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mg-filtered", "mg-masked", "mg-reader"})
    void aCopyOfTheMergeTablesDefinitionIsNoSecondNameForTheOrders(String principal) throws Exception {
        String before = orders();
        List<SQLException> refusals = new ArrayList<>();
        List<String> seen;
        try (Connection c = as(principal); Statement st = c.createStatement()) {
            seen = run(st, List.of("CREATE TABLE mg_own_t LIKE mg_m", "SELECT * FROM mg_own_t",
                    "SELECT id, tenant, ssn FROM mg_own_t WHERE tenant = 'b'",
                    "UPDATE mg_own_t SET tenant = 'a'", "DELETE FROM mg_own_t WHERE id = 2"), refusals);
        }
        String engine = engine("mg_own_t");
        String after = orders();
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(refusals).as(principal + ": the CREATE … LIKE is refused").isNotEmpty();
            if (!refusals.isEmpty()) {
                softly.assertThat(refusals.get(0).getSQLState()).as(refusals.get(0).getMessage()).isEqualTo("42501");
            }
            softly.assertThat(engine).as("mg_own_t, read raw").isNotEqualTo("MRG_MyISAM");
            softly.assertThat(after).as("mg_orders, read raw").isEqualTo(before);
            softly.assertThat(seen).as(principal + ": what came back").allSatisfy(v -> assertThat(v)
                    .doesNotContain(SSN, "6789"));
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ALTER TABLE mg_own_mine UNION=(mg_orders) ENGINE=MERGE",
            "ALTER TABLE mg_own_mine ENGINE=MERGE, UNION=(mg_m)"})
    void aMaskOfTheColumnInAnyTableRefusesTheUnionOption(String sql) throws Exception {
        String before = orders();
        List<SQLException> refusals = new ArrayList<>();
        List<String> seen;
        try (Connection c = as("mg-any-ssn"); Statement st = c.createStatement()) {
            seen = run(st, List.of(sql, "SELECT * FROM mg_own_mine", "SELECT tax FROM mg_own_mine WHERE id = 2",
                    "SELECT id FROM mg_own_mine WHERE tax = '" + SSN + "'",
                    "UPDATE mg_own_mine SET tenant = tax", "SELECT tenant FROM mg_own_mine"), refusals);
        }
        String engine = engine("mg_own_mine");
        String after = orders();
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(refusals).as("the ALTER is refused").isNotEmpty();
            if (!refusals.isEmpty()) {
                softly.assertThat(refusals.get(0).getSQLState()).as(refusals.get(0).getMessage()).isEqualTo("42501");
                softly.assertThat(refusals.get(0).getMessage()).contains("mg-hide-any-ssn");
            }
            softly.assertThat(engine).as("mg_own_mine, read raw").isEqualTo("MyISAM");
            softly.assertThat(after).as("mg_orders, read raw").isEqualTo(before);
            softly.assertThat(seen).as("what came back").allSatisfy(v -> assertThat(v).doesNotContain(SSN, "6789"));
        });
    }
}
