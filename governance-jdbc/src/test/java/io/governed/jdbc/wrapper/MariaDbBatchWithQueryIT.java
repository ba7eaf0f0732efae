package io.governed.jdbc.wrapper;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/*
 * A batch holding a SELECT, on MariaDB Connector/J, through executeBatch and executeLargeBatch of a plain and a
 * prepared statement: where the raw driver runs it, the governed connection does the same; where the raw driver throws
 * a ClassCastException (a plain statement's executeLargeBatch), the governed connection refuses the batch before it
 * runs with a BatchUpdateException (0100E) that says what to do. Rows are counted through a raw connection.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbBatchWithQueryIT {
    private static final String DB = UniqueNames.of("api_batch");
    private static final String URL = "mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000";

    @BeforeAll
    static void database() throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DB);
            s.execute("CREATE TABLE " + DB + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
            s.execute("CREATE PROCEDURE " + DB + ".listed() SELECT v FROM " + DB + ".t");
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB);
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + URL, TestDatabase.MARIADB.user(), TestDatabase.MARIADB.password());
    }

    private static Connection governed() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.MARIADB.user());
        p.setProperty("password", TestDatabase.MARIADB.password());
        p.setProperty("governed.policy", TestDatabase.PERMIT_ALL_POLICY);
        p.setProperty("governed.principal", "analyst");
        return DriverManager.getConnection("jdbc:governed:" + URL, p);
    }

    private static void clear() throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM t");
        }
    }

    private static long rows() throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @FunctionalInterface
    interface Batch {
        void run(Connection c) throws SQLException;
    }

    private static void plain(Connection c, boolean large) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.addBatch("INSERT INTO t VALUES (1, 'a')");
            s.addBatch("SELECT v FROM t");
            s.addBatch("INSERT INTO t VALUES (2, 'b')");
            if (large) {
                s.executeLargeBatch();
            } else {
                s.executeBatch();
            }
        }
    }

    private static void prepared(Connection c, boolean large) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT v FROM t WHERE id = ?")) {
            s.setInt(1, 1);
            s.addBatch();
            s.setInt(1, 2);
            s.addBatch();
            if (large) {
                s.executeLargeBatch();
            } else {
                s.executeBatch();
            }
        }
    }

    /** The governed connection does what the raw driver does: the same outcome, the same rows left. */
    private static void sameAsRaw(Batch batch) throws SQLException {
        clear();
        Throwable rawThrown;
        try (Connection c = raw()) {
            rawThrown = catchThrowable(() -> batch.run(c));
        }
        long rawRows = rows();
        clear();
        Throwable governedThrown;
        try (Connection c = governed()) {
            governedThrown = catchThrowable(() -> batch.run(c));
        }
        assertThat(rawThrown).isNull();
        assertThat(governedThrown).isNull();
        assertThat(rows()).isEqualTo(rawRows);
    }

    @Test
    void plainExecuteBatchRunsAsTheDriverRunsIt() throws SQLException {
        sameAsRaw(c -> plain(c, false));
    }

    /**
     * The raw driver runs the batch and then throws a ClassCastException reading the SELECT's result; the governed
     * connection refuses the batch before it runs, as a BatchUpdateException that says what to do.
     */
    @Test
    void plainExecuteLargeBatchWithAQueryIsRefusedBeforeItRuns() throws SQLException {
        clear();
        try (Connection c = raw()) {
            assertThatThrownBy(() -> plain(c, true)).as("what the driver does").isInstanceOf(ClassCastException.class);
        }
        clear();
        try (Connection c = governed()) {
            assertThatThrownBy(() -> plain(c, true)).isInstanceOfSatisfying(BatchUpdateException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("0100E");
                assertThat(e.getMessage()).contains("entry 2").contains("executeQuery").contains("executeBatch");
            });
            assertThat(rows()).as("nothing of the batch ran").isZero();
            try (Statement s = c.createStatement()) {
                s.addBatch("INSERT INTO t VALUES (3, 'c')");
                assertThat(s.executeLargeBatch()).as("the refused batch left nothing behind").containsExactly(1L);
            }
            assertThat(rows()).isEqualTo(1);
        }
    }

    /**
     * A call whose procedure returns rows, which the analysis cannot know: the driver's ClassCastException, after the
     * batch ran, comes back as a BatchUpdateException (0100E) saying that the batch ran.
     */
    @Test
    void plainExecuteLargeBatchWithACallReturningRowsFailsAsAnSqlException() throws SQLException {
        clear();
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.addBatch("INSERT INTO t VALUES (1, 'a')");
            s.addBatch("CALL listed()");
            assertThatThrownBy(s::executeLargeBatch).as("what the driver does").isInstanceOf(ClassCastException.class);
        }
        clear();
        try (Connection c = governed(); Statement s = c.createStatement()) {
            s.addBatch("INSERT INTO t VALUES (1, 'a')");
            s.addBatch("CALL listed()");
            assertThatThrownBy(s::executeLargeBatch).isInstanceOfSatisfying(BatchUpdateException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("0100E");
                assertThat(e.getMessage()).contains("the batch ran").contains("executeBatch");
            });
            assertThat(rows()).as("what the driver ran").isEqualTo(1);
            s.addBatch("INSERT INTO t VALUES (2, 'b')");
            assertThat(s.executeLargeBatch()).as("nothing of the failed batch is left").containsExactly(1L);
        }
    }

    /** Entries that read but return no rows (SELECT … INTO, SET, DO) run as the driver runs them. */
    @Test
    void plainExecuteLargeBatchWithEntriesReturningNoRowsRuns() throws SQLException {
        sameAsRaw(c -> {
            try (Statement s = c.createStatement()) {
                s.addBatch("INSERT INTO t VALUES (1, 'a')");
                s.addBatch("SELECT v INTO @kept_v FROM t WHERE id = 1");
                s.addBatch("SET @kept_w = 2");
                s.addBatch("DO 1");
                s.addBatch("INSERT INTO t VALUES (2, 'b')");
                s.executeLargeBatch();
            }
        });
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void preparedExecuteBatchRunsAsTheDriverRunsIt() throws SQLException {
        sameAsRaw(c -> prepared(c, false));
    }

    @Test
    void preparedExecuteLargeBatchRunsAsTheDriverRunsIt() throws SQLException {
        sameAsRaw(c -> prepared(c, true));
    }
}
