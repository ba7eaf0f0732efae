package io.governed.examples.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo shows what the README promises: allowed work, an agent for a human, refusals naming their rules, and the audit trail of it all. */
class QuickstartTest {
    /** The demo's output: it runs once per JVM, since its in-memory database outlives it. */
    private static String output;

    private static synchronized String demoOutput() throws Exception {
        if (output == null) {
            PrintStream original = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                Quickstart.main(new String[0]);
            } finally {
                System.setOut(original);
            }
            output = captured.toString(StandardCharsets.UTF_8);
        }
        return output;
    }

    @Test
    void theDemoShowsEachDecisionWithItsRule() throws Exception {
        String out = demoOutput();
        assertThat(out)
                .contains("created two tables and two customers")
                .contains("== support-agent, for alice")
                .contains("refused: SELECT name FROM customers")
                .contains("refused: DROP TABLE customers")
                .contains("Denied by rule no-destructive-ddl")
                .contains("Denied by rule no-unbounded-writes")
                .contains("refused: SELECT 1; DrOp/**/TABLE customers");
        assertThat(out.split("Ada Lovelace", -1)).as("the customers are listed three times, then twice in the masking demo").hasSize(6);
        assertThat(out).as("the audit trail closes the demo")
                .contains("== The audit trail")
                .containsPattern("allow +support-agent for alice +select +2 +select id, name, email, ssn from customers")
                .containsPattern("deny +order-service +drop +drop table customers +\\[rule no-destructive-ddl]")
                .containsPattern("deny +support-agent +select .*\\[the policy default]")
                .contains("hash chain intact over 19 events");
    }

    @Test
    void theMaskingDemoShowsOneQueryMaskedForAnAnalystAndClearForAPiiReader() throws Exception {
        String out = demoOutput();
        String analyst = out.substring(out.indexOf("== bob (analysts)"), out.indexOf("== pia (analysts, pii-readers)"));
        String reader = out.substring(out.indexOf("== pia (analysts, pii-readers)"), out.indexOf("== order-service tries to copy"));
        assertThat(analyst).contains("a***@example.com", "*******6789").doesNotContain("ada@example.com", "123-45-6789");
        assertThat(reader).contains("ada@example.com", "123-45-6789", "ssn 123-45-6789");
        assertThat(out).contains("refused: CREATE TABLE ssn_copy AS SELECT id, ssn FROM customers")
                .contains("mask-ssn");
    }

    @Test
    void aDbasDropWaitsForASecondDbaThenRunsOnce() throws Exception {
        String out = demoOutput();
        String approval = out.substring(out.indexOf("== dora (dba) drops a table"), out.indexOf("== The audit trail"));
        assertThat(approval).contains("pending: DROP TABLE old_orders", "[XGA01] request apr-")
                .containsPattern("dan \\(dba\\): governed-jdbc approvals approve apr-\\S+ --store \\S+ --approver dan --groups dba")
                .containsPattern("Approved apr-\\S+ as dan \\(asserted\\) \\(drop on PUBLIC.OLD_ORDERS by dora\\)")
                .contains("ran: DROP TABLE old_orders");
        assertThat(out).containsPattern("pending_approval +dora +approval_requested +apr-")
                .containsPattern("allow +dora +approval_consumed +apr-")
                .containsPattern("allow +dora +drop +0 +drop table old_orders");
    }

    @Test
    void theDemoEndsWithTheComplianceReportBesideItsTrailNamingTheApprover() throws Exception {
        String out = demoOutput();
        String report = out.substring(out.indexOf("== The compliance report"));
        Matcher written = Pattern.compile("OK (\\d+) events reported in (\\S+report\\.html) and (\\S+report\\.json),"
                + " evidence pack (\\S+evidence\\.zip)").matcher(report);
        assertThat(written.find()).as(report).isTrue();
        assertThat(Integer.parseInt(written.group(1))).as("the 19 events of the trail and the approver's decision").isEqualTo(20);
        Path html = Path.of(written.group(2));
        Path json = Path.of(written.group(3));
        String trail = out.substring(out.indexOf("== The audit trail ") + "== The audit trail ".length()).lines().findFirst().orElseThrow();
        assertThat(html.getParent()).as("beside the trail").isEqualTo(Path.of(trail).getParent());
        assertThat(report).contains("open " + html.toUri());
        assertThat(Path.of(written.group(4))).exists();

        JsonNode figures = new ObjectMapper().readTree(json.toFile());
        assertThat(figures.at("/verification/ok").asBoolean()).isTrue();
        assertThat(figures.at("/approvals/counts/requests").asLong()).isEqualTo(1);
        assertThat(figures.at("/approvals/counts/consumed").asLong()).isEqualTo(1);
        JsonNode request = figures.at("/approvals/requests/0");
        assertThat(request.path("requester").asText()).isEqualTo("dora");
        assertThat(request.path("action").asText()).isEqualTo("drop");
        assertThat(request.at("/decisions/0/approver").asText()).isEqualTo("dan");
        assertThat(request.at("/decisions/0/identity_source").asText()).isEqualTo("asserted");
        assertThat(rowsOf(figures.at("/policy_versions"))).allSatisfy(p ->
                assertThat(p.path("matches_given_files").asBoolean()).as("the policy file given is the one that decided").isTrue());
        assertThat(Files.readString(html)).contains("approved by <b>dan</b> (asserted)");
    }

    private static java.util.List<JsonNode> rowsOf(JsonNode array) {
        java.util.List<JsonNode> rows = new java.util.ArrayList<>();
        array.forEach(rows::add);
        return rows;
    }
}
