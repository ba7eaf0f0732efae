package io.governed.jdbc.rowfilter;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

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

    /** Upserts into the filtered table, even of the caller's own rows, are refused: the rows they update are not checked. */
    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO {O} (id, tenant_id, total) VALUES (1, 't1', 0) ON DUPLICATE KEY UPDATE total = 0",
            "INSERT INTO {O} (id, tenant_id, total) VALUES (3, 't1', 0) ON DUPLICATE KEY UPDATE tenant_id = 't1'",
            "REPLACE INTO {O} (id, tenant_id, total) VALUES (3, 't1', 0)",
            "INSERT INTO {O} SET id = 9, tenant_id = 't1'",
    })
    void upsertsAreRefused(String template) throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate(sql(template))).as(template).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation");
        }
        assertOtherTenantIntact(template);
        assertThat(rawCount(sql("{O} WHERE total = 100"))).isEqualTo(4);
    }
}
