import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;

/**
 * What {@code MaskingScanBenchmark}'s scan of 100,000 rows allocates per row, variant by variant, each in a class loader of
 * its own: the bytes the scanning thread allocated over a scan ({@code ThreadMXBean.getThreadAllocatedBytes}), after
 * {@code WARM} scans that let the JIT compile the scan (its escape analysis decides what is allocated), over
 * {@code MEASURED} scans. Unlike time, the bytes do not depend on what else the machine runs: a change that adds or
 * removes an object per row or per value shows here exactly. The scanning thread's CPU per scan is printed beside them
 * (lowest and median), as noisy as the machine.
 *
 * <p>Variants: {@code raw}, {@code rawFreshStrings}, {@code rawMasks}, {@code governedNoMask}, {@code governedMasked} as
 * {@code Interleaved.java scan} runs them (every value read with {@code getString}); with {@code /getObject} appended
 * ({@code governedMasked/getObject}), the same rows read with {@code getObject} instead, as an ORM reads them.
 *
 * <pre>
 * java -Xmx2g benchmarks/ScanAllocation.java benchmarks/target/benchmarks.jar raw,rawMasks,governedNoMask,governedMasked 60 10
 * java -Xmx2g benchmarks/ScanAllocation.java benchmarks/target/benchmarks.jar raw/getObject,governedMasked/getObject
 * java -Xmx2g -Dstatements=3000 benchmarks/ScanAllocation.java benchmarks/target/benchmarks.jar raw,governedNoMask,governedMasked 30 10
 * </pre>
 */
public class ScanAllocation {
    private static final int ROWS = 100_000;
    private static final String QUERY = "SELECT id, name, email, ssn, card_number, city, country, plan, balance, created FROM customers";
    /** Where a getObject scan leaves each value, so that the JIT cannot drop the read. */
    static volatile Object sink;

    /** {@code -Dstatements=N}: after the warm-up scans, N statements of the scan's query that find no row, twice (see {@link #emptyStatement}). */
    private static final int STATEMENTS = Integer.getInteger("statements", 0);

    /**
     * The bytes the scanning thread allocates and its CPU, per statement of the scan's query restricted to no row ({@code WHERE id = -1}), run
     * {@link #STATEMENTS} times through the variant's connection after the same number run before it: what the statement
     * alone costs once its code is compiled, which a run of a few scans (one statement each) leaves partly interpreted.
     */
    private static double[] emptyStatement(Connection connection, com.sun.management.ThreadMXBean mx) throws Exception {
        long tid = Thread.currentThread().getId();
        long spent = 0;
        long allocated = 0;
        for (int round = 0; round < 2; round++) {
            long c0 = mx.getThreadCpuTime(tid);
            long a0 = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < STATEMENTS; i++) {
                try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(QUERY + " WHERE id = -1")) {
                    while (rs.next()) {
                        sink = rs.getObject(1);
                    }
                }
            }
            spent = mx.getThreadCpuTime(tid) - c0;
            allocated = mx.getThreadAllocatedBytes(tid) - a0;
        }
        return new double[] {allocated / (double) STATEMENTS, spent / 1e3 / STATEMENTS};
    }

    public static void main(String[] args) throws Exception {
        String jar = args[0];
        String[] variants = args[1].split(",");
        int warm = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int measured = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.out.printf("%d warm-up scans, %d measured, %d rows each%n", warm, measured, ROWS);
        for (String spec : variants) {
            String variant = spec.split("/")[0];
            boolean getObject = spec.endsWith("/getObject");
            URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> type = loader.loadClass("io.governed.benchmarks.MaskingScanBenchmark");
            Object bench = type.getConstructor().newInstance();
            type.getField("variant").set(bench, variant.equals("rawMasks") ? "raw" : variant);
            type.getMethod("open").invoke(bench);
            Class<?> bhType = loader.loadClass("org.openjdk.jmh.infra.Blackhole");
            Object bh = bhType.getConstructor(String.class).newInstance(
                    "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
            Method scan = type.getMethod(variant.equals("rawMasks") ? "scanMasks" : "scan", bhType);
            Field field = type.getDeclaredField("connection"); // the variant's connection, for the getObject scan
            field.setAccessible(true);
            Connection connection = (Connection) field.get(bench);
            Runnable once = () -> {
                try {
                    if (getObject) {
                        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
                            while (rs.next()) {
                                for (int c = 1; c <= 10; c++) {
                                    sink = rs.getObject(c);
                                }
                            }
                        }
                    } else {
                        scan.invoke(bench, bh);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            };
            for (int i = 0; i < warm; i++) {
                once.run();
            }
            if (STATEMENTS > 0) {
                double[] each = emptyStatement(connection, mx);
                System.out.printf("%-26s statement with no row: allocated %8.1f B, thread CPU %6.1f µs each (noisy)%n", spec, each[0], each[1]);
            }
            long tid = Thread.currentThread().getId();
            long min = Long.MAX_VALUE;
            long total = 0;
            long[] cpu = new long[measured];
            for (int i = 0; i < measured; i++) {
                long c0 = mx.getThreadCpuTime(tid);
                long a = mx.getThreadAllocatedBytes(tid);
                once.run();
                long b = mx.getThreadAllocatedBytes(tid) - a;
                cpu[i] = mx.getThreadCpuTime(tid) - c0;
                min = Math.min(min, b);
                total += b;
            }
            Arrays.sort(cpu);
            System.out.printf("%-26s alloc min %7.1f B/row mean %7.1f B/row | thread CPU per scan min %6.2f ms median %6.2f ms (noisy)%n",
                    spec, min / (double) ROWS, total / ((double) measured * ROWS), cpu[0] / 1e6, cpu[measured / 2] / 1e6);
            type.getMethod("close").invoke(bench);
        }
    }
}
