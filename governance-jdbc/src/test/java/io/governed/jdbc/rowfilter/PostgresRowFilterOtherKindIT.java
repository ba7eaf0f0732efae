package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL, in a database of the test's own (with {@code postgres_fdw}): a DBA made, through a raw connection
 * before the caller came, a foreign table {@code rk_ft} pointing back at the row-filtered table {@code rk_orders} of the
 * same database, and a view over that foreign table. The row filter rewrites statements naming {@code rk_orders}; the
 * foreign table's rows are {@code rk_orders}' rows, unfiltered. Every read or write of the foreign table (directly,
 * joined, in a subquery, through the view) by the filtered caller is refused (42501, naming the filter); the table, read
 * raw, is unchanged; the filtered table itself still reads as the filter admits.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@ServerWide("databases, other databases by link, roles or users")
class PostgresRowFilterOtherKindIT {
    private static final String DB = "rk_db_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String URL = "postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5";

    @BeforeAll
    static void database() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
        }
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE EXTENSION postgres_fdw");
            st.execute("CREATE TABLE rk_orders (id int, tenant text, note text)");
            st.execute(OtherKindRelations.inserts());
            st.execute("CREATE SERVER rk_self FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '5432',"
                    + " dbname '" + DB + "')");
            st.execute("CREATE USER MAPPING FOR PUBLIC SERVER rk_self OPTIONS (user 'postgres')");
            st.execute("CREATE FOREIGN TABLE rk_ft (id int, tenant text, note text) SERVER rk_self"
                    + " OPTIONS (table_name 'rk_orders')");
            st.execute("CREATE VIEW rk_fv AS SELECT id, tenant, note FROM rk_ft");
            st.execute("CREATE TABLE rk_clear (id int, note text)");
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

    private static Connection tenantA() throws SQLException, IOException {
        Properties settings = new Properties();
        settings.setProperty("user", "postgres");
        settings.setProperty("password", "");
        settings.setProperty("governed.policy", OtherKindRelations.policy().toString());
        settings.setProperty("governed.principal", "rk-analyst");
        settings.setProperty("governed.attribute.tenant", "a");
        return DriverManager.getConnection("jdbc:governed:" + URL, settings);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "SELECT * FROM rk_ft",
            "SELECT note FROM public.rk_ft WHERE tenant = 'b'",
            "SELECT count(*) FROM rk_ft",
            "SELECT o.id, f.note FROM rk_orders o RIGHT JOIN rk_ft f ON f.id = o.id",
            "SELECT (SELECT max(note) FROM rk_ft)",
            "SELECT * FROM rk_fv",
            "INSERT INTO rk_clear SELECT id, note FROM rk_ft",
            "UPDATE rk_ft SET note = 'overwritten'",
            "DELETE FROM rk_ft WHERE tenant = 'b'",
            "INSERT INTO rk_ft VALUES (4, 'b', 'planted')",
    })
    void theFilteredCallerCannotReachOtherTenantsRowsThroughAForeignTable(String sql) throws SQLException, IOException {
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
