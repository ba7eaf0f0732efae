package io.governed.jdbc.audit.jsonl;

import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.AuditUnavailableException;
import io.governed.jdbc.audit.DeliveryMode;
import io.governed.jdbc.audit.TestEvents;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A jsonl log that cannot be written, with the dispatcher in front of it. */
class JsonlSinkUnavailableTest {

    @TempDir
    Path dir;

    @Test
    void requiredModeRefusesStatementsWhileTheLogCannotBeWrittenAndLosesNothing() throws Exception {
        int submitted = 0;
        Path log = dir.resolve("audit.jsonl");
        Path blocker = dir.resolve("audit.jsonl.000001");
        AuditDispatcher dispatcher = AuditDispatcher.start(
                List.of(JsonlSink.open(JsonlOptions.of(log).withMaxSize(2048))),
                AuditSettings.defaults().withMode(DeliveryMode.REQUIRED).withRetryBackoff(Duration.ofMillis(20)));
        try {
            Files.createDirectories(blocker.resolve("occupied")); // the first rotation cannot rename the file
            // Events go in until the log passes its size and the rotation fails, however the writer batches them.
            while (isAvailable(dispatcher) && submitted < 1_000) {
                dispatcher.submit(TestEvents.event(submitted++));
                while (dispatcher.queueDepth() > 0 && isAvailable(dispatcher)) {
                    Thread.onSpinWait();
                }
            }

            assertThatThrownBy(dispatcher::checkAvailable)
                    .isInstanceOf(AuditUnavailableException.class)
                    .hasMessageContaining("audit sink jsonl:" + log + " cannot store events");

            Files.delete(blocker.resolve("occupied"));
            Files.delete(blocker);
            assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();
            assertThatCode(dispatcher::checkAvailable).doesNotThrowAnyException();
        } finally {
            dispatcher.close();
        }

        ChainVerifier.Result result = JsonlFixtures.verify(log);
        assertThat(result.ok()).as("%s", result.problem()).isTrue();
        assertThat(result.events()).as("every submitted event is in the log").isEqualTo(submitted);
    }

    @Test
    void aReadOnlyDirectoryIsRefusedAtOpen() throws IOException {
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        Assumptions.assumeFalse(Files.isWritable(readOnly), "permissions do not bind this user (root)");

        assertThatThrownBy(() -> JsonlSink.open(JsonlOptions.of(readOnly.resolve("audit.jsonl"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot open audit log " + readOnly.resolve("audit.jsonl"))
                .hasMessageContaining("this process may write to it");
    }

    private static boolean isAvailable(AuditDispatcher dispatcher) {
        try {
            dispatcher.checkAvailable();
            return true;
        } catch (AuditUnavailableException e) {
            return false;
        }
    }
}
