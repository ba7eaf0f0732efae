package io.governed.jdbc.rowfilter;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@RequiresDatabase(TestDatabase.H2)
class H2RowFilterIsolationIT extends RowFilterIsolationCorpus {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }

    /** H2's MERGE INTO … KEY (…) VALUES cannot be restricted: it is refused and changes nothing. */
    @Test
    void mergeWithKeyIsRefused() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate(sql("MERGE INTO {O} KEY (id) VALUES (3, 't1', 0)")))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("could not be parsed");
            assertThatThrownBy(() -> st.executeUpdate(sql("MERGE INTO {O} (id, tenant_id, total) KEY (id) VALUES (9, 't2', 0)")))
                    .isInstanceOf(GovernanceException.class);
        }
        assertOtherTenantIntact("MERGE … KEY");
        assertThat(rawCount(sql("{O}"))).isEqualTo(4);
    }
}
