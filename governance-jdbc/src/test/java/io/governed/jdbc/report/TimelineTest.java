package io.governed.jdbc.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.jsonl.JsonlOptions;
import io.governed.jdbc.audit.jsonl.JsonlSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineTest {

    @TempDir
    Path dir;

    private JsonNode timeline(String... times) throws Exception {
        Path log = dir.resolve("audit-" + times.length + "-" + times[times.length - 1].replace(':', '-') + ".jsonl");
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            events.add(AuditEvent.builder().time(Instant.parse(times[i])).principal("p").action("select")
                    .decision(i % 2 == 0 ? AuditDecision.ALLOW : AuditDecision.DENY).build());
        }
        try (JsonlSink sink = JsonlSink.open(JsonlOptions.of(log))) {
            sink.write(events);
        }
        return ComplianceReport.build(new ComplianceReport.Options(List.of(log), null, null, List.of())).json().path("timeline");
    }

    @Test
    void everyHourOfThePeriodIsAPointSoTheAxisIsTime() throws Exception {
        JsonNode t = timeline("2026-03-01T10:15:00Z", "2026-03-01T13:59:00Z", "2026-03-01T10:45:00Z");

        assertThat(t.path("bucket").asText()).isEqualTo("hour");
        List<String> points = new ArrayList<>();
        t.path("points").forEach(p -> points.add(p.path("start").asText() + " " + p.path("allow").asLong() + "/" + p.path("deny").asLong()));
        assertThat(points).containsExactly("2026-03-01T10:00:00Z 2/0", "2026-03-01T11:00:00Z 0/0",
                "2026-03-01T12:00:00Z 0/0", "2026-03-01T13:00:00Z 0/1");
    }

    @Test
    void aPeriodOfMoreThanThreeDaysIsCountedPerDay() throws Exception {
        JsonNode t = timeline("2026-03-01T23:00:00Z", "2026-03-02T01:00:00Z", "2026-03-06T12:00:00Z");

        assertThat(t.path("bucket").asText()).isEqualTo("day");
        assertThat(t.path("points")).hasSize(6);
        assertThat(t.at("/points/0/start").asText()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(t.at("/points/1/deny").asLong()).isEqualTo(1);
        assertThat(t.at("/points/5/allow").asLong()).isEqualTo(1);
    }
}
