package io.governed.jdbc.rowfilter;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Statements of tenant t1 that try to see or touch tenant t2's rows of a table with a row filter
 * ({@code tenant_id = :identity.tenant}). Reads may only return t1's order ids (1, 2); writes may only change
 * t1's rows, which the raw connection checks; what cannot be restricted is refused before it reaches the database.
 */
abstract class RowFilterIsolationCorpus {
    static final String O = "{O}";
    static final String I = "{I}";

    private final String orders = UniqueNames.of("rowfilters_orders");
    private final String items = UniqueNames.of("rowfilters_items");
    private Path policy;

    abstract TestDatabase database();

    String sql(String template) {
        return template.replace(O, orders).replace(I, items);
    }

    /**
     * One raw connection (autocommit) for the whole class: it lays and drops each case's tables and reads what the
     * cases left. Each case would otherwise open five, and opening one costs more than the case's own statements.
     */
    private static Connection raw;

    @BeforeEach
    void createTables() throws Exception {
        if (raw == null || raw.isClosed()) {
            database().requireReachable();
            raw = database().connectRaw();
        }
        policy = TenantFixtures.tenantPolicy("rowfilters", orders, "unless: { groups: [support] }");
        TenantFixtures.createOrdersAndItems(raw, orders, items);
    }

    @AfterEach
    void dropTables() throws Exception {
        TenantFixtures.dropOrdersAndItems(raw, orders, items);
        Files.deleteIfExists(policy);
    }

    @AfterAll
    static void closeRaw() throws SQLException {
        if (raw != null) {
            raw.close();
            raw = null;
        }
    }

    Connection tenantOne(String... groups) throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.attribute.tenant", "t1");
        if (groups.length > 0) {
            settings.setProperty("governed.groups", String.join(",", groups));
        }
        return database().connectGoverned(settings);
    }

    private static final io.governed.identity.Identity TENANT_TWO = io.governed.identity.Identity.builder("bob")
            .kind(io.governed.identity.IdentityKind.SERVICE).attribute("tenant", "t2").build();

    static Stream<String> reads() {
        return Stream.of(
                "SELECT id FROM {O}",
                "SELECT id FROM {O} WHERE tenant_id = 't2'",
                "SELECT id FROM {O} WHERE 1=1 OR tenant_id = 't2'",
                "SELECT id FROM {O} WHERE id = 3 OR 1=1",
                "SELECT id FROM {O} WHERE id IN (3, 4)",
                "SELECT id FROM {O} WHERE NOT (tenant_id = 't1')",
                "SELECT id FROM {O} t WHERE t.tenant_id = 't2' OR t.tenant_id = 't1'",
                "SELECT id FROM {O} UNION SELECT id FROM {O} WHERE tenant_id = 't2'",
                "SELECT id FROM {O} UNION ALL SELECT id FROM {O}",
                "SELECT id FROM {O} WHERE tenant_id = 't2' UNION SELECT id FROM {O} WHERE tenant_id <> 't1'",
                "SELECT (SELECT max(id) FROM {O}) FROM {I}",
                "SELECT (SELECT max(o.id) FROM {O} o WHERE o.tenant_id = 't2') FROM {I} WHERE id = 13",
                "SELECT o.id FROM {O} o JOIN {O} p ON p.tenant_id <> o.tenant_id",
                "SELECT p.id FROM {O} o JOIN {O} p ON 1 = 1",
                "SELECT DISTINCT p.id FROM {O} o, {O} p",
                "SELECT x.id FROM {I} i LEFT JOIN {O} x ON x.id = i.order_id WHERE x.id IS NOT NULL",
                "SELECT o.id FROM {I} i JOIN {O} o ON o.id = i.order_id WHERE i.id IN (13, 14, 11)",
                "WITH x AS (SELECT * FROM {O}) SELECT id FROM x",
                "WITH x AS (SELECT id FROM {O} WHERE tenant_id = 't2') SELECT id FROM x",
                "WITH x AS (SELECT * FROM {O}), y AS (SELECT * FROM x WHERE tenant_id = 't2') SELECT id FROM y UNION SELECT id FROM x",
                "SELECT i.order_id FROM {I} i WHERE EXISTS (SELECT 1 FROM {O} o WHERE o.id = i.order_id)",
                "SELECT i.order_id FROM {I} i WHERE NOT EXISTS (SELECT 1 FROM {O} o WHERE o.id = i.order_id AND o.tenant_id = 't1') AND i.order_id IN (SELECT id FROM {O})",
                "SELECT order_id FROM {I} WHERE order_id IN (SELECT id FROM {O})",
                "SELECT order_id FROM {I} WHERE order_id IN (SELECT id FROM {O} WHERE tenant_id = 't2')",
                "SELECT id FROM (SELECT * FROM {O}) s",
                "SELECT id FROM (SELECT * FROM {O} WHERE tenant_id = 't2' OR 1 = 1) s",
                "SELECT max(id) FROM {O}",
                "SELECT count(*) FROM {O}",
                "SELECT count(*) FROM {O} WHERE tenant_id = 't2'",
                "SELECT id FROM {O} ORDER BY id DESC",
                "SELECT id FROM {O} GROUP BY id HAVING count(*) >= 1",
                "SELECT id FROM {O} WHERE id = (SELECT max(id) FROM {O})",
                "SELECT id FROM {O} WHERE tenant_id IN (SELECT tenant_id FROM {O})",
                "SELECT row_number() OVER (ORDER BY id) FROM {O}",
                "SELECT count(*) OVER () FROM {O}",
                "SELECT id FROM {O} INTERSECT SELECT id FROM {O}",
                "SELECT id FROM {O} EXCEPT SELECT 99",
                "SELECT CASE WHEN EXISTS (SELECT 1 FROM {O} WHERE id = 3) THEN 3 ELSE 1 END",
                "SELECT (SELECT count(*) FROM {O} WHERE tenant_id = 't2') + 1",
                "SELECT id FROM {O} WHERE id = 3 -- ' OR tenant_id = 't1'\n",
                "SELECT id FROM {O} /* hidden */ WHERE id >= 1",
                "SELECT id FROM {O} WHERE tenant_id LIKE '%'",
                "SELECT id FROM {O} WHERE tenant_id = 't2' OR tenant_id IS NULL OR tenant_id IS NOT NULL",
                "SELECT o.id FROM {O} o WHERE o.id IN (SELECT p.id FROM {O} p WHERE p.tenant_id = 't2' UNION SELECT 1)",
                "SELECT id FROM {O} WHERE id BETWEEN 1 AND 4",
                "SELECT min(id) FROM {O} WHERE tenant_id = 't2' OR id > 2",
                "SELECT sum(CASE WHEN tenant_id = 't2' THEN 1 ELSE 0 END) FROM {O}",
                "SELECT count(DISTINCT tenant_id) FROM {O}",
                "SELECT o.id FROM {I} i RIGHT JOIN {O} o ON o.id = i.order_id",
                "SELECT id FROM {O} WHERE EXISTS (SELECT 1 FROM {O} x WHERE x.tenant_id = 't2')",
                "SELECT id FROM {O} WHERE id > ALL (SELECT id FROM {O} WHERE tenant_id = 't1')",
                "SELECT (SELECT count(*) FROM {O} x WHERE x.id > o.id) FROM {O} o",
                "WITH a AS (SELECT id FROM {O}), b AS (SELECT id FROM {O} WHERE id > 2) SELECT id FROM a UNION ALL SELECT id FROM b",
                "SELECT id FROM {O} ORDER BY id LIMIT 10",
                "SELECT id FROM {O} WHERE tenant_id <> 't1' OR tenant_id = 't1'"
        );
    }

    @ParameterizedTest
    @MethodSource("reads")
    void readsSeeOnlyTheCallersRows(String template) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (Connection c = tenantOne(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql(template))) {
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
        }
        assertThat(values).as(template).allSatisfy(v -> assertThat(v).isBetween(0L, 2L));
    }

    static Stream<String> writes() {
        return Stream.of(
                "UPDATE {O} SET total = 0",
                "UPDATE {O} SET total = 0 WHERE id = 3",
                "UPDATE {O} SET total = 0 WHERE id = 3 OR 1 = 1",
                "UPDATE {O} SET total = 0 WHERE tenant_id = 't2'",
                "UPDATE {O} o SET total = 0 WHERE o.id IN (3, 4)",
                "UPDATE {O} SET total = total + 1 WHERE id > 0",
                "DELETE FROM {O} WHERE id = 3",
                "DELETE FROM {O} WHERE tenant_id = 't2'",
                "DELETE FROM {O} WHERE 1 = 1",
                "DELETE FROM {O}",
                "DELETE FROM {O} WHERE id = 4 OR tenant_id <> 't1'",
                "UPDATE {I} SET order_id = 0 WHERE order_id IN (SELECT id FROM {O} WHERE tenant_id = 't2')",
                "DELETE FROM {I} WHERE order_id IN (SELECT id FROM {O} WHERE tenant_id = 't2')",
                "DELETE FROM {I} WHERE EXISTS (SELECT 1 FROM {O} o WHERE o.id = {I}.order_id AND o.tenant_id = 't2')",
                "UPDATE {I} SET order_id = (SELECT max(id) FROM {O}) WHERE id = 11",
                "DELETE FROM {O} WHERE id IN (3, 4, 1)",
                "UPDATE {O} SET total = 1 WHERE tenant_id IN ('t1', 't2')"
        );
    }

    @ParameterizedTest
    @MethodSource("writes")
    void writesChangeOnlyTheCallersRows(String template) throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            st.executeUpdate(sql(template));
        }
        assertOtherTenantIntact(template);
    }

    /** Every write of the corpus with generated keys: only the caller's rows change, and no key is another tenant's row's. */
    @ParameterizedTest
    @MethodSource("writes")
    void writesWithKeysChangeOnlyTheCallersRows(String template) throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            st.executeUpdate(sql(template), Statement.RETURN_GENERATED_KEYS);
            assertThat(keyIds(st.getGeneratedKeys())).as(template).doesNotContain(3L, 4L, 13L, 14L);
        }
        assertOtherTenantIntact(template);
    }

    static Stream<String> refused() {
        return Stream.of(
                "UPDATE {O} SET tenant_id = 't1' WHERE id = 3",
                "UPDATE {O} SET tenant_id = 't2'",
                "INSERT INTO {O} VALUES (9, 't2', 1)",
                "INSERT INTO {O} (id, tenant_id, total) SELECT 9, 't2', 1",
                "CREATE VIEW " + "{O}_v AS SELECT * FROM {O}",
                "SELECT id FROM {O}; SELECT id FROM {O}",
                "UPDATE {O} SET total = 0, tenant_id = 't2' WHERE id = 1",
                "INSERT INTO {O} SELECT id + 10, 't2', total FROM {O}",
                "INSERT INTO {O} (id, total) VALUES (9, 1)",
                "INSERT INTO {O} (id, tenant_id, total) VALUES (9, lower('T1'), 1)",
                "INSERT INTO {O} (id, tenant_id, total) VALUES (9, (SELECT max(tenant_id) FROM {O}), 1)",
                "INSERT INTO {O} (id, tenant_id, total) SELECT * FROM {O}",
                "INSERT INTO {O} (id, tenant_id, total) SELECT id + 10, 't2', total FROM {O}",
                "INSERT INTO {O} (id, tenant_id, total) SELECT id + 10, CASE WHEN id = 2 THEN 't2' ELSE tenant_id END, total FROM {O}",
                "INSERT INTO {O} (id, tenant_id, total) SELECT id + 10, tenant_id, total FROM {O} UNION ALL SELECT 99, 't2', 1",
                "INSERT INTO {O} (id, tenant_id, total) SELECT id + 10, NULL, total FROM {O}",
                "INSERT INTO {O} (id, total) SELECT id + 10, total FROM {O}"
        );
    }

    @ParameterizedTest
    @MethodSource("refused")
    void whatCannotBeRestrictedIsRefusedAndChangesNothing(String template) throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(sql(template))).as(template).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation");
        }
        assertOtherTenantIntact(template);
        assertThat(rawCount(orders + " WHERE tenant_id = 't1'")).as(template).isEqualTo(2);
    }

    static Stream<String> refusedInserts() {
        return Stream.of(
                "INSERT INTO {O} (id, tenant_id, total) VALUES (9, 't2', 1)",
                "INSERT INTO {O} (id, tenant_id, total) VALUES (9, 't1', 1), (10, 't2', 1)",
                "INSERT INTO {O} (id, tenant_id, total) VALUES (9, NULL, 1)",
                "INSERT INTO {O} (total, tenant_id, id) VALUES (1, 't2', 9)",
                "INSERT INTO {O} (id, tenant_id, total) VALUES (9, 't1', 1), (10, 't3', 1), (11, 't1', 1)"
        );
    }

    /** A row another tenant's (or the filter's NULL) refuses the whole INSERT, through a plain statement's every call. */
    @ParameterizedTest
    @MethodSource("refusedInserts")
    void anInsertOfARowTheFilterDoesNotAdmitIsRefusedWhole(String template) throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate(sql(template))).as(template).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation").hasMessageContaining("does not pass the filter")
                    .hasMessageNotContaining("t2").extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            assertThatThrownBy(() -> st.execute(sql(template))).as(template).isInstanceOf(GovernanceException.class);
            st.addBatch(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (20, 't1', 1)"));
            st.addBatch(sql(template));
            assertThatThrownBy(st::executeBatch).as(template).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation");
        }
        assertThat(rawCount(orders)).as(template).isEqualTo(4);
    }

    @Test
    void anInsertOfTheCallersOwnRowsRunsThroughEveryCall() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (9, 't1', 1), (10, 't1', 2)")))
                    .isEqualTo(2);
            assertThat(st.execute(sql("INSERT INTO {O} (tenant_id, id) VALUES ('t1', 11)"))).isFalse();
            st.addBatch(sql("INSERT INTO {O} (id, tenant_id) VALUES (12, 't1')"));
            st.addBatch(sql("INSERT INTO {O} (id, tenant_id) VALUES (13, 't1')"));
            assertThat(st.executeBatch()).containsExactly(1, 1);
            try (PreparedStatement ps = c.prepareStatement(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (?, ?, ?)"))) {
                ps.setInt(1, 14);
                ps.setString(2, "t1");
                ps.setInt(3, 5);
                assertThat(ps.executeUpdate()).isEqualTo(1);
                ps.setInt(1, 15);
                ps.setObject(2, "t1");
                assertThat(ps.executeUpdate()).isEqualTo(1);
                for (int id = 16; id <= 18; id++) {
                    ps.setInt(1, id);
                    ps.setString(2, "t1");
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).containsExactly(1, 1, 1);
            }
            assertThat(st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id) VALUES (19, 't1')"), Statement.RETURN_GENERATED_KEYS))
                    .isEqualTo(1);
            assertThatThrownBy(() -> st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id) VALUES (30, 't2')"),
                    Statement.RETURN_GENERATED_KEYS)).isInstanceOf(GovernanceException.class);
            try (PreparedStatement ps = c.prepareStatement(sql("INSERT INTO {O} (id, tenant_id) VALUES (?, ?)"),
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setInt(1, 20);
                ps.setString(2, "t2");
                assertThatThrownBy(ps::executeUpdate).isInstanceOf(GovernanceException.class)
                        .hasMessageContaining("tenant-isolation");
                ps.setString(2, "t1");
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            assertThat(ids(st.executeQuery(sql("SELECT count(*) FROM {O}")))).containsExactly(14L);
        }
        assertThat(rawCount(orders + " WHERE tenant_id = 't1'")).isEqualTo(14);
        assertOtherTenantIntact("inserts of own rows");
    }

    @Test
    void aPreparedInsertIsCheckedWithTheValuesBoundAtEachRun() throws Exception {
        try (Connection c = tenantOne();
             PreparedStatement ps = c.prepareStatement(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (?, ?, ?)"))) {
            ps.setInt(1, 9);
            ps.setString(2, "t2");
            ps.setInt(3, 1);
            assertThatThrownBy(ps::executeUpdate).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation").hasMessageNotContaining("t2");
            ps.setNull(2, java.sql.Types.VARCHAR);
            assertThatThrownBy(ps::execute).isInstanceOf(GovernanceException.class).hasMessageContaining("tenant-isolation");
            ps.setString(2, "t1");
            assertThat(ps.executeUpdate()).isEqualTo(1);
            ps.setInt(1, 10);
            assertThat(io.governed.jdbc.identity.IdentityContext.runAs(TENANT_TWO, () -> {
                try {
                    return ps.executeUpdate();
                } catch (GovernanceException refused) {
                    return -1;
                }
            })).isEqualTo(-1);
            ps.clearParameters();
            ps.setInt(1, 10);
            ps.setInt(3, 1);
            assertThatThrownBy(ps::executeUpdate).isInstanceOf(GovernanceException.class).hasMessageContaining("not set");
        }
        assertThat(rawCount(orders)).isEqualTo(5);
        assertThat(rawCount(orders + " WHERE id = 9 AND tenant_id = 't1'")).isEqualTo(1);
    }

    @Test
    void aPreparedBatchWithOneRowOfAnotherTenantInsertsNothing() throws SQLException {
        try (Connection c = tenantOne();
             PreparedStatement ps = c.prepareStatement(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (?, ?, 1)"))) {
            for (int id = 9; id <= 12; id++) {
                ps.setInt(1, id);
                ps.setString(2, id == 11 ? "t2" : "t1");
                ps.addBatch();
            }
            assertThatThrownBy(ps::executeBatch).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation").hasMessageContaining("nothing was inserted");
            assertThat(ps.executeBatch()).isEmpty();
            for (int id = 100; id < 700; id++) { // checked several hundred rows a query: the bad row is in the third
                ps.setInt(1, id);
                ps.setString(2, id == 650 ? "t2" : "t1");
                ps.addBatch();
            }
            assertThatThrownBy(ps::executeBatch).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation");
            assertThat(rawCount(orders)).isEqualTo(4);
            for (int id = 100; id < 700; id++) {
                ps.setInt(1, id);
                ps.setString(2, "t1");
                ps.addBatch();
            }
            assertThat(ps.executeBatch()).hasSize(600);
        }
        assertThat(rawCount(orders)).isEqualTo(604);
    }

    @Test
    void valuesAndCallsThatCannotBeCheckedAreRefused() throws SQLException {
        try (Connection c = tenantOne()) {
            try (PreparedStatement ps = c.prepareStatement(sql("INSERT INTO {O} (id, tenant_id) VALUES (?, ?)"))) {
                ps.setInt(1, 9);
                ps.setCharacterStream(2, new java.io.StringReader("t1"));
                assertThatThrownBy(ps::executeUpdate).isInstanceOf(GovernanceException.class)
                        .hasMessageContaining("tenant-isolation").hasMessageContaining("setCharacterStream");
            }
        }
        assertThat(rawCount(orders)).isEqualTo(4);
    }

    @Test
    void aFilterThatDoesNotCheckRefusesInsertsAndTheExemptInsertAnything() throws Exception {
        Files.writeString(policy, Files.readString(policy).replace("unless: { groups: [support] }",
                "unless: { groups: [support] }\n    check: false"));
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id) VALUES (9, 't1')")))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("check: false");
        }
        try (Connection c = tenantOne("support"); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id) VALUES (9, 't2')"))).isEqualTo(1);
        }
        assertThat(rawCount(orders + " WHERE tenant_id = 't2'")).isEqualTo(3);
    }

    @Test
    void preparedStatementsKeepTheApplicationsParameterIndexesAndRunAgain() throws SQLException {
        try (Connection c = tenantOne();
             PreparedStatement ps = c.prepareStatement(sql("SELECT id FROM {O} WHERE id = ? OR total = ? ORDER BY id"))) {
            ps.setInt(1, 3);
            ps.setInt(2, 100);
            assertThat(ids(ps.executeQuery())).containsExactly(1L, 2L);
            ps.setInt(1, 4);
            ps.setInt(2, -1);
            assertThat(ids(ps.executeQuery())).isEmpty();
            ps.setInt(1, 2);
            assertThat(ids(ps.executeQuery())).containsExactly(2L);
            assertThatThrownBy(() -> ps.setInt(3, 1)).isInstanceOf(SQLException.class).hasMessageContaining("out of range");
        }
    }

    @Test
    void aPreparedStatementRunsForTheCallerOfEachExecution() throws Exception {
        io.governed.identity.Identity support = io.governed.identity.Identity.builder("sue")
                .kind(io.governed.identity.IdentityKind.SERVICE).groups("support").build();
        try (Connection c = tenantOne(); PreparedStatement ps = c.prepareStatement(sql("SELECT id FROM {O} ORDER BY id"))) {
            assertThat(ids(ps.executeQuery())).containsExactly(1L, 2L);
            assertThat(io.governed.jdbc.identity.IdentityContext.runAs(TENANT_TWO, () -> ids(ps.executeQuery())))
                    .containsExactly(3L, 4L);
            assertThatThrownBy(() -> io.governed.jdbc.identity.IdentityContext.runAs(support, () -> ids(ps.executeQuery())))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("prepare it again");
        }
    }

    @Test
    void aBatchAddedForOneTenantDoesNotRunForAnother() throws Exception {
        try (Connection c = tenantOne(); PreparedStatement ps = c.prepareStatement(sql("DELETE FROM {O} WHERE id = ?"))) {
            ps.setInt(1, 1);
            ps.addBatch();
            assertThatThrownBy(() -> io.governed.jdbc.identity.IdentityContext.runAs(TENANT_TWO, () -> ps.executeBatch()))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("holds entries added as").hasMessageContaining("nothing of the batch was sent");
        }
        assertThat(rawCount(orders)).isEqualTo(4);
    }

    @Test
    void preparedBatchesChangeOnlyTheCallersRows() throws SQLException {
        try (Connection c = tenantOne(); PreparedStatement ps = c.prepareStatement(sql("UPDATE {O} SET total = ? WHERE id = ?"))) {
            for (int id = 1; id <= 4; id++) {
                ps.setInt(1, 0);
                ps.setInt(2, id);
                ps.addBatch();
            }
            assertThat(ps.executeBatch()).containsExactly(1, 1, 0, 0);
            ps.setInt(1, 5);
            ps.setInt(2, 3);
            assertThat(ps.executeUpdate()).isZero();
        }
        assertOtherTenantIntact("prepared batch");
        assertThat(rawCount(orders + " WHERE total = 0")).isEqualTo(2);
    }

    @Test
    void aBatchedStatementThatCannotBeRestrictedIsRefusedWhenAdded() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.addBatch(sql("TRUNCATE TABLE {O}"))).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation");
        }
        assertOtherTenantIntact("refused calls");
        assertThat(rawCount(orders)).isEqualTo(4);
    }

    /** Whether the database runs {@code MERGE INTO … USING … ON … WHEN …} (MariaDB has no MERGE). */
    boolean hasMerge() {
        return true;
    }

    static Stream<String> merges() {
        return Stream.of(
                "MERGE INTO {O} o USING {I} i ON o.id = i.order_id WHEN MATCHED THEN UPDATE SET total = 0",
                "MERGE INTO {O} o USING {I} i ON o.id = i.order_id WHEN MATCHED THEN DELETE",
                "MERGE INTO {O} o USING (SELECT 3 AS id) s ON o.id = s.id WHEN MATCHED THEN UPDATE SET total = 0",
                "MERGE INTO {O} o USING (SELECT 4 AS id) s ON o.id = s.id WHEN MATCHED THEN DELETE",
                "MERGE INTO {O} o USING (SELECT 1 AS x) s ON true WHEN MATCHED THEN UPDATE SET total = 0",
                "MERGE INTO {O} o USING (SELECT 1 AS x) s ON true WHEN MATCHED THEN DELETE",
                "MERGE INTO {O} o USING (SELECT 3 AS id) s ON o.id = s.id OR 1=1 WHEN MATCHED THEN UPDATE SET total = 0",
                "MERGE INTO {O} o USING (SELECT 3 AS id) s ON o.id = s.id OR 1=1 WHEN MATCHED THEN DELETE",
                "MERGE INTO {O} USING (SELECT 3 AS id) s ON {O}.id = s.id OR 1=1 WHEN MATCHED THEN UPDATE SET total = 0",
                "MERGE INTO {O} AS o USING (SELECT 4 AS id) AS s ON (o.id = s.id OR o.id > 0) WHEN MATCHED THEN DELETE",
                "MERGE INTO {O} o USING (SELECT 3 AS id) s ON o.id = s.id OR o.tenant_id = 't2' WHEN MATCHED AND o.tenant_id = 't2' THEN DELETE",
                "MERGE INTO {O} o USING (SELECT 3 AS id) s ON o.id = s.id WHEN MATCHED THEN DELETE "
                        + "WHEN NOT MATCHED THEN INSERT (id, tenant_id, total) VALUES (9, 't1', 1)",
                "MERGE INTO {O} o USING {O} s ON o.id = s.id WHEN MATCHED THEN UPDATE SET total = s.total + 1",
                "MERGE INTO {O} o USING (SELECT id FROM {O} WHERE tenant_id = 't2') s ON o.id = s.id WHEN MATCHED THEN DELETE",
                "MERGE INTO {I} t USING {O} s ON t.order_id = s.id WHEN MATCHED THEN DELETE",
                "MERGE INTO {I} t USING (SELECT 13 AS id) s ON t.id = s.id AND EXISTS (SELECT 1 FROM {O} o WHERE o.id = 3) "
                        + "WHEN MATCHED THEN DELETE",
                "MERGE INTO {I} t USING {O} s ON t.id = s.id + 100 WHEN NOT MATCHED THEN INSERT (id, order_id) VALUES (s.id + 100, s.id)"
        );
    }

    /** A MERGE of tenant t1 that names t2's rows (by id, by {@code ON true} or {@code OR 1=1}, as its source) changes t1's rows alone. */
    @ParameterizedTest
    @MethodSource("merges")
    void mergesChangeOnlyTheCallersRows(String template) throws SQLException {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasMerge(), "the database has no MERGE");
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            st.executeUpdate(sql(template));
        }
        assertOtherTenantIntact(template);
        assertThat(rawCount(orders + " WHERE tenant_id <> 't1' OR tenant_id IS NULL")).as(template).isEqualTo(2);
        assertThat(rawCount(items + " WHERE order_id NOT IN (1, 2)")).as(template).isEqualTo(2);
    }

    /** What the MERGEs of the corpus do to the caller's own rows, as the raw connection sees it. */
    @Test
    void mergesChangeTheCallersRowsAsWritten() throws SQLException {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasMerge(), "the database has no MERGE");
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql("MERGE INTO {O} o USING (SELECT 1 AS x) s ON true WHEN MATCHED THEN "
                    + "UPDATE SET total = 5"))).isEqualTo(2);
            assertThat(st.executeUpdate(sql("MERGE INTO {O} o USING {I} i ON o.id = i.order_id WHEN MATCHED AND i.id = 12 "
                    + "THEN DELETE"))).isEqualTo(1);
            assertThat(st.executeUpdate(sql("MERGE INTO {I} t USING {O} s ON t.id = s.id + 100 WHEN NOT MATCHED THEN "
                    + "INSERT (id, order_id) VALUES (s.id + 100, s.id)"))).isEqualTo(1);
        }
        assertOtherTenantIntact("merges of own rows");
        assertThat(rawCount(orders + " WHERE tenant_id = 't1'")).isEqualTo(1);
        assertThat(rawCount(orders + " WHERE id = 1 AND total = 5")).isEqualTo(1);
        assertThat(rawCount(items + " WHERE id > 100")).isEqualTo(1);
        assertThat(rawCount(items + " WHERE id = 101 AND order_id = 1")).isEqualTo(1);
    }

    static Stream<String> refusedMerges() {
        return Stream.of(
                "MERGE INTO {O} o USING (SELECT 3 AS id) s ON o.id = s.id WHEN MATCHED THEN UPDATE SET tenant_id = 't1'",
                "MERGE INTO {O} o USING (SELECT 1 AS id) s ON o.id = s.id WHEN MATCHED THEN UPDATE SET tenant_id = 't2'",
                "MERGE INTO {O} o USING (SELECT 1 AS x) s ON true WHEN MATCHED THEN UPDATE SET total = 0, tenant_id = 't2'",
                "MERGE INTO {O} o USING {O} s ON o.id = s.id + 100 WHEN NOT MATCHED THEN "
                        + "INSERT (id, tenant_id, total) VALUES (s.id + 100, s.tenant_id, s.total)",
                "MERGE INTO {O} o USING (SELECT 't2' AS t) s ON false WHEN NOT MATCHED THEN INSERT (id, tenant_id) VALUES (9, s.t)",
                "MERGE INTO {O} o USING (SELECT 9 AS id) s ON o.id = s.id WHEN NOT MATCHED THEN INSERT VALUES (9, 't2', 1)",
                "MERGE INTO {O} o USING (SELECT 9 AS id) s ON o.id = s.id WHEN NOT MATCHED THEN INSERT (id, total) VALUES (9, 1)",
                "MERGE INTO {O} o USING (SELECT 9 AS id) s ON o.id = s.id WHEN NOT MATCHED THEN "
                        + "INSERT (id, tenant_id, total) VALUES (9, 't2', 1)",
                "MERGE INTO {O} o USING (SELECT 3 AS id) s ON o.id = s.id WHEN MATCHED THEN UPDATE SET total = 0 "
                        + "WHEN NOT MATCHED THEN INSERT (id, tenant_id, total) VALUES (9, NULL, 1)"
        );
    }

    /**
     * A MERGE that would move a row out of the filter, or insert a row the filter does not admit (or one whose filter
     * column's value is not known before it runs), is refused, naming the filter; nothing changes.
     */
    @ParameterizedTest
    @MethodSource("refusedMerges")
    void mergesThatCannotBeRestrictedOrInsertAnotherTenantsRowAreRefused(String template) throws SQLException {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasMerge(), "the database has no MERGE");
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate(sql(template))).as(template).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation").hasMessageNotContaining("t2")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            assertThatThrownBy(() -> st.execute(sql(template))).as(template).isInstanceOf(GovernanceException.class);
        }
        assertOtherTenantIntact(template);
        assertThat(rawCount(orders)).as(template).isEqualTo(4);
        assertThat(rawCount(orders + " WHERE tenant_id = 't1' AND total = 100")).as(template).isEqualTo(2);
    }

    /**
     * An insert branch that would fire for another tenant's row (it does not match, so the INSERT runs and hits the
     * key) fails in the database; the other tenant's row stays as it was.
     */
    @Test
    void aMergeThatMissesAnotherTenantsRowDoesNotTouchIt() throws SQLException {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasMerge(), "the database has no MERGE");
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate(sql("MERGE INTO {O} o USING (SELECT 3 AS id) s ON o.id = s.id "
                    + "WHEN MATCHED THEN UPDATE SET total = 0 WHEN NOT MATCHED THEN INSERT (id, tenant_id, total) "
                    + "VALUES (3, 't1', 0)"))).isInstanceOf(SQLException.class).isNotInstanceOf(GovernanceException.class);
        }
        assertOtherTenantIntact("merge inserting over another tenant's key");
        assertThat(rawCount(orders)).isEqualTo(4);
    }

    /**
     * A prepared MERGE keeps the application's parameter indexes; its insert branch is checked with the values bound at
     * each run, and each run matches only the caller's rows.
     */
    @Test
    void aPreparedMergeRunsAgainWithNewValuesAndChecksEachRunsRow() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasMerge(), "the database has no MERGE");
        try (Connection c = tenantOne(); PreparedStatement ps = c.prepareStatement(sql("MERGE INTO {O} o USING "
                + "(SELECT CAST(? AS integer) AS id) s ON o.id = s.id WHEN MATCHED THEN UPDATE SET total = ? "
                + "WHEN NOT MATCHED THEN INSERT (id, tenant_id, total) VALUES (s.id, ?, ?)"))) {
            ps.setInt(1, 1);
            ps.setInt(2, 7);
            ps.setString(3, "t1");
            ps.setInt(4, 0);
            assertThat(ps.executeUpdate()).isEqualTo(1);
            ps.setInt(1, 4);
            ps.setString(3, "t2");
            assertThatThrownBy(ps::executeUpdate).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation").hasMessageContaining("does not pass the filter")
                    .hasMessageNotContaining("t2");
            ps.setInt(1, 2);
            ps.setInt(2, 8);
            ps.setString(3, "t1");
            assertThat(ps.executeUpdate()).isEqualTo(1);
            ps.setInt(1, 9);
            ps.setInt(4, 3);
            assertThat(ps.executeUpdate()).isEqualTo(1);
            ps.setInt(1, 10);
            ps.setNull(3, java.sql.Types.VARCHAR);
            assertThatThrownBy(ps::executeUpdate).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation");
            ps.setInt(1, 3);
            ps.setString(3, "t2");
            ps.setInt(2, 6);
            assertThat(io.governed.jdbc.identity.IdentityContext.runAs(TENANT_TWO, () -> ps.executeUpdate())).isEqualTo(1);
        }
        assertThat(rawCount(orders + " WHERE id = 1 AND total = 7 AND tenant_id = 't1'")).isEqualTo(1);
        assertThat(rawCount(orders + " WHERE id = 2 AND total = 8 AND tenant_id = 't1'")).isEqualTo(1);
        assertThat(rawCount(orders + " WHERE id = 9 AND total = 3 AND tenant_id = 't1'")).isEqualTo(1);
        assertThat(rawCount(orders + " WHERE id = 3 AND total = 6 AND tenant_id = 't2'")).isEqualTo(1);
        assertThat(rawCount(orders + " WHERE id = 4 AND total = 100 AND tenant_id = 't2'")).isEqualTo(1);
        assertThat(rawCount(orders)).isEqualTo(5);
    }

    /** A prepared MERGE's batch: one entry inserting another tenant's row refuses the batch, which changes nothing. */
    @Test
    void aPreparedMergeBatchWithARowOfAnotherTenantChangesNothing() throws SQLException {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasMerge(), "the database has no MERGE");
        try (Connection c = tenantOne(); PreparedStatement ps = c.prepareStatement(sql("MERGE INTO {O} o USING "
                + "(SELECT CAST(? AS integer) AS id) s ON o.id = s.id WHEN MATCHED THEN UPDATE SET total = 0 "
                + "WHEN NOT MATCHED THEN INSERT (id, tenant_id, total) VALUES (s.id, ?, 1)"))) {
            for (int id : new int[] {1, 9, 4}) {
                ps.setInt(1, id);
                ps.setString(2, id == 9 ? "t2" : "t1");
                ps.addBatch();
            }
            assertThatThrownBy(ps::executeBatch).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation");
            assertThat(rawCount(orders + " WHERE total = 100")).isEqualTo(4);
            for (int id : new int[] {1, 4, 9}) {
                ps.setInt(1, id);
                ps.setString(2, "t1");
                ps.addBatch();
            }
            assertThatThrownBy(ps::executeBatch).as("4 is t2's: it does not match, and inserting it hits the key")
                    .isInstanceOf(SQLException.class).isNotInstanceOf(GovernanceException.class);
        }
        assertOtherTenantIntact("prepared MERGE batch");
        assertThat(rawCount(orders + " WHERE tenant_id = 't2'")).isEqualTo(2);
    }

    /**
     * A prepared batch with generated keys: an INSERT's entries are checked (one row of another tenant refuses the
     * batch), an UPDATE's and DELETE's entries change only the caller's rows, and a batch added for one tenant does not
     * run for another.
     */
    @Test
    void preparedBatchesWithGeneratedKeysChangeOnlyTheCallersRows() throws Exception {
        try (Connection c = tenantOne()) {
            try (PreparedStatement ps = c.prepareStatement(sql("INSERT INTO {O} (id, tenant_id) VALUES (?, ?)"),
                    Statement.RETURN_GENERATED_KEYS)) {
                for (int id = 9; id <= 11; id++) {
                    ps.setInt(1, id);
                    ps.setString(2, id == 10 ? "t2" : "t1");
                    ps.addBatch();
                }
                assertThatThrownBy(ps::executeBatch).isInstanceOf(GovernanceException.class)
                        .hasMessageContaining("tenant-isolation").hasMessageContaining("nothing was inserted");
                assertThat(rawCount(orders)).isEqualTo(4);
                for (int id = 9; id <= 10; id++) {
                    ps.setInt(1, id);
                    ps.setString(2, "t1");
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).containsExactly(1, 1);
            }
            try (PreparedStatement ps = c.prepareStatement(sql("UPDATE {O} SET total = ? WHERE id = ?"),
                    new String[] {keyColumn()})) {
                for (int id = 1; id <= 4; id++) {
                    ps.setInt(1, 7);
                    ps.setInt(2, id);
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).containsExactly(1, 1, 0, 0);
                assertThat(keyIds(ps.getGeneratedKeys())).doesNotContain(3L, 4L);
                ps.setInt(1, 8);
                ps.setInt(2, 3);
                ps.addBatch();
                assertThatThrownBy(() -> io.governed.jdbc.identity.IdentityContext.runAs(TENANT_TWO, () -> ps.executeBatch()))
                        .isInstanceOf(GovernanceException.class).hasMessageContaining("holds entries added as").hasMessageContaining("nothing of the batch was sent");
            }
            try (PreparedStatement ps = c.prepareStatement(sql("DELETE FROM {O} WHERE id = ?"), Statement.RETURN_GENERATED_KEYS)) {
                for (int id = 3; id <= 4; id++) {
                    ps.setInt(1, id);
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).containsExactly(0, 0);
            }
        }
        assertOtherTenantIntact("prepared batches with keys");
        assertThat(rawCount(orders + " WHERE total = 7")).isEqualTo(2);
        assertThat(rawCount(orders + " WHERE tenant_id = 't1'")).isEqualTo(4);
    }

    /** Every read of the corpus through {@code Statement.execute}: the result set holds the caller's rows alone. */
    @ParameterizedTest
    @MethodSource("reads")
    void readsThroughExecuteSeeOnlyTheCallersRows(String template) throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.execute(sql(template))).as(template).isTrue();
            assertThat(st.getUpdateCount()).as(template).isEqualTo(-1);
            assertThat(ids(st.getResultSet())).as(template).allSatisfy(v -> assertThat(v).isBetween(0L, 2L));
            assertThat(st.getMoreResults()).as(template).isFalse();
            assertThat(st.getUpdateCount()).as(template).isEqualTo(-1);
            assertThat(st.getResultSet()).as(template).isNull();
        }
    }

    /** Every write of the corpus through {@code Statement.execute}: it reports an update count and changes only the caller's rows. */
    @ParameterizedTest
    @MethodSource("writes")
    void writesThroughExecuteChangeOnlyTheCallersRows(String template) throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.execute(sql(template))).as(template).isFalse();
            assertThat(st.getResultSet()).as(template).isNull();
            assertThat(st.getUpdateCount()).as(template).isBetween(0, 2);
            assertThat(st.getMoreResults()).as(template).isFalse();
            assertThat(st.getUpdateCount()).as(template).isEqualTo(-1);
        }
        assertOtherTenantIntact(template);
    }

    /** {@code execute} of a rewritten read and write, with and without generated keys: results as JDBC says, own rows only. */
    @Test
    void executeRunsTheRewriteAndItsResultsFollowJdbc() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.execute(sql("SELECT id FROM {O} WHERE id IN (1, 3) OR 1 = 1 ORDER BY id"))).isTrue();
            ResultSet rs = st.getResultSet();
            assertThat(st.getResultSet()).isSameAs(rs);
            assertThat(ids(rs)).containsExactly(1L, 2L);
            assertThat(st.execute(sql("UPDATE {O} SET total = 7 WHERE id IN (1, 3)"))).isFalse();
            assertThat(st.getUpdateCount()).isEqualTo(1);
            assertThat(st.getLargeUpdateCount()).isEqualTo(1L);
            assertThat(st.getMoreResults()).isFalse();
            assertThat(st.getUpdateCount()).isEqualTo(-1);
            assertThat(st.execute(sql("UPDATE {O} SET total = 8 WHERE id IN (2, 4)"), Statement.RETURN_GENERATED_KEYS)).isFalse();
            assertThat(st.getUpdateCount()).isEqualTo(1);
            List<Long> keys = keyIds(st.getGeneratedKeys());
            assertThat(st.execute(sql("DELETE FROM {O} WHERE id IN (2, 3)"), new String[] {keyColumn()})).isFalse();
            assertThat(st.getUpdateCount()).isEqualTo(1);
            List<Long> deleted = keyIds(st.getGeneratedKeys());
            if (keysAreTheChangedRows("UPDATE")) {
                assertThat(keys).containsExactly(2L);
            }
            assertThat(keys).doesNotContain(3L, 4L);
            assertThat(deleted).doesNotContain(3L, 4L);
            if (keysAreTheChangedRows("DELETE")) {
                assertThat(deleted).containsExactly(2L);
            }
            assertThat(st.execute(sql("SELECT count(*) FROM {O}"))).isTrue();
            assertThat(ids(st.getResultSet())).containsExactly(1L);
        }
        assertOtherTenantIntact("execute");
        assertThat(rawCount(orders + " WHERE id = 1 AND total = 7")).isEqualTo(1);
        assertThat(rawCount(orders)).isEqualTo(3);
    }

    /**
     * Whether the driver's generated keys of {@code template}, an UPDATE or DELETE, are the changed rows' columns:
     * pgjdbc's are (RETURNING); H2's are an UPDATE's rows and no DELETE's; MariaDB's are the auto-increment values of an
     * INSERT alone.
     */
    boolean keysAreTheChangedRows(String template) {
        return template.startsWith("UPDATE");
    }

    /** Whether the driver returns keys asked for by column index (pgjdbc refuses them itself). */
    boolean driverTakesKeyIndexes() {
        return true;
    }

    /** The order-id column's name as asked of the driver for generated keys. */
    String keyColumn() {
        return "id";
    }

    /** How a test asks for generated keys: RETURN_GENERATED_KEYS, column names, column indexes. */
    enum KeysRequest { DRIVER_CHOICE, NAMES, INDEXES }

    /** A statement that runs {@code template} and returns its update count, asking for keys as {@code request}. */
    private int runWithKeys(Connection c, Statement st, String template, KeysRequest request, boolean prepared,
                            List<PreparedStatement> kept) throws SQLException {
        String text = sql(template);
        if (!prepared) {
            return switch (request) {
                case DRIVER_CHOICE -> st.executeUpdate(text, Statement.RETURN_GENERATED_KEYS);
                case NAMES -> st.executeUpdate(text, new String[] {keyColumn()});
                case INDEXES -> st.executeUpdate(text, new int[] {1});
            };
        }
        PreparedStatement ps = switch (request) {
            case DRIVER_CHOICE -> c.prepareStatement(text, Statement.RETURN_GENERATED_KEYS);
            case NAMES -> c.prepareStatement(text, new String[] {keyColumn()});
            case INDEXES -> c.prepareStatement(text, new int[] {1});
        };
        kept.add(ps);
        return ps.executeUpdate();
    }

    /** The order ids among the generated keys (the column named like the key column, or the first). */
    static List<Long> keyIds(ResultSet keys) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (keys) {
            int column = 1;
            java.sql.ResultSetMetaData md = keys.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                if (md.getColumnLabel(i).equalsIgnoreCase("id")) {
                    column = i;
                }
            }
            while (keys.next()) {
                ids.add(keys.getLong(column));
            }
        }
        return ids;
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> keyedWrites() {
        List<org.junit.jupiter.params.provider.Arguments> cases = new ArrayList<>();
        for (String template : List.of("UPDATE {O} SET total = 7 WHERE id IN (1, 3, 4)", "DELETE FROM {O} WHERE id IN (3, 1, 4)",
                "UPDATE {O} SET total = 7 WHERE id = 1 OR 1 = 1 AND tenant_id = 't2' OR id = 3")) {
            for (KeysRequest request : KeysRequest.values()) {
                for (boolean prepared : new boolean[] {false, true}) {
                    cases.add(org.junit.jupiter.params.provider.Arguments.of(template, request, prepared));
                }
            }
        }
        return cases.stream();
    }

    /**
     * An UPDATE or DELETE with generated keys, through a plain or a prepared statement and every way of asking for
     * keys, changes only the caller's row (order 1) of those it names, and its keys are that row's alone.
     */
    @ParameterizedTest(name = "{0} {1} prepared={2}")
    @MethodSource("keyedWrites")
    void writesWithGeneratedKeysChangeAndReturnOnlyTheCallersRows(String template, KeysRequest request, boolean prepared)
            throws SQLException {
        List<PreparedStatement> kept = new ArrayList<>();
        List<Long> keys;
        if (request == KeysRequest.INDEXES && !driverTakesKeyIndexes()) {
            try (Connection c = tenantOne(); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> runWithKeys(c, st, template, request, prepared, kept)).isInstanceOf(SQLException.class)
                        .isNotInstanceOf(GovernanceException.class);
            }
            assertThat(rawCount(orders + " WHERE total = 100")).isEqualTo(4);
            return;
        }
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(runWithKeys(c, st, template, request, prepared, kept)).as(template).isEqualTo(1);
            keys = keyIds((prepared ? kept.get(0) : st).getGeneratedKeys());
            for (PreparedStatement ps : kept) {
                ps.close();
            }
        }
        if (keysAreTheChangedRows(template)) {
            assertThat(keys).as(template).containsExactly(1L);
        } else {
            assertThat(keys).as(template).doesNotContain(3L, 4L);
        }
        assertOtherTenantIntact(template);
        if (template.startsWith("DELETE")) {
            assertThat(rawCount(orders + " WHERE id = 1")).as(template).isZero();
            assertThat(rawCount(orders)).as(template).isEqualTo(3);
        } else {
            assertThat(rawCount(orders + " WHERE total = 7")).as(template).isEqualTo(1);
            assertThat(rawCount(orders + " WHERE id = 1 AND total = 7")).as(template).isEqualTo(1);
        }
    }

    /**
     * A statement prepared with generated keys runs for the caller of each execution with that caller's filter values
     * (another tenant changes, and gets the keys of, its own rows only); a caller the filter does not restrict must
     * prepare it again, as without keys.
     */
    @Test
    void aStatementPreparedWithKeysRunsForTheCallerOfEachExecution() throws Exception {
        io.governed.identity.Identity support = io.governed.identity.Identity.builder("sue")
                .kind(io.governed.identity.IdentityKind.SERVICE).groups("support").build();
        try (Connection c = tenantOne();
             PreparedStatement ps = c.prepareStatement(sql("UPDATE {O} SET total = ? WHERE id IN (?, ?)"),
                     new String[] {keyColumn()})) {
            ps.setInt(1, 7);
            ps.setInt(2, 3);
            ps.setInt(3, 2);
            assertThat(ps.executeUpdate()).isEqualTo(1);
            List<Long> own = keyIds(ps.getGeneratedKeys());
            ps.setInt(1, 8);
            List<Long> theirs = io.governed.jdbc.identity.IdentityContext.runAs(TENANT_TWO, () -> {
                assertThat(ps.executeUpdate()).isEqualTo(1);
                return keyIds(ps.getGeneratedKeys()); // read in the scope: its rows are not tenant one's to read
            });
            if (keysAreTheChangedRows("UPDATE")) {
                assertThat(own).containsExactly(2L);
                assertThat(theirs).containsExactly(3L);
            } else {
                assertThat(own).doesNotContain(3L, 4L);
                assertThat(theirs).doesNotContain(1L, 2L);
            }
            ps.setInt(1, 9);
            assertThatThrownBy(() -> io.governed.jdbc.identity.IdentityContext.runAs(support, () -> ps.executeUpdate()))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("prepare it again");
        }
        assertThat(rawCount(orders + " WHERE id = 2 AND total = 7")).isEqualTo(1);
        assertThat(rawCount(orders + " WHERE id = 3 AND total = 8")).isEqualTo(1);
        assertThat(rawCount(orders + " WHERE total = 9 OR (id IN (1, 4) AND total <> 100)")).isZero();
    }

    /**
     * The keys of a rewritten write are masked as the keys of the write itself: a caller a mask on the key column
     * applies to gets no getter of the keys that gives the value; the rows changed are still only the caller's.
     */
    @Test
    void aMaskedKeyColumnStaysMaskedInTheKeysOfARewrittenWrite() throws Exception {
        Files.writeString(policy, Files.readString(policy) + """
                masks:
                  - id: mask-order-ids
                    columns: { patterns: ["%s.id"] }
                    function: redact
                    numbers: zero
                """.formatted(orders));
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.executeUpdate("INSERT INTO " + orders + " VALUES (7319, 't1', 100), (7320, 't2', 100)");
        }
        int runs = 0;
        for (KeysRequest request : KeysRequest.values()) {
            if (request == KeysRequest.INDEXES && !driverTakesKeyIndexes()) {
                continue;
            }
            for (boolean prepared : new boolean[] {false, true}) {
                List<PreparedStatement> kept = new ArrayList<>();
                List<String> seen;
                try (Connection c = tenantOne(); Statement st = c.createStatement()) {
                    String template = "UPDATE {O} SET total = total + 1 WHERE id IN (7319, 7320)";
                    assertThat(runWithKeys(c, st, template, request, prepared, kept)).isEqualTo(1);
                    runs++;
                    Statement ran = prepared ? kept.get(0) : st;
                    if (keysAreTheChangedRows(template)) {
                        ResultSet keys = ran.getGeneratedKeys();
                        seen = io.governed.jdbc.support.EveryGetter.ofAllRows(keys);
                        keys.close();
                        assertThat(seen).as(request + " prepared=" + prepared).isNotEmpty();
                    } else { // keys that cannot be traced to a column are refused to a masked caller
                        assertThatThrownBy(ran::getGeneratedKeys).isInstanceOf(GovernanceException.class)
                                .hasMessageContaining("cannot be traced");
                        seen = List.of();
                    }
                    for (PreparedStatement ps : kept) {
                        ps.close();
                    }
                }
                assertThat(seen).as(request + " prepared=" + prepared)
                        .noneMatch(v -> v.contains("7319") || v.contains("7320"));
            }
        }
        assertThat(rawCount(orders + " WHERE id = 7319 AND total = " + (100 + runs))).isEqualTo(1);
        assertThat(rawCount(orders + " WHERE id = 7320 AND total = 100")).isEqualTo(1);
    }

    static List<Long> ids(ResultSet rs) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    @Test
    void theCallersOwnRowsAreReadAndChanged() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql("UPDATE {O} SET total = 7 WHERE 1 = 1"))).isEqualTo(2);
            try (ResultSet rs = st.executeQuery(sql("SELECT id, tenant_id, total FROM {O} ORDER BY id"))) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getMetaData().getColumnCount()).isEqualTo(3);
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getInt(3)).isEqualTo(7);
                assertThat(rs.next()).isTrue();
                assertThat(rs.next()).isFalse();
            }
        }
        assertOtherTenantIntact("update of own rows");
    }

    @Test
    void theAuditEventNamesTheFiltersApplied() throws SQLException {
        String sink = "rowfilters-" + java.util.UUID.randomUUID();
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.attribute.tenant", "t1");
        settings.setProperty("governed.audit", "memory:" + sink);
        try (Connection c = database().connectGoverned(settings); Statement st = c.createStatement()) {
            ids(st.executeQuery(sql("SELECT id FROM {O} WHERE id = 3")));
            assertThatThrownBy(() -> st.executeUpdate(sql("UPDATE {O} SET tenant_id = 't9'"))).isInstanceOf(GovernanceException.class);
            c.unwrap(io.governed.jdbc.wrapper.GovernedConnection.class).governance().flushAudit();
        }
        List<io.governed.jdbc.audit.AuditEvent> events = io.governed.jdbc.audit.MemorySink.named(sink).events();
        assertThat(events).hasSize(2);
        assertThat(events.get(0).rules()).containsExactly("permit-everything", "tenant-isolation");
        assertThat(events.get(0).reason()).contains("rows restricted by row filter tenant-isolation");
        assertThat(events.get(1).rules()).containsExactly("tenant-isolation");
        assertThat(events.get(1).reason()).doesNotContain("t9").doesNotContain("t1");
    }

    @Test
    void theAuditEventOfAnInsertNamesTheFilterChecked() throws SQLException {
        String sink = "rowfilters-" + java.util.UUID.randomUUID();
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.attribute.tenant", "t1");
        settings.setProperty("governed.audit", "memory:" + sink);
        try (Connection c = database().connectGoverned(settings); Statement st = c.createStatement()) {
            st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id) VALUES (9, 't1')"));
            assertThatThrownBy(() -> st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id) VALUES (10, 't9')")))
                    .isInstanceOf(GovernanceException.class);
            c.unwrap(io.governed.jdbc.wrapper.GovernedConnection.class).governance().flushAudit();
        }
        List<io.governed.jdbc.audit.AuditEvent> events = io.governed.jdbc.audit.MemorySink.named(sink).events();
        assertThat(events).hasSize(2);
        assertThat(events.get(0).rules()).containsExactly("permit-everything", "tenant-isolation");
        assertThat(events.get(1).rules()).containsExactly("tenant-isolation");
        assertThat(events.get(1).reason()).contains("does not pass the filter").doesNotContain("t9");
    }

    @Test
    void theExemptSeeEveryRowAndAMissingAttributeIsNamed() throws SQLException {
        try (Connection c = tenantOne("support"); Statement st = c.createStatement()) {
            assertThat(ids(st.executeQuery(sql("SELECT count(*) FROM {O}")))).containsExactly(4L);
        }
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        try (Connection c = database().connectGoverned(settings); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery(sql("SELECT id FROM {O}"))).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("'tenant'");
        }
    }

    /**
     * INSERT … SELECT, in every form an attacker may try: what it copies is only what the caller reads (the caller's own
     * rows, whatever the SELECT asks for), and a selected row the filter does not admit refuses the whole statement.
     */
    static Stream<org.junit.jupiter.params.provider.Arguments> insertSelects() {
        return Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(
                        "INSERT INTO {O} (id, tenant_id, total) SELECT id + 10, tenant_id, total FROM {O}", List.of(11L, 12L)),
                org.junit.jupiter.params.provider.Arguments.of(
                        "INSERT INTO {O} (id, tenant_id, total) SELECT id + 10, tenant_id, total FROM {O} WHERE tenant_id = 't2'",
                        List.of()),
                org.junit.jupiter.params.provider.Arguments.of(
                        "INSERT INTO {O} (id, tenant_id, total) SELECT o.id + 10, o.tenant_id, 5 FROM {I} i JOIN {O} o ON o.id = i.order_id "
                                + "WHERE i.id IN (11, 13, 14)", List.of(11L)),
                org.junit.jupiter.params.provider.Arguments.of(
                        "INSERT INTO {O} (id, tenant_id, total) SELECT id + 10, tenant_id, total FROM {O} "
                                + "UNION ALL SELECT id + 20, tenant_id, total FROM {O} WHERE tenant_id <> 't1'", List.of(11L, 12L)),
                org.junit.jupiter.params.provider.Arguments.of(
                        "INSERT INTO {O} (tenant_id, id) SELECT 't1', max(id) + 10 FROM {O}", List.of(12L)),
                org.junit.jupiter.params.provider.Arguments.of(
                        "INSERT INTO {O} (id, tenant_id, total) SELECT id + 10, 't1', total FROM {O} "
                                + "WHERE id IN (SELECT order_id FROM {I} WHERE order_id IN (SELECT id FROM {O}))", List.of(11L, 12L))
        );
    }

    @ParameterizedTest
    @MethodSource("insertSelects")
    void anInsertSelectCopiesOnlyTheCallersRows(String template, List<Long> inserted) throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql(template))).as(template).isEqualTo(inserted.size());
        }
        assertThat(rawIds(orders + " WHERE id > 4")).as(template).containsExactlyElementsOf(inserted);
        assertThat(rawCount(orders + " WHERE id > 4 AND tenant_id = 't1'")).as(template).isEqualTo(inserted.size());
        assertOtherTenantIntact(template);
    }

    /** An INSERT … SELECT run with generated keys returns the keys of the caller's copied rows alone, if any. */
    @Test
    void anInsertSelectWithGeneratedKeysReturnsOnlyTheCallersRows() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) SELECT id + 10, tenant_id, total FROM {O}"),
                    Statement.RETURN_GENERATED_KEYS)).isEqualTo(2);
            assertThat(keyIds(st.getGeneratedKeys())).isSubsetOf(11L, 12L);
            assertThatThrownBy(() -> st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) SELECT id + 20, 't2', total "
                    + "FROM {O}"), Statement.RETURN_GENERATED_KEYS)).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("nothing was inserted");
        }
        assertThat(rawIds(orders + " WHERE id > 4")).containsExactly(11L, 12L);
        assertOtherTenantIntact("INSERT … SELECT with generated keys");
    }

    /** An INSERT … SELECT into a table without a filter copies only the rows the caller reads of the filtered table. */
    @Test
    void anInsertSelectIntoAnotherTableCopiesOnlyTheCallersRows() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql("INSERT INTO {I} (id, order_id) SELECT id + 100, id FROM {O} "
                    + "UNION SELECT id + 200, id FROM {O} WHERE tenant_id = 't2'"))).isEqualTo(2);
        }
        assertThat(rawIds(items + " WHERE id > 100")).containsExactly(101L, 102L);
        assertOtherTenantIntact("INSERT … SELECT into an unfiltered table");
    }

    /** A prepared INSERT … SELECT is checked with the values bound at each run, and each entry of its batch. */
    @Test
    void aPreparedInsertSelectIsCheckedWithTheValuesOfEachRun() throws SQLException {
        try (Connection c = tenantOne();
             PreparedStatement ps = c.prepareStatement(sql("INSERT INTO {O} (id, tenant_id, total) "
                     + "SELECT id + ?, CAST(? AS varchar(10)), total FROM {O} WHERE id = ?"))) {
            ps.setInt(1, 20);
            ps.setString(2, "t2");
            ps.setInt(3, 1);
            assertThatThrownBy(ps::executeUpdate).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation").hasMessageContaining("nothing was inserted");
            ps.setString(2, "t1");
            assertThat(ps.executeUpdate()).isEqualTo(1);
            ps.setInt(1, 30);
            ps.setInt(3, 3); // another tenant's row: the SELECT does not see it
            assertThat(ps.executeUpdate()).isZero();
            for (int entry = 0; entry < 3; entry++) {
                ps.setInt(1, 40 + entry * 10);
                ps.setString(2, entry == 1 ? "t2" : "t1");
                ps.setInt(3, 2);
                ps.addBatch();
            }
            assertThatThrownBy(ps::executeBatch).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation").hasMessageContaining("nothing was inserted");
            for (int entry = 0; entry < 2; entry++) {
                ps.setInt(1, 40 + entry * 10);
                ps.setString(2, "t1");
                ps.setInt(3, 2);
                ps.addBatch();
            }
            if (batchesInsertSelect()) {
                assertThat(ps.executeBatch()).containsExactly(1, 1);
            } else {
                assertThatThrownBy(ps::executeBatch).isInstanceOf(SQLException.class)
                        .isNotInstanceOf(GovernanceException.class);
            }
        }
        List<Long> inserted = batchesInsertSelect() ? List.of(21L, 42L, 52L) : List.of(21L);
        assertThat(rawIds(orders + " WHERE id > 4")).containsExactlyElementsOf(inserted);
        assertThat(rawCount(orders + " WHERE tenant_id = 't1'")).isEqualTo(2 + inserted.size());
        assertOtherTenantIntact("prepared INSERT … SELECT");
    }

    /** Whether the database's driver runs a prepared INSERT … SELECT's batch (MariaDB's sends it as a bulk it refuses). */
    boolean batchesInsertSelect() {
        return true;
    }

    /**
     * The filter's column {@code tenant_id} written in other cases and quotings that this database takes for it (and, on
     * H2, {@code "tenant_id"}, which its connection settings can make the same): {@code {C}} in a template.
     */
    abstract List<String> spellingsOfTheFilterColumn();

    /** An upsert of this database that sets {@code {C}} on a conflict with row 1, or {@code null} where there is none. */
    String upsertSetting() {
        return null;
    }

    static final String C = "{C}";

    static Stream<String> settingTheFilterColumnInAnotherSpelling() {
        return Stream.of(
                "UPDATE {O} SET {C} = 't2' WHERE id = 1",
                "UPDATE {O} SET {C} = 't2'",
                "UPDATE {O} o SET total = 0, o.{C} = 't2' WHERE o.id = 2",
                "UPDATE {O} SET {C} = 't1' WHERE id = 3",
                "INSERT INTO {O} (id, {C}, total) VALUES (9, 't2', 1)",
                "INSERT INTO {O} (id, total, {C}) VALUES (9, 1, 't1'), (10, 1, 't2')",
                "INSERT INTO {O} (id, {C}, total) SELECT id + 10, 't2', total FROM {O}",
                "INSERT INTO {O} (id, tenant_id, {C}, total) VALUES (9, 't1', 't2', 1)"
        );
    }

    /**
     * Setting or inserting the filter's column written in another case or quoting (backquoted, double-quoted, mixed
     * case) is refused like the plain name: no row moves to another tenant or appears in one, which the raw
     * connection checks.
     */
    @ParameterizedTest
    @MethodSource("settingTheFilterColumnInAnotherSpelling")
    void theFilterColumnInAnotherSpellingIsNeitherSetNorInsertedUnchecked(String template) throws SQLException {
        for (String spelling : spellingsOfTheFilterColumn()) {
            assertRefusedAndNothingMoved(template.replace(C, spelling));
        }
    }

    /** A MERGE or an upsert setting, or inserting, the filter's column in another case or quoting is refused alike. */
    @Test
    void aMergeOrUpsertWithTheFilterColumnInAnotherSpellingIsRefused() throws SQLException {
        List<String> templates = new ArrayList<>();
        if (hasMerge()) {
            templates.add("MERGE INTO {O} o USING (SELECT 1 AS id) s ON o.id = s.id WHEN MATCHED THEN UPDATE SET {C} = 't2'");
            templates.add("MERGE INTO {O} o USING (SELECT 1 AS x) s ON true WHEN MATCHED THEN UPDATE SET total = 0, {C} = 't2'");
            templates.add("MERGE INTO {O} o USING (SELECT 9 AS id) s ON o.id = s.id WHEN NOT MATCHED THEN "
                    + "INSERT (id, {C}, total) VALUES (9, 't2', 1)");
            templates.add("MERGE INTO {O} o USING (SELECT 9 AS id) s ON o.id = s.id WHEN NOT MATCHED THEN "
                    + "INSERT (id, tenant_id, {C}, total) VALUES (9, 't1', 't2', 1)");
        }
        if (upsertSetting() != null) {
            templates.add(upsertSetting());
        }
        for (String template : templates) {
            for (String spelling : spellingsOfTheFilterColumn()) {
                assertRefusedAndNothingMoved(template.replace(C, spelling));
            }
        }
    }

    private void assertRefusedAndNothingMoved(String template) throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate(sql(template))).as(template).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation").hasMessageNotContaining("t2")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
        }
        assertOtherTenantIntact(template);
        assertThat(rawCount(orders)).as(template).isEqualTo(4);
        assertThat(rawCount(orders + " WHERE tenant_id = 't1' AND total = 100")).as(template).isEqualTo(2);
    }

    /** The spellings of the filter's column that the database surely takes for it: an INSERT naming it so is checked. */
    List<String> spellingsInsertedChecked() {
        return spellingsOfTheFilterColumn();
    }

    /** An INSERT of the caller's own row naming the filter's column in another case runs, checked with that value. */
    @Test
    void anInsertNamingTheFilterColumnInAnotherSpellingIsCheckedWithItsValue() throws SQLException {
        int id = 20;
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            for (String spelling : spellingsInsertedChecked()) {
                String template = "INSERT INTO {O} (id, " + spelling + ", total) VALUES (" + id++ + ", 't1', 1)";
                assertThat(st.executeUpdate(sql(template))).as(template).isEqualTo(1);
            }
        }
        assertOtherTenantIntact("inserts naming the filter column in another spelling");
        assertThat(rawCount(orders + " WHERE id >= 20 AND tenant_id = 't1'")).isEqualTo(spellingsInsertedChecked().size());
        assertThat(rawCount(orders)).isEqualTo(4 + spellingsInsertedChecked().size());
    }

    /** Whether the driver returns the key of the row a MERGE's WHEN NOT MATCHED THEN INSERT adds (H2; not PostgreSQL 15). */
    boolean mergeReturnsInsertedKeys() {
        return false;
    }

    /**
     * A MERGE into a filtered table with generated keys requested: one that only inserts (its new row checked) runs and
     * returns the caller's new key alone, where the driver returns one; one that would insert another tenant's row is
     * refused by its check; one that updates or deletes is refused, saying to run it without keys. Nothing of the other
     * tenant changes.
     */
    @Test
    void aMergeWithGeneratedKeysReturnsOnlyTheCallersKeysOrIsRefusedSayingWhy() throws SQLException {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasMerge(), "the database has no MERGE");
        String inserting = "MERGE INTO {O} o USING (SELECT %d AS id) s ON o.id = s.id WHEN NOT MATCHED THEN "
                + "INSERT (id, tenant_id, total) VALUES (%d, '%s', 1)";
        List<String> updating = List.of(
                "MERGE INTO {O} o USING (SELECT 1 AS x) s ON true WHEN MATCHED THEN UPDATE SET total = 5",
                "MERGE INTO {O} o USING (SELECT 3 AS id) s ON o.id = s.id WHEN MATCHED THEN DELETE",
                "MERGE INTO {O} o USING (SELECT 3 AS id) s ON o.id = s.id WHEN MATCHED THEN UPDATE SET total = 0 "
                        + "WHEN NOT MATCHED THEN INSERT (id, tenant_id, total) VALUES (3, 't1', 1)");
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql(inserting.formatted(9, 9, "t1")), Statement.RETURN_GENERATED_KEYS)).isEqualTo(1);
            List<Long> keys = keyIds(st.getGeneratedKeys());
            assertThat(keys).isSubsetOf(9L);
            if (mergeReturnsInsertedKeys()) {
                assertThat(keys).containsExactly(9L);
            }
            try (PreparedStatement ps = c.prepareStatement(sql(inserting.formatted(10, 10, "t1")), new String[] {"id"})) {
                assertThat(ps.executeUpdate()).isEqualTo(1);
                assertThat(keyIds(ps.getGeneratedKeys())).isSubsetOf(10L);
            }
            assertThatThrownBy(() -> st.executeUpdate(sql(inserting.formatted(11, 11, "t2")), Statement.RETURN_GENERATED_KEYS))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("tenant-isolation")
                    .hasMessageContaining("WHEN NOT MATCHED THEN INSERT adds does not pass the filter")
                    .hasMessageContaining("the MERGE did not run, nothing was changed").hasMessageNotContaining("t2");
            for (String template : updating) {
                assertThatThrownBy(() -> st.executeUpdate(sql(template), Statement.RETURN_GENERATED_KEYS)).as(template)
                        .isInstanceOf(GovernanceException.class).hasMessageContaining("tenant-isolation")
                        .hasMessageContaining("rewrite of the MERGE")
                        .hasMessageContaining("run the MERGE without generated keys");
                assertThatThrownBy(() -> c.prepareStatement(sql(template), new String[] {"id"}).executeUpdate()).as(template)
                        .isInstanceOf(GovernanceException.class).hasMessageContaining("run the MERGE without generated keys");
            }
        }
        assertOtherTenantIntact("MERGE with generated keys");
        assertThat(rawIds(orders + " WHERE tenant_id = 't1'")).containsExactly(1L, 2L, 9L, 10L);
        assertThat(rawCount(orders + " WHERE total = 100")).isEqualTo(4);
    }

    /** {@code SELECT id FROM <from> ORDER BY id} through a raw connection. */
    List<Long> rawIds(String from) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM " + from + " ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    void assertOtherTenantIntact(String template) throws SQLException {
        assertThat(rawCount(orders + " WHERE tenant_id = 't2' AND total = 100")).as("t2 orders after " + template).isEqualTo(2);
        assertThat(rawCount(items + " WHERE order_id IN (3, 4)")).as("t2 items after " + template).isEqualTo(2);
    }

    /** {@code SELECT count(*) FROM <from>} through a raw connection. */
    long rawCount(String from) throws SQLException {
        try (Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
