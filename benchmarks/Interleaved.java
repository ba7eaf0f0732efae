import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Process CPU per statement of the kept prepared point select, for several variants and builds in one JVM, taking
 * turns: for a machine where JMH's few iterations per variant leave intervals wider than the differences sought.
 *
 * <p>Each variant of each benchmarks jar gets a class loader of its own (its own copy of the driver, the wrapper
 * and their JIT profiles; only the JDK is shared). A round runs {@code OPS} point selects on each in turn, then
 * sleeps {@code SETTLE} ms so that a variant's audit writer finishes its flush window inside that variant's turn,
 * and charges the whole JVM's CPU time over the turn (all threads: {@code getProcessCpuTime}) to that variant.
 * Work another variant left behind (its garbage, the JIT) falls on whoever runs next, so the order of turns is
 * rotated every round and a third of the rounds are warm-up. Prints, per variant, the mean CPU per statement
 * and the mean of the per-round differences to the first variant of the same jar, each with its 95% interval
 * (1.96 standard errors), and the caller thread's CPU per statement. With {@code -Dthreads=true} it also prints
 * each busy thread's CPU (and the kernel's part of it) over the whole run per statement of one variant (the audit writer's, the JIT's, the GC's).
 * With {@code -Dqualified=true} the PostgreSQL select names its table with its schema ({@code public.}); with
 * {@code -DpreparePerStatement=true} each statement is prepared afresh and closed, as an ORM does.
 *
 * <p>The JVM counts process CPU time in clock ticks (10 ms on Linux), so a turn should take a good fraction of a
 * second of CPU: {@code OPS} of 10,000 on PostgreSQL, 200,000 on H2. The tick's rounding error averages out in the
 * mean over rounds.
 *
 * <pre>
 * java -Xmx2g benchmarks/Interleaved.java pg 60 10000 raw,governed,governedJsonl benchmarks/target/benchmarks.jar
 * java -Xmx2g benchmarks/Interleaved.java h2 60 200000 raw,governedUrl before.jar after.jar
 * java -Xmx2g -Dthreads=true benchmarks/Interleaved.java pg 30 6000 governedJsonl benchmarks/target/benchmarks.jar
 * java -Xmx2g -Dqualified=true benchmarks/Interleaved.java pg 45 6000 raw,governedUrl before.jar after.jar
 * java -Xmx2g -DpreparePerStatement=true benchmarks/Interleaved.java pg 45 6000 raw,governedUrl before.jar after.jar
 * </pre>
 */
public class Interleaved {
    private static final int SETTLE_MS = 30;

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: Interleaved pg|h2 ROUNDS OPS VARIANT[,VARIANT...] JAR [JAR...]");
            System.exit(2);
        }
        String database = args[0];
        int rounds = Integer.parseInt(args[1]);
        int ops = Integer.parseInt(args[2]);
        String[] variants = args[3].split(",");
        String[] jars = Arrays.copyOfRange(args, 4, args.length);
        List<Turn> turns = new ArrayList<>();
        for (String jar : jars) {
            for (String variant : variants) {
                turns.add(new Turn(database, jar, variant));
            }
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int n = turns.size();
        double[][] process = new double[n][rounds];
        double[][] caller = new double[n][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < n; i++) {
                int k = (i + r) % n;
                Turn t = turns.get(k);
                long cpu0 = os.getProcessCpuTime();
                long thread0 = threads.getCurrentThreadCpuTime();
                t.run(ops);
                long thread1 = threads.getCurrentThreadCpuTime();
                Thread.sleep(SETTLE_MS);
                long cpu1 = os.getProcessCpuTime();
                process[k][r] = (cpu1 - cpu0) / 1e3 / ops;
                caller[k][r] = (thread1 - thread0) / 1e3 / ops;
            }
        }
        int from = rounds / 3;
        System.out.printf("%d rounds (%d measured), %d statements per turn, CPU per statement in µs%n", rounds, rounds - from, ops);
        System.out.printf("%-44s %20s %10s %22s%n", "", "process: mean ± 95%", "caller", "process − first");
        for (int k = 0; k < n; k++) {
            double[] p = Arrays.copyOfRange(process[k], from, rounds);
            double[] c = Arrays.copyOfRange(caller[k], from, rounds);
            int first = k - k % variants.length;
            double[] d = new double[rounds - from];
            for (int r = from; r < rounds; r++) {
                d[r - from] = process[k][r] - process[first][r];
            }
            System.out.printf("%-44s %20s %10.2f %22s%n", turns.get(k).name(), mean(p), meanAndError(c)[0],
                    k == first ? "" : mean(d));
        }
        if (Boolean.getBoolean("threads")) {
            // every thread's CPU over the whole run (warm-up included), per statement of one variant's rounds
            double statements = (double) rounds * ops;
            System.out.printf("%nthreads' CPU over the whole run, µs per statement of one variant (-Dthreads=true)%n");
            for (long id : threads.getAllThreadIds()) {
                java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
                long cpu = threads.getThreadCpuTime(id);
                long user = threads.getThreadUserTime(id);
                if (info != null && cpu > 20_000_000L) {
                    System.out.printf("  %-60s %8.2f (kernel %.2f)%n", info.getThreadName(), cpu / 1e3 / statements,
                            (cpu - user) / 1e3 / statements);
                }
            }
        }
        for (Turn t : turns) {
            t.close();
        }
    }

    /** The mean with its 95% interval (1.96 standard errors). */
    private static String mean(double[] x) {
        double[] m = meanAndError(x);
        return String.format("%8.2f ± %5.2f", m[0], m[1]);
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

    /** One variant of one jar: its class loader, fixture, connection and kept statement. */
    private static final class Turn {
        private final String name;
        private final Connection connection;
        private final PreparedStatement statement;
        private final String select;
        /** {@code -DpreparePerStatement=true}: each statement prepared afresh and closed, as an ORM does. */
        private final boolean preparePerStatement = Boolean.getBoolean("preparePerStatement");
        private final int rows;
        private long lastId;
        private long sink;

        Turn(String database, String jar, String variant) throws Exception {
            this.name = new File(jar).getName() + " " + variant;
            URLClassLoader loader = new URLClassLoader(new URL[] {new File(jar).toURI().toURL()}, ClassLoader.getPlatformClassLoader());
            Thread.currentThread().setContextClassLoader(loader);
            // DriverManager hands a caller only the drivers its own class loader sees: register this loader's
            for (String driver : List.of("org.h2.Driver", "org.postgresql.Driver", "io.governed.jdbc.GovernedDriver")) {
                Class.forName(driver, true, loader);
            }
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

        String name() {
            return name;
        }

        void run(int ops) throws Exception {
            for (int i = 0; i < ops; i++) {
                if (preparePerStatement) {
                    try (PreparedStatement fresh = connection.prepareStatement(select)) {
                        select(fresh);
                    }
                } else {
                    select(statement);
                }
            }
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

        void close() throws Exception {
            statement.close();
            connection.close();
        }
    }
}
