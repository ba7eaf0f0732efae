package io.governed.jdbc.cli;

import io.governed.jdbc.support.CliRun;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.TestEvents;
import io.governed.jdbc.audit.jsonl.JsonlOptions;
import io.governed.jdbc.audit.jsonl.JsonlSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class AuditCommandTest {

    @TempDir
    Path dir;

    /** What {@code audit ARGS…} printed and returned. */
    private static CliRun audit(Object... args) {
        return CliRun.of(new CommandLine(new AuditCommand()),
                java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
    }

    private Path writeLog(int events, long maxSize) throws IOException {
        Path log = dir.resolve("audit.jsonl");
        try (JsonlSink sink = JsonlSink.open(JsonlOptions.of(log).withMaxSize(maxSize))) {
            List<AuditEvent> batch = LongStream.range(0, events).mapToObj(TestEvents::event).toList();
            sink.write(batch);
        }
        return log;
    }

    private static List<String> lines(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    private static void rewrite(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private static Object[] verifyArgs(List<Path> files) {
        List<Object> args = new ArrayList<>();
        args.add("verify");
        args.addAll(files);
        return args.toArray();
    }

    @Test
    void anIntactLogIsOkWithItsEventCount() throws IOException {
        Path log = writeLog(20, 0);

        CliRun run = audit("verify", log);

        assertThat(run.code()).isZero();
        assertThat(run.out()).isEqualTo("OK 20 events in 1 file, chain intact" + System.lineSeparator());
    }

    @Test
    void anEditedLineIsNamedByFileAndLine() throws IOException {
        Path log = writeLog(10, 0);
        List<String> lines = lines(log);
        lines.set(6, lines.get(6).replace("\"rows\":1", "\"rows\":0"));
        rewrite(log, lines);

        CliRun run = audit("verify", log);

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).startsWith("FAILED " + log + ":7: the event was edited: its content does not match its hash")
                .contains("(6 events before it verify)");
    }

    @Test
    void aDeletedLineIsNamedWhereTheChainBreaks() throws IOException {
        Path log = writeLog(10, 0);
        List<String> lines = lines(log);
        lines.remove(3);
        rewrite(log, lines);

        CliRun run = audit("verify", log);

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).startsWith("FAILED " + log + ":4: the chain breaks here: prev_hash does not match the line before");
    }

    @Test
    void swappedLinesAreNamedAtTheFirstOfThem() throws IOException {
        Path log = writeLog(10, 0);
        List<String> lines = lines(log);
        Collections.swap(lines, 4, 5);
        rewrite(log, lines);

        CliRun run = audit("verify", log);

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).startsWith("FAILED " + log + ":5: the chain breaks here");
    }

    @Test
    void anInsertedLineIsNamed() throws IOException {
        Path log = writeLog(10, 0);
        List<String> lines = lines(log);
        lines.add(2, lines.get(7)); // a genuine line, replayed at another place
        rewrite(log, lines);

        CliRun run = audit("verify", log);

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).startsWith("FAILED " + log + ":3: the chain breaks here");
    }

    @Test
    void aForgedLineWithoutAValidHashIsNamed() throws IOException {
        Path log = writeLog(5, 0);
        List<String> lines = lines(log);
        lines.add(1, "{\"time\":\"2026-01-15T09:30:00Z\",\"event_id\":\"forged\",\"action\":\"select\",\"decision\":\"allow\"}");
        rewrite(log, lines);

        CliRun run = audit("verify", log);

        assertThat(run.out()).startsWith("FAILED " + log + ":2: the line is not a chained audit event");
    }

    @Test
    void aRemovedFirstLineIsNoticedUnlessTheLogIsDeclaredContinued() throws IOException {
        Path log = writeLog(5, 0);
        List<String> lines = lines(log);
        lines.remove(0);
        rewrite(log, lines);

        assertThat(audit("verify", log).out()).startsWith("FAILED " + log + ":1: the log does not start here");
        CliRun continued = audit("verify", "--continued", log);
        assertThat(continued.code()).isZero();
        assertThat(continued.out()).startsWith("OK 4 events");
    }

    @Test
    void findsRotatedFilesFromTheLogsPathOrItsDirectoryAndChecksThemInOrder() throws IOException {
        Path log = writeLog(60, 4096);
        List<Path> files = io.governed.jdbc.audit.jsonl.LogFiles.inChainOrder(log);
        assertThat(files.size()).isGreaterThan(3);

        assertThat(audit("verify", log).out()).isEqualTo("OK 60 events in " + files.size() + " files, chain intact" + System.lineSeparator());
        CliRun byDirectory = audit("verify", dir);
        assertThat(byDirectory.out()).as(byDirectory.err()).startsWith("OK 60 events in " + files.size() + " files");
        assertThat(audit(verifyArgs(files)).out()).startsWith("OK 60 events");

        List<Path> outOfOrder = new ArrayList<>(files);
        Collections.swap(outOfOrder, 1, 2);
        CliRun swapped = audit(verifyArgs(outOfOrder));
        assertThat(swapped.code()).isEqualTo(1);
        assertThat(swapped.out()).startsWith("FAILED " + files.get(2) + ":1: the chain breaks here");
    }

    @Test
    void anEditInARotatedFileIsNamedInThatFile() throws IOException {
        Path log = writeLog(60, 4096);
        Path second = io.governed.jdbc.audit.jsonl.LogFiles.inChainOrder(log).get(1);
        List<String> lines = lines(second);
        lines.set(1, lines.get(1).replace("alice", "alicf"));
        rewrite(second, lines);

        assertThat(audit("verify", dir).out()).startsWith("FAILED " + second + ":2: the event was edited");
    }

    @Test
    void anIncompleteLastLineIsReportedButIsNoBreak() throws IOException {
        Path log = writeLog(5, 0);
        Files.writeString(log, "{\"time\":\"20", java.nio.file.StandardOpenOption.APPEND);

        CliRun run = audit("verify", log);

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("OK 5 events").contains("ends in 11 bytes of an incomplete line");
    }

    @Test
    void missingFilesAndAmbiguousDirectoriesAreExplained() throws IOException {
        CliRun missing = audit("verify", dir.resolve("nope.jsonl"));
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("no such audit log: " + dir.resolve("nope.jsonl"));

        Files.writeString(dir.resolve("a.jsonl"), "");
        Files.writeString(dir.resolve("b.jsonl"), "");
        CliRun ambiguous = audit("verify", dir);
        assertThat(ambiguous.code()).isEqualTo(1);
        assertThat(ambiguous.err()).contains("holds several logs (a.jsonl, b.jsonl): name the one to verify");

        assertThat(audit("verify").code()).isEqualTo(2);
        assertThat(audit("verify", "--kafka", "localhost:9092").code()).as("a topic is needed").isEqualTo(2);
        assertThat(audit("verify", "--topic", "t", "--kafka", "localhost:9092", "x.jsonl").code()).isEqualTo(2);
        assertThat(audit().err()).contains("verify");
    }
}
