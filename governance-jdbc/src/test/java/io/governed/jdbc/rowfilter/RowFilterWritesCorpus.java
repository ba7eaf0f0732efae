package io.governed.jdbc.rowfilter;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
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
 * Tenant t1, under the row filter {@code tenant_id = :identity.tenant}, writes through an updatable result set and
 * through a plain {@code Statement} batch, and tries to reach tenant t2's rows: only t1's rows are read or changed
 * (checked through a raw connection), and what would change t2's rows, or move a row out of t1's sight, is refused
 * before it reaches the database.
 */
abstract class RowFilterWritesCorpus {
    private final String orders = UniqueNames.of("rfwrites_orders");
    private final String items = UniqueNames.of("rfwrites_items");
    private Path policy;

    abstract TestDatabase database();

    String sql(String template) {
        return template.replace("{O}", orders).replace("{I}", items);
    }

    /** One raw connection (autocommit) for the whole class, to lay and drop each case's tables and read what it left. */
    private static Connection raw;

    @BeforeEach
    void createTables() throws Exception {
        if (raw == null || raw.isClosed()) {
            database().requireReachable();
            raw = database().connectRaw();
        }
        policy = TenantFixtures.tenantPolicy("rfwrites", orders);
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

    Connection tenantOne() throws SQLException {
        return tenantOne(new Properties());
    }

    Connection tenantOne(Properties more) throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.attribute.tenant", "t1");
        settings.putAll(more);
        return database().connectGoverned(settings);
    }

    /** The result set types every driver here makes updatable. */
    static Stream<Arguments> updatableResults() {
        return Stream.of(
                Arguments.of(ResultSet.TYPE_FORWARD_ONLY, false),
                Arguments.of(ResultSet.TYPE_FORWARD_ONLY, true),
                Arguments.of(ResultSet.TYPE_SCROLL_INSENSITIVE, false),
                Arguments.of(ResultSet.TYPE_SCROLL_INSENSITIVE, true));
    }

    /** An updatable result set of {@code template}, through a plain statement or a prepared one. */
    private ResultSet updatable(Connection c, String template, int type, boolean prepared) throws SQLException {
        if (prepared) {
            PreparedStatement ps = c.prepareStatement(sql(template), type, ResultSet.CONCUR_UPDATABLE);
            return ps.executeQuery();
        }
        return c.createStatement(type, ResultSet.CONCUR_UPDATABLE).executeQuery(sql(template));
    }

    @ParameterizedTest
    @MethodSource("updatableResults")
    void anUpdatableResultSetReadsOnlyTheCallersRowsAndUpdatesThem(int type, boolean prepared) throws SQLException {
        List<Long> read = new ArrayList<>();
        try (Connection c = tenantOne();
             ResultSet rs = updatable(c, "SELECT id, tenant_id, total FROM {O} WHERE id IN (1, 3) OR 1 = 1 ORDER BY id",
                     type, prepared)) {
            assertThat(rs.getConcurrency()).isEqualTo(ResultSet.CONCUR_UPDATABLE);
            while (rs.next()) {
                read.add(rs.getLong("id"));
                rs.updateInt("total", 7);
                rs.updateRow();
            }
        }
        assertThat(read).containsExactly(1L, 2L);
        assertThat(rawCount(orders + " WHERE tenant_id = 't1' AND total = 7")).isEqualTo(2);
        assertOtherTenantIntact();
    }

    @ParameterizedTest
    @MethodSource("updatableResults")
    void theFilterColumnCannotBeUpdatedThroughTheResultSet(int type, boolean prepared) throws SQLException {
        try (Connection c = tenantOne(); ResultSet rs = updatable(c, "SELECT * FROM {O} ORDER BY id", type, prepared)) {
            assertThat(rs.next()).isTrue();
            assertThatThrownBy(() -> rs.updateString("tenant_id", "t2")).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation").hasMessageContaining("could move the row out")
                    .hasMessageNotContaining("'t2'")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            int column = rs.findColumn("tenant_id");
            assertThatThrownBy(() -> rs.updateObject(column, "t2")).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation");
            assertThatThrownBy(() -> rs.updateNull(column)).isInstanceOf(GovernanceException.class);
            rs.moveToInsertRow();
            rs.updateString("tenant_id", "t1");
            rs.moveToCurrentRow();
            assertThatThrownBy(() -> rs.updateString("tenant_id", "t2")).as("back on the current row")
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("could move the row out");
            rs.updateInt("total", 5);
            rs.updateRow();
        }
        assertThat(rawCount(orders + " WHERE tenant_id = 't1'")).isEqualTo(2);
        assertThat(rawCount(orders + " WHERE id = 1 AND tenant_id = 't1' AND total = 5")).isEqualTo(1);
        assertOtherTenantIntact();
    }

    @ParameterizedTest
    @MethodSource("updatableResults")
    void insertRowAddsOnlyARowTheFilterAdmits(int type, boolean prepared) throws SQLException {
        try (Connection c = tenantOne(); ResultSet rs = updatable(c, "SELECT id, tenant_id, total FROM {O}", type, prepared)) {
            rs.moveToInsertRow();
            rs.updateInt("id", 20);
            rs.updateString("tenant_id", "t2");
            rs.updateInt("total", 1);
            assertThatThrownBy(rs::insertRow).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation").hasMessageContaining("does not pass the filter")
                    .hasMessageNotContaining("'t2'")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            rs.moveToInsertRow();
            rs.updateInt("id", 21);
            rs.updateNull("tenant_id");
            rs.updateInt("total", 1);
            assertThatThrownBy(rs::insertRow).as("a NULL tenant is not admitted").isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("does not pass the filter");
            rs.moveToInsertRow();
            rs.updateInt("id", 22);
            rs.updateInt("total", 1);
            assertThatThrownBy(rs::insertRow).as("a row without the filter's column").isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation").hasMessageContaining("tenant_id");
            rs.moveToInsertRow();
            rs.updateInt("id", 23);
            rs.updateString("tenant_id", "t1");
            rs.updateInt("total", 1);
            rs.insertRow();
            rs.moveToCurrentRow();
        }
        assertThat(rawCount(orders + " WHERE id >= 20")).isEqualTo(1);
        assertThat(rawCount(orders + " WHERE id = 23 AND tenant_id = 't1'")).isEqualTo(1);
        assertOtherTenantIntact();
    }

    @ParameterizedTest
    @MethodSource("updatableResults")
    void deleteRowDeletesOnlyTheCallersRows(int type, boolean prepared) throws SQLException {
        int deleted = 0;
        try (Connection c = tenantOne();
             ResultSet rs = updatable(c, "SELECT * FROM {O} o WHERE o.tenant_id = 't2' OR o.id > 0", type, prepared)) {
            while (rs.next()) {
                rs.deleteRow();
                deleted++;
            }
        }
        assertThat(deleted).isEqualTo(2);
        assertThat(rawCount(orders + " WHERE tenant_id = 't1'")).isZero();
        assertOtherTenantIntact();
    }

    /** A join (or any query not of the filtered table alone) is read through derived tables: read-only, writes refused. */
    @ParameterizedTest
    @MethodSource("updatableResults")
    void aResultSetThatIsNotOfTheFilteredTableAloneCannotBeWritten(int type, boolean prepared) throws SQLException {
        try (Connection c = tenantOne();
             ResultSet rs = updatable(c, "SELECT o.id, o.total FROM {O} o JOIN {I} i ON i.order_id = o.id", type, prepared)) {
            List<Long> read = new ArrayList<>();
            while (rs.next()) {
                read.add(rs.getLong(1));
                assertThatThrownBy(() -> rs.updateInt(2, 0)).isInstanceOf(GovernanceException.class)
                        .hasMessageContaining("tenant-isolation").hasMessageContaining("derived table")
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
                assertThatThrownBy(rs::deleteRow).isInstanceOf(GovernanceException.class)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            }
            assertThat(read).containsExactlyInAnyOrder(1L, 2L);
        }
        try (Connection c = tenantOne(); Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE);
             ResultSet rs = st.executeQuery(sql("SELECT id, tenant_id AS owner, total FROM {O}"))) {
            assertThat(rs.next()).isTrue();
            assertThatThrownBy(() -> rs.updateInt("total", 0)).as("a filter column under another name")
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("under another name");
            assertThatThrownBy(() -> rs.updateString("owner", "t2")).isInstanceOf(GovernanceException.class);
        }
        assertThat(rawCount(orders + " WHERE total = 100")).isEqualTo(4);
    }

    /** A row read as tenant t1 is not updated nor deleted as tenant t2, whose filter would not have shown it. */
    @Test
    void aRowReadAsOneTenantIsNotWrittenAsAnother() throws Exception {
        io.governed.identity.Identity tenantTwo = io.governed.identity.Identity.builder("bob")
                .kind(io.governed.identity.IdentityKind.SERVICE).attribute("tenant", "t2").build();
        try (Connection c = tenantOne(); Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE);
             ResultSet rs = st.executeQuery(sql("SELECT id, total FROM {O} ORDER BY id"))) {
            assertThat(rs.next()).isTrue();
            rs.updateInt("total", 0);
            assertThatThrownBy(() -> io.governed.jdbc.identity.IdentityContext.runAs(tenantTwo, () -> {
                rs.updateRow();
                return null;
            })).isInstanceOf(GovernanceException.class).hasMessageContaining("tenant-isolation")
                    .hasMessageContaining("read the row again as this caller")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            assertThatThrownBy(() -> io.governed.jdbc.identity.IdentityContext.runAs(tenantTwo, () -> {
                rs.deleteRow();
                return null;
            })).isInstanceOf(GovernanceException.class).hasMessageContaining("read the row again as this caller");
        }
        assertThat(rawCount(orders + " WHERE total = 100")).isEqualTo(4);
    }

    /**
     * Each row write through a filtered updatable result set is one audit event of the caller, naming the filter: the
     * allowed ones with their row, the refused insert with its denial; no value written is in any event.
     */
    @Test
    void rowWritesThroughAFilteredResultSetAreEachOneAuditEventNamingTheFilter() throws Exception {
        String sink = "rfwrites-audit-" + java.util.UUID.randomUUID();
        Properties audited = new Properties();
        audited.setProperty("governed.audit", "memory:" + sink);
        try (Connection c = tenantOne(audited);
             Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE);
             ResultSet rs = st.executeQuery(sql("SELECT id, tenant_id, total FROM {O} ORDER BY id"))) {
            assertThat(rs.next()).isTrue();
            rs.updateInt("total", 424242);
            rs.updateRow();
            assertThat(rs.next()).isTrue();
            rs.deleteRow();
            rs.moveToInsertRow();
            rs.updateInt("id", 31);
            rs.updateString("tenant_id", "t1");
            rs.updateInt("total", 313131);
            rs.insertRow();
            rs.moveToInsertRow();
            rs.updateInt("id", 32);
            rs.updateString("tenant_id", "t2");
            rs.updateInt("total", 323232);
            assertThatThrownBy(rs::insertRow).isInstanceOf(GovernanceException.class).hasMessageContaining("tenant-isolation");
            rs.moveToCurrentRow();
            c.unwrap(io.governed.jdbc.wrapper.GovernedConnection.class).governance().flushAudit();
        }
        assertThat(rawCount(orders + " WHERE id = 1 AND total = 424242")).isEqualTo(1);
        assertThat(rawCount(orders + " WHERE id = 2")).isZero();
        assertThat(rawCount(orders + " WHERE id = 31 AND tenant_id = 't1'")).isEqualTo(1);
        assertOtherTenantIntact();
        List<io.governed.jdbc.audit.AuditEvent> writes = io.governed.jdbc.audit.MemorySink.named(sink).events().stream()
                .filter(e -> !e.action().equals("select"))
                .filter(e -> e.tables().stream().anyMatch(t -> t.toLowerCase(java.util.Locale.ROOT).contains(orders)))
                .toList();
        assertThat(writes).extracting(e -> e.action() + " " + e.decision() + " " + e.rows())
                .containsExactly("update ALLOW 1", "delete ALLOW 1", "insert ALLOW 1", "insert DENY null");
        assertThat(writes).allSatisfy(e -> {
            assertThat(e.principal()).isEqualTo(TestDatabase.GOVERNED_PRINCIPAL);
            assertThat(e.rules()).contains("tenant-isolation");
            assertThat(io.governed.jdbc.audit.AuditEventJson.toJson(e))
                    .doesNotContain("424242", "313131", "323232", "'t1'", "'t2'", "\"t2\"");
        });
    }

    @Test
    void aReadOnlyResultSetIsRewrittenAsBefore() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql("SELECT id FROM {O} ORDER BY id"))) {
            assertThat(rs.getConcurrency()).isEqualTo(ResultSet.CONCUR_READ_ONLY);
            List<Long> read = new ArrayList<>();
            while (rs.next()) {
                read.add(rs.getLong(1));
            }
            assertThat(read).containsExactly(1L, 2L);
        }
    }

    /** A plain statement's batch mixing the caller's rows and another tenant's: the counts are the caller's rows'. */
    @Test
    void aPlainBatchRunsEachRewriteInOrderAndCountsOnlyTheCallersRows() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            st.addBatch(sql("UPDATE {O} SET total = 1"));
            st.addBatch(sql("UPDATE {O} SET total = 2 WHERE id = 3"));
            st.addBatch(sql("DELETE FROM {O} WHERE id = 4 OR tenant_id = 't2'"));
            st.addBatch(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (5, 't1', 5)"));
            st.addBatch(sql("DELETE FROM {O} WHERE id = 2"));
            st.addBatch(sql("UPDATE {I} SET order_id = 0 WHERE order_id IN (SELECT id FROM {O})"));
            st.addBatch(sql("DELETE FROM {I} WHERE id = 99"));
            assertThat(st.executeBatch()).containsExactly(2, 0, 0, 1, 1, 1, 0);
            st.addBatch(sql("UPDATE {O} SET total = 3 WHERE tenant_id = 't2' OR 1 = 1"));
            st.addBatch(sql("DELETE FROM {O} WHERE id = 5"));
            assertThat(st.executeLargeBatch()).containsExactly(2L, 1L);
            assertThat(st.executeBatch()).as("the batch was spent").isEmpty();
        }
        assertThat(rawCount(orders + " WHERE tenant_id = 't1' AND total = 3")).isEqualTo(1);
        assertThat(rawCount(orders + " WHERE tenant_id = 't1'")).isEqualTo(1);
        assertThat(rawCount(items + " WHERE order_id = 0")).as("the item of t1's order left").isEqualTo(1);
        assertOtherTenantIntact();
    }

    @Test
    void aPlainBatchWithARowOfAnotherTenantRunsNothing() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            st.addBatch(sql("UPDATE {O} SET total = 1"));
            st.addBatch(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (6, 't2', 6)"));
            assertThatThrownBy(st::executeBatch).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation").hasMessageContaining("does not pass the filter")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            assertThat(st.executeBatch()).as("the refused batch was spent").isEmpty();
        }
        assertThat(rawCount(orders)).isEqualTo(4);
        assertThat(rawCount(orders + " WHERE total = 100")).isEqualTo(4);
    }

    @Test
    void aFailingEntryStopsThePlainBatchWithTheCountsBeforeIt() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.addBatch(sql("UPDATE {O} SET total = 1"));
            st.addBatch(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (1, 't1', 1)")); // a duplicate key
            st.addBatch(sql("DELETE FROM {O}"));
            assertThatThrownBy(st::executeBatch).isInstanceOf(BatchUpdateException.class)
                    .satisfies(e -> assertThat(((BatchUpdateException) e).getUpdateCounts()).containsExactly(2));
            c.rollback();
            st.addBatch(sql("DELETE FROM {O} WHERE id = 1"));
            assertThat(st.executeBatch()).containsExactly(1);
            c.rollback();
            assertThat(rawCount(orders)).as("the batches ran in the caller's transaction, rolled back").isEqualTo(4);
            st.addBatch(sql("UPDATE {O} SET total = 9 WHERE id IN (1, 3)"));
            assertThat(st.executeBatch()).containsExactly(1);
            c.commit();
        }
        assertThat(rawCount(orders + " WHERE total = 9")).isEqualTo(1);
        assertThat(rawCount(orders + " WHERE id = 1 AND total = 9")).isEqualTo(1);
        assertOtherTenantIntact();
    }

    /** Every write of the isolation corpus, batched through a plain statement, changes only the caller's rows. */
    @ParameterizedTest
    @MethodSource("io.governed.jdbc.rowfilter.RowFilterIsolationCorpus#writes")
    void everyWriteOfTheCorpusBatchedChangesOnlyTheCallersRows(String template) throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            st.addBatch(sql(template));
            st.addBatch(sql("UPDATE {O} SET total = total"));
            int[] counts = st.executeBatch();
            assertThat(counts).hasSize(2);
            assertThat(counts[1]).isBetween(0, 2);
        }
        assertOtherTenantIntact();
    }

    /**
     * Generated keys of a rewrite are returned only when the rewrite, analysed with the driver's RETURNING list, returns
     * the columns the statement as written does; when it cannot be analysed (here: deeper than the analysis limit once
     * rewritten), the keys cannot be traced and the statement is refused before anything runs.
     */
    @Test
    void keysThatCannotBeTracedThroughTheRewriteAreRefused() throws SQLException {
        Properties shallow = new Properties();
        shallow.setProperty("governed.analysis.max-depth", "2");
        String update = sql("UPDATE {I} SET order_id = 0 WHERE order_id IN (SELECT id FROM {O})");
        try (Connection c = tenantOne(shallow); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate(update, Statement.RETURN_GENERATED_KEYS))
                    .isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("Statement denied by row filter tenant-isolation")
                    .hasMessageContaining("could not be traced through the rewrite")
                    .hasMessageContaining("run it without generated keys")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            assertThatThrownBy(() -> c.prepareStatement(update, new String[] {"id"}))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("could not be traced");
            assertThat(st.executeUpdate(update)).as("without keys it runs").isEqualTo(2);
        }
        assertThat(rawCount(items + " WHERE order_id = 0")).isEqualTo(2);
        assertOtherTenantIntact();
    }

    void assertOtherTenantIntact() throws SQLException {
        assertThat(rawCount(orders + " WHERE tenant_id = 't2' AND total = 100")).as("t2 orders").isEqualTo(2);
        assertThat(rawCount(items + " WHERE order_id IN (3, 4)")).as("t2 items").isEqualTo(2);
    }

    long rawCount(String from) throws SQLException {
        try (Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
