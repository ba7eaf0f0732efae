package io.governed.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CPU time per operation of the whole benchmark JVM, every thread counted: what a statement costs
 * the application, not only the thread that issued it. JMH's own score is the caller's wall-clock
 * time; work handed to background threads (an audit writer, a driver's I/O thread, the garbage
 * collector, the JIT) is invisible there, and on a busy machine it is what takes cores from the
 * application.
 *
 * <p>Use with {@code -prof io.governed.benchmarks.ProcessCpuProfiler}. For each measured iteration it
 * reads the process CPU time ({@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime}, user
 * plus system time of all threads) before and after, and divides by the operations of that iteration.
 * The operations are JMH's {@code allOps}: every operation every benchmark thread completed in the
 * iteration, including those of the ramp-up and ramp-down of a multi-threaded iteration, which is
 * the span the CPU delta covers too. That count is right for {@code avgt}, {@code thrpt} and
 * {@code sample} modes, and for {@code ss} it is the batch size. Results, in µs per operation:
 *
 * <ul>
 *   <li>{@code cpu.process}: all threads of the JVM;</li>
 *   <li>{@code cpu.benchmarkThreads}: the JMH worker threads only, the callers;</li>
 *   <li>{@code cpu.otherThreads}: the difference, work done for the callers elsewhere (background
 *       threads, GC, JIT, the JVM itself);</li>
 *   <li>{@code cpu.governedThreads}: the part of it on the governance's own threads (those named
 *       {@code governed-…}: the audit writers; one closed by the trial's tear-down, which JMH runs inside the last
 *       iteration, counts up to its last reading, taken every 10 ms); the rest of {@code cpu.otherThreads} is the JVM's
 *       (garbage collection, compilation) and other libraries';</li>
 *   <li>{@code cpu.cores}: process CPU time over wall-clock time, the cores the JVM kept busy on
 *       average (not per operation).</li>
 * </ul>
 *
 * JMH aggregates them over iterations and forks like its own score (mean and error).
 */
public final class ProcessCpuProfiler implements InternalProfiler {

    private static final String WORKER_THREAD_MARK = "-jmh-worker-";
    private static final String GOVERNED_THREAD_PREFIX = "governed-";
    private static final double NANOS_PER_MICRO = 1_000.0;
    private static final long WATCH_MILLIS = 10;

    private final com.sun.management.OperatingSystemMXBean os;
    private final com.sun.management.ThreadMXBean threads;

    private long processCpuBefore;
    private long wallBefore;
    private Map<Long, Long> workerCpuBefore = Map.of();
    private Map<Long, Long> governedCpuBefore = Map.of();
    /** The CPU time of the governance's threads, read every {@link #WATCH_MILLIS} ms while an iteration runs. */
    private final Map<Long, Long> governedCpuSeen = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long[] watched = new long[0];
    private Thread watcher;

    public ProcessCpuProfiler() {
        java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        if (!(bean instanceof com.sun.management.OperatingSystemMXBean cpu) || cpu.getProcessCpuTime() < 0) {
            throw new IllegalStateException("This JVM does not report process CPU time "
                    + "(com.sun.management.OperatingSystemMXBean); run on a HotSpot-based JDK");
        }
        this.os = cpu;
        this.threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("This JVM does not report per-thread CPU time");
        }
        threads.setThreadCpuTimeEnabled(true);
    }

    @Override
    public String getDescription() {
        return "CPU time per operation of the whole JVM (all threads), of the benchmark threads, and of the others";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        workerCpuBefore = cpuTimes(name -> name.contains(WORKER_THREAD_MARK));
        governedCpuBefore = cpuTimes(name -> name.startsWith(GOVERNED_THREAD_PREFIX));
        governedCpuSeen.clear();
        governedCpuSeen.putAll(governedCpuBefore);
        watched = governedCpuBefore.keySet().stream().mapToLong(Long::longValue).toArray();
        startWatcher();
        wallBefore = System.nanoTime();
        processCpuBefore = os.getProcessCpuTime();
    }

    @Override
    public List<Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        long processCpu = os.getProcessCpuTime() - processCpuBefore;
        long wall = System.nanoTime() - wallBefore;
        long workerCpu = cpuSince(workerCpuBefore, name -> name.contains(WORKER_THREAD_MARK));
        long governedCpu = governedCpuSince();
        long ops = result.getMetadata().getAllOps();
        double processPerOp = perOp(processCpu, ops);
        double workersPerOp = perOp(workerCpu, ops);
        return List.of(
                new ScalarResult("cpu.process", processPerOp, "us/op", AggregationPolicy.AVG),
                new ScalarResult("cpu.benchmarkThreads", workersPerOp, "us/op", AggregationPolicy.AVG),
                new ScalarResult("cpu.otherThreads", processPerOp - workersPerOp, "us/op", AggregationPolicy.AVG),
                new ScalarResult("cpu.governedThreads", perOp(governedCpu, ops), "us/op", AggregationPolicy.AVG),
                new ScalarResult("cpu.cores", wall > 0 ? (double) processCpu / wall : Double.NaN, "cores", AggregationPolicy.AVG));
    }

    private static double perOp(long nanos, long ops) {
        return ops > 0 ? nanos / NANOS_PER_MICRO / ops : Double.NaN;
    }

    /** CPU time so far of each live thread whose name {@code named} accepts, by thread id. */
    private Map<Long, Long> cpuTimes(Predicate<String> named) {
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids, 0);
        long[] cpu = threads.getThreadCpuTime(ids);
        Map<Long, Long> workers = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && cpu[i] >= 0 && named.test(infos[i].getThreadName())) {
                workers.put(ids[i], cpu[i]);
            }
        }
        return workers;
    }

    /**
     * Reads the CPU time of the governance's threads every {@link #WATCH_MILLIS} ms: JMH runs a benchmark's
     * trial-level tear-down inside its last iteration, before this profiler's {@code afterIteration}, so an audit
     * writer closed there has ended by then and its CPU time can no longer be read. For such a thread the last
     * reading counts (it misses at most the writer's last {@link #WATCH_MILLIS} ms: its final flush). Reading the
     * known threads' CPU costs a few microseconds per reading, counted in {@code cpu.otherThreads}.
     */
    private void startWatcher() {
        if (watcher != null) {
            return;
        }
        watcher = new Thread(() -> {
            while (true) {
                long[] ids = watched;
                if (ids.length > 0) {
                    long[] cpu = threads.getThreadCpuTime(ids);
                    for (int i = 0; i < ids.length; i++) {
                        if (cpu[i] >= 0) {
                            governedCpuSeen.put(ids[i], cpu[i]);
                        }
                    }
                }
                try {
                    Thread.sleep(WATCH_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "cpu-profiler-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * CPU time of the governance's threads since the iteration began: of those alive at its start, their time now,
     * or (ended meanwhile) their last reading; of those started since, their time whole.
     */
    private long governedCpuSince() {
        Map<Long, Long> now = cpuTimes(name -> name.startsWith(GOVERNED_THREAD_PREFIX));
        long total = 0;
        for (Map.Entry<Long, Long> before : governedCpuBefore.entrySet()) {
            Long end = now.get(before.getKey());
            if (end == null) {
                end = governedCpuSeen.getOrDefault(before.getKey(), before.getValue());
            }
            total += end - before.getValue();
        }
        for (Map.Entry<Long, Long> started : now.entrySet()) {
            if (!governedCpuBefore.containsKey(started.getKey())) {
                total += started.getValue();
            }
        }
        return total;
    }

    /**
     * CPU time the threads {@code named} accepts used since {@code before}; a thread that started since
     * counts whole. JMH keeps its workers alive for the whole trial, so none ends inside a measured
     * iteration.
     */
    private long cpuSince(Map<Long, Long> before, Predicate<String> named) {
        long total = 0;
        for (Map.Entry<Long, Long> now : cpuTimes(named).entrySet()) {
            total += now.getValue() - before.getOrDefault(now.getKey(), 0L);
        }
        return total;
    }
}
