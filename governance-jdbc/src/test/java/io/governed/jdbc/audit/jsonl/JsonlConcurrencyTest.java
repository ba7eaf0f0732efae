package io.governed.jdbc.audit.jsonl;

import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.TestEvents;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads submitting at once: every event lands in the log exactly once and the chain verifies; also with
 * {@code fsync=window}, where each window's force runs on the sync thread while the writer appends the next
 * window's lines, and the log rotates under it many times.
 */
class JsonlConcurrencyTest {

    private static final int THREADS = 8;
    private static final int PER_THREAD = 50_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"max-size=16MB&fsync=never", "max-size=4MB&fsync=window"})
    void eightThreadsTimesFiftyThousandEventsAreEachWrittenExactlyOnce(String options) throws Exception {
        Path log = dir.resolve("audit.jsonl");
        AuditDispatcher dispatcher = AuditDispatcher.start(
                List.of(JsonlSink.open(JsonlOptions.parse(log + "?" + options))),
                AuditSettings.defaults().withQueueCapacity(4096));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int writer = t;
            writers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < PER_THREAD; i++) {
                    dispatcher.submit(TestEvents.event(writer, i));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : writers) {
            f.get();
        }
        pool.shutdown();
        dispatcher.close();

        ChainVerifier.Result result = JsonlFixtures.verify(log);
        assertThat(result.ok()).as("%s", result.problem()).isTrue();
        assertThat(result.events()).isEqualTo((long) THREADS * PER_THREAD);
        assertThat(dispatcher.droppedEvents()).isZero();

        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        List<String> outOfOrder = new ArrayList<>();
        int[] nextPerWriter = new int[THREADS];
        for (String id : eventIds(log)) {
            if (!seen.add(id)) {
                duplicates.add(id);
            }
            int dash = id.indexOf('-');
            int writer = Integer.parseInt(id.substring(1, dash));
            int n = Integer.parseInt(id.substring(dash + 1));
            if (n != nextPerWriter[writer]) {
                outOfOrder.add(id);
            }
            nextPerWriter[writer] = n + 1;
        }
        assertThat(duplicates).as("events written twice").isEmpty();
        assertThat(outOfOrder).as("events of one thread out of submission order").isEmpty();
        assertThat(seen).hasSize(THREADS * PER_THREAD);
    }

    /** The event ids of the log, in order. */
    private static List<String> eventIds(Path log) throws IOException {
        List<String> ids = new ArrayList<>(THREADS * PER_THREAD);
        for (Path file : LogFiles.inChainOrder(log)) {
            try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    int start = line.indexOf("\"event_id\":\"") + 12;
                    ids.add(line.substring(start, line.indexOf('"', start)));
                }
            }
        }
        return ids;
    }
}
