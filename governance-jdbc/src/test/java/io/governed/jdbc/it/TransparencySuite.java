package io.governed.jdbc.it;

import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.audit.StatementAudit;
import io.governed.jdbc.support.JdbcValues;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.jdbc.wrapper.GovernedConnection;
import io.governed.jdbc.wrapper.GovernedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/*
 * Proves the wrapper is transparent: every scenario here runs once through the database's own
 * driver and once through jdbc:governed: (gate allowing everything), and what the application sees
 * (values, counts, keys, warnings, errors, settings) must be equal. It also proves that no raw
 * driver object escapes the governed wrappers. One subclass per database supplies the SQL that
 * differs between them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TransparencySuite {

    /** One JDBC scenario, run on a connection against a table of its own. */
    @FunctionalInterface
    interface Scenario<T> {
        T run(Connection connection, String table) throws Exception;
    }

    /** Something done on a connection whose outcome (value or error) is recorded. */
    @FunctionalInterface
    interface Probe {
        Object get() throws Exception;
    }

    /** The database of this suite, named by the subclass's {@link RequiresDatabase}. */
    protected final TestDatabase database() {
        return getClass().getAnnotation(RequiresDatabase.class).value();
    }

    /** Column definition of a generated BIGINT primary key named {@code id}. */
    protected abstract String identityColumn();

    /** Column type for up to 64 bytes. */
    protected abstract String bytesType();

    /** Column type for a date and time with at least millisecond precision. */
    protected abstract String timestampType();

    /** SQL that {@code Statement.execute} runs as several results (or as one, where that is all the database returns). */
    protected abstract String multipleResultsSql(String table);

    /** A query of exactly 50,000 rows: an increasing number and a text. */
    protected abstract String fiftyThousandRowsQuery();

    /** What the connection needs before a fetch size makes the driver stream instead of buffering. */
    protected void prepareForStreaming(Connection connection) throws SQLException {
    }

    /** A query that runs for much longer than any test, to be cancelled. */
    protected abstract String longRunningQuery();

    /** A query whose one row's first column is an SQL array of integers, or {@code null} where there are no arrays. */
    protected abstract String arrayQuery();

    /** A query listing the text of every statement the server is executing now, one per row. */
    protected abstract String runningStatementsQuery();

    /** SQL that succeeds with a warning, where the database has such a thing. */
    protected abstract String sqlThatWarns();

    /** Whether {@link #sqlThatWarns()} really produces a warning on this database. */
    protected abstract boolean warnsAtAll();

    /** The delegate driver's own connection interface, reached by {@code unwrap}. */
    protected abstract Class<?> vendorConnectionInterface();

    /** Whether {@code Connection.abort} leaves the connection closed when it returns. */
    protected boolean abortClosesAtOnce() {
        return true;
    }

    /** The name as the database's metadata reports an unquoted identifier. */
    protected String metadataName(String unquoted) {
        return unquoted;
    }

    // ---------------------------------------------------------------- CRUD and batches

    @Test
    void crudWithTypedAndNullValuesReturnsWhatTheRawDriverReturns() throws Exception {
        List<Object> raw = sameThroughBoth("crud", (c, table) -> {
            createTypedTable(c, table);
            List<Object> seen = new ArrayList<>();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
                    + " (n, big, name, amount, flag, on_day, stamped_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setInt(1, -42);
                insert.setLong(2, 9_007_199_254_740_993L);
                insert.setString(3, "Zoë O'Brien; DROP TABLE x --");
                insert.setBigDecimal(4, new BigDecimal("12345.67"));
                insert.setBoolean(5, true);
                insert.setDate(6, Date.valueOf("2024-02-29"));
                insert.setTimestamp(7, Timestamp.valueOf("2024-02-29 23:59:58.123"));
                insert.setBytes(8, new byte[]{0, 1, (byte) 0xff, 0x7f});
                seen.add(insert.executeUpdate());
                for (int i = 1; i <= 8; i++) {
                    insert.setNull(i, sqlTypeOfTypedColumn(i));
                }
                seen.add(insert.executeUpdate());
            }
            try (Statement st = c.createStatement()) {
                seen.add(st.executeUpdate("INSERT INTO " + table + " (n, big, name, amount, flag) VALUES (7, 0, 'plain', -0.01, false)"));
                seen.add(selectAll(st, table));
                seen.add(st.executeUpdate("UPDATE " + table + " SET name = 'changed', amount = amount * 2 WHERE n IS NOT NULL"));
                seen.add(st.executeUpdate("DELETE FROM " + table + " WHERE n = 7"));
                seen.add(selectAll(st, table));
            }
            return seen;
        });
        assertThat(raw).startsWith(1, 1, 1);
        assertThat(raw.get(4)).isEqualTo(2);
        assertThat(raw.get(5)).isEqualTo(1);
    }

    @Test
    void statementAndPreparedBatchesGiveTheSameCountsAndRows() throws Exception {
        List<Object> raw = sameThroughBoth("batch", (c, table) -> {
            createTypedTable(c, table);
            List<Object> seen = new ArrayList<>();
            try (Statement st = c.createStatement()) {
                st.addBatch("INSERT INTO " + table + " (n, name) VALUES (1, 'one')");
                st.addBatch("INSERT INTO " + table + " (n, name) VALUES (2, 'two')");
                st.addBatch("UPDATE " + table + " SET name = 'ONE' WHERE n = 1");
                seen.add(Arrays.toString(st.executeBatch()));
                st.addBatch("INSERT INTO " + table + " (n, name) VALUES (3, 'three')");
                st.addBatch("DELETE FROM " + table + " WHERE n = 2");
                seen.add(Arrays.toString(st.executeLargeBatch()));
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (n, name) VALUES (?, ?)")) {
                for (int i = 10; i < 15; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "p" + i);
                    ps.addBatch();
                }
                seen.add(Arrays.toString(ps.executeBatch()));
                ps.setInt(1, 20);
                ps.setString(2, "p20");
                ps.addBatch();
                seen.add(Arrays.toString(ps.executeLargeBatch()));
                seen.add(Arrays.toString(ps.executeBatch())); // an empty batch runs nothing
            }
            try (Statement st = c.createStatement()) {
                seen.add(selectAll(st, table));
            }
            return seen;
        });
        assertThat(raw.get(0)).isEqualTo("[1, 1, 1]");
        assertThat(raw.get(3)).isEqualTo("[1]");
        assertThat(raw.get(4)).isEqualTo("[]");
    }

    @Test
    void aBatchThatFailsPartWayReportsTheSameCountsAndError() throws Exception {
        List<Object> raw = sameThroughBoth("batch_fail", (c, table) -> {
            createTypedTable(c, table);
            List<Object> seen = new ArrayList<>();
            try (Statement st = c.createStatement()) {
                st.addBatch("INSERT INTO " + table + " (id, n) VALUES (1, 1)");
                st.addBatch("INSERT INTO " + table + " (id, n) VALUES (1, 2)");
                st.addBatch("INSERT INTO " + table + " (id, n) VALUES (3, 3)");
                try {
                    seen.add(Arrays.toString(st.executeBatch()));
                } catch (BatchUpdateException e) {
                    seen.add(e.getClass().getSimpleName() + " " + e.getSQLState() + " " + e.getErrorCode()
                            + " " + Arrays.toString(e.getUpdateCounts()));
                }
                seen.add(ints(st, "SELECT n FROM " + table + " ORDER BY n"));
            }
            return seen;
        });
        assertThat((String) raw.get(0)).containsPattern("^\\w*BatchUpdateException ");
    }

    @Test
    void sqlErrorsCarryTheSameClassStateCodeAndMessage() throws Exception {
        List<Object> raw = sameThroughBoth("errors", (c, table) -> {
            createTypedTable(c, table);
            List<Object> seen = new ArrayList<>();
            try (Statement st = c.createStatement()) {
                seen.add(failure(table, () -> st.executeQuery("SELECT no_such_column FROM " + table)));
                seen.add(failure(table, () -> st.executeUpdate("INSERT INTO " + table + " (n) VALUES ('not a number')")));
                seen.add(failure(table, () -> st.executeQuery("SELEC 1")));
                seen.add(failure(table, () -> st.executeQuery("INSERT INTO " + table + " (n) VALUES (1)")));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT n FROM " + table + " WHERE n = ?")) {
                seen.add(failure(table, () -> {
                    ps.setInt(2, 1);
                    return "bound";
                }));
            }
            return seen;
        });
        assertThat(raw.subList(0, 3)).allSatisfy(outcome -> assertThat(outcome).asString().startsWith("error "));
    }

    @Test
    void scrollableAndUpdatableResultSetsMoveAndWriteAsTheRawDriverDoes() throws Exception {
        List<Object> raw = sameThroughBoth("scroll", (c, table) -> {
            createTypedTable(c, table);
            List<Object> seen = new ArrayList<>();
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO " + table + " (n, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
            }
            try (Statement st = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE);
                 ResultSet rs = st.executeQuery("SELECT id, n, name FROM " + table + " ORDER BY n")) {
                seen.add(rs.getType() + "/" + rs.getConcurrency());
                seen.add(rs.last() + " " + rs.getRow() + " " + rs.getString("name"));
                seen.add(rs.absolute(1) + " " + rs.getString("name"));
                seen.add(rs.previous() + " " + rs.isBeforeFirst());
                rs.absolute(2);
                rs.updateString("name", "B");
                rs.updateRow();
                seen.add(rs.getString("name"));
            }
            try (Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT n, name FROM " + table + " ORDER BY n")) {
                    seen.add(JdbcValues.rows(rs));
                }
            }
            return seen;
        });
        assertThat(raw.get(raw.size() - 1)).isEqualTo(List.of(List.of(1, "a"), List.of(2, "B"), List.of(3, "c")));
    }

    @Test
    void generatedKeysAreTheSameAndComeFromTheGovernedStatement() throws Exception {
        List<Object> raw = sameThroughBoth("keys", (c, table) -> {
            createTypedTable(c, table);
            boolean governed = c instanceof GovernedConnection;
            List<Object> seen = new ArrayList<>();
            String insert = "INSERT INTO " + table + " (n, name) VALUES (?, ?)";
            try (PreparedStatement ps = c.prepareStatement(insert, Statement.RETURN_GENERATED_KEYS)) {
                ps.setInt(1, 1);
                ps.setString(2, "a");
                seen.add(ps.executeUpdate());
                seen.add(generatedIds(ps, governed));
            }
            try (PreparedStatement ps = c.prepareStatement(insert, new String[]{"id"})) {
                ps.setInt(1, 2);
                ps.setString(2, "b");
                seen.add(ps.executeUpdate());
                seen.add(generatedIds(ps, governed));
            }
            try (Statement st = c.createStatement()) {
                seen.add(st.executeUpdate("INSERT INTO " + table + " (n, name) VALUES (3, 'c')", Statement.RETURN_GENERATED_KEYS));
                seen.add(generatedIds(st, governed));
            }
            return seen;
        });
        assertThat(raw).containsExactly(1, List.of(1L), 1, List.of(2L), 1, List.of(3L));
    }

    // ---------------------------------------------------------------- transactions and results

    @Test
    void savepointsRollBackAndCommitExactlyAsTheRawDriverDoes() throws Exception {
        List<Object> raw = sameThroughBoth("savepoint", (c, table) -> {
            createTypedTable(c, table);
            List<Object> seen = new ArrayList<>();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO " + table + " (n) VALUES (1)");
                Savepoint named = c.setSavepoint("before_two");
                seen.add(named.getSavepointName());
                st.executeUpdate("INSERT INTO " + table + " (n) VALUES (2)");
                c.rollback(named);
                Savepoint unnamed = c.setSavepoint();
                st.executeUpdate("INSERT INTO " + table + " (n) VALUES (3)");
                c.releaseSavepoint(unnamed);
                c.commit();
                st.executeUpdate("INSERT INTO " + table + " (n) VALUES (4)");
                c.rollback();
                seen.add(ints(st, "SELECT n FROM " + table + " ORDER BY n"));
            } finally {
                c.setAutoCommit(true);
            }
            return seen;
        });
        assertThat(raw).containsExactly("before_two", List.of(1, 3));
    }

    @Test
    void multipleResultsOfOneExecuteAreWalkedTheSameWay() throws Exception {
        List<String> raw = sameThroughBoth("multi", (c, table) -> {
            createTypedTable(c, table);
            try (Statement st = c.createStatement()) {
                return JdbcValues.allResults(st, st.execute(multipleResultsSql(table)));
            }
        });
        assertThat(raw).isNotEmpty();
    }

    @Test
    void aFiftyThousandRowResultStreamsWithAFetchSizeAndTheSameChecksum() throws Exception {
        List<Long> raw = sameThroughBoth("stream", (c, table) -> {
            prepareForStreaming(c);
            try (Statement st = c.createStatement()) {
                st.setFetchSize(1_000);
                long count = 0;
                long sum = 0;
                CRC32 crc = new CRC32();
                try (ResultSet rs = st.executeQuery(fiftyThousandRowsQuery())) {
                    while (rs.next()) {
                        count++;
                        sum += rs.getLong(1);
                        crc.update(rs.getString(2).getBytes(UTF_8));
                    }
                }
                return List.of(count, sum, crc.getValue(), (long) st.getFetchSize());
            } finally {
                if (!c.getAutoCommit()) {
                    c.commit();
                    c.setAutoCommit(true);
                }
            }
        });
        assertThat(raw.subList(0, 2)).containsExactly(50_000L, 50_000L * 50_001L / 2);
    }

    // ---------------------------------------------------------------- metadata and wrapping

    @Test
    void databaseMetadataListsTheSameTablesColumnsAndKeys() throws Exception {
        String table = UniqueNames.of("meta");
        try (Connection raw = database().connectRaw(); Connection governed = database().connectGoverned()) {
            createTypedTable(raw, table);
            try {
                List<Object> viaRaw = metadataOf(raw, metadataName(table));
                List<Object> viaGoverned = metadataOf(governed, metadataName(table));
                assertThat(viaGoverned).isEqualTo(viaRaw);
                assertThat((List<?>) viaRaw.get(0)).hasSize(1);
                assertThat((List<?>) viaRaw.get(1)).hasSize(9);
                assertThat((List<?>) viaRaw.get(2)).hasSize(1);
                assertThat(governed.getMetaData().getConnection()).isSameAs(governed);
            } finally {
                drop(raw, table);
            }
        }
    }

    @Test
    void unwrapToTheVendorConnectionIsRefusedByDefaultAndJdbcInterfacesStayGoverned() throws Exception {
        Class<?> vendor = vendorConnectionInterface();
        try (Connection raw = database().connectRaw(); Connection governed = database().connectGoverned()) {
            assertThat(governed).isInstanceOf(GovernedConnection.class);
            assertThat(raw.isWrapperFor(vendor)).isTrue();
            assertThat(governed.isWrapperFor(vendor)).isFalse();
            assertThatThrownBy(() -> governed.unwrap(vendor)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("governed.unwrap=allow")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            assertThat(governed.isWrapperFor(Connection.class)).isTrue();
            assertThat(governed.unwrap(Connection.class)).isSameAs(governed);
            assertThat(governed.unwrap(GovernedConnection.class)).isSameAs(governed);
            try (Statement st = governed.createStatement()) {
                assertThat(st.unwrap(Statement.class)).isSameAs(st);
                assertThat(st.isWrapperFor(Statement.class)).isTrue();
            }
        }
    }

    @Test
    void withUnwrapAllowedTheVendorConnectionIsReachedAndTheUnwrapAudited() throws Exception {
        Class<?> vendor = vendorConnectionInterface();
        String sink = "unwrap-audit-" + UUID.randomUUID();
        Properties settings = new Properties();
        settings.setProperty("governed.unwrap", "allow");
        settings.setProperty("governed.audit", "memory:" + sink);
        try (Connection raw = database().connectRaw(); Connection governed = database().connectGoverned(settings)) {
            assertThat(governed.isWrapperFor(vendor)).isEqualTo(raw.isWrapperFor(vendor)).isTrue();
            assertThat(governed.unwrap(vendor)).isInstanceOf(vendor).isNotSameAs(governed);
            assertThat(governed.unwrap(Connection.class)).isSameAs(governed);
            GovernedConnection connection = governed.unwrap(GovernedConnection.class);
            connection.governance().flushAudit();
            assertThat(MemorySink.named(sink).events()).filteredOn(e -> e.action().equals(StatementAudit.UNWRAP))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
                        assertThat(e.principal()).isEqualTo(TestDatabase.GOVERNED_PRINCIPAL);
                        assertThat(e.connectionId()).isEqualTo(connection.connectionId());
                        assertThat(e.reason()).endsWith(vendor.getName());
                    });
        }
    }

    /**
     * Each row write through an updatable result set is one audit event of the caller: the statement it amounts to
     * without values, one row; a write the driver fails is one error event; no value written is in any event.
     */
    @Test
    void rowWritesThroughAnUpdatableResultSetAreEachOneAuditEventWithoutValues() throws Exception {
        String table = UniqueNames.of("rowaudit");
        String sink = "row-write-audit-" + UUID.randomUUID();
        Properties settings = new Properties();
        settings.setProperty("governed.audit", "memory:" + sink);
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(40), amount INT)");
            st.execute("INSERT INTO " + table + " VALUES (1, 'a', 10), (2, 'b', 20)");
        }
        String failedState;
        try (Connection governed = database().connectGoverned(settings)) {
            GovernedConnection connection = governed.unwrap(GovernedConnection.class);
            try (Statement st = governed.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE);
                 ResultSet rs = st.executeQuery("SELECT id, name, amount FROM " + table + " ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                rs.updateString("name", "walrus-updated");
                rs.updateInt("amount", 515151);
                rs.updateRow();
                rs.moveToInsertRow();
                rs.updateInt("id", 737373);
                rs.updateString("name", "narwhal-inserted");
                rs.updateInt("amount", 30);
                rs.insertRow();
                rs.moveToInsertRow();
                rs.updateInt("id", 2); // an existing key: the driver fails the insert
                rs.updateString("name", "dugong-duplicate");
                rs.updateInt("amount", 40);
                SQLException failure = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, rs::insertRow);
                failedState = failure.getSQLState();
                assertThat(failedState).as("a duplicate key").startsWith("23");
                rs.moveToCurrentRow();
                assertThat(rs.absolute(2)).isTrue();
                rs.deleteRow();
            }
            connection.governance().flushAudit();
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, name, amount FROM " + table + " ORDER BY id")) {
                assertThat(JdbcValues.rows(rs)).isEqualTo(List.of(List.of(1, "walrus-updated", 515151),
                        List.of(737373, "narwhal-inserted", 30)));
            }
            List<io.governed.jdbc.audit.AuditEvent> events = MemorySink.named(sink).events().stream()
                    .filter(e -> e.tables().stream().anyMatch(t -> t.toLowerCase(java.util.Locale.ROOT).contains(table)))
                    .toList();
            assertThat(events).extracting(io.governed.jdbc.audit.AuditEvent::action)
                    .containsExactlyInAnyOrder("select", "update", "insert", "insert", "delete");
            assertThat(events).allSatisfy(e -> {
                assertThat(e.principal()).isEqualTo(TestDatabase.GOVERNED_PRINCIPAL);
                assertThat(e.connectionId()).isEqualTo(connection.connectionId());
                assertThat(io.governed.jdbc.audit.AuditEventJson.toJson(e)).doesNotContain("walrus", "narwhal", "dugong",
                        "515151", "737373");
            });
            assertThat(events).filteredOn(e -> !e.action().equals("select")).extracting(e -> e.action() + " " + e.decision()
                    + " " + e.rows()).containsExactlyInAnyOrder("update ALLOW 1", "insert ALLOW 1", "insert ERROR null",
                    "delete ALLOW 1");
            assertThat(events).filteredOn(e -> e.decision() == AuditDecision.ERROR).singleElement()
                    .satisfies(e -> assertThat(e.error().sqlState()).isEqualTo(failedState));
        } finally {
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP TABLE " + table);
            }
        }
    }

    @Test
    void noRawDriverObjectEscapesTheGovernedConnection() throws Exception {
        String table = UniqueNames.of("escape");
        try (Connection c = database().connectGoverned()) {
            createTypedTable(c, table);
            try (Statement st = c.createStatement();
                 PreparedStatement ps = c.prepareStatement("SELECT n FROM " + table + " WHERE n = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (n) VALUES (?)",
                         Statement.RETURN_GENERATED_KEYS)) {
                assertThat(st.getConnection()).isSameAs(c);
                assertThat(ps.getConnection()).isSameAs(c);
                try (ResultSet rs = st.executeQuery("SELECT n FROM " + table)) {
                    assertThat(rs.getStatement()).isSameAs(st);
                }
                assertThat(st.execute("SELECT n FROM " + table)).isTrue();
                assertThat(st.getResultSet().getStatement()).isSameAs(st);
                assertThat(st.getResultSet()).as("the same result set twice").isSameAs(st.getResultSet());
                ps.setInt(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.getStatement()).isSameAs(ps);
                }
                insert.setInt(1, 5);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    assertThat(keys.getStatement()).isSameAs(insert);
                }
                DatabaseMetaData md = c.getMetaData();
                assertThat(md.getConnection()).isSameAs(c);
                try (ResultSet tables = md.getTables(null, null, metadataName(table), null)) {
                    Statement owner = tables.getStatement();
                    assertThat(owner == null || owner instanceof GovernedStatement)
                            .as("a metadata result set's statement is governed or absent, never the driver's: %s", owner)
                            .isTrue();
                }
            } finally {
                drop(c, table);
            }
        }
    }

    @Test
    void anArrayValueLeadsBackOnlyToGovernedObjects() throws Exception {
        assumeTrue(arrayQuery() != null, () -> database() + " has no SQL array values");
        try (Connection c = database().connectGoverned();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(arrayQuery())) {
            assertThat(rs.next()).isTrue();
            List<Object> escaped = new ArrayList<>();
            for (Array array : List.of(rs.getArray(1), (Array) rs.getObject(1), c.createArrayOf("INTEGER", new Object[]{1, 2}))) {
                try (ResultSet elements = array.getResultSet()) {
                    Statement owner = elements.getStatement();
                    if (owner != null && (!(owner instanceof GovernedStatement) || owner.getConnection() != c)) {
                        escaped.add(owner.getClass().getName() + " on " + owner.getConnection().getClass().getName());
                    }
                }
            }
            assertThat(escaped).as("driver objects reachable from Array.getResultSet().getStatement(): "
                    + "their connection runs SQL without the gate").isEmpty();
        }
    }

    // ---------------------------------------------------------------- warnings, cancel, settings

    @Test
    void warningsAreTheSameAsTheRawDriverReports() throws Exception {
        List<String> raw = sameThroughBoth("warn", (c, table) -> {
            try (Statement st = c.createStatement()) {
                st.execute(sqlThatWarns());
                List<String> warnings = JdbcValues.warnings(st.getWarnings());
                st.clearWarnings();
                warnings.add("after clear: " + JdbcValues.warnings(st.getWarnings()));
                return warnings;
            }
        });
        if (warnsAtAll()) {
            assertThat(raw).hasSizeGreaterThan(1);
        } else {
            assertThat(raw).containsExactly("after clear: []");
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void cancellingALongQueryFromAnotherThreadFailsItWithTheSameSqlState() throws Exception {
        String raw = sameThroughBoth("cancel", (c, table) -> {
            String query = longRunningQuery() + " /* " + table + " */";
            ExecutorService runner = Executors.newSingleThreadExecutor();
            try (Statement st = c.createStatement(); Connection monitor = database().connectRaw()) {
                Future<String> outcome = runner.submit(() -> {
                    try (ResultSet rs = st.executeQuery(query)) {
                        return "completed: " + JdbcValues.rows(rs);
                    } catch (SQLException e) {
                        return "failed with SQLState " + e.getSQLState();
                    }
                });
                // a cancel that reaches the server before the query does is lost, so wait until it runs
                while (!outcome.isDone() && !isRunning(monitor, table)) {
                    Thread.onSpinWait();
                }
                st.cancel();
                return outcome.get();
            } finally {
                runner.shutdownNow();
            }
        });
        assertThat(raw).startsWith("failed with SQLState ");
    }

    private boolean isRunning(Connection monitor, String marker) throws SQLException {
        try (Statement st = monitor.createStatement(); ResultSet rs = st.executeQuery(runningStatementsQuery())) {
            while (rs.next()) {
                String text = rs.getString(1);
                if (text != null && text.contains(marker)) {
                    return true;
                }
            }
            return false;
        }
    }

    @Test
    void statementAndConnectionSettingsBehaveAsTheRawDriverDoes() throws Exception {
        List<Object> raw = sameThroughBoth("settings", (c, table) -> {
            List<Object> seen = new ArrayList<>();
            try (Statement st = c.createStatement()) {
                seen.add(attempt(() -> {
                    st.setQueryTimeout(7);
                    return st.getQueryTimeout();
                }));
                seen.add(attempt(() -> {
                    st.setFetchSize(123);
                    return st.getFetchSize();
                }));
                seen.add(attempt(() -> {
                    st.setFetchDirection(ResultSet.FETCH_FORWARD);
                    return st.getFetchDirection();
                }));
                seen.add(attempt(() -> st.getResultSetHoldability() + "/" + st.getResultSetType() + "/" + st.getResultSetConcurrency()));
                seen.add(attempt(() -> {
                    st.setMaxRows(3);
                    return st.getMaxRows();
                }));
            }
            seen.add(attempt(c::getHoldability));
            seen.add(attempt(() -> {
                c.setClientInfo("ApplicationName", "governed-it");
                return c.getClientInfo("ApplicationName");
            }));
            seen.add(attempt(() -> {
                String schema = c.getSchema();
                c.setSchema(schema);
                return schema + " -> " + c.getSchema();
            }));
            seen.add(attempt(() -> {
                String catalog = c.getCatalog();
                c.setCatalog(catalog);
                return catalog + " -> " + c.getCatalog();
            }));
            seen.add(attempt(() -> c.isValid(5)));
            seen.add(attempt(() -> {
                c.setReadOnly(true);
                boolean readOnly = c.isReadOnly();
                c.setReadOnly(false);
                return readOnly + " -> " + c.isReadOnly();
            }));
            seen.add(attempt(() -> {
                int original = c.getTransactionIsolation();
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                int changed = c.getTransactionIsolation();
                c.setTransactionIsolation(original);
                return changed + " -> " + c.getTransactionIsolation();
            }));
            seen.add(attempt(c::getAutoCommit));
            seen.add(attempt(() -> {
                c.abort(Runnable::run);
                return c.isClosed();
            }));
            return seen;
        });
        assertThat(raw).startsWith(7, 123, ResultSet.FETCH_FORWARD);
        assertThat(raw.get(9)).as("isValid in %s", raw).isEqualTo(true);
        assertThat(raw.get(raw.size() - 1)).as("closed after abort in %s", raw).isEqualTo(abortClosesAtOnce());
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Runs {@code scenario} through the raw driver and through the governed driver, each against a
     * table of its own, asserts both saw the same and returns what they saw.
     */
    protected final <T> T sameThroughBoth(String name, Scenario<T> scenario) throws Exception {
        T raw = runOn(database().connectRaw(), UniqueNames.of(name + "_raw"), scenario);
        Connection connection = database().connectGoverned();
        assertThat(connection).isInstanceOf(GovernedConnection.class);
        T governed = runOn(connection, UniqueNames.of(name + "_gov"), scenario);
        assertThat(governed).as("%s through jdbc:governed: compared with the raw driver", name).isEqualTo(raw);
        return raw;
    }

    private <T> T runOn(Connection connection, String table, Scenario<T> scenario) throws Exception {
        try (Connection c = connection) {
            return scenario.run(c, table);
        } finally {
            try (Connection cleanup = database().connectRaw()) {
                drop(cleanup, table);
            }
        }
    }

    /** The value {@code probe} returns, or the error it throws, as something comparable. */
    protected static Object attempt(Probe probe) {
        try {
            return probe.get();
        } catch (Exception e) {
            String state = e instanceof SQLException sql ? sql.getSQLState() : null;
            return "error " + e.getClass().getSimpleName() + " " + state;
        }
    }

    /**
     * The error {@code probe} fails with, as class, SQLState, vendor code and message; in the message
     * the scenario's table is named {@code <table>} and a MariaDB connection number {@code conn=N},
     * since those differ between the raw and the governed run by construction.
     */
    private static String failure(String table, Probe probe) {
        try {
            Object value = probe.get();
            return "no error: " + (value instanceof ResultSet ? "a result set" : value);
        } catch (SQLException e) {
            String message = Pattern.compile(Pattern.quote(table), Pattern.CASE_INSENSITIVE).matcher(e.getMessage())
                    .replaceAll("<table>").replaceAll("\\(conn=\\d+\\)", "(conn=N)");
            return "error " + e.getClass().getName() + " " + e.getSQLState() + " " + e.getErrorCode() + " " + message;
        } catch (Exception e) {
            return "error " + e;
        }
    }

    private void createTypedTable(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (" + identityColumn() + ", n INT, big BIGINT, name VARCHAR(60), "
                    + "amount DECIMAL(12, 2), flag BOOLEAN, on_day DATE, stamped_at " + timestampType() + ", payload " + bytesType() + ")");
        }
    }

    private static int sqlTypeOfTypedColumn(int parameter) {
        return switch (parameter) {
            case 1 -> Types.INTEGER;
            case 2 -> Types.BIGINT;
            case 3 -> Types.VARCHAR;
            case 4 -> Types.DECIMAL;
            case 5 -> Types.BOOLEAN;
            case 6 -> Types.DATE;
            case 7 -> Types.TIMESTAMP;
            default -> Types.VARBINARY;
        };
    }

    protected static void drop(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    private static List<List<Object>> selectAll(Statement st, String table) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
            return JdbcValues.rows(rs);
        }
    }

    private static List<Integer> ints(Statement st, String sql) throws SQLException {
        List<Integer> values = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getInt(1));
            }
        }
        return values;
    }

    /** The generated ids of {@code st}'s last update; on a governed connection, also checks the keys' statement. */
    private static List<Long> generatedIds(Statement st, boolean governed) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (ResultSet keys = st.getGeneratedKeys()) {
            if (governed) {
                assertThat(keys.getStatement()).as("getGeneratedKeys().getStatement()").isSameAs(st);
            }
            while (keys.next()) {
                ids.add(keys.getLong(1));
            }
        }
        return ids;
    }

    private static List<Object> metadataOf(Connection c, String table) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        List<Object> seen = new ArrayList<>();
        try (ResultSet rs = md.getTables(null, null, table, new String[]{"TABLE"})) {
            seen.add(JdbcValues.rows(rs));
        }
        try (ResultSet rs = md.getColumns(null, null, table, null)) {
            seen.add(JdbcValues.rows(rs));
        }
        try (ResultSet rs = md.getPrimaryKeys(null, null, table)) {
            seen.add(JdbcValues.rows(rs));
        }
        return seen;
    }
}
