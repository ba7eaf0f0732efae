package io.governed.jdbc.masking;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On MariaDB: second names of a masked table that a DBA made through a raw connection before the agent came, in a
 * database of the test's own: a view with {@code SQL SECURITY DEFINER} renaming the column, a {@code MERGE} table over
 * the masked table (its column under the same name and under another), a trigger someone else defined that copies the
 * SSN into a clear table when the agent makes a harmless insert, and a {@code FEDERATED} or {@code CONNECT} table where
 * the server has the engine. Each comes back masked through every getter, or is refused (42501, naming the mask, never
 * a value); the clear table, read raw, holds no SSN. Under a mask pattern with the database and one without.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("server administration")
class MariaDbExistingSecondNameIT {
    private static final String SSN = "219-45-6789";
    private static final String DB = "sx_db_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String URL = "mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000";

    @BeforeAll
    static void database() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
        }
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE sx_customers (id int, ssn varchar(11)) ENGINE=MyISAM");
            st.execute("INSERT INTO sx_customers VALUES (1, '" + SSN + "')");
            st.execute("CREATE TABLE sx_clear (id int, note varchar(40))");
            st.execute("CREATE SQL SECURITY DEFINER VIEW sx_v AS SELECT id, ssn AS tax_id FROM sx_customers");
            st.execute("CREATE TABLE sx_m (id int, ssn varchar(11)) ENGINE=MERGE UNION=(sx_customers)");
            st.execute("CREATE TABLE sx_m2 (id int, tax_id varchar(11)) ENGINE=MERGE UNION=(sx_customers)");
            st.execute("CREATE TABLE sx_log (id int)");
            st.execute("CREATE TRIGGER sx_copy AFTER INSERT ON sx_log FOR EACH ROW"
                    + " INSERT INTO sx_clear SELECT id, ssn FROM sx_customers");
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
        }
    }

    @BeforeEach
    void emptyClearTable() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DELETE FROM sx_clear");
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + URL, "root", "");
    }

    private static Connection agent(String schema) throws SQLException, IOException {
        Path policy = Files.createTempFile("sx-existing", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                masks:
                  - id: hide-ssn
                    columns: { patterns: ["%ssx_customers.ssn"] }
                    function: redact
                """.formatted(schema));
        policy.toFile().deleteOnExit();
        Properties settings = new Properties();
        settings.setProperty("user", "root");
        settings.setProperty("password", "");
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.principal", "sx-agent");
        settings.setProperty("governed.kind", "agent");
        return DriverManager.getConnection("jdbc:governed:" + URL, settings);
    }

    static Stream<Arguments> statements() {
        String[] sqls = {
                "SELECT tax_id FROM sx_v",
                "SELECT * FROM sx_v",
                "SELECT c.id, v.tax_id FROM sx_v v LEFT JOIN sx_clear c ON c.id = v.id",
                "SELECT (SELECT max(tax_id) FROM sx_v)",
                "INSERT INTO sx_clear SELECT id, tax_id FROM sx_v",
                "SELECT ssn FROM sx_m",
                "SELECT * FROM sx_m",
                "SELECT tax_id FROM sx_m2",
                "SELECT x FROM (SELECT tax_id AS x FROM sx_m2) q",
                "SELECT (SELECT max(tax_id) FROM sx_m2)",
                "INSERT INTO sx_clear SELECT id, ssn FROM sx_m",
                "INSERT INTO sx_clear SELECT id, tax_id FROM sx_m2",
                "INSERT INTO sx_log VALUES (1)",
        };
        return Stream.of("", DB + ".").flatMap(p -> Stream.of(sqls).map(q -> Arguments.of(p, q)));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("statements")
    void readsThroughASecondNameMadeBeforehandAreMaskedOrRefused(String schema, String sql)
            throws SQLException, IOException {
        maskedOrRefused(schema, sql);
    }

    @Test
    void aFederatedOrConnectTableIsMaskedOrRefused() throws SQLException, IOException {
        String engine;
        try (Connection raw = raw(); Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT engine FROM information_schema.engines WHERE engine IN ('FEDERATED', 'CONNECT')"
                        + " AND support IN ('YES', 'DEFAULT') ORDER BY engine")) {
            engine = rs.next() ? rs.getString(1) : null;
        }
        Assumptions.assumeTrue(engine != null, "neither the FEDERATED nor the CONNECT engine is installed on this server:"
                + " a table of either is not tried (INSTALL SONAME 'ha_federatedx' or 'ha_connect' to try it)");
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("FEDERATED".equals(engine)
                    ? "CREATE TABLE sx_fed (id int, ssn varchar(11)) ENGINE=FEDERATED"
                    + " CONNECTION='mysql://root@127.0.0.1:3306/" + DB + "/sx_customers'"
                    : "CREATE TABLE sx_fed ENGINE=CONNECT TABLE_TYPE=MYSQL"
                    + " CONNECTION='mysql://root@127.0.0.1:3306/" + DB + "/sx_customers'");
        }
        for (String schema : new String[] {"", DB + "."}) {
            maskedOrRefused(schema, "SELECT ssn FROM sx_fed");
            maskedOrRefused(schema, "INSERT INTO sx_clear SELECT id, ssn FROM sx_fed");
        }
    }

    private static void maskedOrRefused(String schema, String sql) throws SQLException, IOException {
        try (Connection c = agent(schema); Statement st = c.createStatement()) {
            boolean query;
            try {
                query = st.execute(sql);
            } catch (SQLException refused) {
                assertThat(refused.getSQLState()).as(sql + ": " + refused.getMessage()).isEqualTo("42501");
                assertThat(refused.getMessage()).contains("hide-ssn").doesNotContain(SSN);
                query = false;
            }
            if (query) {
                try (ResultSet rs = st.getResultSet()) {
                    assertThat(String.join("\n", EveryGetter.ofAllRows(rs))).as(sql).doesNotContain(SSN, "6789");
                }
            }
        }
        try (Connection raw = raw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM sx_clear WHERE note = '" + SSN + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).as(sql + ": the SSN copied into sx_clear in clear (read raw)").isZero();
        }
    }
}
