package io.governed.benchmarks;

import io.governed.benchmarks.fixture.H2Fixture;
import io.governed.benchmarks.fixture.JdbcVariant;
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

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * A point select by primary key on in-memory H2, through the raw driver and through each wrapper,
 * in one run: the wrapper's own cost on the cheapest real query there is.
 *
 * <p>Two shapes of application code:
 * <ul>
 *   <li>{@link #keptPreparedStatement}: one connection and one {@code PreparedStatement} for the
 *       whole trial, as an application with statement caching runs; each operation binds, executes
 *       and reads.</li>
 *   <li>{@link #preparePerOperation}: prepare, bind, execute, read and close on every operation;
 *       this also pays for whatever a wrapper does at prepare time.</li>
 * </ul>
 * Each operation reads every column of the row; the id cycles through the whole table.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PointSelectBenchmark {

    /** The {@link JdbcVariant#id()} of the way to the database. */
    @Param({"raw", "governed", "governedPolicy", "governedAuditHandoff", "governedAudited", "governedUrl", "p6spy", "datasourceProxy"})
    public String variant;

    private H2Fixture database;
    private Connection connection;
    private PreparedStatement keptStatement;
    private long lastId;

    @Setup(Level.Trial)
    public void openDatabase() throws SQLException {
        database = H2Fixture.create();
        connection = JdbcVariant.byId(variant).connect(database);
        keptStatement = connection.prepareStatement(H2Fixture.POINT_SELECT);
    }

    @TearDown(Level.Trial)
    public void closeDatabase() throws SQLException {
        try (H2Fixture db = database; Connection c = connection; PreparedStatement ps = keptStatement) {
            // closed in reverse order by try-with-resources
        }
    }

    @Benchmark
    public void keptPreparedStatement(Blackhole blackhole) throws SQLException {
        keptStatement.setLong(1, nextId());
        readTheRow(keptStatement, blackhole);
    }

    @Benchmark
    public void preparePerOperation(Blackhole blackhole) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(H2Fixture.POINT_SELECT)) {
            statement.setLong(1, nextId());
            readTheRow(statement, blackhole);
        }
    }

    private long nextId() {
        lastId = lastId % H2Fixture.ROWS + 1;
        return lastId;
    }

    /** Executes the point select and reads every column of its one row. */
    static void readTheRow(PreparedStatement statement, Blackhole blackhole) throws SQLException {
        try (ResultSet row = statement.executeQuery()) {
            if (!row.next()) {
                throw new IllegalStateException("The point select found no row: the fixture's ids are not 1.." + H2Fixture.ROWS);
            }
            blackhole.consume(row.getLong(1));
            blackhole.consume(row.getString(2));
            blackhole.consume(row.getString(3));
            blackhole.consume(row.getBigDecimal(4));
        }
    }
}
