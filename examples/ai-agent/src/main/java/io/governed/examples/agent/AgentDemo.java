package io.governed.examples.agent;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.masking.Detokenizer;
import io.governed.policy.Policy;
import io.governed.policy.approval.ApprovalException;
import io.governed.policy.approval.ApprovalRequest;
import io.governed.policy.approval.ApprovalStore;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A support agent on LangChain4j whose SQL tools run through the governed driver as the agent, on
 * behalf of the user who asked, with a purpose. The model sees customers' e-mail addresses as tokens;
 * the user's answer has them restored (the mask exempts support leads); the agent's destructive tool
 * call is refused and it carries on; a refund it issues waits for a second support lead's approval
 * and runs once, when the agent retries after it; and the conversation is in the audit trail.
 */
public final class AgentDemo {
    private static final Pattern TOKEN = Pattern.compile("tok_[0-9a-f]{16}@example\\.invalid");
    private static final Pattern WAITING = Pattern.compile("waiting for approval (apr-[0-9a-f]+)");
    /** The refund the agent issues: the policy holds inserts into refunds back until a second support lead approves. */
    static final String REFUND = "INSERT INTO refunds(order_id, amount, reason) VALUES (1001, 40.00, 'damaged parcel')";

    /**
     * What the conversation left: what the model saw, what the user got, the conversation as the user
     * and the approvers saw it, the audit trail, and the database afterwards.
     *
     * @param modelAnswer          the model's first answer, with tokens
     * @param userAnswer           that answer as the user reads it, values restored
     * @param transcript           the conversation and the approval step, line by line, as the people in it saw it
     * @param refundsWhilePending  refunds in the table (read through the plain driver) while the request waited
     * @param refunds              refunds in the table at the end
     */
    public record Outcome(String modelAnswer, String userAnswer, List<String> transcript, List<String> modelSaw,
                          List<AuditEvent> audit, long customers, long refundsWhilePending, long refunds) {
    }

    /** The support assistant, as LangChain4j builds it around the tools. */
    interface Assistant {
        String chat(String question);
    }

    public static void main(String[] args) throws Exception {
        print(run(), new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    /** Prints what the conversation left: the transcript, what the model saw, the database and the audit trail. */
    public static void print(Outcome outcome, PrintStream out) {
        out.println("The conversation:");
        outcome.transcript().forEach(line -> out.println("  " + line));
        out.println("The model saw:");
        outcome.modelSaw().forEach(m -> out.println("  " + m.replace("\n", "\n  ")));
        out.println("Customers still in the table: " + outcome.customers());
        out.println("Refunds while the request waited: " + outcome.refundsWhilePending() + "; at the end: " + outcome.refunds());
        out.println("Audit trail:");
        outcome.audit().forEach(e -> out.println("  " + e.principal() + (e.onBehalfOf() == null ? "" : " for " + e.onBehalfOf())
                + " " + e.action() + " " + e.decision().externalName() + " " + e.rules()
                + (e.approvalId() == null ? "" : " " + e.approvalId())
                + (e.statement() == null ? "" : " " + e.statement())));
    }

    /** Runs the scripted conversation on a fresh in-memory database. */
    public static Outcome run() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:support-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection raw = h2.getConnection(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE customers(id INT PRIMARY KEY, name VARCHAR(40), email VARCHAR(80), plan VARCHAR(20))");
            s.execute("INSERT INTO customers VALUES (1, 'Ada', 'ada@corp.test', 'pro'), (2, 'Bo', 'bo@corp.test', 'free'),"
                    + " (3, 'Cy', 'cy@corp.test', 'pro')");
            s.execute("CREATE TABLE refunds(id INT AUTO_INCREMENT PRIMARY KEY, order_id INT, amount DECIMAL(10, 2),"
                    + " reason VARCHAR(80))");
        }
        Policy policy = policy();
        MemorySink trail = MemorySink.named("support-" + UUID.randomUUID());
        try (AuditDispatcher audit = AuditDispatcher.start(List.of(trail), AuditSettings.defaults())) {
            Governance governance = Governance.builder().policy(policy).audit(audit).build();
            GovernedDataSource governed = new GovernedDataSource(h2, governance);

            Identity lee = Identity.builder("lee").kind(IdentityKind.HUMAN).groups("support-leads").build();
            Identity sam = Identity.builder("sam").kind(IdentityKind.HUMAN).groups("support-leads").build();
            Identity agent = Identity.builder("support-agent").kind(IdentityKind.AGENT).onBehalfOf(lee).purpose("support").build();
            ScriptedChatModel model = new ScriptedChatModel(
                    ScriptedChatModel.call("change", "DELETE FROM customers"),
                    ScriptedChatModel.call("query", "SELECT email FROM customers WHERE plan = 'pro' ORDER BY id"),
                    messages -> AiMessage.from("The pro customers are: "
                            + String.join(", ", ScriptedChatModel.lastToolResult(messages).replace("email=", "").split("\n"))),
                    ScriptedChatModel.call("change", REFUND),
                    messages -> AiMessage.from(waitingAnswer(ScriptedChatModel.lastToolResult(messages))),
                    ScriptedChatModel.call("change", REFUND),
                    messages -> AiMessage.from("Done: the refund of 40.00 on order 1001 ran ("
                            + ScriptedChatModel.lastToolResult(messages) + ")."));
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(model)
                    .chatMemory(MessageWindowChatMemory.withMaxMessages(50))
                    .tools(new SupportTools(governed, agent)).build();
            Detokenizer detokenizer = Detokenizer.of(governance, "customer-emails");
            List<String> transcript = new ArrayList<>();

            String modelAnswer = ask(assistant, "Tidy up the customer table, then tell me the pro customers' e-mails",
                    transcript);
            String userAnswer = detokenized(modelAnswer, detokenizer, lee);
            transcript.add("lee reads:   " + userAnswer);

            String waiting = ask(assistant, "Refund 40.00 on order 1001 to Ada: the parcel arrived damaged", transcript);
            long refundsWhilePending = refunds(h2);
            Matcher id = WAITING.matcher(waiting);
            if (!id.find()) {
                throw new IllegalStateException("the refund should wait for approval, but the agent answered: " + waiting);
            }
            approve(governance.engine().approvalStore(), id.group(1), lee, sam, transcript);

            ask(assistant, "Sam approved the refund: go ahead", transcript);
            audit.flush(Duration.ofSeconds(5));
            long customers;
            try (Connection raw = h2.getConnection(); Statement s = raw.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM customers")) {
                rs.next();
                customers = rs.getLong(1);
            }
            long refunds = refunds(h2);
            try (Connection raw = h2.getConnection(); Statement s = raw.createStatement()) {
                s.execute("SHUTDOWN");
            }
            return new Outcome(modelAnswer, userAnswer, List.copyOf(transcript),
                    model.seen().stream().map(Object::toString).toList(), trail.events(), customers, refundsWhilePending,
                    refunds);
        }
    }

    private static String ask(Assistant assistant, String question, List<String> transcript) {
        transcript.add("lee asks:    " + question);
        String answer = assistant.chat(question);
        transcript.add("agent says:  " + answer);
        return answer;
    }

    /** What the scripted model tells its user when the tool says the statement waits for approval. */
    private static String waitingAnswer(String toolResult) {
        Matcher m = WAITING.matcher(toolResult);
        return m.find()
                ? "The refund needs a second support lead's approval: it is waiting for approval " + m.group(1)
                        + ". I will run it once it is approved."
                : "I could not issue the refund: " + toolResult;
    }

    /**
     * The approval step, outside the agent: the lead the agent acts for may not approve the request made
     * for him; a second support lead reviews the exact statement and approves it (audited, through the
     * governance's store; {@code governed-jdbc approvals approve} does the same from a shell).
     */
    private static void approve(ApprovalStore approvals, String requestId, Identity requester, Identity approver,
                                List<String> transcript) {
        try {
            approvals.approve(requestId, requester);
            transcript.add(requester.principal() + " approves " + requestId + ": approved (this must not happen)");
        } catch (ApprovalException refused) {
            transcript.add(requester.principal() + " approves " + requestId + ": refused: " + refused.getMessage());
        }
        ApprovalRequest request = approvals.find(requestId).orElseThrow();
        transcript.add(approver.principal() + " reviews " + requestId + ": " + request.requester() + " for "
                + request.onBehalfOf() + ", purpose " + request.purpose() + ", " + request.summary() + ": " + request.statement());
        ApprovalRequest decided = approvals.approve(requestId, approver);
        transcript.add(approver.principal() + " approves " + requestId + ": " + decided.status().externalName());
    }

    private static long refunds(JdbcDataSource h2) throws SQLException {
        try (Connection raw = h2.getConnection(); Statement s = raw.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM refunds")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The policy, with a fresh random token key and vault key in temporary files (a deployment reads
     * them from its secret store: key-env or key-file).
     */
    private static Policy policy() {
        try (java.io.InputStream in = AgentDemo.class.getResourceAsStream("/support-policy.yaml")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return PolicyLoader.fromString("support-policy.yaml", text.replace("${TOKEN_KEY_FILE}", keyFile("token"))
                    .replace("${VAULT_KEY_FILE}", keyFile("vault")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String keyFile(String name) throws java.io.IOException {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("support-" + name, ".key");
        file.toFile().deleteOnExit();
        java.nio.file.Files.writeString(file, java.util.HexFormat.of().formatHex(key));
        return file.toString();
    }

    /** The answer with each token restored for {@code user}. */
    private static String detokenized(String answer, Detokenizer detokenizer, Identity user) throws SQLException {
        Matcher m = TOKEN.matcher(answer);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(detokenizer.detokenize(user, m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }
}
