package io.governed.jdbc.report;

import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.jsonl.JsonlOptions;
import io.governed.jdbc.audit.jsonl.JsonlSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A report's inputs name each event once: a log given twice (as a file and through its directory, under two spellings
 * of its path, or a rotated file of it besides the log) is read once, and two files holding the same chain (a copy) are
 * refused rather than counted twice.
 */
class ReportInputsTest {

    @TempDir
    Path dir;
    private Path trails;
    private Path log;

    @BeforeEach
    void trail() throws IOException {
        trails = Files.createDirectories(dir.resolve("trails"));
        log = trails.resolve("audit.jsonl");
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(AuditEvent.builder().time(Instant.parse("2026-03-01T12:00:00Z").plusSeconds(i)).principal("alice")
                    .kind("human").action("select").statement("SELECT a FROM t").tables(List.of("public.t"))
                    .decision(i == 0 ? AuditDecision.DENY : AuditDecision.ALLOW).build());
        }
        try (JsonlSink sink = JsonlSink.open(JsonlOptions.of(log))) {
            sink.write(events);
        }
    }

    private static long events(List<Path> inputs) throws IOException {
        return ComplianceReport.build(new ComplianceReport.Options(inputs, null, null, List.of())).json().at("/totals/events").asLong();
    }

    @Test
    void aLogGivenTwiceIsCountedOnce() throws IOException {
        assertThat(events(List.of(log))).isEqualTo(5);

        assertThat(events(List.of(trails, log))).as("the directory and the log in it").isEqualTo(5);
        assertThat(events(List.of(log, trails.resolve(".").resolve("audit.jsonl")))).as("two spellings of one path").isEqualTo(5);
        assertThat(events(List.of(log, log))).isEqualTo(5);
    }

    @Test
    void aRotatedFileGivenBesidesItsLogIsCountedOnce() throws IOException {
        Path rotated = Files.move(log, trails.resolve("audit.jsonl.000001"));
        Files.writeString(log, "");

        assertThat(events(List.of(log))).isEqualTo(5);
        assertThat(events(List.of(rotated, log))).isEqualTo(5);
        assertThat(events(List.of(log, rotated))).isEqualTo(5);
    }

    @Test
    void aCopyOfALogIsRefusedRatherThanCountedTwice() throws IOException {
        Files.copy(log, trails.resolve("audit-copy.jsonl"));

        assertThatThrownBy(() -> events(List.of(trails)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("audit-copy.jsonl").hasMessageContaining("audit.jsonl")
                .hasMessageContaining("same event").hasMessageContaining("give one of them");
    }
}
