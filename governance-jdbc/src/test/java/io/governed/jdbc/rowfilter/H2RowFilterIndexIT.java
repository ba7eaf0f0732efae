package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;

/**
 * {@link RowFilterIndexCorpus} on H2: the plan of the statement sent reads the filtered table through its primary key,
 * not through the tenant's index.
 */
@RequiresDatabase(TestDatabase.H2)
class H2RowFilterIndexIT extends RowFilterIndexCorpus {
    @Override
    boolean narrowsParameters() {
        return false;
    }

    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }

    @Override
    boolean readsByKey(Connection raw, String sql, Map<Integer, Object> values) throws SQLException {
        try (PreparedStatement explain = raw.prepareStatement("EXPLAIN " + sql)) {
            for (Map.Entry<Integer, Object> value : values.entrySet()) {
                explain.setObject(value.getKey(), value.getValue());
            }
            try (ResultSet rs = explain.executeQuery()) {
                rs.next();
                String plan = rs.getString(1);
                lastPlan = plan.toString();
                String upper = plan.toUpperCase(Locale.ROOT);
                return upper.contains("PRIMARY_KEY") && !upper.contains(tenantIndex.toUpperCase(Locale.ROOT) + ":");
            }
        }
    }
}
