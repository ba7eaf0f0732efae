package io.governed.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.governed.benchmarks.fixture.PooledVariant;
import io.governed.benchmarks.fixture.PostgresFixture;
import io.governed.benchmarks.fixture.TpccFixture;
import io.governed.benchmarks.fixture.TpccTerminal;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An order-entry workload in the shape of TPC-C on PostgreSQL ({@link TpccFixture}): four threads
 * share a HikariCP pool of four connections, and each operation is one whole transaction of the
 * new-order / payment / order-status mix ({@link TpccTerminal}), its statements prepared afresh in
 * every transaction as an ORM does. The score is transactions per second; with
 * {@code -prof io.governed.benchmarks.ProcessCpuProfiler}, {@code cpu.process} is the JVM's CPU time
 * per transaction. Run {@code raw} and {@code governedJsonl} in one invocation and compare.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(PostgresMixedWorkloadBenchmark.THREADS)
@Warmup(iterations = 5, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(1)
public class PostgresMixedWorkloadBenchmark {
    static final int THREADS = 4;

    /** The pool, the variant around it, and the statement counts of every terminal. */
    @State(Scope.Benchmark)
    public static class Workload {
        /** The {@link PooledVariant#id()} of the way to the database. */
        @Param({"raw", "governedJsonl"})
        public String variant;

        /**
         * Transactions a second of all threads together, each thread parked between its own (a service at a modest
         * load, whose trail's flush windows hold fewer events); 0 (the default): each thread runs its transactions
         * one after the other, as fast as they go. With a pace the score is the pace, if the variant keeps it, and
         * {@code cpu.process} per transaction is what the service pays at that load.
         */
        @Param({"0"})
        public int pace;

        HikariDataSource pool;
        DataSource dataSource;
        final Queue<TpccTerminal> terminals = new ConcurrentLinkedQueue<>();

        @Setup(Level.Trial)
        public void start() throws SQLException {
            PostgresFixture server = PostgresFixture.configured().requireAvailable();
            try (Connection c = server.rawDataSource().getConnection()) {
                TpccFixture.loadOnce(c);
                TpccFixture.reset(c);
            }
            HikariConfig config = new HikariConfig();
            config.setPoolName("govbench-tpcc");
            config.setJdbcUrl(server.url());
            config.setDataSourceProperties(server.driverProperties());
            config.setMaximumPoolSize(THREADS);
            config.setMinimumIdle(THREADS);
            config.setAutoCommit(false);
            pool = new HikariDataSource(config);
            dataSource = PooledVariant.byId(variant).over(pool);
        }

        @TearDown(Level.Trial)
        public void stop() {
            long committed = terminals.stream().mapToLong(TpccTerminal::transactions).sum();
            long statements = terminals.stream().mapToLong(TpccTerminal::statements).sum();
            long retries = terminals.stream().mapToLong(TpccTerminal::retries).sum();
            System.out.printf("%n%s: %d transactions in the trial, %.1f statements per transaction, %d run again after a deadlock%n",
                    variant, committed, committed == 0 ? 0.0 : (double) statements / committed, retries);
            pool.close();
        }
    }

    /** One benchmark thread's client, with its own random sequence. */
    @State(Scope.Thread)
    public static class Client {
        TpccTerminal terminal;
        /** With a pace: the time between two of this thread's transactions, and when its next is due. */
        long gapNanos;
        long next;

        @Setup(Level.Trial)
        public void start(Workload workload, ThreadParams thread) {
            terminal = new TpccTerminal(workload.dataSource, 0x6F7264L * 31 + thread.getThreadIndex());
            workload.terminals.add(terminal);
            if (workload.pace > 0) {
                gapNanos = TimeUnit.SECONDS.toNanos(1) * THREADS / workload.pace;
                // the threads' schedules spread over one gap, so that transactions come evenly, not four at once
                next = System.nanoTime() + gapNanos * thread.getThreadIndex() / THREADS;
            }
        }
    }

    @Benchmark
    public long transaction(Client client) throws SQLException {
        if (client.gapNanos > 0) {
            LockSupport.parkNanos(client.next - System.nanoTime());
            // a thread behind its schedule (a slow transaction, or an iteration's start) runs at once, without a burst
            client.next = Math.max(client.next + client.gapNanos, System.nanoTime());
        }
        return client.terminal.runOne();
    }
}
