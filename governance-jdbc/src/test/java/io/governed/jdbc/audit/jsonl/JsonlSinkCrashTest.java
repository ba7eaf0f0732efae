package io.governed.jdbc.audit.jsonl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.governed.jdbc.audit.jsonl.JsonlFixtures.events;
import static org.assertj.core.api.Assertions.assertThat;

/** A writer killed with SIGKILL in the middle of writing leaves a log whose complete lines all verify. */
class JsonlSinkCrashTest {

    @TempDir
    Path dir;

    @Test
    void aKilledWriterLeavesAVerifiableLogThatTheNextWriterContinues() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                JsonlWriterProcess.class.getName(), log.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo(JsonlWriterProcess.WRITING);
            long target = totalSize(log) + (1 << 20);
            while (totalSize(log) < target && child.isAlive()) {
                Thread.onSpinWait();
            }
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).isNotZero();

        ChainVerifier.Result afterCrash = JsonlFixtures.verify(log);
        assertThat(afterCrash.ok()).as("%s", afterCrash.problem()).isTrue();
        assertThat(afterCrash.events()).isGreaterThan(2000);
        assertThat(LogFiles.inChainOrder(log)).hasSizeGreaterThan(1);

        try (JsonlSink sink = JsonlSink.open(JsonlOptions.of(log))) {
            sink.write(events(1_000_000, 1_000_010));
        }
        ChainVerifier.Result afterRestart = JsonlFixtures.verify(log);
        assertThat(afterRestart.ok()).as("%s", afterRestart.problem()).isTrue();
        assertThat(afterRestart.tornBytes()).isZero();
        long marker = afterCrash.tornBytes() > 0 ? 1 : 0;
        assertThat(afterRestart.events()).isEqualTo(afterCrash.events() + marker + 10);
    }

    @Test
    void anExitingJvmWritesWhatIsStillQueuedThroughTheShutdownHook() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                JsonlWriterProcess.class.getName(), log.toString(), "20000")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();

        ChainVerifier.Result result = JsonlFixtures.verify(log);
        assertThat(result.ok()).as("%s", result.problem()).isTrue();
        assertThat(result.events()).isEqualTo(20_000);
    }

    private static long totalSize(Path log) throws IOException {
        long size = 0;
        List<Path> files = LogFiles.inChainOrder(log);
        for (Path f : files) {
            try {
                size += Files.size(f);
            } catch (java.nio.file.NoSuchFileException rotatedMeanwhile) {
                // counted under its new name next time
            }
        }
        return size;
    }
}
