package io.governed.examples.agent;

import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.masking.Detokenizer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The scripted support conversation, as the model, the user and the auditor see it. */
class AgentDemoTest {
    private static final List<String> PRO_EMAILS = List.of("ada@corp.test", "cy@corp.test");

    @Test
    void theModelSeesTokensTheUserSeesValuesAndTheRefusedDeleteChangesNothing() throws SQLException {
        AgentDemo.Outcome outcome = AgentDemo.run();

        assertThat(String.join("\n", outcome.modelSaw())).as("no e-mail address reached the model")
                .doesNotContain(PRO_EMAILS.get(0), PRO_EMAILS.get(1), "bo@corp.test")
                .contains("REFUSED (SQLState 42501)").contains("agents-never-delete")
                .containsPattern("tok_[0-9a-f]{16}@example\\.invalid");
        assertThat(outcome.modelAnswer()).doesNotContain("@corp.test").containsPattern("tok_[0-9a-f]{16}@example\\.invalid");
        assertThat(outcome.userAnswer()).isEqualTo("The pro customers are: ada@corp.test, cy@corp.test");
        assertThat(outcome.customers()).as("the refused DELETE never ran").isEqualTo(3);

        List<AuditEvent> trail = outcome.audit();
        assertThat(trail).filteredOn(e -> "delete".equals(e.action())).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(AuditDecision.DENY);
            assertThat(e.principal()).isEqualTo("support-agent");
            assertThat(e.onBehalfOf()).isEqualTo("lee");
            assertThat(e.purpose()).isEqualTo("support");
        });
        assertThat(trail).filteredOn(e -> "select".equals(e.action())).singleElement()
                .satisfies(e -> assertThat(e.maskedColumns()).isNotEmpty());
        assertThat(trail).filteredOn(e -> Detokenizer.ACTION.equals(e.action())).hasSize(2)
                .allSatisfy(e -> {
                    assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
                    assertThat(e.principal()).isEqualTo("lee");
                });
    }

    @Test
    void theRefundWaitsForASecondLeadAndRunsOnceWhenTheAgentRetriesAfterTheApproval() throws SQLException {
        AgentDemo.Outcome outcome = AgentDemo.run();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AgentDemo.print(outcome, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);

        Matcher waiting = Pattern.compile("\\n  agent says:  The refund needs a second support lead's approval: it is waiting for"
                + " approval (apr-[0-9a-f]{16})\\. I will run it once it is approved\\.\\n").matcher(printed);
        assertThat(waiting.find()).as("the agent tells lee the refund waits, naming the request:%n%s", printed).isTrue();
        String id = waiting.group(1);
        assertThat(printed).containsSubsequence(
                "  lee asks:    Refund 40.00 on order 1001 to Ada: the parcel arrived damaged\n",
                "  agent says:  The refund needs a second support lead's approval: it is waiting for approval " + id,
                "  lee approves " + id + ": refused: lee cannot approve or deny request " + id
                        + ", which they made (or which was made for them): ask another approver\n",
                "  sam reviews " + id + ": support-agent for lee, purpose support, insert on PUBLIC.REFUNDS: " + AgentDemo.REFUND + "\n",
                "  sam approves " + id + ": approved\n",
                "  lee asks:    Sam approved the refund: go ahead\n",
                "  agent says:  Done: the refund of 40.00 on order 1001 ran (changed 1 rows).\n",
                "Refunds while the request waited: 0; at the end: 1\n");
        assertThat(String.join("\n", outcome.modelSaw())).as("the tool told the model the statement waits, not that it failed")
                .contains("waiting for approval " + id + ": it did not run").doesNotContain("REFUSED (SQLState XGA01)");

        assertThat(outcome.refundsWhilePending()).as("nothing ran before the approval").isZero();
        assertThat(outcome.refunds()).as("the approved refund ran exactly once").isEqualTo(1);

        List<AuditEvent> trail = outcome.audit();
        assertThat(trail).filteredOn(e -> "insert".equals(e.action())).extracting(e -> e.decision())
                .containsExactly(AuditDecision.PENDING_APPROVAL, AuditDecision.ALLOW);
        assertThat(trail).filteredOn(e -> id.equals(e.approvalId())).extracting(AuditEvent::action, AuditEvent::principal)
                .containsExactly(tuple("approval_requested", "support-agent"), tuple("insert", "support-agent"),
                        tuple("approval_approved", "sam"), tuple("approval_consumed", "support-agent"));
        AuditEvent consumed = trail.stream().filter(e -> "approval_consumed".equals(e.action())).findFirst().orElseThrow();
        assertThat(trail).as("the approval was used up by the insert that ran, after sam's approval")
                .filteredOn(e -> e.eventId().equals(consumed.statementEventId())).singleElement()
                .satisfies(e -> {
                    assertThat(e.action()).isEqualTo("insert");
                    assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
                    assertThat(e.onBehalfOf()).isEqualTo("lee");
                    assertThat(e.reason()).as("the run names the request it used up").contains(id);
                    assertThat(trail.indexOf(e)).isGreaterThan(trail.indexOf(trail.stream()
                            .filter(x -> "approval_approved".equals(x.action())).findFirst().orElseThrow()));
                });
        assertThat(printed).containsPattern("support-agent for lee insert pending_approval \\[support-refunds, refunds-need-a-second-lead] " + id)
                .containsPattern("sam approval_approved allow \\[refunds-need-a-second-lead] " + id)
                .containsPattern("support-agent for lee approval_consumed allow \\[refunds-need-a-second-lead] " + id)
                .containsPattern("support-agent for lee insert allow \\[support-refunds, refunds-need-a-second-lead] insert into refunds");
    }
}
