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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Ad-hoc statements whose literals change every time ({@code … WHERE id = 17}, {@code … = 18}, …),
 * as code that concatenates SQL sends them: each one is a new text, so the governed variants pay
 * for a fingerprint and an analysis-cache hit per statement, where a prepared statement pays once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AdHocQueryBenchmark {

    @Param({"raw", "governed", "governedPolicy", "governedAudited"})
    public String variant;

    private H2Fixture database;
    private Connection connection;
    private Statement statement;
    private int id;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        database = H2Fixture.create();
        connection = JdbcVariant.byId(variant).connect(database);
        statement = connection.createStatement();
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        statement.close();
        connection.close();
        database.close();
    }

    @Benchmark
    public void changingLiterals(Blackhole bh) throws SQLException {
        id = id % H2Fixture.ROWS + 1;
        try (ResultSet rs = statement.executeQuery("SELECT id, name, email, balance FROM accounts WHERE id = " + id)) {
            rs.next();
            bh.consume(rs.getLong(1));
            bh.consume(rs.getString(2));
            bh.consume(rs.getString(3));
            bh.consume(rs.getBigDecimal(4));
        }
    }
}
