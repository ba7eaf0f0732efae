package io.governed.benchmarks;

import io.governed.benchmarks.fixture.JdbcVariant;
import io.governed.benchmarks.fixture.PostgresFixture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * The point select of {@link PointSelectBenchmark}, and a small write, on a real PostgreSQL server
 * over TCP through pgjdbc, for the raw driver and each wrapper in one run. Unlike in-memory H2, each
 * operation here waits for a round trip, so the caller's time per operation is mostly the server's;
 * what a wrapper costs shows in the CPU the benchmark JVM spends per operation, which
 * {@link ProcessCpuProfiler} reports ({@code -prof io.governed.benchmarks.ProcessCpuProfiler}).
 *
 * <ul>
 *   <li>{@link #keptPreparedStatement}: one connection and one {@code PreparedStatement} for the
 *       trial; each operation binds, executes and reads one row (pgjdbc switches to a named
 *       server-side statement after five executions, as it does for any application).</li>
 *   <li>{@link #preparePerOperation}: prepare, bind, execute, read and close each time, as an ORM
 *       does; pgjdbc's own statement cache still finds the server-side statement.</li>
 *   <li>{@link #smallWrite}: insert a transfer row and update the account's balance by primary key,
 *       then commit: two kept statements and a commit per operation.</li>
 * </ul>
 *
 * When the server cannot be reached, {@code BenchmarkMain} leaves this benchmark out of the run and
 * says why; run through JMH's own main, the set-up fails with the same message.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class PostgresPointSelectBenchmark {

    /** A connection to the server through the variant, shared by the states below. */
    @State(Scope.Thread)
    public static class Database {
        /** The {@link JdbcVariant#id()} of the way to the database. */
        @Param({"raw", "governed", "governedJsonl", "governedSlf4j", "p6spy", "datasourceProxy"})
        public String variant;

        PostgresFixture fixture;
        Connection connection;
        private long lastId;

        @Setup(Level.Trial)
        public void connect() throws SQLException {
            fixture = PostgresFixture.configured().requireAvailable().accounts();
            connection = JdbcVariant.byId(variant).connect(fixture);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            connection.close();
        }

        long nextId() {
            lastId = lastId % PostgresFixture.ROWS + 1;
            return lastId;
        }
    }

    /** The point select, prepared once. */
    @State(Scope.Thread)
    public static class KeptSelect {
        PreparedStatement statement;

        @Setup(Level.Trial)
        public void prepare(Database database) throws SQLException {
            statement = database.connection.prepareStatement(PostgresFixture.POINT_SELECT);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            statement.close();
        }
    }

    /** The small write's two statements, prepared once, on a connection that commits explicitly. */
    @State(Scope.Thread)
    public static class KeptWrite {
        Connection connection;
        PreparedStatement insert;
        PreparedStatement update;
        final BigDecimal amount = new BigDecimal("1.25");

        @Setup(Level.Trial)
        public void prepare(Database database) throws SQLException {
            connection = database.connection;
            connection.setAutoCommit(false);
            insert = connection.prepareStatement(PostgresFixture.INSERT_TRANSFER);
            update = connection.prepareStatement(PostgresFixture.UPDATE_BALANCE);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            if (!connection.isClosed()) {
                try (PreparedStatement i = insert; PreparedStatement u = update) {
                    connection.rollback();
                }
            }
        }
    }

    @Benchmark
    public void keptPreparedStatement(Database database, KeptSelect select, Blackhole blackhole) throws SQLException {
        select.statement.setLong(1, database.nextId());
        PointSelectBenchmark.readTheRow(select.statement, blackhole);
    }

    @Benchmark
    public void preparePerOperation(Database database, Blackhole blackhole) throws SQLException {
        try (PreparedStatement statement = database.connection.prepareStatement(PostgresFixture.POINT_SELECT)) {
            statement.setLong(1, database.nextId());
            PointSelectBenchmark.readTheRow(statement, blackhole);
        }
    }

    @Benchmark
    public int smallWrite(Database database, KeptWrite write) throws SQLException {
        long id = database.nextId();
        write.insert.setLong(1, id);
        write.insert.setBigDecimal(2, write.amount);
        int inserted = write.insert.executeUpdate();
        write.update.setBigDecimal(1, write.amount);
        write.update.setLong(2, id);
        int updated = write.update.executeUpdate();
        write.connection.commit();
        if (inserted != 1 || updated != 1) {
            throw new IllegalStateException("The small write changed " + inserted + " and " + updated + " rows, expected 1 and 1");
        }
        return inserted + updated;
    }
}
