package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link RowFilterIndexCorpus} on MariaDB: the plan of the statement sent reads the filtered table through its primary
 * key ({@code const} or a range of one row), not through the tenant's index or a scan.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbRowFilterIndexIT extends RowFilterIndexCorpus {
    @Override
    boolean narrowsParameters() {
        return true;
    }

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    void analyze(Statement st) throws SQLException {
        st.execute("ANALYZE TABLE " + orders);
    }

    @Override
    List<Binding> bindings() {
        List<Binding> all = new ArrayList<>(super.bindings());
        all.add(new Binding("setString", OTHERS + "x", NONE + "x")); // converted with a warning
        return all;
    }

    @Override
    List<String[]> literals() {
        List<String[]> all = new ArrayList<>(super.literals());
        all.add(new String[] {"'3x'", "'999999x'"});
        all.add(new String[] {"0x3", "0xF423F"});
        return all;
    }

    @Override
    boolean readsByKey(Connection raw, String sql, Map<Integer, Object> values) throws SQLException {
        try (PreparedStatement explain = raw.prepareStatement("EXPLAIN " + sql)) {
            for (Map.Entry<Integer, Object> value : values.entrySet()) {
                explain.setObject(value.getKey(), value.getValue());
            }
            boolean byKey = false;
            List<String> plan = new ArrayList<>();
            try (ResultSet rs = explain.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString("table");
                    plan.add(table + " " + rs.getString("type") + " " + rs.getString("key") + " " + rs.getString("rows"));
                    if (table != null && (table.equals("gvrf_1") || table.equalsIgnoreCase(orders))) {
                        BigDecimal rows = rs.getBigDecimal("rows");
                        byKey = rows != null && rows.compareTo(BigDecimal.valueOf(2)) <= 0 && rs.getString("key") != null;
                    }
                }
            }
            lastPlan = plan.toString();
            return byKey;
        }
    }
}
