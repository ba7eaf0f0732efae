import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.governed.benchmarks.fixture.PooledVariant;
import io.governed.benchmarks.fixture.PostgresFixture;
import io.governed.benchmarks.fixture.TpccFixture;
import io.governed.benchmarks.fixture.TpccTerminal;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What one transaction of the TPC-C-shaped mixed workload ({@code PostgresMixedWorkloadBenchmark}) costs in counts, not
 * in time, so that it can be measured on a machine others load: the bytes allocated per transaction by every thread of
 * the JVM (the statements' threads and the audit writer), and, in one of three modes,
 * <ul>
 *   <li>{@code -Dmode=calls}: bytes allocated on the caller's thread by each JDBC call the application makes (the data
 *       source's {@code getConnection}, each {@code prepareStatement}, {@code executeQuery}, a result's {@code close},
 *       the {@code commit}), per call and per transaction, and how many calls allocated more than 3,000 bytes (a
 *       decision made afresh, say);</li>
 *   <li>{@code -Dmode=driver}: the calls governance makes on the pool's connections, by method (and, for a statement
 *       text of its own, by text), per transaction: the round trips and statements it adds. The pool is then wrapped in
 *       a proxy that {@code GovernedDataSource} does not know, so run it with
 *       {@code -Dgoverned.connect.unlisted-data-source=allow};</li>
 *   <li>no mode: the allocation per transaction alone, with nothing in between.</li>
 * </ul>
 * Four threads share a HikariCP pool of four connections, as the benchmark runs them. Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar benchmarks/TpccCalls.java VARIANT WARMUP-TX MEASURED-TX}
 * (transactions per thread; the measured ones three times).
 */
public class TpccCalls {
    private static final int THREADS = 4;
    private static final com.sun.management.ThreadMXBean THREADS_MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** Per call name: calls, bytes, calls over 3,000 bytes, their bytes. */
    private static final Map<String, long[]> CALLS = new ConcurrentHashMap<>();
    private static volatile boolean counting;

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        int warmup = Integer.parseInt(args[1]);
        int measured = Integer.parseInt(args[2]);
        String mode = System.getProperty("mode", "");
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
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            DataSource under = mode.equals("driver") ? counted(pool, DataSource.class, "DataSource") : pool;
            DataSource dataSource = PooledVariant.byId(variant).over(under);
            if (mode.equals("calls")) {
                dataSource = measured(dataSource, DataSource.class, "DataSource");
            }
            TpccTerminal[] terminals = new TpccTerminal[THREADS];
            for (int i = 0; i < THREADS; i++) {
                terminals[i] = new TpccTerminal(dataSource, 0x6F7264L * 31 + i);
            }
            run(threads, terminals, warmup);
            for (int round = 1; round <= 3; round++) {
                CALLS.clear();
                long transactions = Arrays.stream(terminals).mapToLong(TpccTerminal::transactions).sum();
                long statements = Arrays.stream(terminals).mapToLong(TpccTerminal::statements).sum();
                long bytes = allocated();
                counting = true;
                run(threads, terminals, measured);
                counting = false;
                bytes = allocated() - bytes;
                transactions = Arrays.stream(terminals).mapToLong(TpccTerminal::transactions).sum() - transactions;
                statements = Arrays.stream(terminals).mapToLong(TpccTerminal::statements).sum() - statements;
                System.out.printf("%s round %d: %d transactions, %.2f statements per transaction, %.0f bytes allocated "
                        + "per transaction (all threads)%n", variant, round, transactions, (double) statements / transactions,
                        (double) bytes / transactions);
                if (round == 3) {
                    print(transactions, bytes);
                }
            }
        } finally {
            threads.shutdown();
        }
    }

    private static void print(long transactions, long bytes) {
        long sum = 0;
        for (Map.Entry<String, long[]> e : new TreeMap<>(CALLS).entrySet()) {
            long[] c = e.getValue();
            sum += c[1];
            if (System.getProperty("mode", "").equals("driver")) {
                System.out.printf("  %-66s %8.3f calls per transaction%n", e.getKey(), (double) c[0] / transactions);
                continue;
            }
            System.out.printf("  %-58s %8.3f calls %8.0f B/call %8.0f B; over 3,000 B: %.3f calls, %.0f B (per transaction)%n",
                    e.getKey(), (double) c[0] / transactions, c[0] == 0 ? 0.0 : (double) c[1] / c[0],
                    (double) c[1] / transactions, (double) c[2] / transactions, (double) c[3] / transactions);
        }
        if (sum > 0) {
            System.out.printf("  in the calls above %.0f B per transaction; elsewhere (other threads, the terminals) %.0f B%n",
                    (double) sum / transactions, (double) (bytes - sum) / transactions);
        }
    }

    /** Bytes allocated so far by the live threads (the pool's and the writer's live as long as the run). */
    private static long allocated() {
        long sum = 0;
        for (long id : THREADS_MX.getAllThreadIds()) {
            long b = THREADS_MX.getThreadAllocatedBytes(id);
            if (b > 0) {
                sum += b;
            }
        }
        return sum;
    }

    private static void run(ExecutorService threads, TpccTerminal[] terminals, int perThread) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (TpccTerminal t : terminals) {
            done.add(threads.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    t.runOne();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }

    private static void count(String name, long bytes) {
        if (!counting) {
            return;
        }
        long[] c = CALLS.computeIfAbsent(name, k -> new long[4]);
        synchronized (c) {
            c[0]++;
            c[1] += bytes;
            if (bytes > 3000) {
                c[2]++;
                c[3] += bytes;
            }
        }
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** {@code target} as the application sees it, each call's allocation on the caller's thread counted. */
    @SuppressWarnings("unchecked")
    private static <T> T measured(Object target, Class<T> type, String name) {
        return (T) Proxy.newProxyInstance(TpccCalls.class.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
            long before = THREADS_MX.getCurrentThreadAllocatedBytes();
            Object r = invoke(target, m, a);
            count(name + "." + m.getName(), THREADS_MX.getCurrentThreadAllocatedBytes() - before);
            if (r instanceof ResultSet rs) {
                return measured(rs, ResultSet.class, "ResultSet");
            } else if (r instanceof PreparedStatement ps && !(r instanceof CallableStatement)) {
                return measured(ps, PreparedStatement.class, "PreparedStatement");
            } else if (r instanceof Connection c) {
                return measured(c, Connection.class, "Connection");
            }
            return r;
        });
    }

    /** {@code target} as governance sees it, each call counted by method and, for a text not the workload's, by text. */
    @SuppressWarnings("unchecked")
    private static <T> T counted(Object target, Class<T> type, String name) {
        return (T) Proxy.newProxyInstance(TpccCalls.class.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
            count(name + "." + m.getName() + textOf(m, a), 0);
            Object r = invoke(target, m, a);
            if (m.getName().equals("unwrap") || m.getName().equals("isWrapperFor")) {
                return r;
            } else if (r instanceof CallableStatement cs) {
                return counted(cs, CallableStatement.class, "CallableStatement");
            } else if (r instanceof PreparedStatement ps) {
                return counted(ps, PreparedStatement.class, "PreparedStatement");
            } else if (r instanceof Statement s) {
                return counted(s, Statement.class, "Statement");
            } else if (r instanceof DatabaseMetaData md) {
                return counted(md, DatabaseMetaData.class, "DatabaseMetaData");
            } else if (r instanceof Connection c) {
                return counted(c, Connection.class, "Connection");
            }
            return r;
        });
    }

    private static String textOf(Method m, Object[] args) {
        if (!(m.getName().startsWith("prepare") || m.getName().startsWith("execute") || m.getName().equals("addBatch"))
                || args == null || args.length == 0 || !(args[0] instanceof String sql)) {
            return "";
        }
        if (sql.contains("govbench_tpcc")) {
            return "(workload)";
        }
        String words = sql.replaceAll("\\s+", " ");
        return "(" + (words.length() > 40 ? words.substring(0, 40) + "…" : words) + ")";
    }

    private TpccCalls() {
    }
}
