package io.governed.benchmarks;

import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.benchmarks.fixture.DurableAppendFloor;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What one audit event costs the whole process at a given event rate: events of a typical size
 * submitted to a {@code jsonl} trail with {@code fsync=window} (the defaults) at a fixed pace, and
 * the CPU of every thread divided by the events. Run it with the process CPU profiler, which reports
 * the writer's share as {@code cpu.otherThreads}:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar AuditCostAtRate -prof io.governed.benchmarks.ProcessCpuProfiler
 * </pre>
 *
 * A writer woken per event, or syncing tiny batches, costs more per event the slower events come;
 * one that works in flush windows costs about the same per event at 5,000 events/s as at 500,000.
 * The caller sleeps (parks) between events at 5,000/s, so its own CPU is the submit alone; at
 * 500,000/s (2 µs apart) it spins between events, which shows in {@code cpu.benchmarkThreads} only.
 *
 * <p>{@code -p trail=jsonl,floor} sets the sink against {@link DurableAppendFloor}: the same lines hashed into a
 * chain, written once and forced once per window, with nothing else done; what any durable hash-chained trail pays
 * per line on this machine. {@code cpu.governedThreads} is the writer's CPU per event in both. With {@code trail=floor},
 * {@code -p lineBytes=640,1280} sets each line's size (its newline included; {@link DurableAppendFloor#lineOf}) in
 * place of the typical event's line: what the floor costs per byte. {@code -p windowMillis=10,50} sets the flush window
 * of either trail: what one window's write and force cost, spread over the events of a window.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class AuditCostAtRateBenchmark {

    /** Below this gap between events the caller spins instead of parking (a park overshoots by tens of µs). */
    private static final long SPIN_BELOW_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    /** Events per second the caller submits. */
    @Param({"5000", "500000"})
    public int eventsPerSecond;

    /** The trail's {@code fsync} option: {@code window} (durable, the default) or {@code never} (what the forcing costs). */
    @Param({"window"})
    public String fsync;

    /** {@code jsonl}: the sink, through the dispatcher; {@code floor}: {@link DurableAppendFloor}, the least such a trail costs. */
    @Param({"jsonl"})
    public String trail;

    /** {@code floor} only: each line's size in bytes, its newline included; 0: the typical event's line. */
    @Param({"0"})
    public int lineBytes;

    /** The flush window in milliseconds, for both trails; 0: the default ({@code governed.audit.flush-interval}). */
    @Param({"0"})
    public int windowMillis;

    private AuditDispatcher dispatcher;
    private DurableAppendFloor floor;
    private AuditEvent event;
    private Path directory;
    private long gapNanos;
    private long next;

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("governed-audit-rate");
        Path file = directory.resolve("audit.jsonl");
        event = AuditThroughputBenchmark.typicalEvent();
        AuditSettings settings = windowMillis == 0 ? AuditSettings.defaults()
                : AuditSettings.defaults().withFlushInterval(Duration.ofMillis(windowMillis));
        switch (trail) {
            case "jsonl" -> dispatcher = AuditDispatcher.start("jsonl:" + file + "?fsync=" + fsync + "&max-size=256MB",
                    settings);
            case "floor" -> floor = new DurableAppendFloor(lineBytes == 0 ? typicalLine(directory)
                    : DurableAppendFloor.lineOf(lineBytes), file, fsync.equals("window"),
                    settings.flushInterval().toNanos());
            default -> throw new IllegalArgumentException("trail is jsonl or floor, not " + trail);
        }
        if (lineBytes != 0 && !trail.equals("floor")) {
            throw new IllegalArgumentException("lineBytes sets the floor's lines (trail=floor), not the " + trail + " sink's");
        }
        gapNanos = TimeUnit.SECONDS.toNanos(1) / eventsPerSecond;
        next = System.nanoTime();
    }

    /** The line the sink writes for the typical event. */
    private static String typicalLine(Path directory) throws IOException {
        Path one = directory.resolve("one.jsonl");
        try (AuditDispatcher d = AuditDispatcher.start("jsonl:" + one, AuditSettings.defaults())) {
            d.submit(AuditThroughputBenchmark.typicalEvent());
        } catch (Exception e) {
            throw new IOException("could not write the typical event's line", e);
        }
        return Files.readAllLines(one).get(0);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        if (dispatcher != null) {
            dispatcher.close();
        } else {
            floor.close();
        }
        // removing the trail's files is left to the JVM's exit: JMH runs this tear-down inside the last measured
        // iteration, whose process CPU would count the file system's work
        Path trailDirectory = directory;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var files = Files.walk(trailDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not remove the benchmark's audit trail " + trailDirectory + ": " + e);
            }
        }, "audit-rate-cleanup"));
    }

    /** One event at the set pace: waits for its slot, then submits. */
    @Benchmark
    public void submitAtRate() throws Exception {
        next += gapNanos;
        long wait = next - System.nanoTime();
        if (wait < -TimeUnit.MILLISECONDS.toNanos(100)) {
            next = System.nanoTime(); // fell far behind (a GC, a descheduled thread): do not catch up in a burst
        } else if (wait >= SPIN_BELOW_NANOS) {
            LockSupport.parkNanos(wait);
        } else {
            while (System.nanoTime() - next < 0) {
                Thread.onSpinWait();
            }
        }
        if (floor != null) {
            floor.submit();
        } else {
            dispatcher.submit(event);
        }
    }
}
