package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On MariaDB, in a database of the test's own: a DBA made, through a raw connection before the caller came, a
 * {@code MERGE} table {@code rk_m} over the row-filtered MyISAM table {@code rk_orders} (inserting into it), and a view
 * over it. The row filter rewrites statements naming {@code rk_orders}; the MERGE table's rows are {@code rk_orders}'
 * rows, unfiltered. Every read or write of the MERGE table (directly,
 * joined, in a subquery, through the view) by the filtered caller is refused (42501, naming the filter); the table, read
 * raw, is unchanged; the filtered table itself still reads as the filter admits.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbRowFilterOtherKindIT {
    private static final String DB = TestDatabase.forkName("rk_db");
    private static final String URL = "mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000";

    @BeforeAll
    static void database() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
            st.execute("CREATE DATABASE " + DB);
        }
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE rk_orders (id int, tenant varchar(8), note varchar(40)) ENGINE=MyISAM");
            st.execute(OtherKindRelations.inserts());
            st.execute("CREATE TABLE rk_m (id int, tenant varchar(8), note varchar(40)) ENGINE=MERGE UNION=(rk_orders)"
                    + " INSERT_METHOD=LAST");
            st.execute("CREATE VIEW rk_mv AS SELECT id, tenant, note FROM rk_m");
            st.execute("CREATE TABLE rk_clear (id int, note varchar(40))");
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

    private static Connection tenantA() throws SQLException, IOException {
        Properties settings = new Properties();
        settings.setProperty("user", "root");
        settings.setProperty("password", "");
        settings.setProperty("governed.policy", OtherKindRelations.policy().toString());
        settings.setProperty("governed.principal", "rk-analyst");
        settings.setProperty("governed.attribute.tenant", "a");
        return DriverManager.getConnection("jdbc:governed:" + URL, settings);
    }

    /** The reads and writes of the merge table; one names the side database, {@code rk_db} in fork 1, {@code rk_db_forkN} in fork N. */
    static Stream<String> throughTheMergeTable() {
        return Stream.of(
            "SELECT * FROM rk_m",
            "SELECT note FROM " + DB + ".rk_m WHERE tenant = 'b'",
            "SELECT count(*) FROM rk_m",
            "SELECT o.id, f.note FROM rk_orders o RIGHT JOIN rk_m f ON f.id = o.id",
            "SELECT (SELECT max(note) FROM rk_m)",
            "SELECT * FROM rk_mv",
            "INSERT INTO rk_clear SELECT id, note FROM rk_m",
            "UPDATE rk_m SET note = 'overwritten'",
            "DELETE FROM rk_m WHERE tenant = 'b'",
            "INSERT INTO rk_m VALUES (4, 'b', 'planted')");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throughTheMergeTable")
    void theFilteredCallerCannotReachOtherTenantsRowsThroughAMergeTable(String sql) throws SQLException, IOException {
        try (Connection c = tenantA(); Statement st = c.createStatement()) {
            OtherKindRelations.refused(st, sql);
        }
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            assertThat(OtherKindRelations.rows(raw)).as("rk_orders read raw after " + sql)
                    .containsExactlyElementsOf(OtherKindRelations.ROWS);
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM rk_clear")) {
                rs.next();
                assertThat(rs.getInt(1)).as("rows copied into rk_clear").isZero();
            }
        }
    }

    @Test
    void theFilteredTableItselfStillReadsAsTheFilterAdmits() throws SQLException, IOException {
        try (Connection c = tenantA(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, tenant, note FROM rk_orders ORDER BY id")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
            }
            assertThat(rows).containsExactly("1|a|a-note");
        }
    }
}
