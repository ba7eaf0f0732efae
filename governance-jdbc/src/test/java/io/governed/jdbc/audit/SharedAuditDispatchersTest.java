package io.governed.jdbc.audit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedAuditDispatchersTest {

    @TempDir
    Path dir;

    @AfterEach
    void closeShared() {
        SharedAuditDispatchers.closeAll();
    }

    @Test
    void connectionsConfiguredAlikeShareOneDispatcherAndOneLog() throws Exception {
        String spec = "jsonl:" + dir.resolve("audit.jsonl");

        AuditDispatcher first = SharedAuditDispatchers.get(spec, AuditSettings.defaults());
        AuditDispatcher second = SharedAuditDispatchers.get(" " + spec + " ", AuditSettings.defaults());
        first.submit(TestEvents.event(1));
        second.submit(TestEvents.event(2));
        assertThat(first.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(second).isSameAs(first);
        assertThat(Files.readAllLines(dir.resolve("audit.jsonl"))).hasSize(2);
    }

    @Test
    void otherSettingsOnTheSameLogAreRefusedClearly() throws Exception {
        String spec = "jsonl:" + dir.resolve("audit.jsonl");
        SharedAuditDispatchers.get(spec, AuditSettings.defaults());

        assertThatThrownBy(() -> SharedAuditDispatchers.get(spec, AuditSettings.defaults().withMode(DeliveryMode.REQUIRED)))
                .isInstanceOf(IOException.class).hasMessageContaining("already open in this process");
    }

    @Test
    void closeAllWritesWhatIsQueuedAndLetsTheNextGetStartAfresh() throws Exception {
        String spec = "jsonl:" + dir.resolve("audit.jsonl");
        AuditDispatcher before = SharedAuditDispatchers.get(spec, AuditSettings.defaults());
        for (int i = 0; i < 100; i++) {
            before.submit(TestEvents.event(i));
        }

        SharedAuditDispatchers.closeAll();
        AuditDispatcher after = SharedAuditDispatchers.get(spec, AuditSettings.defaults());

        assertThat(after).isNotSameAs(before);
        assertThat(Files.readAllLines(dir.resolve("audit.jsonl"))).hasSize(100);
    }
}
