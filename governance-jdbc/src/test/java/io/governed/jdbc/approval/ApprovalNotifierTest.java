package io.governed.jdbc.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.identity.Identity;
import io.governed.jdbc.approval.WebhookReceiver.Delivery;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.approval.InMemoryApprovalStore;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code governed.approvals.notify}: webhooks (signed) and Slack messages about requests and decisions, never values. */
class ApprovalNotifierTest {
    private static final String SECRET = "test-signing-key";

    private final WebhookReceiver receiver = new WebhookReceiver();

    @AfterEach
    void stop() {
        receiver.close();
    }

    private String url(String path) {
        return receiver.url(path);
    }

    private ApprovalPendingException pendingDelete(NotifyingApprovalStore store) throws SQLException {
        return pendingDelete(store, Identity.builder("bot").onBehalfOf(Identity.human("hal")).purpose("cleanup").build());
    }

    private ApprovalPendingException pendingDelete(NotifyingApprovalStore store, Identity requester) throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:approvals-notify-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE approvals_notify (id INT)");
        }
        GovernedDataSource app = new GovernedDataSource(h2, Governance.builder().withoutAudit().approvalStore(store)
                .defaultIdentity(requester)
                .policy(PolicyLoader.fromString("notify.yaml", """
                        version: 1
                        rules: [{ id: all, effect: permit, actions: ["*"] }]
                        approvals: [{ id: deletes, actions: [delete], approvers: { groups: [dba] }, ttl: 1h }]
                        """)).build());
        try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
            return catchThrowableOfType(ApprovalPendingException.class,
                    () -> s.executeUpdate("DELETE FROM approvals_notify WHERE id = 424242"));
        }
    }

    private Delivery next() throws InterruptedException {
        return receiver.next();
    }

    private static String hmac(String body) {
        return WebhookReceiver.signature(SECRET, body);
    }

    @Test
    void aWebhookGetsEveryRequestAndDecisionSignedAndWithoutLiterals() throws Exception {
        NotifyingApprovalStore store = new NotifyingApprovalStore(new InMemoryApprovalStore(),
                new ApprovalNotifier("webhook:" + url("/hook"), SECRET, "jdbc:postgresql://db/ops"));
        String id = pendingDelete(store).approvalRequestId();

        Delivery requested = next();
        assertThat(requested.signature()).as("the signature verifies").isEqualTo(hmac(requested.body()));
        JsonNode json = new ObjectMapper().readTree(requested.body());
        assertThat(json.get("event").asText()).isEqualTo("approval.requested");
        assertThat(json.get("id").asText()).isEqualTo(id);
        assertThat(json.get("requester").asText()).isEqualTo("bot");
        assertThat(json.get("onBehalfOf").asText()).isEqualTo("hal");
        assertThat(json.get("purpose").asText()).isEqualTo("cleanup");
        assertThat(json.get("action").asText()).isEqualTo("delete");
        assertThat(json.get("tables").get(0).asText()).isEqualTo("PUBLIC.APPROVALS_NOTIFY");
        assertThat(json.get("approveCommand").asText())
                .isEqualTo("governed-jdbc approvals approve " + id + " --store jdbc:postgresql://db/ops --approver <name> --groups dba");
        assertThat(requested.body()).as("no literal, no statement text").doesNotContain("424242");

        store.approve(id, Identity.builder("dan").groups("dba").build());
        Delivery approved = next();
        assertThat(approved.signature()).isEqualTo(hmac(approved.body()));
        assertThat(new ObjectMapper().readTree(approved.body()).get("event").asText()).isEqualTo("approval.approved");
        assertThat(new ObjectMapper().readTree(approved.body()).get("decidedBy").asText()).isEqualTo("dan");
    }

    @Test
    void aSlackMessageNamesWhoWhyWhatAndHowToApprove() throws Exception {
        NotifyingApprovalStore store = new NotifyingApprovalStore(new InMemoryApprovalStore(),
                new ApprovalNotifier("slack:" + url("/slack"), null, "jdbc:postgresql://db/ops"));
        String id = pendingDelete(store).approvalRequestId();
        Delivery message = next();
        assertThat(message.path()).isEqualTo("/slack");
        assertThat(message.signature()).isNull();
        JsonNode json = new ObjectMapper().readTree(message.body());
        assertThat(json.fieldNames()).toIterable().containsExactly("text");
        assertThat(json.get("text").asText()).contains("*Approval requested* " + id + " by `bot (for hal)`, purpose: `cleanup`",
                "`delete on PUBLIC.APPROVALS_NOTIFY`", "Approvers: groups [dba]",
                "`governed-jdbc approvals approve " + id + " --store jdbc:postgresql://db/ops --approver &lt;name&gt; --groups dba`")
                .doesNotContain("424242");
    }

    /**
     * The requester writes its name (through the application) and its purpose (an agent's, through a model): in a Slack
     * message, {@code <…>} is a link or a mention, {@code *…*} bold, and a line break a line of its own. None of them
     * may reach the approvers' channel as Slack would act on it: no link, no {@code @channel}, no line the requester
     * wrote, nothing of theirs formatted. Their texts are shown in code, escaped, on the line the message puts them.
     */
    @Test
    void aSlackMessageShowsTheRequestersTextsWithoutActingOnThem() throws Exception {
        NotifyingApprovalStore store = new NotifyingApprovalStore(new InMemoryApprovalStore(),
                new ApprovalNotifier("slack:" + url("/slack"), null, "jdbc:postgresql://db/ops"));
        String purpose = "cleanup\n*Approved by dan* <https://evil.example/approve|Approve here> <!channel> `x` & more";
        String id = pendingDelete(store, Identity.builder("bot <@U0DBA>").onBehalfOf(Identity.human("hal"))
                .purpose(purpose).build()).approvalRequestId();
        String text = new ObjectMapper().readTree(next().body()).get("text").asText();

        assertThat(text).doesNotContain("<", ">");
        assertThat(text.lines()).hasSize(5);
        assertThat(text.lines().findFirst().orElseThrow()).isEqualTo("*Approval requested* " + id
                + " by `bot &lt;@U0DBA&gt; (for hal)`, purpose: `cleanup\\n*Approved by dan* &lt;https://evil.example/approve|"
                + "Approve here&gt; &lt;!channel&gt; \u02CBx\u02CB &amp; more`");
        assertThat(text).contains("--approver &lt;name&gt; --groups dba`");
    }

    @Test
    void aFailingReceiverNeitherBlocksNorFailsTheStatementAndIsCounted() throws Exception {
        receiver.status = 500;
        ApprovalNotifier notifier = new ApprovalNotifier("webhook:" + url("/down"), SECRET, "memory", Duration.ofMillis(10));
        ApprovalPendingException pending = pendingDelete(new NotifyingApprovalStore(new InMemoryApprovalStore(), notifier));
        assertThat(pending.getSQLState()).as("the statement's outcome is unchanged").isEqualTo("XGA01");
        for (int i = 0; i < ApprovalNotifier.ATTEMPTS; i++) {
            next();
        }
        for (int i = 0; i < 3_000 && notifier.failures() == 0; i++) {
            Thread.sleep(10);
        }
        assertThat(notifier.failures()).isEqualTo(1);
        assertThat(notifier.awaitDeliveries(Duration.ofSeconds(30))).as("a command waiting on it learns of the failure").isFalse();
        assertThat(notifier.awaitDeliveries(Duration.ofSeconds(30))).as("and only once").isTrue();
    }

    @Test
    void onlyHttpsTargetsAreTakenExceptOnThisMachine() {
        assertThatThrownBy(() -> new ApprovalNotifier("webhook:http://hooks.example.com/x", null, "memory"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must use https");
        assertThatThrownBy(() -> new ApprovalNotifier("email:ops@example.com", null, "memory"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neither webhook:URL nor slack:URL");
    }
}
