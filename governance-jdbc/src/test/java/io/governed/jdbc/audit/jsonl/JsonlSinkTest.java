package io.governed.jdbc.audit.jsonl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditEventJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.governed.jdbc.audit.jsonl.JsonlFixtures.allLines;
import static io.governed.jdbc.audit.jsonl.JsonlFixtures.events;
import static io.governed.jdbc.audit.jsonl.JsonlFixtures.lines;
import static io.governed.jdbc.audit.jsonl.JsonlFixtures.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonlSinkTest {

    @TempDir
    Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void writesOneChainedJsonLinePerEvent() throws IOException {
        Path log = dir.resolve("audit.jsonl");

        JsonlFixtures.writeLog(JsonlOptions.of(log), 10, 3);

        List<String> lines = lines(log);
        assertThat(lines).hasSize(10);
        assertThat(AuditEventJson.read(lines.get(4))).isEqualTo(JsonlFixtures.events(4, 5).get(0));
        assertThat(verify(log).ok()).isTrue();
        assertThat(verify(log).events()).isEqualTo(10);
    }

    @Test
    void sizeRotationMovesFullFilesAsideAndTheChainRunsThroughThem() throws IOException {
        Path log = dir.resolve("audit.jsonl");

        JsonlFixtures.writeLog(JsonlOptions.of(log).withMaxSize(4096), 100, 7);

        List<Path> files = assertRotatedWithin(log, 4096, 100);
        assertThat(files).hasSizeGreaterThan(5);
        assertThat(files.get(0).getFileName().toString()).isEqualTo("audit.jsonl.000001");
        assertThat(files.get(files.size() - 1)).isEqualTo(log);
    }

    @Test
    void aBatchOfManyPiecesIsWrittenWholeInOrder() throws IOException {
        Path log = dir.resolve("audit.jsonl");

        JsonlFixtures.writeLog(JsonlOptions.of(log), 2_000, 2_000);

        assertThat(Files.size(log)).as("the batch is several write pieces long").isGreaterThan(4L * JsonlSink.WRITE_PIECE);
        List<String> lines = lines(log);
        assertThat(lines).hasSize(2_000);
        for (int i : new int[] {0, 999, 1_999}) {
            assertThat(AuditEventJson.read(lines.get(i))).isEqualTo(JsonlFixtures.events(i, i + 1).get(0));
        }
        assertVerified(log, 2_000);
    }

    @Test
    void aBatchOfManyPiecesRotatesBySizeBetweenItsLines() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        long maxSize = JsonlSink.WRITE_PIECE + JsonlSink.WRITE_PIECE / 3; // files end inside pieces and between them

        JsonlFixtures.writeLog(JsonlOptions.of(log).withMaxSize(maxSize), 2_000, 2_000);

        List<Path> files = assertRotatedWithin(log, maxSize, 2_000);
        assertThat(files).hasSizeGreaterThan(3);
        for (Path f : files) {
            assertThat(Files.readString(f, StandardCharsets.UTF_8)).endsWith("\n");
        }
    }

    /** Every file of the log within {@code maxSize}, and {@code events} lines in all, chained (verified); its files. */
    private static List<Path> assertRotatedWithin(Path log, long maxSize, int events) throws IOException {
        List<Path> files = LogFiles.inChainOrder(log);
        for (Path f : files) {
            assertThat(Files.size(f)).isLessThanOrEqualTo(maxSize);
        }
        assertThat(allLines(log)).hasSize(events);
        assertVerified(log, events);
        return files;
    }

    /** The log's chain verifies and holds {@code events} events. */
    private static void assertVerified(Path log, int events) throws IOException {
        ChainVerifier.Result result = verify(log);
        assertThat(result.ok()).as("%s", result.problem()).isTrue();
        assertThat(result.events()).isEqualTo(events);
    }

    @Test
    void aLineLargerThanMaxSizeIsWrittenAloneInItsFile() throws IOException {
        Path log = dir.resolve("audit.jsonl");

        JsonlFixtures.writeLog(JsonlOptions.of(log).withMaxSize(100), 3, 1);

        assertThat(LogFiles.inChainOrder(log)).hasSize(3).allSatisfy(f -> assertThat(lines(f)).hasSize(1));
        assertThat(verify(log).ok()).isTrue();
    }

    @Test
    void timeRotationStartsANewFileOnceTheFirstEventIsOldEnough() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        JsonlOptions options = JsonlOptions.of(log).withRotateAfter(Duration.ofHours(1));

        try (JsonlSink sink = JsonlSink.open(options, clock)) {
            sink.write(events(0, 2));
            clock.advance(Duration.ofMinutes(59));
            sink.write(events(2, 4));
            clock.advance(Duration.ofMinutes(1));
            sink.write(events(4, 6));
        }

        List<Path> files = LogFiles.inChainOrder(log);
        assertThat(files).hasSize(2);
        assertThat(lines(files.get(0))).hasSize(4);
        assertThat(lines(files.get(1))).hasSize(2);
        assertThat(verify(log).ok()).isTrue();
    }

    @Test
    void timeRotationCountsTheAgeOfTheActiveFileAcrossARestart() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        JsonlOptions options = JsonlOptions.of(log).withRotateAfter(Duration.ofDays(1));
        MutableClock clock = new MutableClock(Instant.parse("2026-01-15T09:30:00Z"));
        try (JsonlSink sink = JsonlSink.open(options, clock)) {
            sink.write(events(0, 2)); // event times are 2026-01-15T09:30:00.12…
        }

        clock.advance(Duration.ofDays(1).plusSeconds(1));
        try (JsonlSink sink = JsonlSink.open(options, clock)) {
            sink.write(events(2, 3));
        }

        assertThat(LogFiles.inChainOrder(log)).hasSize(2);
        assertThat(verify(log).ok()).isTrue();
    }

    @Test
    void aRestartContinuesTheChainFromTheLastLine() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        String lastHash;
        try (JsonlSink sink = JsonlSink.open(JsonlOptions.of(log))) {
            sink.write(events(0, 5));
            lastHash = sink.lastHash();
        }

        try (JsonlSink sink = JsonlSink.open(JsonlOptions.of(log))) {
            assertThat(sink.lastHash()).isEqualTo(lastHash);
            sink.write(events(5, 8));
        }

        assertThat(mapper.readTree(lines(log).get(5)).get("prev_hash").asText()).isEqualTo(lastHash);
        assertThat(verify(log).ok()).isTrue();
        assertThat(verify(log).events()).isEqualTo(8);
    }

    @Test
    void aRestartAfterARotationLeftNoActiveFileContinuesFromTheNewestRotatedFile() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        JsonlFixtures.writeLog(JsonlOptions.of(log), 4, 4);
        Files.move(log, dir.resolve("audit.jsonl.000001")); // as if the process died right after renaming

        JsonlFixtures.writeLog(JsonlOptions.of(log), 0, 1);
        try (JsonlSink sink = JsonlSink.open(JsonlOptions.of(log))) {
            sink.write(events(4, 6));
        }

        assertThat(LogFiles.inChainOrder(log)).hasSize(2);
        ChainVerifier.Result result = verify(log);
        assertThat(result.ok()).as("%s", result.problem()).isTrue();
        assertThat(result.events()).isEqualTo(6);
    }

    @Test
    void aTornLastLineIsCutOffAndAMarkerEventKeepsTheChainVerifiable() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        JsonlFixtures.writeLog(JsonlOptions.of(log), 5, 5);
        byte[] partial = new HashChain(HashChain.GENESIS).link(events(99, 100).get(0));
        Files.write(log, java.util.Arrays.copyOf(partial, 57), StandardOpenOption.APPEND);

        try (JsonlSink sink = JsonlSink.open(JsonlOptions.of(log))) {
            sink.write(events(5, 7));
        }

        List<String> lines = lines(log);
        assertThat(lines).hasSize(8);
        JsonNode marker = mapper.readTree(lines.get(5));
        assertThat(marker.get("action").asText()).isEqualTo(AuditEvent.CHAIN_RECOVERED);
        assertThat(marker.get("decision").asText()).isEqualTo("error");
        assertThat(marker.get("reason").asText()).contains("57 bytes at the end of audit.jsonl");
        assertThat(lines.get(6)).contains("\"event_id\":\"evt-5\"");
        ChainVerifier.Result result = verify(log);
        assertThat(result.ok()).as("%s", result.problem()).isTrue();
        assertThat(result.events()).isEqualTo(8);
    }

    @Test
    void aLogThatIsOnlyATornLineStartsANewChainWithTheMarker() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        Files.writeString(log, "{\"time\":\"2026-01-0");

        try (JsonlSink sink = JsonlSink.open(JsonlOptions.of(log))) {
            sink.write(events(0, 1));
        }

        assertThat(lines(log)).hasSize(2);
        assertThat(lines(log).get(0)).contains(AuditEvent.CHAIN_RECOVERED);
        assertThat(verify(log).ok()).isTrue();
    }

    @Test
    void aCompleteButAlteredLastLineIsNotRepairedButRefused() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        JsonlFixtures.writeLog(JsonlOptions.of(log), 3, 3);
        List<String> lines = lines(log);
        lines.set(2, lines.get(2).replace("alice", "mallory"));
        JsonlFixtures.writeLines(log, lines);

        assertThatThrownBy(() -> JsonlSink.open(JsonlOptions.of(log)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("last line of audit log " + log)
                .hasMessageContaining("governed-jdbc audit verify");
        assertThat(lines(log)).isEqualTo(lines);
    }

    @Test
    void aSecondWriterOnTheSameLogIsRefused() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        try (JsonlSink first = JsonlSink.open(JsonlOptions.of(log))) {
            assertThatThrownBy(() -> JsonlSink.open(JsonlOptions.of(log)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("already open in this process")
                    .hasMessageContaining("share one audit dispatcher");
            first.write(events(0, 1));
        }
        try (JsonlSink again = JsonlSink.open(JsonlOptions.of(log))) {
            again.write(events(1, 2));
        }
        assertThat(verify(log).events()).isEqualTo(2);
    }

    @Test
    void aFileThatCannotBeCreatedFailsAtOpenNamingThePathAndTheFix() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        Path log = notADirectory.resolve("audit.jsonl");

        assertThatThrownBy(() -> JsonlSink.open(JsonlOptions.of(log)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot open audit log " + log)
                .hasMessageContaining("may write to it");
    }

    @Test
    void aFailedRotationLosesNothingAndWritesNothingTwiceWhenRetried() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        Path blocker = dir.resolve("audit.jsonl.000001");
        try (JsonlSink sink = JsonlSink.open(JsonlOptions.of(log).withMaxSize(2048))) {
            Files.createDirectories(blocker.resolve("occupied")); // the rename to .000001 fails
            List<AuditEvent> batch = events(0, 20);
            assertThatThrownBy(() -> sink.write(batch)).isInstanceOf(IOException.class);
            int writtenBeforeFailure = lines(log).size();
            assertThat(writtenBeforeFailure).isBetween(1, 19);

            Files.delete(blocker.resolve("occupied"));
            Files.delete(blocker);
            sink.write(batch);
        }

        List<String> all = allLines(log);
        assertThat(all).hasSize(20);
        assertThat(all).extracting(l -> mapper.readTree(l).get("event_id").asText())
                .containsExactlyElementsOf(events(0, 20).stream().map(AuditEvent::eventId).toList());
        assertThat(verify(log).ok()).isTrue();
    }

    @Test
    void everyFsyncPolicyWritesTheSameLines() throws IOException {
        for (FsyncPolicy policy : FsyncPolicy.values()) {
            Path log = dir.resolve(policy.externalName() + ".jsonl");
            JsonlFixtures.writeLog(JsonlOptions.of(log).withFsync(policy), 6, 4);
            assertThat(lines(log)).hasSize(6);
            assertThat(verify(log).ok()).isTrue();
        }
        assertThat(Files.readString(dir.resolve("always.jsonl"), StandardCharsets.UTF_8))
                .isEqualTo(Files.readString(dir.resolve("never.jsonl"), StandardCharsets.UTF_8));
    }

    @Test
    void aClosedSinkRefusesWrites() throws IOException {
        JsonlSink sink = JsonlSink.open(JsonlOptions.of(dir.resolve("audit.jsonl")));
        sink.close();

        assertThatThrownBy(() -> sink.write(events(0, 1))).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    /** A clock a test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
