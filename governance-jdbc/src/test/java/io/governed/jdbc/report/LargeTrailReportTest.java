package io.governed.jdbc.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditPolicy;
import io.governed.jdbc.approval.AuditingApprovalStore;
import io.governed.jdbc.audit.jsonl.HashChain;
import io.governed.policy.PolicyProvenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report keeps counters, not events: over a trail with more distinct identities and tables than
 * any cap, in a JVM whose heap is far smaller than the trail, it completes and says which caps it hit.
 */
class LargeTrailReportTest {

    /** Lines in the generated trail; {@code -Dreport.largeTrailLines=1000000} for a longer run. */
    private static final int LINES = Integer.getInteger("report.largeTrailLines", 120_000);
    private static final List<AuditDecision> DECISIONS = List.of(AuditDecision.ALLOW, AuditDecision.DENY,
            AuditDecision.PENDING_APPROVAL, AuditDecision.ERROR);

    @TempDir
    Path dir;

    @Test
    void aTrailLargerThanTheHeapIsReportedWithBoundedFigures() throws Exception {
        Path trail = dir.resolve("audit.jsonl");
        long[] expected = writeTrail(trail, LINES);
        long trailBytes = Files.size(trail);
        Path json = dir.resolve("report.json");

        long started = System.nanoTime();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m",
                "-cp", System.getProperty("java.class.path"), "io.governed.jdbc.cli.GovernedJdbcCli",
                "report", trail.toString(), "--out", dir.resolve("report.html").toString(), "--json", json.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        System.out.printf("report of %d lines (%d MB) with -Xmx48m: %d ms%n", LINES, trailBytes >> 20,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        String output = Files.readString(dir.resolve("out.txt"));
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(trailBytes).as("the trail is larger than the heap").isGreaterThan(48L << 20);

        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertThat(r.at("/verification/logs/0/verified_events").asLong()).isEqualTo(LINES);
        assertThat(r.at("/totals/events").asLong()).isEqualTo(LINES);
        for (int d = 0; d < DECISIONS.size(); d++) {
            assertThat(r.at("/totals/" + DECISIONS.get(d).externalName()).asLong()).isEqualTo(expected[d]);
        }
        Aggregate.Limits limits = Aggregate.Limits.DEFAULT;
        assertThat(r.at("/access").size()).isLessThanOrEqualTo(limits.keys() + 1);
        assertThat(r.at("/ddl/events").size()).isEqualTo(limits.examples());
        assertThat(r.at("/ddl/total").asLong()).isEqualTo(expected[4]);
        List<String> capped = new ArrayList<>();
        r.at("/limits/capped").forEach(c -> capped.add(c.path("table").asText()));
        assertThat(capped).contains("access", "agents");
        long accessStatements = 0;
        for (JsonNode row : r.at("/access")) {
            accessStatements += row.path("statements").asLong();
        }
        assertThat(accessStatements).as("nothing is lost past the cap: it is counted under (other)")
                .isEqualTo(LINES - LINES / 10);
        int approvalEvents = LINES / 10;
        long requests = (approvalEvents + 2) / 3;
        long[] byStatus = new long[4]; // pending, approved, denied, consumed
        for (int request = 0; request < requests; request++) {
            int seen = Math.min(3, approvalEvents - 3 * request);
            byStatus[request % 2 == 0 ? (seen == 3 ? 3 : seen - 1) : (seen >= 2 ? 2 : 0)]++;
        }
        assertThat(r.at("/totals/approval_events").asLong()).isEqualTo(approvalEvents);
        assertThat(r.at("/approvals/counts/requests").asLong()).isEqualTo(requests);
        assertThat(List.of(r.at("/approvals/counts/pending").asLong(), r.at("/approvals/counts/approved").asLong(),
                r.at("/approvals/counts/denied").asLong(), r.at("/approvals/counts/consumed").asLong()))
                .as("every request counted once, exactly, past the listing cap")
                .containsExactly(byStatus[0], byStatus[1], byStatus[2], byStatus[3]);
        assertThat(r.at("/approvals/counts/expired").asLong()).as("a denied request that expires stays denied").isZero();
        assertThat(r.at("/approvals/requests").size()).isEqualTo(limits.examples());
        assertThat(Files.readString(dir.resolve("report.html"))).contains("Caps reached: ");
    }

    /** Writes a chained trail of distinct principals and tables; returns counts per decision, then the DDL count. */
    private static long[] writeTrail(Path trail, int lines) throws IOException {
        Random random = new Random(15);
        HashChain chain = new HashChain(HashChain.GENESIS);
        AuditPolicy policy = AuditPolicy.of(PolicyProvenance.of(List.of(PolicyProvenance.File.of("policy.yaml", "version: 1"))));
        long[] counts = new long[DECISIONS.size() + 1];
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(trail), 1 << 16)) {
            for (int i = 0; i < lines; i++) {
                if (i % 10 == 9) {
                    out.write(chain.link(approvalEvent(i / 10, start.plusSeconds(i * 30L))));
                    continue;
                }
                int d = random.nextInt(10) < 7 ? 0 : random.nextInt(DECISIONS.size());
                boolean ddl = random.nextInt(50) == 0;
                counts[d]++;
                counts[DECISIONS.size()] += ddl ? 1 : 0;
                AuditEvent.Builder e = AuditEvent.builder().time(start.plusSeconds(i * 30L)).eventId("e" + i)
                        .principal("user-" + i).kind(i % 3 == 0 ? "agent" : "human")
                        .onBehalfOf(i % 3 == 0 ? "person-" + i : null).purpose("purpose-" + (i % 7))
                        .action(ddl ? "drop" : "select").statement(ddl ? "DROP TABLE t" + i : "SELECT a, email FROM t" + i + " WHERE b = ?")
                        .tables(List.of("public.t" + i)).columns(List.of("public.t" + i + ".a", "public.t" + i + ".email"))
                        .decision(DECISIONS.get(d)).rules(List.of("rule-" + (i % 50))).rows(d == 0 ? 5L : null)
                        .maskedColumns(d == 0 && i % 2 == 0 ? List.of("email") : List.of()).policy(policy);
                out.write(chain.link(e.build()));
            }
        }
        return counts;
    }

    /**
     * The k-th approval event: request k/3 is requested, then approved (an even request) or denied (an
     * odd one), then used up (even) or found expired (odd).
     */
    private static AuditEvent approvalEvent(int k, Instant time) {
        int request = k / 3;
        boolean even = request % 2 == 0;
        String action = switch (k % 3) {
            case 0 -> AuditingApprovalStore.REQUESTED;
            case 1 -> even ? AuditingApprovalStore.APPROVED : AuditingApprovalStore.DENIED;
            default -> even ? AuditingApprovalStore.CONSUMED : AuditingApprovalStore.EXPIRED;
        };
        boolean byApprover = k % 3 == 1;
        return AuditEvent.builder().time(time).eventId("a" + k).principal(byApprover ? "approver-" + (request % 5) : "user-" + request)
                .action(action).tables(List.of("public.t" + request)).rules(List.of("deletes"))
                .decision(action.equals(AuditingApprovalStore.REQUESTED) ? AuditDecision.PENDING_APPROVAL
                        : even ? AuditDecision.ALLOW : AuditDecision.DENY)
                .reason(action.equals(AuditingApprovalStore.REQUESTED) ? "delete on public.t" + request + " needs one of [dan]" : null)
                .approvalId(String.format("apr-%016x", 0x9e3779b97f4a7c15L * (request + 1))).build();
    }
}
