package io.governed.jdbc.cli;

import io.governed.jdbc.support.CliRun;
import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.jdbc.approval.ApprovalStores;
import io.governed.jdbc.approval.WebhookReceiver;
import io.governed.policy.approval.ApprovalStatus;
import io.governed.policy.approval.ApprovalStore;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code governed-jdbc approvals …} on a store a governed application shares with the command line. */
class ApprovalsCommandTest {
    private final String database = "jdbc:h2:mem:approvals-cli-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final String storeUrl = database + "#table=approvals_cli";
    private GovernedDataSource app;

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    @BeforeEach
    void application() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(database);
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE approvals_users (id INT PRIMARY KEY, name VARCHAR(20))");
            s.execute("INSERT INTO approvals_users VALUES (1, 'ann'), (2, 'bob')");
        }
        app = app(ApprovalStores.open(storeUrl, null, null));
    }

    private GovernedDataSource app(ApprovalStore store) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(database);
        Governance governance = Governance.builder().withoutAudit()
                .policy(PolicyLoader.fromString("cli.yaml", """
                        version: 1
                        rules: [{ id: all, effect: permit, actions: ["*"] }]
                        approvals:
                          - { id: deletes, actions: [delete, drop], approvers: { groups: [dba] }, ttl: 1h }
                        """))
                .approvalStore(store)
                .defaultIdentity(Identity.builder("dora").groups("dev").onBehalfOf(Identity.human("hal")).purpose("cleanup").build())
                .build();
        return new GovernedDataSource(h2, governance);
    }

    private String pendingDelete(int id) throws SQLException {
        return pendingDelete(app, id);
    }

    private static String pendingDelete(GovernedDataSource app, int id) throws SQLException {
        try (Connection c = app.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM approvals_users WHERE id = ?")) {
            ps.setInt(1, id);
            return catchThrowableOfType(ApprovalPendingException.class, ps::executeUpdate).approvalRequestId();
        }
    }

    private int deleted(int id) throws SQLException {
        try (Connection c = app.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM approvals_users WHERE id = ?")) {
            ps.setInt(1, id);
            return ps.executeUpdate();
        }
    }

    private boolean present(int id) throws SQLException {
        JdbcDataSource raw = new JdbcDataSource();
        raw.setURL(database);
        try (Connection c = raw.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM approvals_users WHERE id = " + id)) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    @Test
    void listShowsPendingRequestsAsATable() throws SQLException {
        String id = pendingDelete(1);
        CliRun list = cli("approvals", "list", "--store", storeUrl);
        assertThat(list.code()).isZero();
        String[] lines = list.out().split("\\R");
        assertThat(lines[0]).matches("ID +REQUESTER +ACTION +TABLES +FINGERPRINT +AGE +STATUS");
        assertThat(lines[1]).startsWith(id).contains("dora (for hal)").contains("delete").contains("APPROVALS_USERS")
                .endsWith("pending");
        assertThat(lines).hasSize(2);
        assertThat(list.out()).as("the list shows no values").doesNotContain("= 1");

        assertThat(cli("approvals", "list", "--store", storeUrl, "--status", "approved").out()).contains("(no approved requests)");
    }

    @Test
    void listShowsOnePageAtATimeAndSaysHowToGetTheNext() throws SQLException {
        try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO approvals_users VALUES (3, 'cy'), (4, 'di'), (5, 'ed')");
        }
        List<String> ids = new java.util.ArrayList<>();
        for (int id = 1; id <= 5; id++) {
            ids.add(pendingDelete(id));
        }
        // the ids in list order: oldest first, then by id
        List<String> listed = java.util.Arrays.stream(cli("approvals", "list", "--store", storeUrl).out().split("\\R"))
                .skip(1).map(line -> line.split(" +")[0]).toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);

        CliRun first = cli("approvals", "list", "--store", storeUrl, "--limit", "2");
        CliRun second = cli("approvals", "list", "--store", storeUrl, "--limit", "2", "--offset", "2");
        CliRun last = cli("approvals", "list", "--store", storeUrl, "--limit", "2", "--offset", "4");
        assertThat(first.out()).contains(listed.get(0)).contains(listed.get(1)).doesNotContain(listed.get(2))
                .contains("(more requests: add --offset 2)");
        assertThat(second.out()).contains(listed.get(2)).contains(listed.get(3)).doesNotContain(listed.get(1))
                .doesNotContain(listed.get(4)).contains("(more requests: add --offset 4)");
        assertThat(last.out()).contains(listed.get(4)).doesNotContain(listed.get(3)).doesNotContain("more requests");
        assertThat(cli("approvals", "list", "--store", storeUrl, "--offset", "5").out())
                .contains("(no pending requests from offset 5)");

        CliRun noRows = cli("approvals", "list", "--store", storeUrl, "--limit", "0");
        assertThat(noRows.code()).isEqualTo(GovernedJdbcCli.USAGE);
        assertThat(noRows.err()).contains("--limit must be 1 or more");
        assertThat(cli("approvals", "list", "--store", storeUrl, "--offset", "-1").err()).contains("--offset must be 0 or more");
    }

    @Test
    void showGivesTheExactStatementAndTheValuesDigest() throws SQLException {
        String id = pendingDelete(1);
        CliRun show = cli("approvals", "show", id, "--store", storeUrl);
        assertThat(show.code()).isZero();
        assertThat(show.out()).contains("Request:      " + id, "Status:       pending", "Requester:    dora (for hal)",
                "Purpose:      cleanup", "Approvers:    groups [dba]", "Statement:    DELETE FROM approvals_users WHERE id = ?",
                "Values:       SHA-256 ");
    }

    /** The characters of {@code text} a terminal acts on rather than shows, line breaks aside. */
    private static List<String> controlCharacters(String text) {
        return text.codePoints().filter(c -> c != '\n' && (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT))
                .mapToObj(c -> String.format("U+%04X", c)).toList();
    }

    /**
     * The requester controls its statement's text (a comment), its purpose and, through the application, its name: an
     * agent told to by a prompt it read, say. Terminal control sequences in them would redraw what the approver reads
     * (the cursor moved up, the DELETE's lines cleared, a harmless SELECT written over them; a right-to-left override
     * turning text around). Every character a terminal would act on is printed as a visible escape, on the one line it
     * belongs to.
     */
    @Test
    void textTheRequesterControlsCannotRedrawTheApproversTerminal() throws SQLException {
        String redraw = "\u001b[1A\u001b[2K\rStatement:    SELECT 1\n";
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(database);
        Identity agent = Identity.builder("agent\u001b[8m").kind(io.governed.identity.IdentityKind.AGENT)
                .onBehalfOf(Identity.human("hal")).purpose("ticket \u202e24" + redraw).build();
        GovernedDataSource agentApp = new GovernedDataSource(h2, Governance.builder().withoutAudit()
                .policy(PolicyLoader.fromString("cli.yaml", """
                        version: 1
                        rules: [{ id: all, effect: permit, actions: ["*"] }]
                        approvals:
                          - { id: deletes, actions: [delete, drop], approvers: { groups: [dba] }, ttl: 1h }
                        """))
                .approvalStore(ApprovalStores.open(storeUrl, null, null)).defaultIdentity(agent).build());
        String id;
        try (Connection c = agentApp.getConnection(); Statement s = c.createStatement()) {
            id = catchThrowableOfType(ApprovalPendingException.class,
                    () -> s.executeUpdate("DELETE FROM approvals_users /*" + redraw + "*/ WHERE id = 1")).approvalRequestId();
        }

        CliRun list = cli("approvals", "list", "--store", storeUrl);
        CliRun show = cli("approvals", "show", id, "--store", storeUrl);
        CliRun approve = cli("approvals", "approve", id, "--store", storeUrl, "--approver", "dan", "--groups", "dba");
        for (CliRun run : List.of(list, show, approve)) {
            assertThat(run.code()).as(run.err()).isZero();
            assertThat(controlCharacters(run.out())).as(run.out()).isEmpty();
        }
        assertThat(list.out().split("\\R")).hasSize(2);
        assertThat(show.out()).contains("Requester:    agent\\u001B[8m (for hal)")
                .contains("Purpose:      ticket \\u202E24\\u001B[1A\\u001B[2K\\rStatement:    SELECT 1\\n")
                .contains("Statement:    DELETE FROM approvals_users /*\\u001B[1A\\u001B[2K\\rStatement:    SELECT 1\\n*/ WHERE id = 1");
        assertThat(show.out().lines().filter(l -> l.startsWith("Statement:"))).hasSize(1);
        assertThat(approve.out()).startsWith("Approved " + id + " as dan (asserted) (delete on ").contains("by agent\\u001B[8m (for hal)");
    }

    @Test
    void anApproverApprovesThroughTheCommandLineAndTheStatementRunsOnce() throws SQLException {
        String id = pendingDelete(1);
        CliRun approve = cli("approvals", "approve", id, "--store", storeUrl, "--approver", "dan", "--groups", "dba");
        assertThat(approve.code()).as(approve.err()).isZero();
        assertThat(approve.out()).startsWith("Approved " + id + " as dan (asserted) (delete on ");

        assertThat(pendingDelete(2)).as("another value is not approved").isNotEqualTo(id);
        assertThat(present(2)).isTrue();
        assertThat(deleted(1)).isEqualTo(1);
        assertThat(present(1)).isFalse();
        assertThat(cli("approvals", "show", id, "--store", storeUrl).out()).contains("Status:       consumed")
                .contains("Approved by:  dan (dba) [asserted]");
    }

    @Test
    void refusalsExitWithThree() throws SQLException {
        String id = pendingDelete(1);
        CliRun own = cli("approvals", "approve", id, "--store", storeUrl, "--approver", "hal", "--groups", "dba");
        assertThat(own.code()).isEqualTo(ApprovalsCommand.REFUSED);
        assertThat(own.err()).contains("refused: hal cannot approve or deny request " + id);
        CliRun notApprover = cli("approvals", "approve", id, "--store", storeUrl, "--approver", "eve", "--groups", "dev");
        assertThat(notApprover.code()).isEqualTo(ApprovalsCommand.REFUSED);
        assertThat(notApprover.err()).contains("eve may not approve or deny request " + id + ": approval deletes needs groups [dba]");
        CliRun unknown = cli("approvals", "show", "apr-0000", "--store", storeUrl);
        assertThat(unknown.code()).isEqualTo(ApprovalsCommand.REFUSED).as("not the tool's own failure")
                .isEqualTo(4).isNotEqualTo(GovernedJdbcCli.CRASHED);
        assertThat(cli("approvals", "show", "apr-0000000000000000", "--store", storeUrl).code())
                .as("showing an unknown request").isEqualTo(ApprovalsCommand.REFUSED);
        assertThat(unknown.err()).contains("no approval request 'apr-0000' is known");
        assertThat(ApprovalStores.open(storeUrl, null, null).find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
    }

    @Test
    void aDenialNeedsAReasonAndTheRequesterSeesIt() throws SQLException {
        String id = pendingDelete(1);
        CliRun noReason = cli("approvals", "deny", id, "--store", storeUrl, "--approver", "dan", "--groups", "dba");
        assertThat(noReason.code()).isEqualTo(GovernedJdbcCli.USAGE);
        assertThat(noReason.err()).contains("Missing required option: '--reason");
        CliRun deny = cli("approvals", "deny", id, "--store", storeUrl, "--approver", "dan", "--groups", "dba", "--reason", "keep ann");
        assertThat(deny.code()).isZero();
        assertThat(deny.out()).startsWith("Denied " + id);
        try (Connection c = app.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM approvals_users WHERE id = ?")) {
            ps.setInt(1, 1);
            SQLException denied = catchThrowableOfType(SQLException.class, ps::executeUpdate);
            assertThat(denied.getSQLState()).isEqualTo("42501");
            assertThat(denied.getMessage()).contains("denied by dan").contains("keep ann");
        }
        assertThat(present(1)).isTrue();
    }

    @Test
    void anExpiredRequestIsListedAsExpiredAndCannotBeApproved() throws SQLException {
        java.time.Clock twoDaysAgo = java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofDays(-2));
        String id = pendingDelete(app(new io.governed.jdbc.approval.JdbcApprovalStore(database, null, null, "approvals_cli",
                twoDaysAgo)), 1);
        assertThat(cli("approvals", "list", "--store", storeUrl).out()).doesNotContain(id);
        assertThat(cli("approvals", "list", "--store", storeUrl, "--status", "expired").out()).contains(id).contains("2d");
        CliRun approve = cli("approvals", "approve", id, "--store", storeUrl, "--approver", "dan", "--groups", "dba");
        assertThat(approve.code()).isEqualTo(ApprovalsCommand.REFUSED);
        assertThat(approve.err()).contains("request " + id + " is expired");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(cli("approvals", "list").code()).isEqualTo(GovernedJdbcCli.USAGE);
        assertThat(cli("approvals", "list", "--store", storeUrl, "--status", "maybe").code()).isEqualTo(GovernedJdbcCli.USAGE);
        assertThat(cli("approvals", "approve", "apr-1", "--store", storeUrl).code()).isEqualTo(GovernedJdbcCli.USAGE);
    }

    @Test
    void aDecisionMadeOnTheCommandLineIsNotifiedSignedAndWithoutValues() throws Exception {
        String id = pendingDelete(1);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            CliRun approve = cli("approvals", "approve", id, "--store", storeUrl, "--approver", "dan", "--groups", "dba",
                    "--notify", "webhook:" + receiver.url("/hook"), "--notify-secret", "cli-key");
            assertThat(approve.code()).as(approve.err()).isZero();
            WebhookReceiver.Delivery delivery = receiver.next();
            assertThat(delivery.signature()).isEqualTo(WebhookReceiver.signature("cli-key", delivery.body()));
            JsonNode body = new ObjectMapper().readTree(delivery.body());
            assertThat(body.get("event").asText()).isEqualTo("approval.approved");
            assertThat(body.get("id").asText()).isEqualTo(id);
            assertThat(body.get("decidedBy").asText()).isEqualTo("dan");
            assertThat(delivery.body()).doesNotContain("WHERE id");
        }
    }

    @Test
    void aNotificationThatCannotBeDeliveredIsExitOneButTheDecisionStands() throws Exception {
        String id = pendingDelete(1);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.status = 500;
            CliRun deny = cli("approvals", "deny", id, "--store", storeUrl, "--approver", "dan", "--groups", "dba",
                    "--reason", "keep ann", "--notify", "webhook:" + receiver.url("/down"));
            assertThat(deny.code()).isEqualTo(ApprovalsCommand.UNAVAILABLE);
            assertThat(deny.err()).contains("the decision is made, but a notification could not be delivered");
        }
        assertThat(ApprovalStores.open(storeUrl, null, null).find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.DENIED);
    }
}
