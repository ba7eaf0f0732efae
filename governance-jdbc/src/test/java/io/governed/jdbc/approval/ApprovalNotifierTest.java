package io.governed.jdbc.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.approval.InMemoryApprovalStore;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code governed.approvals.notify}: webhooks (signed) and Slack messages about requests and decisions, never values. */
class ApprovalNotifierTest {
    private static final String SECRET = "test-signing-key";

    /** One POST the receiver got. */
    record Delivery(String path, String signature, String body) {
    }

    private final BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
    private volatile int status = 200;
    private final HttpServer receiver;

    ApprovalNotifierTest() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new Delivery(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst(ApprovalNotifier.SIGNATURE_HEADER),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private ApprovalPendingException pendingDelete(NotifyingApprovalStore store) throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:approvals-notify-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE approvals_notify (id INT)");
        }
        GovernedDataSource app = new GovernedDataSource(h2, Governance.builder().withoutAudit().approvalStore(store)
                .defaultIdentity(Identity.builder("bot").onBehalfOf(Identity.human("hal")).purpose("cleanup").build())
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
        Delivery delivery = received.poll(30, TimeUnit.SECONDS);
        assertThat(delivery).as("a notification arrived").isNotNull();
        return delivery;
    }

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
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
                .isEqualTo("governed-jdbc approvals approve " + id + " --store jdbc:postgresql://db/ops --approver <name>");
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
        assertThat(json.get("text").asText()).contains("*Approval requested* " + id + " by bot (for hal), purpose: cleanup",
                "delete on PUBLIC.APPROVALS_NOTIFY", "Approvers: groups [dba]",
                "`governed-jdbc approvals approve " + id + " --store jdbc:postgresql://db/ops --approver <name>`")
                .doesNotContain("424242");
    }

    @Test
    void aFailingReceiverNeitherBlocksNorFailsTheStatementAndIsCounted() throws Exception {
        status = 500;
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
    }

    @Test
    void onlyHttpsTargetsAreTakenExceptOnThisMachine() {
        assertThatThrownBy(() -> new ApprovalNotifier("webhook:http://hooks.example.com/x", null, "memory"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must use https");
        assertThatThrownBy(() -> new ApprovalNotifier("email:ops@example.com", null, "memory"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neither webhook:URL nor slack:URL");
    }
}
