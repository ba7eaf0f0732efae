package io.governed.jdbc.audit.jsonl;

import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.TestEvents;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A rough measurement of events per second through the jsonl sink, directly and through the
 * dispatcher: {@code java -cp <test classpath> io.governed.jdbc.audit.jsonl.JsonlThroughput [events] [fsync]}.
 * Not a benchmark: no warm-up control, one run; the JMH benchmarks measure properly.
 */
public final class JsonlThroughput {

    private JsonlThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        String fsync = args.length > 1 ? args[1] : "window";
        Path dir = Files.createTempDirectory("jsonl-throughput");
        List<AuditEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(TestEvents.event(i));
        }
        for (int round = 0; round < 2; round++) {
            JsonlOptions options = JsonlOptions.parse(dir.resolve("direct-" + round + ".jsonl") + "?fsync=" + fsync);
            long t0 = System.nanoTime();
            try (JsonlSink sink = JsonlSink.open(options)) {
                for (int i = 0; i < count; i += 256) {
                    sink.write(events.subList(i, Math.min(count, i + 256)));
                }
            }
            report("sink.write, batches of 256", count, System.nanoTime() - t0);

            options = JsonlOptions.parse(dir.resolve("dispatched-" + round + ".jsonl") + "?fsync=" + fsync);
            t0 = System.nanoTime();
            try (AuditDispatcher d = AuditDispatcher.start(List.of(JsonlSink.open(options)), AuditSettings.defaults())) {
                for (AuditEvent e : events) {
                    d.submit(e);
                }
            }
            report("dispatcher.submit, one thread, until closed", count, System.nanoTime() - t0);
        }
    }

    private static void report(String what, int count, long nanos) {
        System.out.printf(Locale.ROOT, "%-45s %,d events in %,d ms = %,.0f events/s%n", what, count, nanos / 1_000_000, count * 1e9 / nanos);
    }
}
