package io.governed.jdbc.it;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL's {@code UPDATE ONLY t} and {@code DELETE FROM ONLY t} of a caller a tenant row filter applies to: the
 * rewrite keeps {@code ONLY}, so the statement changes that tenant's rows of the parent alone, neither the other
 * tenant's nor any row of a table inheriting from it; on a partitioned table it changes nothing (its rows are all in
 * its partitions), as on the plain driver. Read through a raw connection. {@code JOIN ONLY t} stays refused, saying to
 * write {@code JOIN (SELECT * FROM ONLY t) AS t}, which runs restricted.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresOnlyRowFilterIT {
    private static final String URL = "postgresql://127.0.0.1:5432/" + TestDatabase.DATABASE + "?connectTimeout=5";

    @TempDir
    static Path dir;
    private static Path policy;

    @BeforeAll
    static void policy() throws Exception {
        TestDatabase.POSTGRESQL.requireReachable();
        policy = dir.resolve("only.yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                rules:
                  - { id: app, effect: permit, principals: { kinds: [service] }, actions: [select, update, delete],
                      resources: ["pgd_only.*"] }
                row-filters:
                  - { id: tenant, tables: ["pgd_only.customers", "pgd_only.measurements"],
                      filter: "tenant = :identity.tenant" }
                """);
    }

    @BeforeEach
    void tables() throws SQLException {
        drop();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA pgd_only");
            st.execute("CREATE TABLE pgd_only.customers (id int, tenant text, name text)");
            st.execute("CREATE TABLE pgd_only.archived (archived_on date) INHERITS (pgd_only.customers)");
            st.execute("INSERT INTO pgd_only.customers VALUES (1, 't1', 'Ann'), (2, 't2', 'Bob')");
            st.execute("INSERT INTO pgd_only.archived VALUES (3, 't1', 'Cy', '2024-01-01'), (4, 't2', 'Dee', '2024-01-01')");
            st.execute("CREATE TABLE pgd_only.measurements (id int, tenant text, y int) PARTITION BY RANGE (y)");
            st.execute("CREATE TABLE pgd_only.measurements_0 PARTITION OF pgd_only.measurements FOR VALUES FROM (0) TO (10)");
            st.execute("INSERT INTO pgd_only.measurements VALUES (1, 't1', 1), (2, 't2', 2)");
            st.execute("CREATE TABLE pgd_only.orders (id int, customer_id int)");
            st.execute("INSERT INTO pgd_only.orders VALUES (10, 1), (20, 2)");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS pgd_only CASCADE");
        }
    }

    private static Connection tenantOne() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "app");
        p.setProperty("governed.kind", "service");
        p.setProperty("governed.attribute.tenant", "t1");
        return DriverManager.getConnection("jdbc:governed:" + URL, p);
    }

    /** Every customer row, the parent's and the inheriting table's, with where it is: {@code id:name@table;}. */
    private static String customers() throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name, tableoid::regclass::text FROM pgd_only.customers"
                     + " ORDER BY id")) {
            while (rs.next()) {
                out.append(rs.getInt(1)).append(':').append(rs.getString(2)).append('@')
                        .append(rs.getString(3).replace("pgd_only.", "")).append(';');
            }
        }
        return out.toString();
    }

    private static String measurements() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT string_agg(id || ':' || tenant, ';' ORDER BY id)"
                     + " FROM pgd_only.measurements")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aFilteredDeleteFromOnlyDeletesItsTenantsRowsOfTheParentAlone() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("DELETE FROM ONLY pgd_only.customers WHERE id > 0")).isEqualTo(1);
        }
        assertThat(customers()).isEqualTo("2:Bob@customers;3:Cy@archived;4:Dee@archived;");
    }

    @Test
    void aFilteredUpdateOnlyChangesItsTenantsRowsOfTheParentAlone() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE ONLY pgd_only.customers SET name = 'x' WHERE id > 0")).isEqualTo(1);
            // with a join in USING, and with no WHERE of its own
            assertThat(st.executeUpdate("DELETE FROM ONLY pgd_only.customers USING pgd_only.orders o"
                    + " WHERE o.customer_id = customers.id")).isEqualTo(1);
        }
        assertThat(customers()).isEqualTo("2:Bob@customers;3:Cy@archived;4:Dee@archived;");
    }

    @Test
    void withoutOnlyTheInheritingTablesTenantRowsGoToo() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("DELETE FROM pgd_only.customers WHERE id > 0")).isEqualTo(2);
        }
        assertThat(customers()).isEqualTo("2:Bob@customers;4:Dee@archived;");
    }

    @Test
    void onlyOnAPartitionedTableChangesNoPartitionsRow() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("DELETE FROM ONLY pgd_only.measurements WHERE id > 0")).isZero();
            assertThat(st.executeUpdate("UPDATE ONLY pgd_only.measurements SET id = 9 WHERE id > 0")).isZero();
            assertThat(st.executeUpdate("DELETE FROM pgd_only.measurements WHERE id > 0")).isEqualTo(1);
        }
        assertThat(measurements()).isEqualTo("2:t2");
    }

    @Test
    void onlyAfterAJoinIsRefusedSayingWhatToWriteAndThatRunsRestricted() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT o.id FROM pgd_only.orders o JOIN ONLY pgd_only.customers c"
                    + " ON c.id = o.customer_id")).isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42501");
                        assertThat(e.getMessage()).contains("JOIN (SELECT * FROM ONLY t) AS t");
                    });
            try (ResultSet rs = st.executeQuery("SELECT o.id, c.name FROM pgd_only.orders o JOIN (SELECT * FROM ONLY"
                    + " pgd_only.customers) AS c ON c.id = o.customer_id ORDER BY o.id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(10);
                assertThat(rs.getString(2)).isEqualTo("Ann");
                assertThat(rs.next()).isFalse();
            }
        }
    }
}
