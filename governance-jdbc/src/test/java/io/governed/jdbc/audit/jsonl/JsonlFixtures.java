package io.governed.jdbc.audit.jsonl;

import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.TestEvents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/** Helpers to write and read jsonl logs in tests. */
final class JsonlFixtures {

    private JsonlFixtures() {
    }

    static List<AuditEvent> events(long from, long toExclusive) {
        return LongStream.range(from, toExclusive).mapToObj(TestEvents::event).toList();
    }

    /** Writes events 0..count-1 to a new log at {@code path}, one batch of each {@code batch}. */
    static void writeLog(JsonlOptions options, int count, int batch) throws IOException {
        try (JsonlSink sink = JsonlSink.open(options)) {
            for (int i = 0; i < count; i += batch) {
                sink.write(events(i, Math.min(count, i + batch)));
            }
        }
    }

    static List<String> lines(Path file) {
        try {
            return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeLines(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    /** Every line of the log's files, in chain order. */
    static List<String> allLines(Path activePath) throws IOException {
        List<String> all = new ArrayList<>();
        for (Path f : LogFiles.inChainOrder(activePath)) {
            all.addAll(lines(f));
        }
        return all;
    }

    static ChainVerifier.Result verify(Path activePath) throws IOException {
        return ChainVerifier.verify(LogFiles.inChainOrder(activePath));
    }
}
