package io.governed.jdbc.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.identity.IdentityProvenance;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.SharedAuditDispatchers;
import io.governed.jdbc.support.CliRun;
import io.governed.jdbc.support.MovableClock;
import io.governed.policy.approval.ApprovalException;
import io.governed.policy.approval.ApprovalStatus;
import io.governed.policy.approval.ApprovalStore;
import io.governed.policy.approval.InMemoryApprovalStore;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The approvals section of a report built from a jsonl trail the driver and its approval store wrote:
 * requests made by real statements, approved by a verified and an asserted approver, denied with a
 * reason, left pending, expired and used up.
 */
class ApprovalReportTest {

    private static final String SECRET = "7788-secret-literal";
    private static final String ISSUER = "https://idp.example.com";

    @TempDir
    static Path dir;
    static JsonNode report;
    static String html;
    static String consumedId;
    static String deniedId;
    static String approvedId;
    static String pendingId;
    static String expiredId;

    private static final MovableClock CLOCK = new MovableClock(Instant.now());
    private static final InMemoryApprovalStore STORE = new InMemoryApprovalStore(CLOCK);
    private static GovernedDataSource app;
    private static ApprovalStore approvers;

    @BeforeAll
    static void runStatementsDecideAndReport() throws Exception {
        Path trail = dir.resolve("audit.jsonl");
        AuditDispatcher audit = SharedAuditDispatchers.get("jsonl:" + trail, AuditSettings.defaults());
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:approval-report-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE approval_report (id INT, note VARCHAR(64))");
        }
        Identity bot = Identity.builder("cleanup-bot").kind(IdentityKind.AGENT).onBehalfOf(Identity.human("dora")).build();
        Governance governance = Governance.builder().audit(audit).approvalStore(STORE).defaultIdentity(bot)
                .policy(PolicyLoader.fromString("approvals.yaml", """
                        version: 1
                        rules: [{ id: all, effect: permit, actions: ["*"] }]
                        approvals: [{ id: deletes, actions: [delete], approvers: { names: [dan, vera] }, ttl: 1h, request-ttl: 1d }]
                        """)).build();
        app = new GovernedDataSource(h2, governance);
        approvers = governance.engine().approvalStore();
        Identity dan = Identity.human("dan");
        Identity vera = Identity.builder("vera").provenance(IdentityProvenance.verified(ISSUER, "key-1", "token-1",
                Instant.now().plus(Duration.ofDays(30)))).build();

        expiredId = request(SECRET + "-e");
        CLOCK.advance(Duration.ofDays(2));
        assertThatThrownBy(() -> approvers.approve(expiredId, dan)).isInstanceOf(ApprovalException.class);

        consumedId = request(SECRET + "-a");
        approvers.decide(consumedId, vera, false, true, null);
        assertThat((Throwable) delete(SECRET + "-a")).as("the approved statement runs").isNull();

        deniedId = request(SECRET + "-b");
        approvers.decide(deniedId, dan, true, false, "not during the freeze");

        approvedId = request(SECRET + "-c");
        approvers.decide(approvedId, dan, true, true, null);

        pendingId = request(SECRET + "-d");

        assertThat(audit.flush(Duration.ofSeconds(10))).isTrue();
        Path json = dir.resolve("report.json");
        Path out = dir.resolve("report.html");
        CliRun run = CliRun.of("report", trail.toString(), "--out", out.toString(), "--json", json.toString());
        assertThat(run.code()).as(run.err()).isZero();
        report = new ObjectMapper().readTree(json.toFile());
        html = Files.readString(out, StandardCharsets.UTF_8);
    }

    private static SQLException delete(String note) {
        try (Connection c = app.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM approval_report WHERE note = ?")) {
            ps.setString(1, note);
            ps.executeUpdate();
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    /** Runs a delete that needs approval; returns the id of the request it made. */
    private static String request(String note) {
        List<String> before = ids();
        assertThat((Throwable) delete(note)).isInstanceOf(ApprovalPendingException.class);
        List<String> made = ids().stream().filter(id -> !before.contains(id)).toList();
        assertThat(made).hasSize(1);
        return made.get(0);
    }

    private static List<String> ids() {
        return STORE.list(EnumSet.allOf(ApprovalStatus.class)).stream().map(r -> r.id()).toList();
    }

    @Test
    void everyRequestIsCountedOnceUnderItsLastStatus() {
        JsonNode counts = report.at("/approvals/counts");
        assertThat(counts.path("requests").asLong()).isEqualTo(5);
        assertThat(counts.path("pending").asLong()).isEqualTo(1);
        assertThat(counts.path("approved").asLong()).isEqualTo(1);
        assertThat(counts.path("denied").asLong()).isEqualTo(1);
        assertThat(counts.path("expired").asLong()).isEqualTo(1);
        assertThat(counts.path("consumed").asLong()).isEqualTo(1);
        JsonNode events = report.at("/approvals/events");
        assertThat(events.path("approval_requested").asLong()).isEqualTo(5);
        assertThat(events.path("approval_approved").asLong()).isEqualTo(2);
        assertThat(events.path("approval_denied").asLong()).isEqualTo(1);
        assertThat(events.path("approval_expired").asLong()).isEqualTo(1);
        assertThat(events.path("approval_consumed").asLong()).isEqualTo(1);
        assertThat(report.at("/totals/approval_events").asLong()).isEqualTo(10);
        assertThat(report.at("/approvals/statements_sent_for_approval").asLong()).isEqualTo(5);
        assertThat(report.at("/approvals/by_rule")).as("the approval rule, not the rule that permits the delete")
                .singleElement().satisfies(r -> {
                    assertThat(r.path("rule").asText()).isEqualTo("deletes");
                    assertThat(r.path("pending").asLong()).isEqualTo(5);
                    assertThat(r.path("ran_after_approval").asLong()).isEqualTo(1);
                });
        assertThat(report.at("/totals/pending_approval").asLong()).as("approval events are not statements").isEqualTo(5);
        assertThat(report.at("/totals/allow").asLong()).as("the one delete that ran").isEqualTo(1);
        assertThat(report.at("/totals/events").asLong()).isEqualTo(16);
    }

    @Test
    void eachRequestSaysWhoAskedForWhomWhoDecidedHowTheyWereKnownAndWhen() {
        JsonNode used = row(consumedId);
        assertThat(used.path("requester").asText()).isEqualTo("cleanup-bot");
        assertThat(used.path("on_behalf_of").asText()).contains("dora");
        assertThat(used.path("action").asText()).isEqualTo("delete");
        assertThat(texts(used.path("tables"))).containsExactly("PUBLIC.APPROVAL_REPORT");
        assertThat(used.path("rule").asText()).isEqualTo("deletes");
        assertThat(used.path("requested_at").asText()).isNotEmpty();
        assertThat(used.path("statement_event_id").asText()).isNotEmpty();
        assertThat(used.path("status").asText()).isEqualTo("consumed");
        assertThat(used.path("consumed_at").asText()).isNotEmpty();
        assertThat(used.path("decisions")).singleElement().satisfies(d -> {
            assertThat(d.path("decision").asText()).isEqualTo("approve");
            assertThat(d.path("approver").asText()).isEqualTo("vera");
            assertThat(d.path("identity_source").asText()).isEqualTo("verified");
            assertThat(d.path("issuer").asText()).isEqualTo(ISSUER);
            assertThat(Instant.parse(d.path("time").asText())).isBetween(Instant.parse(used.path("requested_at").asText()),
                    Instant.parse(used.path("consumed_at").asText()));
        });

        JsonNode denied = row(deniedId);
        assertThat(denied.path("status").asText()).isEqualTo("denied");
        assertThat(denied.path("denied_at").asText()).isNotEmpty();
        assertThat(denied.path("decisions")).singleElement().satisfies(d -> {
            assertThat(d.path("decision").asText()).isEqualTo("deny");
            assertThat(d.path("approver").asText()).isEqualTo("dan");
            assertThat(d.path("identity_source").asText()).isEqualTo("asserted");
            assertThat(d.path("reason").asText()).isEqualTo("not during the freeze");
        });

        assertThat(row(approvedId).path("status").asText()).isEqualTo("approved");
        assertThat(row(approvedId).path("consumed_at").isNull()).isTrue();
        assertThat(row(pendingId).path("status").asText()).isEqualTo("pending");
        assertThat(row(pendingId).path("decisions")).isEmpty();
        JsonNode expired = row(expiredId);
        assertThat(expired.path("status").asText()).isEqualTo("expired");
        assertThat(expired.path("expired").asText()).as("it expired undecided").isEqualTo("request");
        assertThat(Instant.parse(expired.path("expired_at").asText())).isAfter(Instant.parse(expired.path("requested_at").asText()));
    }

    @Test
    void thePageNamesTheApproversAndNeitherReportHoldsTheStatementsValues() {
        assertThat(html).contains("approved by <b>vera</b> (verified by " + ISSUER + ")",
                "denied by <b>dan</b> (asserted)", "not during the freeze", "<code>" + consumedId + "</code>");
        assertThat(html).contains("Approval requests: 5 (1 pending, 1 approved and not yet used, 1 approved and used, 1 denied, 1 expired)");
        assertThat(html).doesNotContain(SECRET);
        assertThat(report.toString()).doesNotContain(SECRET);
    }

    @Test
    void theChangeControlCountsTheApprovalRequestsAsEvidence() {
        JsonNode change = StreamSupport.stream(report.at("/controls").spliterator(), false)
                .filter(c -> c.path("control").asText().equals("CC8.1")).findFirst().orElseThrow();
        assertThat(change.path("evidence").asLong()).as("no DDL ran, five requests").isEqualTo(5);
    }

    private static JsonNode row(String id) {
        return StreamSupport.stream(report.at("/approvals/requests").spliterator(), false)
                .filter(r -> r.path("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in " + report.at("/approvals/requests")));
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
