package io.governed.jdbc.approval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.governed.policy.approval.ApprovalRequest;
import io.governed.policy.approval.ApprovalVote;
import io.governed.policy.approval.RequesterText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells people about approval requests ({@code governed.approvals.notify}): on every new request and
 * every decision, a JSON POST to each {@code webhook:URL}, signed with HMAC-SHA256 over the body in the
 * header {@value #SIGNATURE_HEADER} ({@code sha256=<hex>}) when a secret is set, and a message to each
 * {@code slack:URL} (an incoming webhook). The payloads name the requester, purpose, action, tables and
 * the literal-free fingerprint, never the statement text or values.
 *
 * <p>Delivery is asynchronous, with up to {@value #ATTEMPTS} attempts per target (1s, then 2s apart):
 * it never blocks or fails a statement. Failures are logged and counted ({@link #failures()}).
 */
public final class ApprovalNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalNotifier.class);
    /** The header carrying the signature of a webhook's body. */
    public static final String SIGNATURE_HEADER = "X-Governed-Signature";
    static final int ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Target(URI uri, boolean slack) {
    }

    private final List<Target> targets;
    private final byte[] secret;
    private final String store;
    private final HttpClient http;
    private final Duration firstRetry;
    private final AtomicLong failures = new AtomicLong();
    /** Deliveries not yet done (delivered, or failed every attempt); guarded by itself for waiting. */
    private final java.util.concurrent.atomic.AtomicInteger outstanding = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong failuresSeen = new AtomicLong();

    /**
     * A notifier for {@code spec}: {@code webhook:URL} and {@code slack:URL}, comma separated.
     *
     * @param secret the HMAC key of webhook signatures, or {@code null} for unsigned webhooks
     * @param store  the store as approvers name it on the command line ({@code --store}), credentials removed
     * @throws IllegalArgumentException for a target that is neither, or not https (http only to this machine)
     */
    public ApprovalNotifier(String spec, String secret, String store) {
        this(spec, secret, store, Duration.ofSeconds(1));
    }

    ApprovalNotifier(String spec, String secret, String store, Duration firstRetry) {
        List<Target> parsed = new ArrayList<>();
        for (String part : spec.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) {
                continue;
            }
            boolean slack = t.startsWith("slack:");
            if (!slack && !t.startsWith("webhook:")) {
                throw new IllegalArgumentException("approval notification '" + io.governed.jdbc.audit.JdbcSink.redact(t)
                        + "' is neither webhook:URL nor slack:URL");
            }
            URI uri = URI.create(t.substring(t.indexOf(':') + 1));
            boolean local = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
            if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && local)) {
                throw new IllegalArgumentException("approval notification to " + uri.getHost() + " must use https"
                        + " (plain http only to localhost)");
            }
            parsed.add(new Target(uri, slack));
        }
        this.targets = List.copyOf(parsed);
        this.secret = secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.store = store;
        this.firstRetry = firstRetry;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Deliveries that failed every attempt since this notifier started. */
    public long failures() {
        return failures.get();
    }

    /**
     * Waits until every notification sent so far is delivered or has failed every attempt (a command that
     * exits right after deciding calls this), up to {@code max}.
     *
     * @return whether all were delivered: false when one failed since the last call or time ran out
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitDeliveries(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (outstanding) {
            while (outstanding.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(outstanding, left);
            }
        }
        long failed = failures.get();
        return failuresSeen.getAndSet(failed) == failed;
    }

    private void settled() {
        if (outstanding.decrementAndGet() == 0) {
            synchronized (outstanding) {
                outstanding.notifyAll();
            }
        }
    }

    /** A new request was recorded. */
    public void requested(ApprovalRequest request) {
        send("approval.requested", request);
    }

    /** An approver approved or denied a request. */
    public void decided(ApprovalRequest request) {
        send("approval." + request.status().externalName(), request);
    }

    private void send(String event, ApprovalRequest request) {
        for (Target target : targets) {
            String body = target.slack ? slack(event, request) : webhook(event, request);
            outstanding.incrementAndGet();
            deliver(target, body, 1);
        }
    }

    private void deliver(Target target, String body, int attempt) {
        HttpRequest.Builder post = HttpRequest.newBuilder(target.uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (!target.slack && secret != null) {
            post.header(SIGNATURE_HEADER, "sha256=" + sign(body));
        }
        http.sendAsync(post.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                settled();
                return;
            }
            String why = error != null ? error.getClass().getSimpleName() : "HTTP " + response.statusCode();
            if (attempt < ATTEMPTS) {
                Executor later = CompletableFuture.delayedExecutor(firstRetry.toMillis() << (attempt - 1), TimeUnit.MILLISECONDS);
                later.execute(() -> deliver(target, body, attempt + 1));
            } else {
                failures.incrementAndGet();
                settled();
                LOG.warn("Approval notification to {} failed {} times (last: {}); the request stands, approvers can still "
                        + "list it with governed-jdbc approvals list", target.uri.getHost(), ATTEMPTS, why);
            }
        });
    }

    /** HMAC-SHA256 of {@code body} with the secret, in hex. */
    String sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    private String webhook(String event, ApprovalRequest r) {
        ObjectNode json = JSON.createObjectNode();
        json.put("event", event);
        json.put("id", r.id());
        json.put("status", r.status().externalName());
        json.put("approval", r.approvalId());
        json.put("requester", r.requester());
        json.put("onBehalfOf", r.onBehalfOf());
        json.put("purpose", r.purpose());
        json.put("action", r.action());
        r.tables().forEach(json.putArray("tables")::add);
        json.put("fingerprint", r.fingerprint());
        json.put("scope", r.scope().externalName());
        json.put("approvers", r.approvers().describe());
        json.put("requestedAt", r.requestedAt().toString());
        json.put("requestExpiresAt", r.requestExpiresAt().toString());
        ApprovalVote last = r.votes().isEmpty() ? null : r.votes().get(r.votes().size() - 1);
        if (last != null) {
            json.put("decidedBy", last.approver());
            json.put("asserted", last.asserted());
            json.put("reason", last.reason());
        }
        json.put("approveCommand", approveCommand(r));
        return json.toString();
    }

    /**
     * The Slack message: the tool's own words in Slack's markup, the requester's texts (who, the purpose, the action
     * and tables, the fingerprint) each in code, as {@link #code} shows them. The whole text is then escaped as Slack
     * asks ({@code &}, {@code <}, {@code >}), so that nothing in it is a link, a mention or {@code @channel}.
     */
    private String slack(String event, ApprovalRequest r) {
        String who = code(r.onBehalfOf() == null ? r.requester() : r.requester() + " (for " + r.onBehalfOf() + ")");
        String text = switch (event) {
            case "approval.requested" -> "*Approval requested* " + r.id() + " by " + who
                    + (r.purpose() == null ? "" : ", purpose: " + code(r.purpose())) + "\n" + code(r.summary())
                    + "\n" + code(r.fingerprint()) + "\nApprovers: " + r.approvers().describe() + "\nTo approve: `" + approveCommand(r) + "`";
            default -> "*Approval request " + r.id() + " " + r.status().externalName() + "* (" + code(r.summary()) + " by " + who + ")";
        };
        ObjectNode json = JSON.createObjectNode();
        json.put("text", text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
        return json.toString();
    }

    /**
     * A requester's text as Slack code: on one line, every character a client would act on escaped
     * ({@link RequesterText}), a backquote (which would end the code) shown as {@code ˋ} (U+02CB).
     */
    private static String code(String requesterText) {
        return "`" + RequesterText.visible(requesterText).replace('`', '\u02CB') + "`";
    }

    private String approveCommand(ApprovalRequest r) {
        // the approver's groups, which the approval names: one of them is needed (an approver named by the approval needs none)
        java.util.List<String> groups = r.approvers().groups().stream().sorted().toList();
        String asGroup = groups.isEmpty() ? "" : groups.size() == 1 ? " --groups " + groups.get(0)
                : " --groups <" + String.join("|", groups) + ">";
        return "governed-jdbc approvals approve " + r.id() + " --store " + store + " --approver <name>" + asGroup;
    }
}
