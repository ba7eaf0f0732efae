package io.governed.sql;

import io.governed.identity.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Upserts and INSERT … SELECT into (and out of) a row-filtered table. */
class RowFilterRewriterInsertTest {

    private static final Identity ALICE = Identity.builder("alice").attribute("tenant", "t1").groups("sales", "eu").build();
    private static final RowFilterRewriter.Filter TENANT = new RowFilterRewriter.Filter("tenant-isolation",
            t -> t.name().equals("orders"), RowCondition.parse("tenant_id = :identity.tenant"));
    private static final RowFilterRewriter.Binding T1 = new RowFilterRewriter.Binding(0, "t1");

    private static RowFilterRewriter.Rewrite rewrite(String sql, Dialect dialect, RowFilterRewriter.Filter... filters) {
        return RowFilterRewriter.rewrite(sql, dialect, List.of(filters), ALICE);
    }

    private static RowFilterRewriter.Rewrite rewrite(String sql, RowFilterRewriter.Filter... filters) {
        return rewrite(sql, Dialect.POSTGRESQL, filters);
    }

    private static RowFilterRewriter.Binding application(int index) {
        return new RowFilterRewriter.Binding(index, null);
    }

    @Test
    void onConflictDoUpdateUpdatesOnlyARowTheFilterAdmits() {
        RowFilterRewriter.Rewrite r = rewrite("INSERT INTO orders (id, tenant_id, total) VALUES (?, 't1', ?) "
                + "ON CONFLICT (id) DO UPDATE SET total = EXCLUDED.total + ?", TENANT);
        assertThat(r.unchanged()).isFalse();
        assertThat(r.sql()).isEqualTo("INSERT INTO orders (id, tenant_id, total) VALUES (?, 't1', ?) "
                + "ON CONFLICT (id) DO UPDATE SET total = excluded.total + ? WHERE (orders.tenant_id = ?)");
        assertThat(r.bindings()).containsExactly(application(1), application(2), application(3), T1);
        assertThat(r.checks()).singleElement().satisfies(check -> {
            assertThat(check.condition()).isEqualTo("? = ?");
            assertThat(check.bindings()).containsExactly(T1, T1);
        });
        assertThat(r.filters()).containsExactly("tenant-isolation");
    }

    @Test
    void onConflictDoUpdateKeepsItsOwnWhereAndTheTargetsAlias() {
        RowFilterRewriter.Rewrite r = rewrite("INSERT INTO orders AS o (id, tenant_id) VALUES (1, 't1') "
                + "ON CONFLICT (id) DO UPDATE SET total = 0 WHERE o.total > 5 OR 1 = 1", TENANT);
        assertThat(r.sql()).isEqualTo("INSERT INTO orders AS o (id, tenant_id) VALUES (1, 't1') "
                + "ON CONFLICT (id) DO UPDATE SET total = 0 WHERE (o.total > 5 OR 1 = 1) AND (o.tenant_id = ?)");
        assertThat(r.bindings()).containsExactly(T1);
    }

    @Test
    void onDuplicateKeyUpdateKeepsAForeignRowsValues() {
        RowFilterRewriter.Filter tenant = new RowFilterRewriter.Filter("tenant-isolation",
                t -> t.name().equalsIgnoreCase("orders"), RowCondition.parse("tenant_id = :identity.tenant"));
        for (Dialect dialect : List.of(Dialect.MARIADB, Dialect.H2)) {
            RowFilterRewriter.Rewrite r = rewrite("INSERT INTO orders (id, tenant_id, total) VALUES (?, ?, 5) "
                    + "ON DUPLICATE KEY UPDATE total = VALUES(total) + ?, note = 'x'", dialect, tenant);
            assertThat(r.sql()).as(dialect.name()).isEqualTo("INSERT INTO orders (id, tenant_id, total) VALUES (?, ?, 5) "
                    + "ON DUPLICATE KEY UPDATE total = CASE WHEN (orders.tenant_id = ?) THEN values(total) + ? "
                    + "ELSE orders.total END, note = CASE WHEN (orders.tenant_id = ?) THEN 'x' ELSE orders.note END");
            assertThat(r.bindings()).containsExactly(application(1), application(2), T1, application(3), T1);
            assertThat(r.checks()).singleElement().satisfies(check ->
                    assertThat(check.bindings()).containsExactly(application(2), T1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO orders (id, tenant_id) VALUES (1, 't1') ON CONFLICT (id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id",
            "INSERT INTO orders (id, tenant_id) VALUES (1, 't1') ON CONFLICT (id) DO UPDATE SET (total, TENANT_ID) = (0, 't1')",
            "INSERT INTO orders (id, tenant_id) VALUES (1, 't1') ON DUPLICATE KEY UPDATE total = 0, tenant_id = 't1'",
            "INSERT INTO orders (id, tenant_id) SELECT id, 't1' FROM items ON CONFLICT (id) DO UPDATE SET tenant_id = 't1'",
    })
    void anUpsertSettingAColumnTheFilterReadsIsRefused(String sql) {
        assertThatThrownBy(() -> rewrite(sql, TENANT)).isInstanceOf(RowFilterRewriter.RefusedException.class)
                .hasMessageContaining("tenant_id").hasMessageContaining("tenant-isolation");
    }

    /** MariaDB compares column names ignoring case: an assignment of the filter's column in other letters is refused too. */
    @Test
    void anOnDuplicateKeyUpdateOfTheFiltersColumnInOtherCaseIsRefused() {
        assertThatThrownBy(() -> rewrite("INSERT INTO orders (id, tenant_id) VALUES (1, 't1') ON DUPLICATE KEY UPDATE "
                + "total = 0, `Tenant_Id` = 't2'", Dialect.MARIADB, TENANT)).isInstanceOf(RowFilterRewriter.RefusedException.class)
                .hasMessageContaining("Tenant_Id").hasMessageContaining("tenant-isolation");
    }

    @Test
    void anInsertSelectKeepsOnlyAdmittedRowsAndIsCheckedWhole() {
        RowFilterRewriter.Rewrite r = rewrite("INSERT INTO orders (id, \"tenant_id\", note) "
                + "SELECT i.id + ?, 't1', 'it''s' FROM items i WHERE i.qty > ?", TENANT);
        assertThat(r.unchanged()).isFalse();
        assertThat(r.sql()).isEqualTo("INSERT INTO orders (id, \"tenant_id\", note) WITH gvins(id,\"tenant_id\",note) AS "
                + "(SELECT i.id + ?, 't1', 'it''s' FROM items i WHERE i.qty > ?) "
                + "SELECT * FROM gvins WHERE (gvins.tenant_id = ?)");
        assertThat(r.bindings()).containsExactly(application(1), application(2), T1);
        assertThat(r.checks()).singleElement().satisfies(check -> {
            assertThat(check.filter()).isEqualTo("tenant-isolation");
            assertThat(check.condition()).isEqualTo("NOT EXISTS (WITH gvins(id,\"tenant_id\",note) AS "
                    + "(SELECT i.id + ?, 't1', 'it''s' FROM items i WHERE i.qty > ?) "
                    + "SELECT 1 FROM gvins WHERE CASE WHEN (gvins.tenant_id = ?) THEN FALSE ELSE TRUE END)");
            assertThat(check.bindings()).containsExactly(application(1), application(2), T1);
        });
    }

    @Test
    void theSelectOfAnInsertSelectReadsOnlyAdmittedRows() {
        RowFilterRewriter.Rewrite r = rewrite("INSERT INTO orders (id, tenant_id) SELECT id + 10, tenant_id FROM orders "
                + "UNION SELECT 99, 't1'", TENANT);
        assertThat(r.sql()).isEqualTo("INSERT INTO orders (id, tenant_id) WITH gvins(id,tenant_id) AS "
                + "(SELECT id + 10, tenant_id FROM (SELECT * FROM orders gvrf_1 WHERE (gvrf_1.tenant_id = ?) OFFSET 0) AS orders "
                + "UNION SELECT 99, 't1') SELECT * FROM gvins WHERE (gvins.tenant_id = ?)");
        assertThat(r.bindings()).containsExactly(T1, T1);
        assertThat(r.checks()).singleElement().satisfies(check -> {
            assertThat(check.condition()).startsWith("NOT EXISTS (WITH gvins(id,tenant_id) AS (SELECT id + 10, tenant_id "
                    + "FROM (SELECT * FROM orders gvrf_1 WHERE (gvrf_1.tenant_id = ?) OFFSET 0) AS orders UNION SELECT 99, 't1') ");
            assertThat(check.bindings()).containsExactly(T1, T1);
        });
    }

    @Test
    void anInsertSelectWithAnUpsertCombinesBothRules() {
        RowFilterRewriter.Filter level = new RowFilterRewriter.Filter("level", t -> t.name().equals("orders"),
                RowCondition.parse("lvl < 3"));
        RowFilterRewriter.Rewrite r = rewrite("WITH s AS (SELECT id FROM items) INSERT INTO orders (id, tenant_id, lvl) "
                + "SELECT id, ?, 1 FROM s ON CONFLICT (id) DO UPDATE SET total = 1", TENANT, level);
        assertThat(r.sql()).isEqualTo("WITH s AS (SELECT id FROM items) INSERT INTO orders (id, tenant_id, lvl) "
                + "WITH gvins(id,tenant_id,lvl) AS (SELECT id, ?, 1 FROM s) "
                + "SELECT * FROM gvins WHERE (gvins.tenant_id = ?) AND (gvins.lvl < ?) "
                + "ON CONFLICT (id) DO UPDATE SET total = 1 WHERE (orders.tenant_id = ?) AND (orders.lvl < ?)");
        assertThat(r.bindings()).containsExactly(application(1), T1, new RowFilterRewriter.Binding(0, 3L), T1,
                new RowFilterRewriter.Binding(0, 3L));
        assertThat(r.checks()).extracting(RowFilterRewriter.RowCheck::filter).containsExactly("tenant-isolation", "level");
        assertThat(r.checks().get(1).condition()).isEqualTo("NOT EXISTS (WITH gvins(id,tenant_id,lvl) AS "
                + "(SELECT id, ?, 1 FROM s) SELECT 1 FROM gvins WHERE CASE WHEN (gvins.lvl < ?) THEN FALSE ELSE TRUE END)");
        assertThat(r.checks().get(1).bindings()).containsExactly(application(1), new RowFilterRewriter.Binding(0, 3L));
    }

    @Test
    void anInsertSelectIntoAnUnfilteredTableReadsOnlyAdmittedRows() {
        RowFilterRewriter.Rewrite r = rewrite("INSERT INTO archive (id) SELECT id FROM orders WHERE tenant_id <> 't1'", TENANT);
        assertThat(r.sql()).isEqualTo("INSERT INTO archive (id) SELECT id FROM (SELECT * FROM orders gvrf_1 "
                + "WHERE (gvrf_1.tenant_id = ?) OFFSET 0) AS orders WHERE tenant_id <> 't1'");
        assertThat(r.checks()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO orders (id, tenant_id) SELECT * FROM items",
            "INSERT INTO orders (id, tenant_id) SELECT i.* FROM items i",
            "INSERT INTO orders (id, tenant_id) SELECT id FROM items",
            "INSERT INTO orders (id, tenant_id) SELECT id, 't1', 3 FROM items",
            "INSERT INTO orders (id, tenant_id) SELECT id, 't1' FROM items UNION SELECT 1, 't1', 2",
            "INSERT INTO orders (id, total) SELECT id, 1 FROM items",
            "INSERT INTO orders SELECT id, 't1' FROM items",
            "WITH gvins AS (SELECT 1) INSERT INTO orders (id, tenant_id) SELECT 1, 't1'",
            "INSERT INTO orders (id, tenant_id) SELECT id, 't1' FROM items ON DUPLICATE KEY UPDATE tenant_id = 't1'",
    })
    void anInsertSelectWhoseColumnsCannotBeMatchedIsRefused(String sql) {
        assertThatThrownBy(() -> rewrite(sql, TENANT)).isInstanceOf(RowFilterRewriter.RefusedException.class)
                .satisfies(e -> assertThat(((RowFilterRewriter.RefusedException) e).filters()).containsExactly("tenant-isolation"));
    }
}
