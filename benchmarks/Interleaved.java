import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Process CPU per operation and throughput, for several variants and builds in one JVM, taking turns: for a machine
 * where JMH's few iterations per variant leave intervals wider than the differences sought. The operation is the
 * kept prepared point select ({@code pg}, {@code h2}) or one transaction of the TPC-C-shaped mixed workload on
 * PostgreSQL ({@code tpcc}).
 *
 * <p>Each variant of each benchmarks jar gets a class loader of its own (its own copy of the driver, the wrapper,
 * the pool and their JIT profiles; only the JDK is shared). A round runs one turn on each in turn, then sleeps
 * {@code SETTLE} ms so that a variant's audit writer finishes its flush window inside that variant's turn, and
 * charges the whole JVM's CPU time over the turn (all threads: {@code getProcessCpuTime}) to that variant. Work
 * another variant left behind (its garbage, the JIT) falls on whoever runs next, so the order of turns is rotated
 * every round and a third of the rounds are warm-up ({@code -Dwarmup=N} makes it the first N rounds). Prints, per variant, the mean CPU per operation and the mean
 * of the per-round differences to the first variant of the same jar, each with its 95% interval (1.96 standard
 * errors); the CPU of the threads that issued the statements per operation, and its kernel part; the JIT compilers'
 * CPU per operation over the turn (from {@code /proc/self/task}: a variant still being compiled shows it there) and the
 * difference to the first variant with each turn's JIT CPU taken out (what a process that has finished compiling
 * pays: the governed variants bring more code to compile, and at a third of 30 rounds of 6,000 statements the JIT is
 * still at it);
 * operations per second and the mean of the per-round ratios of that to the first variant's. On PostgreSQL
 * ({@code pg}, {@code tpcc}) on the same machine it also prints the database server's CPU per operation over the same
 * turn (every process named {@code postgres}, from {@code /proc}): the work governance makes the server do (its
 * catalog queries) is paid there, not in the JVM. With {@code -Dthreads=true} it also prints each busy thread's CPU
 * (and the kernel's part of it) over the whole run per operation of one variant (the audit writer's), and the JVM's
 * collector and compiler threads' (grouped by name).
 * With {@code -Dmark=true} it prints a line before each turn ({@code === round R turn VARIANT at MS ms}, the JVM's
 * uptime), so that what the JVM prints itself ({@code -XX:+PrintCompilation}) falls under a round and a variant, and a
 * compilation log's stamps ({@code -XX:+LogCompilation}, seconds of uptime) can be matched to the rounds.
 *
 * <p>{@code pg} and {@code h2}: a turn is {@code AMOUNT} point selects on one connection from the calling thread.
 * With {@code -Dqualified=true} the PostgreSQL select names its table with its schema ({@code public.}); with
 * {@code -DpreparePerStatement=true} each statement is prepared afresh and closed, as an ORM does; with
 * {@code -Dpace=N} the statements come N a second, the calling thread parked between them (a service at a modest
 * rate: each trail's flush window then holds fewer events).
 *
 * <p>{@code tpcc}: a turn is {@code AMOUNT} milliseconds of {@code PostgresMixedWorkloadBenchmark}'s workload:
 * four threads, each with its own terminal, share a HikariCP pool of four connections (wrapped by
 * {@code GovernedDataSource} for the governed variants, {@code raw}, {@code governed}, {@code governedJsonl},
 * {@code governedJsonlUnforced}, {@code governedJsonlInMemory}, {@code governedJsonlShortWindow},
 * {@code governedSlf4j}, {@code governedSlf4jLogged}); each transaction prepares its statements afresh. A thread
 * finishes the transaction it is in when the time is up; throughput is the transactions over the turn's whole time.
 * With {@code -Dpace=N} the four terminals together start N transactions a second, each parked between its own (CPU
 * per transaction at a modest load; the throughput then says only whether a variant kept the pace). The variants'
 * pools use the same tables, whose orders grow over the run, equally for each variant as the turns rotate.
 *
 * <p>{@code scan}: a turn is {@code AMOUNT} of {@code MaskingScanBenchmark}'s full scans (100,000 rows × 10 columns
 * on H2) from the calling thread, for its variants {@code raw}, {@code rawMasks}, {@code rawFreshStrings},
 * {@code governedNoMask} and {@code governedMasked}; the throughput ratio to {@code raw} is then the inverse of the
 * scan's time over raw's, which is how its aims are put.
 *
 * <p>The JVM counts process CPU time in clock ticks (10 ms on Linux), so a turn should take a good fraction of a
 * second of CPU: {@code AMOUNT} of 10,000 on PostgreSQL, 200,000 on H2, 2,000 ms for {@code tpcc}. The tick's
 * rounding error averages out in the mean over rounds.
 *
 * <pre>
 * java -Xmx2g benchmarks/Interleaved.java pg 60 10000 raw,governed,governedJsonl benchmarks/target/benchmarks.jar
 * java -Xmx2g benchmarks/Interleaved.java h2 60 200000 raw,governedUrl before.jar after.jar
 * java -Xmx2g -Dthreads=true benchmarks/Interleaved.java pg 30 6000 governedJsonl benchmarks/target/benchmarks.jar
 * java -Xmx2g -Dqualified=true benchmarks/Interleaved.java pg 45 6000 raw,governedUrl before.jar after.jar
 * java -Xmx2g -DpreparePerStatement=true benchmarks/Interleaved.java pg 45 6000 raw,governedUrl before.jar after.jar
 * java -Xmx2g benchmarks/Interleaved.java tpcc 30 2000 raw,governedJsonl before.jar after.jar
 * java -Xmx2g -Dpace=400 benchmarks/Interleaved.java tpcc 30 2000 raw,governed,governedJsonl benchmarks/target/benchmarks.jar
 * java -Xmx3g benchmarks/Interleaved.java scan 30 5 raw,rawMasks,governedNoMask,governedMasked benchmarks/target/benchmarks.jar
 * </pre>
 */
public class Interleaved {
    /**
     * The pause after each turn, inside its measurement: longer than the audit's flush window (100 ms by default), so
     * that the events of a turn's last window are written and forced on that variant's account, not on the next one's.
     */
    private static final int SETTLE_MS = 150;
    private static final boolean MARK = Boolean.getBoolean("mark");

    public static void main(String[] args) throws Exception {
        if (args.length < 5 || !List.of("pg", "h2", "tpcc", "scan").contains(args[0])) {
            System.err.println("usage: Interleaved pg|h2|tpcc|scan ROUNDS AMOUNT VARIANT[,VARIANT...] JAR [JAR...]");
            System.err.println("  AMOUNT: point selects per turn (pg, h2), milliseconds per turn (tpcc), scans per turn (scan)");
            System.exit(2);
        }
        String database = args[0];
        int rounds = Integer.parseInt(args[1]);
        int amount = Integer.parseInt(args[2]);
        String[] variants = args[3].split(",");
        String[] jars = Arrays.copyOfRange(args, 4, args.length);
        List<Turn> turns = new ArrayList<>();
        for (String jar : jars) {
            for (String variant : variants) {
                turns.add(database.equals("tpcc") ? new MixedWorkload(jar, variant, turns.isEmpty())
                        : database.equals("scan") ? new Scan(jar, variant) : new PointSelect(database, jar, variant));
            }
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int n = turns.size();
        double[][] process = new double[n][rounds];
        double[][] callers = new double[n][rounds];
        double[][] callersKernel = new double[n][rounds];
        double[][] server = new double[n][rounds];
        double[][] compiler = new double[n][rounds];
        boolean serverMeasured = (database.equals("pg") || database.equals("tpcc")) && ServerCpu.readable();
        double[][] throughput = new double[n][rounds];
        long[] operations = new long[n];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < n; i++) {
                int k = (i + r) % n;
                if (MARK) {
                    // -Dmark=true: a line before each turn, so that the JVM's own output (-XX:+PrintCompilation,
                    // -Xlog:deoptimization) can be told apart by round and variant
                    System.out.println("=== round " + r + " turn " + turns.get(k).name() + " at "
                            + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
                }
                long server0 = serverMeasured ? ServerCpu.nanos() : 0;
                long jit0 = JvmThreads.compilerNanos();
                long cpu0 = os.getProcessCpuTime();
                Done done = turns.get(k).run(amount);
                Thread.sleep(SETTLE_MS);
                long cpu1 = os.getProcessCpuTime();
                long server1 = serverMeasured ? ServerCpu.nanos() : 0;
                server[k][r] = (server1 - server0) / 1e3 / done.operations();
                compiler[k][r] = (JvmThreads.compilerNanos() - jit0) / 1e3 / done.operations();
                process[k][r] = (cpu1 - cpu0) / 1e3 / done.operations();
                callers[k][r] = done.callersCpuNanos() / 1e3 / done.operations();
                callersKernel[k][r] = (done.callersCpuNanos() - done.callersUserNanos()) / 1e3 / done.operations();
                throughput[k][r] = done.operations() * 1e9 / done.wallNanos();
                operations[k] += done.operations();
            }
        }
        int from = Integer.getInteger("warmup", rounds / 3);
        if (from < 1 || from >= rounds) {
            throw new IllegalArgumentException("-Dwarmup=" + from + " must leave at least one of the " + rounds
                    + " rounds measured and warm up at least one: give a number from 1 to " + (rounds - 1));
        }
        List<String> results = new ArrayList<>();
        String unit = database.equals("tpcc") ? "transaction" : database.equals("scan") ? "scan" : "statement";
        System.out.printf("%d rounds (%d measured), %d %s per turn, CPU per %s in µs%n", rounds, rounds - from, amount,
                database.equals("tpcc") ? "ms" : database.equals("scan") ? "scans" : "statements", unit);
        System.out.printf("%-40s %18s %9s %9s %9s %18s %18s %16s %16s%s%n", "", "process: mean ± 95%", "callers", "kernel", "JIT",
                "process − first", "same, JIT excluded", "per second", "÷ first", serverMeasured ? String.format(" %18s %18s", "server: mean ± 95%", "server − first") : "");
        for (int k = 0; k < n; k++) {
            int first = k - k % variants.length;
            double[] d = new double[rounds - from];
            double[] q = new double[rounds - from];
            double[] s = new double[rounds - from];
            double[] w = new double[rounds - from];
            for (int r = from; r < rounds; r++) {
                d[r - from] = process[k][r] - process[first][r];
                w[r - from] = d[r - from] - (compiler[k][r] - compiler[first][r]);
                q[r - from] = throughput[k][r] / throughput[first][r];
                s[r - from] = server[k][r] - server[first][r];
            }
            System.out.printf("%-40s %18s %9.2f %9.2f %9.2f %18s %18s %16s %16s%s%n", turns.get(k).name(), mean(process[k], from),
                    meanAndError(Arrays.copyOfRange(callers[k], from, rounds))[0],
                    meanAndError(Arrays.copyOfRange(callersKernel[k], from, rounds))[0],
                    meanAndError(Arrays.copyOfRange(compiler[k], from, rounds))[0], k == first ? "" : mean(d, 0),
                    k == first ? "" : mean(w, 0),
                    mean(throughput[k], from), k == first ? "" : String.format("%7.3f ± %5.3f", meanAndError(q)[0], meanAndError(q)[1]),
                    serverMeasured ? String.format(" %18s %18s", mean(server[k], from), k == first ? "" : mean(s, 0)) : "");
            if (k != first) {
                results.add(String.format(java.util.Locale.ROOT, "result\t%s\t%.4f\t%.5f\t%.4f\t%.4f", turns.get(k).name(),
                        meanAndError(d)[0], meanAndError(q)[0], meanAndError(s)[0], meanAndError(w)[0]));
            }
        }
        // one line per variant other than each jar's first, for Paired.java: the mean per-round differences of
        // process CPU per operation (µs) and of the server's, and the mean ratio of throughput, to that first variant;
        // last, the difference of process CPU with the JIT compilers' CPU of each turn taken out
        results.forEach(System.out::println);
        if (Boolean.getBoolean("threads")) {
            // every thread's CPU over the whole run (warm-up included), per operation of one variant
            double perVariant = Arrays.stream(operations).sum() / (double) n;
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            System.out.printf("%nthreads' CPU over the whole run, µs per %s of one variant (-Dthreads=true)%n", unit);
            for (long id : threads.getAllThreadIds()) {
                java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
                long cpu = threads.getThreadCpuTime(id);
                long user = threads.getThreadUserTime(id);
                if (info != null && cpu > 20_000_000L) {
                    System.out.printf("  %-60s %8.2f (kernel %.2f)%n", info.getThreadName() + " #" + id, cpu / 1e3 / perVariant,
                            (cpu - user) / 1e3 / perVariant);
                }
            }
            // the JVM's own threads (the collector's, the JIT's), which the thread bean does not list
            JvmThreads.byName().forEach((name, nanos) -> {
                if (nanos > 20_000_000L) {
                    System.out.printf("  %-60s %8.2f%n", "(JVM) " + name, nanos / 1e3 / perVariant);
                }
            });
        }
        for (Turn t : turns) {
            t.close();
        }
    }

    /** The mean of {@code x} from index {@code from} on, with its 95% interval (1.96 standard errors). */
    private static String mean(double[] x, int from) {
        double[] m = meanAndError(Arrays.copyOfRange(x, from, x.length));
        return String.format("%8.2f ± %6.2f", m[0], m[1]);
    }

    private static double[] meanAndError(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        double mean = sum / x.length;
        double squares = 0;
        for (double v : x) {
            squares += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(squares / Math.max(1, x.length - 1));
        return new double[] {mean, 1.96 * sd / Math.sqrt(x.length)};
    }

    /** A class loader of its own for one variant of {@code jar}, with the drivers DriverManager should hand its classes. */
    private static URLClassLoader loaderFor(String jar) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[] {new File(jar).toURI().toURL()}, ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        // DriverManager hands a caller only the drivers its own class loader sees: register this loader's
        for (String driver : List.of("org.h2.Driver", "org.postgresql.Driver", "io.governed.jdbc.GovernedDriver")) {
            Class.forName(driver, true, loader);
        }
        return loader;
    }

    /**
     * One process's or thread's {@code /proc/…/stat}: its command name and its user and system time, counted in clock
     * ticks of 10 ms (Linux's usual {@code USER_HZ}).
     */
    private record ProcStat(String command, long cpuNanos) {
        private static final long NANOS_PER_TICK = 10_000_000L;

        /** The stat of the process or thread whose {@code /proc} directory is {@code dir}; {@code null} when it ended. */
        static ProcStat of(File dir) {
            try {
                String stat = java.nio.file.Files.readString(new File(dir, "stat").toPath());
                int close = stat.lastIndexOf(')');
                // after the command: the state (field 3) ... utime (field 14), stime (field 15)
                String[] fields = stat.substring(close + 2).split(" ");
                return new ProcStat(stat.substring(stat.indexOf('(') + 1, close),
                        (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK);
            } catch (java.io.IOException | RuntimeException gone) {
                return null; // it ended between the listing and the read
            }
        }

        /** The stats of the entries of {@code dir} ({@code /proc}'s processes, or a process's {@code task} threads). */
        static List<ProcStat> under(File dir) {
            List<ProcStat> stats = new ArrayList<>();
            File[] entries = dir.listFiles();
            for (File entry : entries == null ? new File[0] : entries) {
                ProcStat stat = entry.getName().chars().allMatch(Character::isDigit) ? of(entry) : null;
                if (stat != null) {
                    stats.add(stat);
                }
            }
            return stats;
        }
    }

    /**
     * The CPU time of the database server's processes on this machine (every process named {@code postgres}: its
     * backends, the WAL writer, the checkpointer, autovacuum). What governance makes the server do (the catalog
     * queries it runs) shows here and not in the JVM's process CPU.
     */
    private static final class ServerCpu {
        static boolean readable() {
            return ProcStat.of(new File("/proc/self")) != null && nanos() > 0;
        }

        static long nanos() {
            long nanos = 0;
            for (ProcStat process : ProcStat.under(new File("/proc"))) {
                if (process.command().equals("postgres")) {
                    nanos += process.cpuNanos();
                }
            }
            return nanos;
        }
    }

    /** The CPU time of the JVM's own threads (collector, compilers), from {@code /proc/self/task}. */
    private static final class JvmThreads {
        /** The JVM's own threads' CPU by name (numbers stripped: every {@code GC Thread#n} together). */
        static java.util.Map<String, Long> byName() {
            java.util.Map<String, Long> jvm = new java.util.TreeMap<>();
            for (ProcStat thread : ProcStat.under(new File("/proc/self/task"))) {
                String name = thread.command();
                if (name.startsWith("GC ") || name.startsWith("G1 ") || name.startsWith("C1 ") || name.startsWith("C2 ")
                        || name.startsWith("VM ")) {
                    jvm.merge(name.replaceAll("[#0-9]+$", "").trim(), thread.cpuNanos(), Long::sum);
                }
            }
            return jvm;
        }

        /** The JIT compilers' CPU so far (0 where {@code /proc} cannot be read). */
        static long compilerNanos() {
            long nanos = 0;
            for (java.util.Map.Entry<String, Long> e : byName().entrySet()) {
                if (e.getKey().startsWith("C1 ") || e.getKey().startsWith("C2 ")) {
                    nanos += e.getValue();
                }
            }
            return nanos;
        }
    }

    /**
     * What one turn did: operations completed, the CPU of the threads that ran them (and its user-mode part), and the
     * turn's time.
     */
    private record Done(long operations, long callersCpuNanos, long callersUserNanos, long wallNanos) { }

    /** One variant of one jar, named after both. */
    private abstract static class Turn implements AutoCloseable {
        private final String name;

        Turn(String jar, String variant) {
            this.name = new File(jar).getName() + " " + variant;
        }

        final String name() {
            return name;
        }

        /** Runs one turn of {@code amount} (statements, or milliseconds). */
        abstract Done run(int amount) throws Exception;
    }

    /** The kept prepared point select on one connection, from the calling thread. */
    private static final class PointSelect extends Turn {
        private final Connection connection;
        private final PreparedStatement statement;
        private final String select;
        /** {@code -DpreparePerStatement=true}: each statement prepared afresh and closed, as an ORM does. */
        private final boolean preparePerStatement = Boolean.getBoolean("preparePerStatement");
        /**
         * {@code -Dpace=N}: N statements a second, the thread parked between them (as a service serving requests
         * at that rate is), instead of one after the other; 0 (the default): as fast as they go.
         */
        private final long gapNanos = gapNanos(Long.getLong("pace", 0));
        private final int rows;
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private long lastId;
        private long sink;

        PointSelect(String database, String jar, String variant) throws Exception {
            super(jar, variant);
            URLClassLoader loader = loaderFor(jar);
            Object fixture;
            String select;
            if (database.equals("pg")) {
                Class<?> pg = loader.loadClass("io.governed.benchmarks.fixture.PostgresFixture");
                fixture = pg.getMethod("configured").invoke(null);
                fixture = pg.getMethod("requireAvailable").invoke(fixture);
                fixture = pg.getMethod("accounts").invoke(fixture);
                select = (String) pg.getField("POINT_SELECT").get(null);
                if (Boolean.getBoolean("qualified")) {
                    select = select.replace(" FROM ", " FROM public."); // the table named with its schema
                }
                rows = pg.getField("ROWS").getInt(null);
            } else {
                Class<?> h2 = loader.loadClass("io.governed.benchmarks.fixture.H2Fixture");
                fixture = h2.getMethod("create").invoke(null);
                select = (String) h2.getField("POINT_SELECT").get(null);
                rows = h2.getField("ROWS").getInt(null);
            }
            Class<?> variants = loader.loadClass("io.governed.benchmarks.fixture.JdbcVariant");
            Class<?> databases = loader.loadClass("io.governed.benchmarks.fixture.BenchmarkDatabase");
            Object v = variants.getMethod("byId", String.class).invoke(null, variant);
            connection = (Connection) variants.getMethod("connect", databases).invoke(v, fixture);
            statement = connection.prepareStatement(select);
            this.select = select;
        }

        /** The time between two statements at {@code pace} a second; 0 for no pace. */
        private static long gapNanos(long pace) {
            return pace > 0 ? TimeUnit.SECONDS.toNanos(1) / pace : 0;
        }

        @Override
        Done run(int ops) throws Exception {
            long thread0 = threads.getCurrentThreadCpuTime();
            long user0 = threads.getCurrentThreadUserTime();
            long wall0 = System.nanoTime();
            long next = wall0;
            for (int i = 0; i < ops; i++) {
                if (gapNanos > 0) {
                    next += gapNanos;
                    LockSupport.parkNanos(next - System.nanoTime());
                }
                if (preparePerStatement) {
                    try (PreparedStatement fresh = connection.prepareStatement(select)) {
                        select(fresh);
                    }
                } else {
                    select(statement);
                }
            }
            long wall1 = System.nanoTime();
            return new Done(ops, threads.getCurrentThreadCpuTime() - thread0, threads.getCurrentThreadUserTime() - user0,
                    wall1 - wall0);
        }

        private void select(PreparedStatement statement) throws Exception {
            lastId = lastId % rows + 1;
            statement.setLong(1, lastId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("no row " + lastId);
                }
                sink += row.getLong(1);
                sink += row.getString(2).length();
                sink += row.getString(3).length();
                sink += row.getBigDecimal(4).scale();
            }
        }

        @Override
        public void close() throws Exception {
            statement.close();
            connection.close();
        }
    }

    /**
     * {@code MaskingScanBenchmark}'s scan of 100,000 rows × 10 columns on H2, read with {@code getString}, from the
     * calling thread: {@code raw}, {@code rawMasks} (the raw driver's values, three columns masked by the mask functions
     * called directly), {@code governedNoMask}, {@code governedMasked}, {@code rawFreshStrings}.
     */
    private static final class Scan extends Turn {
        private final Object benchmark;
        private final Object blackhole;
        private final java.lang.reflect.Method scan;
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        Scan(String jar, String variant) throws Exception {
            super(jar, variant);
            URLClassLoader loader = loaderFor(jar);
            Class<?> type = loader.loadClass("io.governed.benchmarks.MaskingScanBenchmark");
            Class<?> blackholes = loader.loadClass("org.openjdk.jmh.infra.Blackhole");
            benchmark = type.getConstructor().newInstance();
            type.getField("variant").set(benchmark, variant);
            type.getMethod("open").invoke(benchmark);
            blackhole = blackholes.getConstructor(String.class).newInstance(
                    "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
            // rawMasks (the masks alone, on the raw driver's values) has a scan method of its own
            scan = type.getMethod(variant.equals("rawMasks") ? "scanMasks" : "scan", blackholes);
        }

        @Override
        Done run(int scans) throws Exception {
            long thread0 = threads.getCurrentThreadCpuTime();
            long user0 = threads.getCurrentThreadUserTime();
            long wall0 = System.nanoTime();
            for (int i = 0; i < scans; i++) {
                scan.invoke(benchmark, blackhole);
            }
            long wall1 = System.nanoTime();
            return new Done(scans, threads.getCurrentThreadCpuTime() - thread0, threads.getCurrentThreadUserTime() - user0,
                    wall1 - wall0);
        }

        @Override
        public void close() throws Exception {
            benchmark.getClass().getMethod("close").invoke(benchmark);
        }
    }

    /** The mixed workload: four threads with a terminal each on a pool of four connections, for a given time. */
    private static final class MixedWorkload extends Turn {
        private static final int THREADS = 4;
        /**
         * {@code -Dpace=N}: N transactions a second in all, each terminal parked between its transactions (a service
         * at a modest load: the trail's flush windows hold fewer events, and the CPU per transaction is what such a
         * service pays); 0 (the default): each terminal runs its transactions one after the other. A terminal that
         * falls behind its schedule runs its next transaction at once, and keeps its pace from there.
         */
        private final long gapNanos = PointSelect.gapNanos(Long.getLong("pace", 0)) * THREADS;
        private final AutoCloseable pool;
        private final Object[] terminals = new Object[THREADS];
        private final MethodHandle runOne;
        private final MethodHandle transactions;
        private final MethodHandle statements;
        private final MethodHandle retries;
        private final ExecutorService workers;
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        MixedWorkload(String jar, String variant, boolean resetTables) throws Exception {
            super(jar, variant);
            URLClassLoader loader = loaderFor(jar);
            Class<?> pg = loader.loadClass("io.governed.benchmarks.fixture.PostgresFixture");
            Object server = pg.getMethod("requireAvailable").invoke(pg.getMethod("configured").invoke(null));
            Class<?> tpcc = loader.loadClass("io.governed.benchmarks.fixture.TpccFixture");
            try (Connection c = ((DataSource) pg.getMethod("rawDataSource").invoke(server)).getConnection()) {
                tpcc.getMethod("loadOnce", Connection.class).invoke(null, c);
                if (resetTables) {
                    tpcc.getMethod("reset", Connection.class).invoke(null, c);
                }
            }
            // the pool as PostgresMixedWorkloadBenchmark configures it
            Class<?> configType = loader.loadClass("com.zaxxer.hikari.HikariConfig");
            Object config = configType.getConstructor().newInstance();
            configType.getMethod("setPoolName", String.class).invoke(config, "interleaved-" + variant);
            configType.getMethod("setJdbcUrl", String.class).invoke(config, pg.getMethod("url").invoke(server));
            configType.getMethod("setDataSourceProperties", Properties.class).invoke(config, pg.getMethod("driverProperties").invoke(server));
            configType.getMethod("setMaximumPoolSize", int.class).invoke(config, THREADS);
            configType.getMethod("setMinimumIdle", int.class).invoke(config, THREADS);
            configType.getMethod("setAutoCommit", boolean.class).invoke(config, false);
            DataSource hikari = (DataSource) loader.loadClass("com.zaxxer.hikari.HikariDataSource")
                    .getConstructor(configType).newInstance(config);
            pool = (AutoCloseable) hikari;
            Class<?> pooled = loader.loadClass("io.governed.benchmarks.fixture.PooledVariant");
            DataSource dataSource = (DataSource) pooled.getMethod("over", DataSource.class)
                    .invoke(pooled.getMethod("byId", String.class).invoke(null, variant), hikari);
            Class<?> terminal = loader.loadClass("io.governed.benchmarks.fixture.TpccTerminal");
            for (int i = 0; i < THREADS; i++) {
                // the seeds of PostgresMixedWorkloadBenchmark's threads
                terminals[i] = terminal.getConstructor(DataSource.class, long.class).newInstance(dataSource, 0x6F7264L * 31 + i);
            }
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodType counter = MethodType.methodType(long.class);
            runOne = lookup.findVirtual(terminal, "runOne", counter).asType(MethodType.methodType(long.class, Object.class));
            transactions = lookup.findVirtual(terminal, "transactions", counter).asType(MethodType.methodType(long.class, Object.class));
            statements = lookup.findVirtual(terminal, "statements", counter).asType(MethodType.methodType(long.class, Object.class));
            retries = lookup.findVirtual(terminal, "retries", counter).asType(MethodType.methodType(long.class, Object.class));
            AtomicInteger count = new AtomicInteger();
            workers = Executors.newFixedThreadPool(THREADS, task -> {
                Thread t = new Thread(task, "interleaved-" + variant + "-" + count.incrementAndGet());
                t.setContextClassLoader(loader);
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        Done run(int millis) throws Exception {
            long wall0 = System.nanoTime();
            long deadline = wall0 + millis * 1_000_000L;
            List<Future<long[]>> runs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Object terminal = terminals[t];
                // paced: the terminals' starts spread over one gap, so that transactions come evenly, not four at once
                long first = wall0 + gapNanos * t / THREADS;
                runs.add(workers.submit(() -> {
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    long user0 = threads.getCurrentThreadUserTime();
                    long done = 0;
                    long sink = 0;
                    long next = first;
                    try {
                        do {
                            if (gapNanos > 0) {
                                LockSupport.parkNanos(next - System.nanoTime());
                                next = Math.max(next + gapNanos, System.nanoTime()); // behind: at once, no burst
                            }
                            sink += (long) runOne.invokeExact(terminal);
                            done++;
                        } while (System.nanoTime() < deadline);
                    } catch (Throwable e) {
                        throw new IllegalStateException("a transaction of " + name() + " failed", e);
                    }
                    return new long[] {done, threads.getCurrentThreadCpuTime() - cpu0,
                            threads.getCurrentThreadUserTime() - user0, sink};
                }));
            }
            long done = 0;
            long cpu = 0;
            long user = 0;
            for (Future<long[]> run : runs) {
                long[] result = run.get();
                done += result[0];
                cpu += result[1];
                user += result[2];
            }
            return new Done(done, cpu, user, System.nanoTime() - wall0);
        }

        @Override
        public void close() throws Exception {
            long committed = 0;
            long statementCount = 0;
            long retried = 0;
            try {
                for (Object terminal : terminals) {
                    committed += (long) transactions.invokeExact(terminal);
                    statementCount += (long) statements.invokeExact(terminal);
                    retried += (long) retries.invokeExact(terminal);
                }
            } catch (Throwable e) {
                throw new IllegalStateException("cannot read the terminals' counts", e);
            }
            System.out.printf("%s: %d transactions, %.1f statements per transaction, %d run again after a deadlock%n",
                    name(), committed, committed == 0 ? 0.0 : (double) statementCount / committed, retried);
            workers.shutdown();
            pool.close();
        }
    }
}
