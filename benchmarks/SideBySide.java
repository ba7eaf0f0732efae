import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares builds of {@code MaskingScanBenchmark} side by side in one JVM, for a machine too busy for
 * JMH's times: each variant of each benchmarks jar runs in a class loader of its own, and the six (or
 * more) scans take turns, one operation each, so load from outside falls on all of them alike. Prints
 * the thread CPU time per operation of each (after a third of the rounds as warm-up) and each build's
 * ratios to its own {@code raw}.
 *
 * <pre>
 * java -Xmx4g benchmarks/SideBySide.java 240 before.jar after.jar
 * java -Xmx4g -Dvariants=raw,rawFreshStrings,governedNoMask,governedMasked benchmarks/SideBySide.java 150 benchmarks.jar
 * java -Xmx4g -Dvariants=raw,rawMasks,governedNoMask,governedMasked benchmarks/SideBySide.java 150 benchmarks.jar
 * </pre>
 *
 * The first variant ({@code raw} by default) is the one the others' ratios are taken to.
 *
 * <p>Two jars in one JVM are not compared fairly: the jar loaded second measured its masked scan up to 5% faster
 * than the first, whichever build it was (the JDK's shared code, compiled for the first, serves both). To compare
 * builds, run {@code Paired.java} with its {@code scan} mode, which runs each build in JVMs of its own:
 * {@code java -Djvm=-Xmx3g benchmarks/Paired.java 4 scan 30 5 raw,rawMasks,governedNoMask,governedMasked before.jar after.jar}.
 */
public class SideBySide {
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        String[] jars = Arrays.copyOfRange(args, 1, args.length);
        String[] variants = System.getProperty("variants", "raw,governedNoMask,governedMasked").split(",");
        List<Object> benchmarks = new ArrayList<>();
        List<Object> blackholes = new ArrayList<>();
        List<Method> scans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String jar : jars) {
            URLClassLoader loader = new URLClassLoader(new URL[] {new File(jar).toURI().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Class<?> benchmark = loader.loadClass("io.governed.benchmarks.MaskingScanBenchmark");
            Class<?> blackhole = loader.loadClass("org.openjdk.jmh.infra.Blackhole");
            Thread.currentThread().setContextClassLoader(loader);
            for (String variant : variants) {
                Object b = benchmark.getConstructor().newInstance();
                benchmark.getField("variant").set(b, variant);
                benchmark.getMethod("open").invoke(b);
                benchmarks.add(b);
                blackholes.add(blackhole.getConstructor(String.class).newInstance(
                        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous."));
                // rawMasks (the masks alone, on the raw driver's values) has a scan method of its own
                scans.add(benchmark.getMethod(variant.equals("rawMasks") ? "scanMasks" : "scan", blackhole));
                names.add(new File(jar).getName() + " " + variant);
            }
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int n = benchmarks.size();
        double[][] cpu = new double[n][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < n; k++) {
                long start = threads.getCurrentThreadCpuTime();
                scans.get(k).invoke(benchmarks.get(k), blackholes.get(k));
                cpu[k][r] = (threads.getCurrentThreadCpuTime() - start) / 1e6;
            }
        }
        int warmUp = rounds / 3;
        double[] p25 = new double[n];
        for (int k = 0; k < n; k++) {
            double[] x = Arrays.copyOfRange(cpu[k], warmUp, rounds);
            Arrays.sort(x);
            p25[k] = x[x.length / 4];
            System.out.printf("%-40s CPU ms/op: min %6.2f  p25 %6.2f  median %6.2f%n", names.get(k), x[0], p25[k], x[x.length / 2]);
        }
        for (int j = 0; j < jars.length; j++) {
            StringBuilder ratios = new StringBuilder();
            for (int v = 1; v < variants.length; v++) {
                ratios.append(v > 1 ? ", " : "").append(variants[v]).append(String.format(" %.2f", p25[j * variants.length + v] / p25[j * variants.length]));
            }
            System.out.printf("%-40s p25 / %s: %s%n", new File(jars[j]).getName(), variants[0], ratios);
        }
    }
}
