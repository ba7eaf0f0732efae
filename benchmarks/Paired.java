import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares two builds with {@code Interleaved.java}, each build in JVMs of its own: for {@code PAIRS} pairs, one
 * {@code Interleaved} run with build A's jar alone and one with build B's, in alternating order (A then B, B then A,
 * ...). Within a run the variants take turns as {@code Interleaved} describes, so each run yields, per variant, its
 * mean difference in process CPU per operation to the run's first variant (usually {@code raw}) and its throughput
 * ratio to it. This prints, per build and variant, the mean of those over the runs with a 95% interval (Student's
 * t over the runs), and the mean of B − A over the pairs with its interval.
 *
 * <p>Why not both jars in one {@code Interleaved} run: classes of the JDK that both builds call (collections, locks,
 * {@code ThreadLocal}) are shared, and the JIT's profiles of them mix both builds' calls; on this project's H2 point
 * select the jar loaded second measured 0.1 to 0.2 µs per statement lower than the same jar loaded first, as large as
 * the changes being measured. A JVM per build has no such order; pairing runs close in time takes out the machine's
 * drift, and alternating the order within pairs takes out what a run leaves behind for the next (page cache, the
 * server's state).
 *
 * <pre>
 * java benchmarks/Paired.java 4 h2 30 200000 raw,governedUrl before.jar after.jar
 * java -Djvm=-Xmx3g benchmarks/Paired.java 3 pg 30 6000 raw,governedJsonl before.jar after.jar
 * java -Djvm=-Xmx3g benchmarks/Paired.java 4 scan 30 5 raw,rawMasks,governedNoMask,governedMasked before.jar after.jar
 * </pre>
 *
 * {@code -Djvm=...} passes options (space-separated) to each run's JVM; {@code -Dsysprops=...} passes
 * {@code -D} options to {@code Interleaved} the same way (for example {@code -Dsysprops=-DpreparePerStatement=true}).
 * Each run's own table is printed as it ends.
 */
public class Paired {

    /** Two-sided 95% quantiles of Student's t for 1 to 30 degrees of freedom. */
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
            2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
            2.052, 2.048, 2.045, 2.042};

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: Paired PAIRS pg|h2|tpcc|scan ROUNDS AMOUNT VARIANT[,VARIANT...] A.jar B.jar");
            System.exit(2);
        }
        int pairs = Integer.parseInt(args[0]);
        String[] jars = {args[5], args[6]};
        // run from the project's directory or from benchmarks/
        String interleaved = new File("benchmarks/Interleaved.java").isFile() ? "benchmarks/Interleaved.java" : "Interleaved.java";
        boolean server = args[1].equals("pg") || args[1].equals("tpcc");
        // a scan's cost is told as its time over the first variant's (the inverse of the throughput ratio), as its aims are
        boolean scan = args[1].equals("scan");
        // per build: variant -> one value per run
        List<Map<String, List<double[]>>> byBuild = List.of(new LinkedHashMap<>(), new LinkedHashMap<>());
        for (int p = 0; p < pairs; p++) {
            for (int j = 0; j < 2; j++) {
                int build = p % 2 == 0 ? j : 1 - j;
                System.out.printf("%n== pair %d of %d, %s%n", p + 1, pairs, jars[build]);
                for (String[] result : run(interleaved, args, jars[build])) {
                    byBuild.get(build).computeIfAbsent(result[0], v -> new ArrayList<>()).add(new double[] {
                            Double.parseDouble(result[1]), Double.parseDouble(result[2]), Double.parseDouble(result[3])});
                }
            }
        }
        String first = args[4].split(",")[0];
        System.out.printf("%n%d pairs of runs; per run, each variant against %s in the same JVM (process CPU per %s, µs)%n",
                pairs, first, args[1].equals("tpcc") ? "transaction" : scan ? "scan" : "statement");
        System.out.printf("%-22s %-24s %-24s %-24s%n", "variant", "process − " + first, "throughput ÷ " + first,
                server ? "server − " + first : scan ? "time ÷ " + first : "");
        for (String variant : byBuild.get(0).keySet()) {
            for (int b = 0; b < 2; b++) {
                List<double[]> runs = byBuild.get(b).get(variant);
                if (runs == null) {
                    continue;
                }
                System.out.printf("%-22s %-24s %-24s %-24s  (%s)%n", variant, interval(column(runs, 0), "%.2f"),
                        interval(column(runs, 1), "%.4f"), server ? interval(column(runs, 2), "%.2f")
                                : scan ? interval(inverse(column(runs, 1)), "%.3f") : "", new File(jars[b]).getName());
            }
            List<double[]> a = byBuild.get(0).get(variant);
            List<double[]> bRuns = byBuild.get(1).get(variant);
            if (a != null && bRuns != null && a.size() == bRuns.size()) {
                double[] diff = new double[a.size()];
                double[] ratio = new double[a.size()];
                double[] time = new double[a.size()];
                for (int i = 0; i < diff.length; i++) {
                    diff[i] = bRuns.get(i)[0] - a.get(i)[0];
                    ratio[i] = bRuns.get(i)[1] - a.get(i)[1];
                    time[i] = 1 / bRuns.get(i)[1] - 1 / a.get(i)[1];
                }
                System.out.printf("%-22s %-24s %-24s %-24s  (%s − %s, paired)%n", variant, interval(diff, "%+.2f"),
                        interval(ratio, "%+.4f"), scan ? interval(time, "%+.3f") : "", new File(jars[1]).getName(),
                        new File(jars[0]).getName());
            }
        }
    }

    /** Runs {@code Interleaved} with one jar; echoes its output and returns its result lines' fields. */
    private static List<String[]> run(String interleaved, String[] args, String jar) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
        for (String option : System.getProperty("jvm", "").split(" ")) {
            if (!option.isBlank()) {
                command.add(option);
            }
        }
        for (String option : System.getProperty("sysprops", "").split(" ")) {
            if (!option.isBlank()) {
                command.add(option);
            }
        }
        command.addAll(List.of(interleaved, args[1], args[2], args[3], args[4], jar));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String[]> results = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("result\t")) {
                    String[] fields = line.split("\t");
                    // "<jar file> <variant>": the variant's name is the last word
                    String name = fields[1].substring(fields[1].lastIndexOf(' ') + 1);
                    results.add(new String[] {name, fields[2], fields[3], fields[4]});
                } else {
                    System.out.println(line);
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException("Interleaved with " + jar + " ended with exit code " + exit);
        }
        if (results.isEmpty()) {
            throw new IllegalStateException("Interleaved with " + jar + " printed no results: give at least two variants");
        }
        return results;
    }

    private static double[] column(List<double[]> runs, int c) {
        return runs.stream().mapToDouble(r -> r[c]).toArray();
    }

    /** Each value's inverse: a throughput ratio as a ratio of times. */
    private static double[] inverse(double[] x) {
        return java.util.Arrays.stream(x).map(v -> 1 / v).toArray();
    }

    /** Mean ± half-width of its 95% interval (Student's t); the mean alone for one value. */
    private static String interval(double[] x, String format) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        if (x.length < 2) {
            return String.format(Locale.ROOT, format, mean);
        }
        double squares = 0;
        for (double v : x) {
            squares += (v - mean) * (v - mean);
        }
        double error = T95[Math.min(x.length - 1, T95.length) - 1] * Math.sqrt(squares / (x.length - 1) / x.length);
        return String.format(Locale.ROOT, format + " ± " + format.replace("+", ""), mean, error);
    }
}
