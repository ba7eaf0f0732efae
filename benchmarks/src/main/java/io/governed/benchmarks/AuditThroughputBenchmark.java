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
 * <p>The sink encodes and hashes each event up to its place in the chain on the thread that submits it, as an
 * application's statement threads do; with one benchmark thread ({@code -t 1}) that thread is the limit, with
 * two ({@code -t 2}) the two cores share the encoding and the writer thread links and writes.
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

    private AuditDispatcher dispatcher;
    private AuditEvent event;
    private Path directory;

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("governed-audit-bench");
        Path trail = directory.resolve("audit.jsonl");
        dispatcher = AuditDispatcher.start("jsonl:" + trail + "?fsync=" + fsync + "&max-size=1GB", AuditSettings.defaults());
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

    @TearDown(Level.Trial)
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
