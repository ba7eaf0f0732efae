package io.governed.jdbc.rowfilter;

import io.governed.jdbc.GovernanceException;
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
 * For random MERGEs into a row-filtered table (sources over the filtered table or another one, ON conditions that
 * name other tenants' ids or are always true, UPDATE, DELETE and INSERT branches), the governed MERGE of tenant t1
 * changes the table exactly as the same MERGE run raw over a copy holding t1's rows alone changes the copy, with the
 * same update count (or fails as it does), and leaves every other tenant's row as it was.
 */
class H2RowFilterMergePropertyTest {
    private static final long SEED = 20261201L;
    private static final int STATEMENTS = 120;
    private static final String[] TENANTS = {"t1", "t2", "t3"};

    private final String orders = UniqueNames.of("rowfilters_mprop_orders");
    private final String own = UniqueNames.of("rowfilters_mprop_own");
    private final String items = UniqueNames.of("rowfilters_mprop_items");
    private final List<String> rows = new ArrayList<>();
    private Path policy;

    @BeforeEach
    void createTables() throws Exception {
        policy = TenantFixtures.tenantPolicy("rowfilters-mprop", orders);
        Random random = new Random(SEED);
        try (Connection raw = TestDatabase.H2.connectRaw(); Statement st = raw.createStatement()) {
            for (String table : List.of(orders, own)) {
                st.execute("CREATE TABLE " + table + " (id integer PRIMARY KEY, tenant_id varchar(5), total integer)");
            }
            st.execute("CREATE TABLE " + items + " (id integer PRIMARY KEY, order_id integer, qty integer)");
            for (int id = 1; id <= 20; id++) {
                rows.add("(" + id + ", '" + TENANTS[random.nextInt(TENANTS.length)] + "', " + random.nextInt(100) + ")");
                st.execute("INSERT INTO " + items + " VALUES (" + (100 + id) + ", " + (1 + random.nextInt(20)) + ", "
                        + random.nextInt(100) + ")");
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
    void aMergeChangesTheTenantsRowsAsOverACopyOfThemAndNoOtherRow() throws SQLException {
        Random random = new Random(SEED + 1);
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.attribute.tenant", "t1");
        try (Connection governed = TestDatabase.H2.connectGoverned(settings); Connection raw = TestDatabase.H2.connectRaw();
             Statement g = governed.createStatement(); Statement r = raw.createStatement()) {
            int ran = 0;
            for (int i = 0; i < STATEMENTS; i++) {
                reset(r);
                List<String> others = contents(r, orders + " WHERE tenant_id <> 't1'");
                String template = merge(random);
                String description = "seed " + SEED + ", statement " + i + ": " + template;
                Object expected = run(r, template.replace("{O}", own));
                Object actual;
                try {
                    actual = run(g, template.replace("{O}", orders));
                } catch (GovernanceException refused) {
                    throw new AssertionError(description + " was refused: " + refused.getMessage(), refused);
                }
                assertThat(actual).as(description).isEqualTo(expected);
                ran += expected instanceof Integer ? 1 : 0;
                assertThat(contents(r, orders + " WHERE tenant_id = 't1' OR id >= 1000")).as(description)
                        .isEqualTo(contents(r, own));
                assertThat(contents(r, orders + " WHERE tenant_id <> 't1'")).as(description).isEqualTo(others);
            }
            assertThat(ran).as("MERGEs the database ran (not failed)").isGreaterThan(STATEMENTS * 3 / 4);
        }
    }

    /** The update count, or "failed" when the database refused the statement. */
    private Object run(Statement statement, String sql) throws SQLException {
        try {
            return statement.executeUpdate(sql.replace("{I}", items));
        } catch (SQLException failed) {
            if (failed instanceof GovernanceException) {
                throw failed;
            }
            return "failed";
        }
    }

    private void reset(Statement raw) throws SQLException {
        raw.execute("DELETE FROM " + orders);
        raw.execute("DELETE FROM " + own);
        for (String row : rows) {
            raw.execute("INSERT INTO " + orders + " VALUES " + row);
            if (row.contains("'t1'")) {
                raw.execute("INSERT INTO " + own + " VALUES " + row);
            }
        }
    }

    private static List<String> contents(Statement raw, String from) throws SQLException {
        List<String> result = new ArrayList<>();
        try (ResultSet rs = raw.executeQuery("SELECT id, tenant_id, total FROM " + from + " ORDER BY id")) {
            while (rs.next()) {
                result.add(rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getInt(3));
            }
        }
        return result;
    }

    /** A MERGE into {O} from a source with a unique key {@code k} and a value {@code v}. */
    private static String merge(Random random) {
        int n = random.nextInt(100);
        boolean single = random.nextInt(3) == 0;
        String source = single ? "(SELECT " + (1 + random.nextInt(20)) + " AS k, " + n + " AS v) s"
                : switch (random.nextInt(4)) {
                    case 0 -> "(SELECT id AS k, total AS v FROM {O}) s";
                    case 1 -> "(SELECT id AS k, total AS v FROM {O} WHERE tenant_id <> 't1' OR total > " + n + ") s";
                    case 2 -> "(SELECT order_id AS k, max(qty) AS v FROM {I} GROUP BY order_id) s";
                    default -> "(SELECT id - 100 AS k, qty AS v FROM {I} WHERE qty > " + n + ") s";
                };
        String on = switch (random.nextInt(single ? 4 : 3)) {
            case 0 -> "o.id = s.k";
            case 1 -> "o.id = s.k AND s.v > " + random.nextInt(100);
            case 2 -> "o.id = s.k OR o.tenant_id = '" + TENANTS[random.nextInt(3)] + "' AND 1 = 0";
            default -> random.nextBoolean() ? "true" : "o.id = s.k OR 1 = 1";
        };
        List<String> branches = new ArrayList<>();
        if (random.nextBoolean()) {
            branches.add("WHEN MATCHED AND s.v > " + random.nextInt(100) + " THEN DELETE");
        }
        branches.add(switch (random.nextInt(3)) {
            case 0 -> "WHEN MATCHED THEN UPDATE SET total = s.v";
            case 1 -> "WHEN MATCHED THEN UPDATE SET total = o.total + 1";
            default -> "WHEN MATCHED THEN DELETE";
        });
        if (random.nextBoolean()) {
            branches.add("WHEN NOT MATCHED THEN INSERT (id, tenant_id, total) VALUES (s.k + 1000, 't1', " + n + ")");
        }
        return "MERGE INTO {O} o USING " + source + " ON " + on + " " + String.join(" ", branches);
    }
}
