package io.governed.jdbc.rowfilter;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbRowFilterIsolationIT extends RowFilterIsolationCorpus {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    boolean keysAreTheChangedRows(String template) {
        return false;
    }

    @Override
    boolean hasMerge() {
        return false;
    }

    @Override
    boolean batchesInsertSelect() {
        return false;
    }

    @Override
    List<String> spellingsOfTheFilterColumn() {
        return List.of("TENANT_ID", "Tenant_Id", "`TENANT_ID`", "`Tenant_Id`", "`tenant_id`");
    }

    @Override
    String upsertSetting() {
        return "INSERT INTO {O} (id, tenant_id, total) VALUES (1, 't1', 0) ON DUPLICATE KEY UPDATE total = 0, {C} = 't2'";
    }

    /**
     * MariaDB's multi-table UPDATE and DELETE: restricted where the filtered table is only read, refused where it
     * cannot be; either way the other tenant's rows stay as they were.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "UPDATE {I} i JOIN {O} o ON o.id = i.order_id SET i.order_id = 0 WHERE o.tenant_id = 't2'",
            "UPDATE {I} i, {O} o SET i.order_id = 0 WHERE o.id = i.order_id AND o.id IN (3, 4)",
            "DELETE i FROM {I} i JOIN {O} o ON o.id = i.order_id WHERE o.tenant_id = 't2'",
            "DELETE o FROM {O} o WHERE o.id = 3",
            "DELETE o FROM {O} o JOIN {I} i ON i.order_id = o.id WHERE i.order_id IN (3, 4)",
            "DELETE o, i FROM {O} o INNER JOIN {I} i ON i.order_id = o.id WHERE i.order_id > 0",
            "DELETE i FROM {O} o JOIN {I} i ON i.order_id = o.id WHERE o.total > 0",
            "UPDATE {O} o JOIN {I} i ON i.order_id = o.id SET o.total = 0",
            "REPLACE INTO {O} VALUES (3, 't2', 0)",
            "INSERT INTO {O} VALUES (3, 't2', 0) ON DUPLICATE KEY UPDATE total = 0",
    })
    void multiTableWritesLeaveTheOtherTenantsRowsAlone(String template) throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            st.executeUpdate(sql(template));
        } catch (GovernanceException refused) {
            // refused before reaching the database: what the raw connection shows below is all that matters
        }
        assertOtherTenantIntact(template);
    }

    /** Upserts that set the column the filter reads, REPLACE and INSERT … SET into the filtered table are refused. */
    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO {O} (id, tenant_id, total) VALUES (3, 't1', 0) ON DUPLICATE KEY UPDATE tenant_id = 't1'",
            "INSERT INTO {O} (id, tenant_id, total) VALUES (1, 't1', 0) ON DUPLICATE KEY UPDATE total = 0, tenant_id = VALUES(tenant_id)",
            "INSERT INTO {O} (id, tenant_id, total) SELECT id + 2, 't1', 0 FROM {O} ON DUPLICATE KEY UPDATE tenant_id = 't1'",
            "REPLACE INTO {O} (id, tenant_id, total) VALUES (3, 't1', 0)",
            "INSERT INTO {O} SET id = 9, tenant_id = 't1'",
    })
    void upsertsSettingTheFilteredColumnAreRefused(String template) throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate(sql(template))).as(template).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation");
        }
        assertOtherTenantIntact(template);
        assertThat(rawCount(sql("{O} WHERE total = 100"))).isEqualTo(4);
    }

    /**
     * ON DUPLICATE KEY UPDATE updates only a row the filter admits: a duplicate key of another tenant's row leaves it as
     * it was, in every assignment; the caller's own rows are updated.
     */
    @Test
    void anUpsertUpdatesOnlyTheCallersRows() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (3, 't1', 0) ON DUPLICATE KEY UPDATE total = 0"));
            st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (4, 't1', 0), (1, 't1', 7) "
                    + "ON DUPLICATE KEY UPDATE total = VALUES(total), id = id"));
            st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) SELECT id + 2, tenant_id, 5 FROM {O} "
                    + "ON DUPLICATE KEY UPDATE total = 5"));
            assertThatThrownBy(() -> st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (3, 't2', 0) "
                    + "ON DUPLICATE KEY UPDATE total = 0"))).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("does not pass the filter");
        }
        assertOtherTenantIntact("upserts");
        assertThat(rawCount(sql("{O} WHERE id = 1 AND tenant_id = 't1' AND total = 7"))).isEqualTo(1);
        assertThat(rawCount(sql("{O}"))).isEqualTo(4);
    }

    /** A prepared upsert's batch: an entry whose key is another tenant's row leaves that row alone. */
    @Test
    void aPreparedUpsertBatchUpdatesOnlyTheCallersRows() throws SQLException {
        try (Connection c = tenantOne();
             java.sql.PreparedStatement ps = c.prepareStatement(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (?, ?, ?) "
                     + "ON DUPLICATE KEY UPDATE total = VALUES(total) + ?"))) {
            for (int id : new int[] {1, 3, 9, 4}) {
                ps.setInt(1, id);
                ps.setString(2, "t1");
                ps.setInt(3, 50);
                ps.setInt(4, 1);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        assertOtherTenantIntact("prepared upserts");
        assertThat(rawCount(sql("{O} WHERE id = 1 AND total = 51"))).isEqualTo(1);
        assertThat(rawCount(sql("{O} WHERE id = 9 AND tenant_id = 't1' AND total = 50"))).isEqualTo(1);
    }
}
