package io.governed.jdbc.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.jsonl.JsonlOptions;
import io.governed.jdbc.audit.jsonl.JsonlSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The controls table's evidence counts: each is the number of the period's verified events that the sections it names
 * show, each event counted once, so that no control claims more evidence than the trail holds (or than the period
 * covers).
 */
class ReportControlsEvidenceTest {

    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;
    private Path log;

    @BeforeEach
    void trail() throws IOException {
        log = dir.resolve("audit.jsonl");
        try (JsonlSink sink = JsonlSink.open(JsonlOptions.of(log))) {
            sink.write(List.of(
                    // two reads of a sensitive column, masked for one, clear for the other
                    statement("alice", "select", AuditDecision.ALLOW).columns(List.of("public.customers.email"))
                            .maskedColumns(List.of("email")).rows(3L).build(),
                    statement("pete", "select", AuditDecision.ALLOW).columns(List.of("public.customers.email")).rows(1L).build(),
                    statement("alice", "delete", AuditDecision.DENY).rules(List.of("no-deletes")).build(),
                    statement("dora", "drop", AuditDecision.PENDING_APPROVAL).rules(List.of("schema-change"))
                            .approvalId("apr-0123456789abcdef").build(),
                    // what happened to the request: events of the trail, not statements
                    AuditEvent.builder().time(T.plusSeconds(5)).principal("dora").kind("human").action("approval_requested")
                            .decision(AuditDecision.PENDING_APPROVAL).tables(List.of("public.customers"))
                            .rules(List.of("schema-change")).approvalId("apr-0123456789abcdef").build(),
                    AuditEvent.builder().time(T.plusSeconds(6)).principal("dan").kind("human").action("approval_approved")
                            .decision(AuditDecision.ALLOW).tables(List.of("public.customers"))
                            .rules(List.of("schema-change")).approvalId("apr-0123456789abcdef").build()));
        }
    }

    private static AuditEvent.Builder statement(String principal, String action, AuditDecision decision) {
        return AuditEvent.builder().time(T).principal(principal).kind("human").action(action)
                .statement(action.toUpperCase() + " … public.customers").tables(List.of("public.customers")).decision(decision);
    }

    private static Map<String, Long> evidence(JsonNode report) {
        Map<String, Long> byControl = new HashMap<>();
        report.path("controls").forEach(c -> byControl.put(c.path("control").asText(), c.path("evidence").asLong()));
        return byControl;
    }

    @Test
    void noControlCountsAnEventTwiceOrAnEventItsSectionsDoNotShow() throws IOException {
        JsonNode report = ComplianceReport.build(new ComplianceReport.Options(List.of(log), null, null, List.of())).json();
        assertThat(report.at("/totals/events").asLong()).isEqualTo(6);
        assertThat(report.at("/totals/approval_events").asLong()).isEqualTo(2);
        Map<String, Long> evidence = evidence(report);

        assertThat(evidence.values()).as("no control claims more events than the trail holds").allMatch(n -> n <= 6);
        // timeline, denials and sensitive reads: the four statements (the sensitive reads are among them)
        assertThat(evidence.get("CC6.1")).isEqualTo(4);
        // verification, denials and refusals: every verified event, once
        assertThat(evidence.get("CC7.2")).isEqualTo(6);
        // denials, access and sensitive reads: the statements, not what happened to a request
        assertThat(evidence.get("A.5.15")).isEqualTo(4);
        assertThat(evidence.get("A.8.15")).isEqualTo(6);
        // timeline, denials and refusals: the statements the timeline shows
        assertThat(evidence.get("A.8.16")).isEqualTo(4);
    }

    @Test
    void eventsOutsideThePeriodAreNoEvidenceForIt() throws IOException {
        JsonNode report = ComplianceReport.build(new ComplianceReport.Options(List.of(log), Instant.parse("2026-04-01T00:00:00Z"),
                Instant.parse("2026-05-01T00:00:00Z"), List.of())).json();
        assertThat(report.at("/totals/events").asLong()).isZero();
        assertThat(report.at("/totals/outside_period").asLong()).isEqualTo(6);

        assertThat(evidence(report).values()).as("the period holds no event, so no control has evidence in it")
                .containsOnly(0L);
    }
}
