package io.governed.jdbc.audit.jsonl;

import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.TestEvents;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A process that writes audit events to a jsonl log. With one argument (the log) it writes as fast
 * as it can until it is killed, and prints {@value #WRITING} on standard output once events have
 * reached the file. With a count as second argument it submits that many events and exits at once
 * with {@code System.exit}, leaving the shutdown hook to write what is still queued.
 */
public final class JsonlWriterProcess {

    static final String WRITING = "writing";

    private JsonlWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[0]);
        if (args.length > 1) {
            submitAndExit(log, Integer.parseInt(args[1]));
        }
        JsonlOptions options = JsonlOptions.parse(log + "?max-size=256KB&fsync=never");
        AuditDispatcher dispatcher = AuditDispatcher.start(List.of(JsonlSink.open(options)),
                AuditSettings.defaults().withBatchSize(1024));
        long n = 0;
        while (true) {
            dispatcher.submit(TestEvents.event(n++));
            if (n == 2000) {
                dispatcher.flush(Duration.ofSeconds(30));
                System.out.println(WRITING);
                System.out.flush();
            }
        }
    }

    private static void submitAndExit(Path log, int count) throws Exception {
        AuditDispatcher dispatcher = AuditDispatcher.start(List.of(JsonlSink.open(JsonlOptions.of(log))),
                AuditSettings.defaults().withQueueCapacity(count).withCloseTimeout(Duration.ofSeconds(30)));
        for (int i = 0; i < count; i++) {
            dispatcher.submit(TestEvents.event(i));
        }
        System.exit(0);
    }
}
