package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.TestDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The tenant-isolation policy and the orders and items tables the row-filter tests share. */
final class TenantFixtures {

    private TenantFixtures() {
    }

    /**
     * A new policy file that permits everything and filters {@code table} by {@code tenant_id = :identity.tenant}
     * (filter id {@code tenant-isolation}), each of {@code filterLines} added to the filter (as {@code unless: …}).
     */
    static Path tenantPolicy(String prefix, String table, String... filterLines) throws IOException {
        StringBuilder yaml = new StringBuilder("""
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                row-filters:
                  - id: tenant-isolation
                    tables: ["%s"]
                    filter: "tenant_id = :identity.tenant"
                """.formatted(table));
        for (String line : filterLines) {
            yaml.append("    ").append(line).append('\n');
        }
        Path policy = Files.createTempFile(prefix, ".yaml");
        Files.writeString(policy, yaml);
        return policy;
    }

    /** Orders 1 and 2 of tenant t1, 3 and 4 of t2 (total 100 each), and an item 11 to 14 for each. */
    static void createOrdersAndItems(TestDatabase database, String orders, String items) throws SQLException {
        try (Connection raw = database.connectRaw()) {
            createOrdersAndItems(raw, orders, items);
        }
    }

    /**
     * {@link #createOrdersAndItems(TestDatabase, String, String)} through the raw connection {@code raw}, in one
     * transaction where the database makes DDL transactional (PostgreSQL): one commit to wait for instead of six.
     */
    static void createOrdersAndItems(Connection raw, String orders, String items) throws SQLException {
        inOneTransaction(raw, st -> {
            st.execute("DROP TABLE IF EXISTS " + items);
            st.execute("DROP TABLE IF EXISTS " + orders);
            st.execute("CREATE TABLE " + orders + " (id integer PRIMARY KEY, tenant_id varchar(10), total integer)");
            st.execute("CREATE TABLE " + items + " (id integer PRIMARY KEY, order_id integer)");
            st.execute("INSERT INTO " + orders + " VALUES (1, 't1', 100), (2, 't1', 100), (3, 't2', 100), (4, 't2', 100)");
            st.execute("INSERT INTO " + items + " VALUES (11, 1), (12, 2), (13, 3), (14, 4)");
        });
    }

    static void dropOrdersAndItems(TestDatabase database, String orders, String items) throws SQLException {
        try (Connection raw = database.connectRaw()) {
            dropOrdersAndItems(raw, orders, items);
        }
    }

    static void dropOrdersAndItems(Connection raw, String orders, String items) throws SQLException {
        inOneTransaction(raw, st -> {
            st.execute("DROP TABLE IF EXISTS " + items);
            st.execute("DROP TABLE IF EXISTS " + orders);
        });
    }

    private interface Work {
        void run(Statement st) throws SQLException;
    }

    /** Runs {@code work} in one transaction of {@code raw} (rolled back when it fails), then restores its autocommit. */
    private static void inOneTransaction(Connection raw, Work work) throws SQLException {
        boolean autoCommit = raw.getAutoCommit();
        raw.setAutoCommit(false);
        try (Statement st = raw.createStatement()) {
            work.run(st);
            raw.commit();
        } catch (SQLException | RuntimeException e) {
            raw.rollback();
            throw e;
        } finally {
            raw.setAutoCommit(autoCommit);
        }
    }
}
