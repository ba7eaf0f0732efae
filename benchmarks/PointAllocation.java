import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * What {@code PointSelectBenchmark.keptPreparedStatement} (the kept prepared point select on H2: bind, execute, read
 * the row's four columns, close the result) allocates per statement, variant by variant and jar by jar, each in a class
 * loader of its own: the bytes the calling thread allocated ({@code ThreadMXBean.getThreadAllocatedBytes}) over
 * {@code MEASURED} statements, after {@code WARM} statements that let the JIT compile the path (its escape analysis
 * decides what is allocated), and the bytes every thread of the JVM allocated meanwhile (a variant that hands work to a
 * background thread, an audit writer, shows it there). Unlike time, the bytes do not depend on what else the machine
 * runs: an object more or less per statement shows exactly. The calling thread's CPU per statement is printed beside
 * them, as noisy as the machine. Three measured runs per variant; the first may still hold the JIT's last compilations.
 * With {@code -Ddatabase=pg}, {@code PostgresPointSelectBenchmark.keptPreparedStatement} on the PostgreSQL server instead
 * (its {@code Database} and {@code KeptSelect} states set up as JMH does; the {@code Postgres*} variants are there too).
 *
 * <p>With {@code -Djfr=FILE} (where {@code VARIANT} in the name is replaced by the variant's id) and
 * {@code -Djfc=SETTINGS} (a JFR settings file: execution samples every millisecond, allocation samples), the measured
 * statements are recorded, the warm-up left out; add {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints}
 * so that a sample in compiled code is named by the method the JIT inlined it from.
 *
 * <pre>
 * java -Xmx1g benchmarks/PointAllocation.java benchmarks/target/benchmarks.jar raw,governedUrl 1000000 1000000
 * java -Xmx1g benchmarks/PointAllocation.java base.jar,new.jar raw,governedUrl
 * java -Xmx1g -Ddatabase=pg benchmarks/PointAllocation.java benchmarks/target/benchmarks.jar raw,governedJsonl 50000 50000
 * </pre>
 */
public class PointAllocation {

    public static void main(String[] args) throws Exception {
        String[] jars = args[0].split(",");
        String[] variants = args[1].split(",");
        int warm = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        int measured = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
        boolean postgres = "pg".equals(System.getProperty("database"));
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.out.printf("%d warm-up statements, %d measured, three times%n", warm, measured);
        for (String jar : jars) {
            for (String variant : variants) {
                URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()},
                        ClassLoader.getPlatformClassLoader());
                Thread.currentThread().setContextClassLoader(loader);
                // DriverManager hands a caller only the drivers its own class loader sees: register this loader's
                for (String driver : new String[] {"org.h2.Driver", "io.governed.jdbc.GovernedDriver"}) {
                    Class.forName(driver, true, loader);
                }
                Class<?> bhType = loader.loadClass("org.openjdk.jmh.infra.Blackhole");
                Object hole = bhType.getConstructor(String.class).newInstance(
                        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
                Object bench;
                Object[] blackhole;
                Method statement;
                Runnable close;
                if (postgres) {
                    // PostgresPointSelectBenchmark.keptPreparedStatement with its two states, as JMH sets them up
                    Class<?> type = loader.loadClass("io.governed.benchmarks.PostgresPointSelectBenchmark");
                    Class<?> dbType = loader.loadClass("io.governed.benchmarks.PostgresPointSelectBenchmark$Database");
                    Class<?> keptType = loader.loadClass("io.governed.benchmarks.PostgresPointSelectBenchmark$KeptSelect");
                    bench = type.getConstructor().newInstance();
                    Object database = dbType.getConstructor().newInstance();
                    dbType.getField("variant").set(database, variant);
                    dbType.getMethod("connect").invoke(database);
                    Object kept = keptType.getConstructor().newInstance();
                    keptType.getMethod("prepare", dbType).invoke(kept, database);
                    blackhole = new Object[] {database, kept, hole};
                    statement = type.getMethod("keptPreparedStatement", dbType, keptType, bhType);
                    close = () -> {
                        try {
                            keptType.getMethod("close").invoke(kept);
                            dbType.getMethod("close").invoke(database);
                        } catch (ReflectiveOperationException e) {
                            throw new IllegalStateException(e);
                        }
                    };
                } else {
                    Class<?> type = loader.loadClass("io.governed.benchmarks.PointSelectBenchmark");
                    bench = type.getConstructor().newInstance();
                    type.getField("variant").set(bench, variant);
                    type.getMethod("openDatabase").invoke(bench);
                    blackhole = new Object[] {hole};
                    statement = type.getMethod("keptPreparedStatement", bhType);
                    close = () -> {
                        try {
                            type.getMethod("closeDatabase").invoke(bench);
                        } catch (ReflectiveOperationException e) {
                            throw new IllegalStateException(e);
                        }
                    };
                }
                for (int i = 0; i < warm; i++) {
                    statement.invoke(bench, blackhole);
                }
                String jfr = System.getProperty("jfr");
                jdk.jfr.Recording recording = null;
                if (jfr != null) {
                    recording = new jdk.jfr.Recording(jdk.jfr.Configuration.create(Path.of(System.getProperty("jfc"))));
                    recording.start();
                }
                for (int run = 0; run < 3; run++) {
                    long[] threads = mx.getAllThreadIds();
                    long everyThread = sum(mx.getThreadAllocatedBytes(threads));
                    long caller = mx.getCurrentThreadAllocatedBytes();
                    long cpu = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < measured; i++) {
                        statement.invoke(bench, blackhole);
                    }
                    caller = mx.getCurrentThreadAllocatedBytes() - caller;
                    cpu = mx.getCurrentThreadCpuTime() - cpu;
                    everyThread = sum(mx.getThreadAllocatedBytes(threads)) - everyThread;
                    System.out.printf("%-20s %-16s calling thread %7.1f B/statement, every thread %7.1f B/statement,"
                                    + " calling thread's CPU %.2f µs/statement%n", Path.of(jar).getFileName(), variant,
                            (double) caller / measured, (double) everyThread / measured, cpu / 1000.0 / measured);
                }
                if (recording != null) {
                    recording.stop();
                    recording.dump(Path.of(jfr.replace("VARIANT", variant)));
                }
                close.run();
            }
        }
    }

    private static long sum(long[] bytes) {
        long sum = 0;
        for (long b : bytes) {
            if (b > 0) {
                sum += b; // -1: the thread ended meanwhile
            }
        }
        return sum;
    }
}
