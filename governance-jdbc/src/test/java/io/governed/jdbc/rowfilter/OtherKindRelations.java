package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.EveryGetter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What the row-filter ITs over relations that are neither tables nor views share: the policy (tenant isolation on
 * {@code rk_orders}), the rows (tenant {@code a}'s one, tenant {@code b}'s two), and the check that a statement of the
 * filtered caller is refused (42501, naming the filter, saying the relation's rows cannot be traced to a table), with
 * what came back recorded through every getter (or the update count) when it was not, and the table read raw after.
 */
final class OtherKindRelations {
    static final String B_SECRET = "b-secret-7741";
    /** The rows of {@code rk_orders}, as {@link #rows} reads them. */
    static final List<String> ROWS = List.of("1|a|a-note", "2|b|" + B_SECRET, "3|b|b-note");

    private OtherKindRelations() {
    }

    static String inserts() {
        return "INSERT INTO rk_orders VALUES (1, 'a', 'a-note'), (2, 'b', '" + B_SECRET + "'), (3, 'b', 'b-note')";
    }

    static Path policy() throws IOException {
        Path policy = Files.createTempFile("rk-other-kind", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                row-filters:
                  - id: tenant-isolation
                    tables: [rk_orders]
                    filter: "tenant = :identity.tenant"
                """);
        policy.toFile().deleteOnExit();
        return policy;
    }

    /** Every row of {@code rk_orders}, read raw, as {@code id|tenant|note}. */
    static List<String> rows(Connection raw) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, tenant, note FROM rk_orders ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }

    /** {@code sql}, run by the filtered caller, is refused; what it returned or changed is the failure's message. */
    static void refused(Statement st, String sql) {
        String outcome;
        try {
            if (st.execute(sql)) {
                try (ResultSet rs = st.getResultSet()) {
                    List<String> got = EveryGetter.ofAllRows(rs);
                    long rows = got.stream().map(g -> g.substring(0, g.indexOf('.'))).distinct().count();
                    outcome = "returned " + rows + " row(s): " + got;
                }
            } else {
                outcome = "ran, update count " + st.getUpdateCount();
            }
        } catch (SQLException e) {
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("42501");
            assertThat(e.getMessage()).contains("tenant-isolation").contains("cannot be traced to a table")
                    .doesNotContain(B_SECRET);
            return;
        }
        fail("the filtered caller (tenant a) was not refused " + sql + ": it " + outcome);
    }
}
