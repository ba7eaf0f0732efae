package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For random statements from a small grammar of joins, subqueries, CTEs, set operations and aggregates over a
 * row-filtered table, the governed result for a tenant equals the raw result of the same statement over a copy
 * of the table that holds that tenant's rows alone.
 */
class H2RowFilterPropertyTest {
    private static final long SEED = 20261130L;
    private static final int STATEMENTS = 300;
    private static final String[] TENANTS = {"t1", "t2", "t3"};

    private final String orders = UniqueNames.of("rowfilters_prop_orders");
    private final String own = UniqueNames.of("rowfilters_prop_own");
    private final String items = UniqueNames.of("rowfilters_prop_items");
    private Path policy;

    @BeforeEach
    void createTables() throws Exception {
        policy = TenantFixtures.tenantPolicy("rowfilters-prop", orders);
        Random random = new Random(SEED);
        try (Connection raw = TestDatabase.H2.connectRaw(); Statement st = raw.createStatement()) {
            for (String table : List.of(orders, own)) {
                st.execute("CREATE TABLE " + table + " (id integer PRIMARY KEY, tenant_id varchar(5), total integer)");
            }
            st.execute("CREATE TABLE " + items + " (id integer PRIMARY KEY, order_id integer, qty integer)");
            for (int id = 1; id <= 30; id++) {
                String tenant = TENANTS[random.nextInt(TENANTS.length)];
                String row = "(" + id + ", '" + tenant + "', " + random.nextInt(100) + ")";
                st.execute("INSERT INTO " + orders + " VALUES " + row);
                if (tenant.equals("t1")) {
                    st.execute("INSERT INTO " + own + " VALUES " + row);
                }
                st.execute("INSERT INTO " + items + " VALUES (" + (100 + id) + ", " + (1 + random.nextInt(30)) + ", "
                        + random.nextInt(5) + ")");
            }
        }
    }

    @AfterEach
    void dropTables() throws Exception {
        try (Connection raw = TestDatabase.H2.connectRaw(); Statement st = raw.createStatement()) {
            for (String table : List.of(orders, own, items)) {
                st.execute("DROP TABLE IF EXISTS " + table);
            }
        }
        Files.deleteIfExists(policy);
    }

    @Test
    void theGovernedResultIsTheResultOverTheTenantsRowsAlone() throws SQLException {
        Random random = new Random(SEED);
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.attribute.tenant", "t1");
        try (Connection governed = TestDatabase.H2.connectGoverned(settings); Connection raw = TestDatabase.H2.connectRaw();
             Statement g = governed.createStatement(); Statement r = raw.createStatement()) {
            for (int i = 0; i < STATEMENTS; i++) {
                String template = statement(random);
                List<String> expected = rows(r, template.replace("{O}", own));
                List<String> actual = rows(g, template.replace("{O}", orders));
                assertThat(actual).as("seed %d, statement %d: %s", SEED, i, template).isEqualTo(expected);
            }
        }
    }

    /**
     * Random INSERTs of one to four rows, through a plain statement, a prepared statement or a prepared batch, whose
     * tenants are drawn from t1, t2, t3, T1 and NULL: each adds its rows exactly when every row's tenant is t1, and
     * nothing otherwise.
     */
    @Test
    void anInsertAddsItsRowsExactlyWhenEveryRowIsTheTenants() throws SQLException {
        Random random = new Random(SEED + 1);
        String[] tenants = {"t1", "t2", "t3", "T1", null};
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.attribute.tenant", "t1");
        int nextId = 1000;
        long expected = count();
        try (Connection governed = TestDatabase.H2.connectGoverned(settings); Statement g = governed.createStatement()) {
            for (int i = 0; i < 100; i++) {
                int rows = 1 + random.nextInt(4);
                List<String> rowTenants = new ArrayList<>();
                for (int r = 0; r < rows; r++) {
                    rowTenants.add(random.nextInt(3) == 0 ? tenants[random.nextInt(tenants.length)] : "t1");
                }
                boolean admitted = rowTenants.stream().allMatch("t1"::equals);
                int shape = random.nextInt(3);
                String description = "insert " + i + " (shape " + shape + ") of " + rowTenants;
                try {
                    if (shape == 0) {
                        StringBuilder sql = new StringBuilder("INSERT INTO " + orders + " (id, tenant_id, total) VALUES ");
                        for (int r = 0; r < rows; r++) {
                            String tenant = rowTenants.get(r);
                            sql.append(r == 0 ? "" : ", ").append('(').append(nextId + r).append(", ")
                                    .append(tenant == null ? "NULL" : "'" + tenant + "'").append(", 1)");
                        }
                        g.executeUpdate(sql.toString());
                    } else {
                        try (java.sql.PreparedStatement ps = governed.prepareStatement("INSERT INTO " + orders
                                + " (total, tenant_id, id) VALUES (1, ?, ?)")) {
                            for (int r = 0; r < rows; r++) {
                                ps.setString(1, rowTenants.get(r));
                                ps.setInt(2, nextId + r);
                                if (shape == 1) {
                                    ps.executeUpdate();
                                } else {
                                    ps.addBatch();
                                }
                            }
                            if (shape == 2) {
                                ps.executeBatch();
                            }
                        }
                    }
                    assertThat(admitted).as(description + " ran").isTrue();
                } catch (io.governed.jdbc.GovernanceException refused) {
                    assertThat(admitted).as(description + " was refused: " + refused.getMessage()).isFalse();
                    assertThat(refused.getMessage()).contains("tenant-isolation");
                }
                // a prepared INSERT run row by row adds the rows before the first one refused
                int firstRefused = 0;
                while (firstRefused < rows && "t1".equals(rowTenants.get(firstRefused))) {
                    firstRefused++;
                }
                long added = admitted ? rows : shape == 1 ? firstRefused : 0;
                expected += added;
                assertThat(count()).as(description).isEqualTo(expected);
                nextId += rows;
            }
        }
    }

    /**
     * Random INSERT … SELECT over random queries of the filtered table, giving each selected row a tenant that is t1,
     * another, NULL or one that depends on the row: each adds exactly the rows its SELECT gives over the tenant's rows
     * alone when every one of them is t1's, and nothing otherwise.
     */
    @Test
    void anInsertSelectAddsExactlyTheTenantsSelectedRowsOrNothing() throws SQLException {
        Random random = new Random(SEED + 2);
        String[] tenants = {"'t1'", "'t1'", "'t2'", "NULL", "CASE WHEN x.id > 20 THEN 't3' ELSE 't1' END",
                "CASE WHEN x.id < 0 THEN 't2' ELSE 't1' END"};
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.attribute.tenant", "t1");
        long expected = count();
        int[] outcomes = new int[3]; // refused, ran adding none, ran adding some
        try (Connection governed = TestDatabase.H2.connectGoverned(settings); Connection raw = TestDatabase.H2.connectRaw();
             Statement g = governed.createStatement(); Statement r = raw.createStatement()) {
            for (int i = 0; i < 60; i++) {
                String tenant = tenants[random.nextInt(tenants.length)];
                String template = "SELECT DISTINCT x.id + " + (10_000 * (i + 1)) + ", " + tenant + ", 1 FROM ("
                        + statement(random) + ") x WHERE x.id <= 30"; // the rows inserted before are read, not copied
                List<String> selected = rows(r, template.replace("{O}", own));
                boolean admitted = selected.stream().allMatch(row -> row.contains("|t1|"));
                String description = "insert … select " + i + ": " + template;
                try {
                    int added = g.executeUpdate("INSERT INTO " + orders + " (id, tenant_id, total) "
                            + template.replace("{O}", orders).replace("{I}", items));
                    assertThat(admitted).as(description + " ran").isTrue();
                    assertThat(added).as(description).isEqualTo(selected.size());
                    expected += added;
                    outcomes[added == 0 ? 1 : 2]++;
                    // the tenant's copy gets the same rows, so later statements see the same rows in both
                    r.executeUpdate("INSERT INTO " + own + " (id, tenant_id, total) "
                            + template.replace("{O}", own).replace("{I}", items));
                } catch (io.governed.jdbc.GovernanceException refused) {
                    assertThat(admitted).as(description + " was refused: " + refused.getMessage()).isFalse();
                    assertThat(refused.getMessage()).contains("tenant-isolation").contains("nothing was inserted");
                    outcomes[0]++;
                }
                assertThat(count()).as(description).isEqualTo(expected);
            }
        }
        assertThat(outcomes).as("refused, ran adding none, ran adding some").doesNotContain(0);
    }

    private long count() throws SQLException {
        try (Connection raw = TestDatabase.H2.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + orders)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> rows(Statement statement, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery(sql.replace("{I}", items))) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int c = 1; c <= columns; c++) {
                    row.append(rs.getString(c)).append('|');
                }
                rows.add(row.toString());
            }
        }
        rows.sort(null);
        return rows;
    }

    private static String statement(Random random) {
        String query = select(random, 0);
        return switch (random.nextInt(4)) {
            case 0 -> query + (random.nextBoolean() ? " UNION " : " UNION ALL ") + select(random, 0);
            case 1 -> "WITH w AS (" + select(random, 1) + ") SELECT w.id FROM w JOIN {O} z ON z.id = w.id";
            default -> query;
        };
    }

    /** A query returning one column {@code id}: over the filtered table, maybe joined, filtered, aggregated. */
    private static String select(Random random, int depth) {
        String from = switch (random.nextInt(4)) {
            case 0 -> "{O} a";
            case 1 -> "{O} a JOIN {I} i ON i.order_id = a.id";
            case 2 -> "{O} a JOIN {O} b ON b.total >= a.total";
            default -> "{I} i JOIN {O} a ON a.id = i.order_id";
        };
        String where = switch (random.nextInt(6)) {
            case 0 -> "";
            case 1 -> " WHERE a.total > " + random.nextInt(100) + " OR 1 = 1";
            case 2 -> " WHERE a.tenant_id = '" + TENANTS[random.nextInt(3)] + "'";
            case 3 -> " WHERE a.id IN (SELECT c.id FROM {O} c WHERE c.total < " + random.nextInt(100) + ")";
            case 4 -> " WHERE EXISTS (SELECT 1 FROM {O} c WHERE c.id = a.id + " + random.nextInt(3) + ")";
            default -> " WHERE a.total > (SELECT avg(c.total) FROM {O} c)";
        };
        if (depth == 0 && random.nextInt(4) == 0) {
            return "SELECT count(*) AS id FROM " + from + where;
        }
        return "SELECT a.id FROM " + from + where;
    }
}
