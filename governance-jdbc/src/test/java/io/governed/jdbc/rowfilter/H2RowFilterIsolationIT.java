package io.governed.jdbc.rowfilter;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@RequiresDatabase(TestDatabase.H2)
class H2RowFilterIsolationIT extends RowFilterIsolationCorpus {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }

    /** {@code "tenant_id"} is another column with H2's default settings, but not with all of them: it is refused too. */
    @Override
    List<String> spellingsOfTheFilterColumn() {
        return List.of("TENANT_ID", "Tenant_Id", "\"TENANT_ID\"", "\"tenant_id\"", "\"Tenant_Id\"");
    }

    @Override
    boolean mergeReturnsInsertedKeys() {
        return true;
    }

    @Override
    List<String> spellingsInsertedChecked() {
        return List.of("TENANT_ID", "Tenant_Id", "\"TENANT_ID\"");
    }

    /**
     * A quoted {@code "tenant_id"} may be another column than the filter's {@code tenant_id} on H2 (it is with the
     * default settings, not with {@code DATABASE_TO_LOWER}, which the driver reads from the database at connect, or
     * {@code CASE_INSENSITIVE_IDENTIFIERS}, which it refuses): setting it is refused, and an INSERT naming it is refused
     * saying how to name the filter's column.
     */
    @Test
    void aQuotedColumnInAnotherCaseIsRefusedForWhatSettingsCouldMakeIt() throws SQLException {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("ALTER TABLE {O} ADD COLUMN \"tenant_id\" varchar(10)"));
        }
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate(sql("UPDATE {O} SET \"tenant_id\" = 't2' WHERE id = 1")))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("which row filter tenant-isolation reads");
            assertThatThrownBy(() -> st.executeUpdate(sql("INSERT INTO {O} (id, \"tenant_id\", total) VALUES (9, 't1', 1)")))
                    .isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("may or may not take for the column tenant_id")
                    .hasMessageContaining("name it as the filter does");
            assertThatThrownBy(() -> st.executeUpdate(sql("MERGE INTO {O} o USING (SELECT 9 AS id) s ON o.id = s.id "
                    + "WHEN NOT MATCHED THEN INSERT (id, \"tenant_id\", total) VALUES (9, 't1', 1)")))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("may or may not take");
        }
        assertOtherTenantIntact("a quoted column in another case");
        assertThat(rawCount(sql("{O}"))).isEqualTo(4);
        assertThat(rawCount(sql("{O} WHERE \"tenant_id\" IS NOT NULL"))).isZero();
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

    /**
     * H2 reads ON DUPLICATE KEY UPDATE in MySQL mode: a duplicate key of another tenant's row leaves that row as it
     * was, the caller's own is updated, and setting the filtered column is refused.
     */
    @Test
    void inMySqlModeAnOnDuplicateKeyUpdateUpdatesOnlyTheCallersRows() throws Exception {
        // the database is opened in this setting by its owner; the governed connection's plain URL reads it from the database
        String database = "h2:mem:" + UniqueNames.of("rowfilters_mysql");
        Path policy = TenantFixtures.tenantPolicy("rowfilters-mysql", "orders_m");
        Properties settings = tenantOneSettings(policy);
        try (Connection raw = DriverManager.getConnection("jdbc:" + database + ";MODE=MySQL", "sa", ""); Statement r = raw.createStatement()) {
            r.execute("CREATE TABLE orders_m (id integer PRIMARY KEY, tenant_id varchar(10), total integer)");
            r.execute("INSERT INTO orders_m VALUES (1, 't1', 100), (3, 't2', 100)");
            try (Connection c = DriverManager.getConnection("jdbc:governed:" + database, settings);
                 Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO orders_m (id, tenant_id, total) VALUES (3, 't1', 0), (1, 't1', 7) "
                        + "ON DUPLICATE KEY UPDATE total = VALUES(total)");
                st.executeUpdate("INSERT INTO orders_m (id, tenant_id, total) SELECT id + 2, tenant_id, 5 FROM orders_m "
                        + "ON DUPLICATE KEY UPDATE total = 5");
                assertThatThrownBy(() -> st.executeUpdate("INSERT INTO orders_m (id, tenant_id, total) VALUES (3, 't1', 0) "
                        + "ON DUPLICATE KEY UPDATE tenant_id = 't1'")).isInstanceOf(GovernanceException.class)
                        .hasMessageContaining("tenant-isolation");
                for (String spelling : List.of("TENANT_ID", "Tenant_Id", "`TENANT_ID`", "`tenant_id`", "\"TENANT_ID\"",
                        "\"tenant_id\"")) {
                    assertThatThrownBy(() -> st.executeUpdate("INSERT INTO orders_m (id, tenant_id, total) VALUES (1, 't1', 0) "
                            + "ON DUPLICATE KEY UPDATE total = 0, " + spelling + " = 't2'")).as(spelling)
                            .isInstanceOf(GovernanceException.class).hasMessageContaining("tenant-isolation");
                }
            }
            try (ResultSet rows = r.executeQuery("SELECT id, tenant_id, total FROM orders_m ORDER BY id")) {
                StringBuilder all = new StringBuilder();
                while (rows.next()) {
                    all.append(rows.getInt(1)).append(' ').append(rows.getString(2)).append(' ').append(rows.getInt(3)).append(';');
                }
                assertThat(all.toString()).isEqualTo("1 t1 7;3 t2 100;");
            }
        } finally {
            Files.deleteIfExists(policy);
        }
    }

    /**
     * With {@code DATABASE_TO_LOWER=TRUE} (as with {@code CASE_INSENSITIVE_IDENTIFIERS}), H2 takes a quoted lower-case
     * name for the unquoted one: a statement naming the filtered table or the filter's column so is restricted or
     * refused like the plain name, and no row of the other tenant is read, changed or moved.
     */
    @Test
    void withLowerCaseNamesAQuotedNameInAnotherCaseIsStillTheFilteredOne() throws Exception {
        // the database is opened in this setting by its owner; the governed connection's plain URL reads it from the database
        String database = "h2:mem:" + UniqueNames.of("rowfilters_lower");
        Path policy = TenantFixtures.tenantPolicy("rowfilters-lower", "orders_l");
        Properties settings = tenantOneSettings(policy);
        try (Connection raw = DriverManager.getConnection("jdbc:" + database + ";DATABASE_TO_LOWER=TRUE", "sa", ""); Statement r = raw.createStatement()) {
            r.execute("CREATE TABLE orders_l (id integer PRIMARY KEY, tenant_id varchar(10), total integer)");
            r.execute("INSERT INTO orders_l VALUES (1, 't1', 100), (3, 't2', 100)");
            try (Connection c = DriverManager.getConnection("jdbc:governed:" + database, settings);
                 Statement st = c.createStatement()) {
                try (ResultSet rows = st.executeQuery("SELECT id FROM \"orders_l\" ORDER BY id")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getInt(1)).isEqualTo(1);
                    assertThat(rows.next()).isFalse();
                }
                st.executeUpdate("UPDATE \"orders_l\" SET total = 0");
                st.executeUpdate("DELETE FROM \"orders_l\" WHERE id = 3");
                for (String update : List.of("UPDATE orders_l SET \"tenant_id\" = 't2' WHERE id = 1",
                        "UPDATE \"orders_l\" SET \"tenant_id\" = 't1' WHERE id = 3",
                        "INSERT INTO orders_l (id, \"tenant_id\", total) VALUES (9, 't2', 1)",
                        "MERGE INTO orders_l o USING (SELECT 1 AS id) s ON o.id = s.id WHEN MATCHED THEN UPDATE SET \"tenant_id\" = 't2'")) {
                    assertThatThrownBy(() -> st.executeUpdate(update)).as(update).isInstanceOf(GovernanceException.class)
                            .hasMessageContaining("tenant-isolation");
                }
            }
            try (ResultSet rows = r.executeQuery("SELECT id, tenant_id, total FROM orders_l ORDER BY id")) {
                StringBuilder all = new StringBuilder();
                while (rows.next()) {
                    all.append(rows.getInt(1)).append(' ').append(rows.getString(2)).append(' ').append(rows.getInt(3)).append(';');
                }
                assertThat(all.toString()).isEqualTo("1 t1 0;3 t2 100;");
            }
        } finally {
            Files.deleteIfExists(policy);
        }
    }

    /** The settings of tenant t1 under {@code policy}. */
    private static Properties tenantOneSettings(Path policy) {
        Properties settings = new Properties();
        settings.setProperty("user", "sa");
        settings.setProperty("password", "");
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.principal", "alice");
        settings.setProperty("governed.kind", "service");
        settings.setProperty("governed.attribute.tenant", "t1");
        return settings;
    }
}
