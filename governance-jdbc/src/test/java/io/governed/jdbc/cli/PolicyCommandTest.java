package io.governed.jdbc.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code governed-jdbc policy check} and {@code policy explain} as a user runs them. */
class PolicyCommandTest {
    private static final String REFERENCE = "classpath:policies/reference-policy.yaml";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return GovernedJdbcCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void checkAcceptsTheReferencePolicy() {
        assertThat(run("policy", "check", REFERENCE)).isZero();
        assertThat(out.toString()).startsWith("OK: ").contains("6 rules, 3 masks, 1 row filters, 1 approvals");
    }

    @Test
    void checkPointsAtEveryProblemWithItsLineAndColumn(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, String.join("\n",
                "version: 1",
                "default: deny",
                "rules:",
                "  - id: readers",
                "    effect: permit",
                "    principles: { groups: [analysts] }",
                "    actions: [selct]",
                "    resources: [\"public.*\"]",
                "  - id: readers",
                "    effect: permit",
                "    actions: [select]",
                "    resources: [\"a.b.c\"]",
                ""));
        assertThat(run("policy", "check", broken.toString())).isEqualTo(1);
        assertThat(err.toString())
                .contains("broken.yaml:6:5").contains("principals")
                .contains("broken.yaml:7:").contains("select")
                .contains("broken.yaml:9:").contains("readers")
                .contains("broken.yaml:12:").contains("a.b.c");
    }

    @Test
    void explainPrintsTheStatementAsRowFiltersRewriteIt() {
        int exit = run("policy", "explain", REFERENCE, "--principal", "ann", "--groups", "analysts", "--attribute", "tenant=acme",
                "--sql", "SELECT id FROM public.orders WHERE total > 10 OR 1 = 1");
        assertThat(exit).as("allowed").isZero();
        assertThat(out.toString())
                .contains("Reason:      Allowed by rule analysts-read; rows restricted by row filter tenant-isolation")
                .contains("Rewritten:   SELECT id FROM (SELECT * FROM public.orders gvrf_1 WHERE (gvrf_1.tenant_id = ?) OFFSET 0) AS orders "
                        + "WHERE total > 10 OR 1 = 1")
                .contains("Row filters: tenant-isolation (1 value bound as parameters, not shown)")
                .doesNotContain("acme");
    }

    @Test
    void explainProvesAWritesBoundWithTheColumnsOfTheTablesGiven() {
        String sql = "DELETE FROM payments WHERE id IN (SELECT payment_id FROM refunds WHERE id = 7)";
        assertThat(run("policy", "explain", REFERENCE, "--principal", "billing", "--kind", "service", "--sql", sql))
                .as("without the columns of refunds nothing proves the subquery's names are its own").isNotZero();
        assertThat(out.toString()).contains("Denied by rule no-unbounded-writes")
                .contains("the unqualified name payment_id inside a subquery of its condition could not be found in refunds");
        out.getBuffer().setLength(0);
        assertThat(run("policy", "explain", REFERENCE, "--principal", "billing", "--kind", "service",
                "--table", "refunds=id, payment_id", "--sql", sql)).isZero();
        assertThat(out.toString()).contains("Allowed by rule services-crud");
        out.getBuffer().setLength(0);
        assertThat(run("policy", "explain", REFERENCE, "--principal", "billing", "--kind", "service",
                "--table", "refunds=payment_id", "--table", "payments=id", "--sql", sql))
                .as("id is not a column of refunds: it is the payment's own, and the condition holds for every row").isNotZero();
        assertThat(out.toString()).contains("the unqualified name id inside a subquery of its condition could not be found in refunds");
    }

    @Test
    void explainPrintsTheCheckOfAnInsertsNewRows() {
        run("policy", "explain", REFERENCE, "--principal", "billing", "--kind", "service", "--attribute", "tenant=acme",
                "--sql", "INSERT INTO public.orders (id, tenant_id) VALUES (1, ?), (2, ?)");
        assertThat(out.toString())
                .contains("Rewritten:   INSERT INTO public.orders (id, tenant_id) VALUES (1, ?), (2, ?)")
                .contains("Row check:   tenant-isolation: ? = ? (checked before the INSERT runs")
                .doesNotContain("acme");
    }

    @Test
    void explainPrintsTheCheckOfAMergesInsertedRowAsTheMerges() {
        run("policy", "explain", REFERENCE, "--principal", "olga", "--groups", "dba", "--attribute", "tenant=acme",
                "--sql", "MERGE INTO public.orders o USING (SELECT 1 AS id) s ON o.id = s.id "
                        + "WHEN NOT MATCHED THEN INSERT (id, tenant_id) VALUES (1, ?)");
        assertThat(out.toString())
                .contains("Row check:   tenant-isolation: ? = ? (the row the MERGE's WHEN NOT MATCHED THEN INSERT adds, "
                        + "checked before the MERGE runs; a row it is not true for refuses the statement)")
                .doesNotContain("before the INSERT runs")
                .doesNotContain("acme");
    }

    @Test
    void explainDeniesARowFilteredStatementWhoseIdentityAttributeIsMissing() {
        int exit = run("policy", "explain", REFERENCE, "--principal", "ann", "--groups", "analysts",
                "--sql", "SELECT id FROM public.orders");
        assertThat(exit).as("denied").isEqualTo(1);
        assertThat(out.toString()).contains("Decision:    DENY").contains("needs the identity attribute 'tenant'");
    }

    @Test
    void explainShowsTheAnalysisAndTheRuleThatDecided() {
        int exit = run("policy", "explain", REFERENCE, "--principal", "etl", "--kind", "service",
                "--sql", "UPDATE public.customers SET email = NULL WHERE 1 = 1");
        assertThat(exit).as("denied").isEqualTo(1);
        assertThat(out.toString())
                .contains("1. update")
                .contains("writes:  public.customers")
                .contains("where:   always true (touches every row)")
                .contains("Decision:    DENY")
                .contains("Rules:       no-unbounded-writes");
    }

    @Test
    void explainShowsWhichUnqualifiedNameInASubqueryABoundRestsOn() {
        int exit = run("policy", "explain", REFERENCE, "--principal", "etl", "--kind", "service",
                "--sql", "DELETE FROM public.orders WHERE id IN (SELECT id FROM public.audit_log)");
        assertThat(exit).as("denied: no catalog to find the name in").isEqualTo(1);
        assertThat(out.toString())
                .contains("where:   always true (touches every row)")
                .contains("bound if: id is a column of public.audit_log")
                .contains("the unqualified name id inside a subquery of its condition could not be found in public.audit_log")
                .contains("audit_log.id");
    }

    @Test
    void explainTellsAnAgentWithoutAHumanFromOneActingForAHuman() {
        String[] agent = {"policy", "explain", REFERENCE, "--principal", "bot", "--kind", "agent", "--sql", "SELECT id FROM public.customers"};
        assertThat(run(agent)).isEqualTo(1);
        assertThat(out.toString()).contains("Decision:    DENY");
        out.getBuffer().setLength(0);
        String[] forAlice = {"policy", "explain", REFERENCE, "--principal", "bot", "--kind", "agent", "--on-behalf-of", "alice",
                "--sql", "SELECT id FROM public.customers"};
        assertThat(run(forAlice)).isZero();
        assertThat(out.toString()).contains("Decision:    ALLOW").contains("agents-read-for-a-human");
    }

    @Test
    void explainTellsAVerifiedIdentityFromAnAssertedOne(@TempDir Path dir) throws IOException {
        Path policy = dir.resolve("verified.yaml");
        Files.writeString(policy, String.join("\n",
                "version: 1",
                "rules:",
                "  - { id: okta-analysts, effect: permit, actions: [select], resources: [\"*\"],",
                "      principals: { groups: [analysts], verified: true, issuers: [\"https://acme.okta.com\"] } }",
                ""));
        String[] asserted = {"policy", "explain", policy.toString(), "--principal", "alice", "--groups", "analysts",
                "--sql", "SELECT id FROM public.customers"};
        assertThat(run(asserted)).isEqualTo(1);
        out.getBuffer().setLength(0);
        String[] verified = {"policy", "explain", policy.toString(), "--principal", "alice", "--groups", "analysts",
                "--verified-by", "https://acme.okta.com", "--sql", "SELECT id FROM public.customers"};
        assertThat(run(verified)).isZero();
        assertThat(out.toString()).contains("verified by https://acme.okta.com").contains("Rules:       okta-analysts");
    }

    @Test
    void explainWithoutFilesUsesTheBaseline() {
        assertThat(run("policy", "explain", "--principal", "app", "--sql", "SELECT 1; DROP TABLE t")).isEqualTo(1);
        assertThat(out.toString()).contains("2 statement(s)").contains("2. drop").contains("baseline");
    }

    @Test
    void explainShowsWhichResultColumnsAreMaskedByWhichMaskAndWhy() {
        int exit = run("policy", "explain", "classpath:policies/masking-policy.yaml", "--principal", "ann", "--groups", "analysts",
                "--sql", "SELECT id, email AS contact, substring(ssn, 1, 3) AS area, billing_email, access_token FROM customers");
        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains("Masking:     for ann")
                .contains("id: clear")
                .contains("contact: masked by mask-email (email): public.customers.email is tagged pii.email (matched pattern *.email from policy)")
                .contains("area: masked by mask-ids (redact)")
                .contains("billing_email: masked by mask-email (email)")
                .contains("customers.billing_email is pii.email: matched pattern *.*_email from policy")
                .contains("access_token: masked by hide-secrets (redact)")
                .contains("column name 'access_token' contains");
    }

    @Test
    void explainShowsClearColumnsForSomeoneTheMasksExempt() {
        run("policy", "explain", "classpath:policies/masking-policy.yaml", "--principal", "pia", "--groups", "analysts,pii-readers",
                "--sql", "SELECT email, api_key FROM customers");
        assertThat(out.toString()).contains("email: clear").contains("api_key: masked by hide-secrets (redact)");
    }

    @Test
    void explainShowsWhatAPolicyInObserveModeWouldDenyAndTheLimitsInForce(@TempDir Path dir) throws IOException {
        Path policy = dir.resolve("observe.yaml");
        Files.writeString(policy, String.join("\n",
                "version: 1",
                "rules:",
                "  - id: writers",
                "    effect: permit",
                "    actions: [select, delete]",
                "    resources: [\"*\"]",
                "  - id: no-unbounded-deletes",
                "    effect: forbid",
                "    actions: [delete]",
                "    when: { where: absent }",
                "    enforcement: observe",
                "limits:",
                "  - id: agent-bounds",
                "    principals: { kinds: [agent] }",
                "    max-rows: 200",
                "    statement-timeout: 10s",
                ""));
        int exit = run("policy", "explain", policy.toString(), "--principal", "bot", "--kind", "agent",
                "--sql", "DELETE FROM public.orders");
        assertThat(exit).as("observed, the statement would run").isZero();
        assertThat(out.toString())
                .contains("Decision:    ALLOW")
                .contains("Observe:     WOULD_DENY")
                .contains("no-unbounded-deletes")
                .contains("Limits:      max-rows 200 (truncate, agent-bounds); statement-timeout 10s (agent-bounds)");
    }
}
