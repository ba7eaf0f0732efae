package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On MariaDB, in a database of the test's own: callers permitted to alter their own MyISAM table {@code mg_mine} try to
 * make it a MERGE table over {@code mg_orders} ({@code ALTER TABLE mg_mine UNION=(mg_orders) ENGINE=MERGE} and the
 * other ways MariaDB reads the option), which would make {@code mg_mine} a second name for {@code mg_orders}' rows. A
 * caller a row filter on {@code mg_orders} restricts, one a mask on {@code mg_orders.ssn} applies to, and one permitted
 * only to read {@code mg_orders} are refused (42501), and {@code mg_mine}, read raw, is still a MyISAM table; reading
 * {@code mg_mine} afterwards gives them no other tenant's row and no SSN. A caller permitted everything, with no filter
 * or mask on {@code mg_orders}, makes the MERGE table and reads {@code mg_orders}' rows through it.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbMergeUnionAlterIT {
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
            st.execute("INSERT INTO mg_orders VALUES (1, 'a', '111-11-1111'), (2, 'b', '" + SSN + "')");
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
        }
    }

    @BeforeEach
    void ownTable() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS mg_mine, mg_t");
            st.execute("CREATE TABLE mg_mine (id int, tenant varchar(8), ssn varchar(11)) ENGINE=MyISAM");
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + URL, "root", "");
    }

    private static Connection as(String principal) throws SQLException, IOException {
        Path policy = Files.createTempFile("mg-merge", ".yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                rules:
                  - { id: own-table, effect: permit, actions: ["*"], resources: ["%1$s.mg_mine"] }
                  - { id: read-orders, effect: permit, actions: [select], resources: ["%1$s.mg_orders"] }
                  - { id: trusted, effect: permit, actions: ["*"], resources: ["*"], principals: { names: [mg-dba, mg-filtered, mg-masked] } }
                masks:
                  - id: mg-hide-ssn
                    columns: { patterns: ["%1$s.mg_orders.ssn"] }
                    function: redact
                    unless: { names: [mg-dba, mg-filtered, mg-reader] }
                row-filters:
                  - { id: mg-own-tenant, tables: ["%1$s.mg_orders"], filter: "tenant = :identity.tenant", unless: { names: [mg-dba, mg-masked, mg-reader] } }
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

    static Stream<Arguments> attempts() {
        String[] sqls = {
                "ALTER TABLE mg_mine UNION=(mg_orders) ENGINE=MERGE",
                "ALTER TABLE mg_mine ENGINE=MERGE UNION=(mg_orders) INSERT_METHOD=LAST",
                "ALTER TABLE mg_mine ENGINE=MERGE, UNION (mg_orders)",
                "alter table `mg_mine` /* x */ union = (`" + DB + "`.`mg_orders`) engine=merge",
                "ALTER TABLE " + DB + ".mg_mine UNION=(" + DB + ".mg_orders) ENGINE=MRG_MyISAM",
                "ALTER TABLE mg_mine UNION=(mg_orders), ENGINE=MERGE",
        };
        return Stream.of("mg-filtered", "mg-masked", "mg-reader").flatMap(p -> Stream.of(sqls).map(q -> Arguments.of(p, q)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("attempts")
    void aRestrictedCallerCannotMakeItsTableASecondNameForTheOrders(String principal, String sql)
            throws SQLException, IOException {
        try (Connection c = as(principal); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(sql)).as(principal + ": " + sql).isInstanceOfSatisfying(SQLException.class,
                    e -> {
                        assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("42501");
                        assertThat(e.getMessage()).doesNotContain(SSN);
                        if (!sql.contains("ENGINE=MERGE UNION")) { // the parser reads no option after ENGINE=… unless a comma parts them
                            assertThat(e.getMessage()).as(principal + ": " + sql).contains(switch (principal) {
                                case "mg-filtered" -> "mg-own-tenant";
                                case "mg-masked" -> "mg-hide-ssn";
                                default -> "mg_orders";
                            });
                        } else {
                            assertThat(e.getMessage()).as(sql).contains("UNION table option");
                        }
                    });
            assertThat(engine("mg_mine")).as("mg_mine's engine read raw after " + sql).isEqualTo("MyISAM");
            String read;
            try (ResultSet rs = st.executeQuery("SELECT * FROM mg_mine")) {
                read = String.join("\n", EveryGetter.ofAllRows(rs));
            } catch (SQLException refused) {
                read = "";
            }
            assertThat(read).as(principal + " reading mg_mine after " + sql).doesNotContain(SSN, "6789", "111-11");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("createAttempts")
    void aRestrictedCallerCannotCreateAMergeTableOverTheOrders(String principal) throws SQLException, IOException {
        String sql = "CREATE TABLE mg_t (id int, tenant varchar(8), ssn varchar(11)) ENGINE=MERGE UNION=(mg_orders)";
        try (Connection c = as(principal); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(sql)).as(principal).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getMessage()).contains("UNION table option"));
        }
        assertThat(engine("mg_t")).as("mg_t read raw").isNull();
    }

    static Stream<String> createAttempts() {
        return Stream.of("mg-filtered", "mg-masked", "mg-reader");
    }

    @Test
    void aCallerPermittedEverythingWithNoFilterOrMaskOnTheOrdersMakesTheMergeTable() throws SQLException, IOException {
        try (Connection c = as("mg-dba"); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE mg_mine UNION=(mg_orders) ENGINE=MERGE");
            assertThat(engine("mg_mine")).isEqualTo("MRG_MyISAM");
            try (ResultSet rs = st.executeQuery("SELECT id, tenant FROM mg_mine ORDER BY id")) {
                StringBuilder rows = new StringBuilder();
                while (rs.next()) {
                    rows.append(rs.getInt(1)).append('|').append(rs.getString(2)).append(';');
                }
                assertThat(rows.toString()).isEqualTo("1|a;2|b;");
            }
        }
    }
}
