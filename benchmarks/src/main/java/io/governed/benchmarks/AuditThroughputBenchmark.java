package io.governed.benchmarks;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditSettings;
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
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Audit events per second through the {@code jsonl} sink: events of a typical size handed to the
 * dispatcher in {@code block} mode, so the rate measured is what the writer sustains (canonical
 * JSON, the SHA-256 chain, the file, and with {@code fsync=window} one fsync per flush window), not
 * what a queue can absorb.
 *
 * <p>While the writer keeps up, it encodes and hashes each event itself; when it falls behind, as it does here, the
 * threads that submit events encode them ahead of the chain, as an application's statement threads do, and the
 * writer hashes, links and writes.
 *
 * <p>Each iteration writes to a new, empty directory (made in its set-up, removed in its tear-down; the
 * {@code dir} parameter says under which directory, the JVM's temporary directory by default), so every iteration
 * starts from the same state: at these rates an iteration writes one to two gigabytes, and on the 2-core machine
 * of {@code benchmarks/README.md} the file system slows down several times once a few gigabytes have been written
 * and kept (on the disk and on {@code tmpfs} alike), which would make later iterations measure that, not the sink.
 * Events still queued when an iteration ends (at most one queue's capacity) are counted and written in its
 * tear-down.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuditThroughputBenchmark {

    /** The fsync policy of the trail: {@code window} (the default: one fsync per flush window) or {@code never}. */
    @Param({"window", "never"})
    public String fsync;

    /** The directory under which each iteration's trail is written; empty for the JVM's temporary directory. */
    @Param({""})
    public String dir;

    /** The queue's capacity ({@code governed.audit.queue-capacity}); 8192 is the default. */
    @Param({"8192"})
    public int queueCapacity;

    private AuditDispatcher dispatcher;
    private AuditEvent event;
    private Path directory;

    @Setup(Level.Iteration)
    public void open() throws IOException {
        directory = dir.isEmpty() ? Files.createTempDirectory("governed-audit-bench")
                : Files.createTempDirectory(Path.of(dir), "governed-audit-bench");
        Path trail = directory.resolve("audit.jsonl");
        dispatcher = AuditDispatcher.start("jsonl:" + trail + "?fsync=" + fsync + "&max-size=1GB",
                AuditSettings.defaults().withQueueCapacity(queueCapacity));
        event = AuditThroughputBenchmark.typicalEvent();
    }

    /** An event of a typical size (about 600 bytes of JSON): an agent's select on behalf of a human. */
    static AuditEvent typicalEvent() {
        return AuditEvent.builder()
                .time(Instant.now())
                .connectionId("gc-1")
                .identity(Identity.builder("support-bot").kind(IdentityKind.AGENT).groups("support")
                        .onBehalfOf(Identity.human("alice")).purpose("ticket 4711").build())
                .action("select")
                .statement("select id, name, email, balance from accounts where id = ?")
                .fingerprint("46123280039c39fa")
                .tables(List.of("PUBLIC.ACCOUNTS"))
                .columns(List.of("PUBLIC.ACCOUNTS.ID", "PUBLIC.ACCOUNTS.NAME", "PUBLIC.ACCOUNTS.EMAIL", "PUBLIC.ACCOUNTS.BALANCE"))
                .decision(AuditDecision.ALLOW)
                .rules(List.of("services-crud"))
                .reason("Allowed by rule services-crud")
                .maskedColumns(List.of("email"))
                .rows(1L)
                .durationUs(12L)
                .build();
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        dispatcher.close();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Benchmark
    public void submit() throws Exception {
        dispatcher.submit(event);
    }
}
