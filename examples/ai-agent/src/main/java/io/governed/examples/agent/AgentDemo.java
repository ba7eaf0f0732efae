package io.governed.examples.agent;

import dev.langchain4j.data.message.AiMessage;
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
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A support agent on LangChain4j whose SQL tools run through the governed driver as the agent, on
 * behalf of the user who asked, with a purpose. The model sees customers' e-mail addresses as tokens;
 * the user's answer has them restored (the mask exempts support leads); the agent's destructive tool
 * call is refused and it carries on; and the conversation is in the audit trail.
 */
public final class AgentDemo {
    private static final Pattern TOKEN = Pattern.compile("tok_[0-9a-f]{16}@example\\.invalid");

    /** What the conversation left: what the model saw, what the user got, and the audit trail. */
    public record Outcome(String modelAnswer, String userAnswer, List<String> modelSaw, List<AuditEvent> audit, long customers) {
    }

    /** The support assistant, as LangChain4j builds it around the tools. */
    interface Assistant {
        String chat(String question);
    }

    public static void main(String[] args) throws Exception {
        Outcome outcome = run();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("The model saw:");
        outcome.modelSaw().forEach(m -> out.println("  " + m.replace("\n", "\n  ")));
        out.println("The model answered: " + outcome.modelAnswer());
        out.println("The user reads:     " + outcome.userAnswer());
        out.println("Customers still in the table: " + outcome.customers());
        out.println("Audit trail:");
        outcome.audit().forEach(e -> out.println("  " + e.principal() + (e.onBehalfOf() == null ? "" : " for " + e.onBehalfOf())
                + " " + e.action() + " " + e.decision().externalName() + " " + e.rules()
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
        }
        Policy policy = policy();
        MemorySink trail = MemorySink.named("support-" + UUID.randomUUID());
        try (AuditDispatcher audit = AuditDispatcher.start(List.of(trail), AuditSettings.defaults())) {
            Governance governance = Governance.builder().policy(policy).audit(audit).build();
            GovernedDataSource governed = new GovernedDataSource(h2, governance);

            Identity lee = Identity.builder("lee").kind(IdentityKind.HUMAN).groups("support-leads").build();
            Identity agent = Identity.builder("support-agent").kind(IdentityKind.AGENT).onBehalfOf(lee).purpose("support").build();
            ScriptedChatModel model = new ScriptedChatModel(
                    ScriptedChatModel.call("change", "DELETE FROM customers"),
                    ScriptedChatModel.call("query", "SELECT email FROM customers WHERE plan = 'pro' ORDER BY id"),
                    messages -> AiMessage.from("The pro customers are: "
                            + String.join(", ", ScriptedChatModel.lastToolResult(messages).replace("email=", "").split("\n"))));
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(model)
                    .tools(new SupportTools(governed, agent)).build();

            String modelAnswer = assistant.chat("Tidy up the customer table, then tell me the pro customers' e-mails");
            String userAnswer = detokenized(modelAnswer, Detokenizer.of(governance, "customer-emails"), lee);
            audit.flush(Duration.ofSeconds(5));
            long customers;
            try (Connection raw = h2.getConnection(); Statement s = raw.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM customers")) {
                rs.next();
                customers = rs.getLong(1);
                s.execute("SHUTDOWN");
            }
            return new Outcome(modelAnswer, userAnswer, model.seen().stream().map(Object::toString).toList(), trail.events(),
                    customers);
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
