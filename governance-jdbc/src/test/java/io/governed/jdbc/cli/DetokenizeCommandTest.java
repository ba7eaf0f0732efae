package io.governed.jdbc.cli;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.masking.token.JdbcTokenVault;
import io.governed.masking.token.TokenVaults;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code governed-jdbc detokenize} as an operator runs it, against a vault table the application filled. */
class DetokenizeCommandTest {
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return GovernedJdbcCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void restoresForTheExemptPrincipalRefusesTheAgentAndAuditsBoth() throws IOException, SQLException {
        String vaultName = "cli-" + UUID.randomUUID();
        String vaultUrl = "jdbc:h2:mem:" + vaultName + ";DB_CLOSE_DELAY=-1";
        Files.writeString(dir.resolve("token.key"), "0123456789abcdef0123456789abcdef");
        Files.writeString(dir.resolve("vault.key"), "fedcba9876543210fedcba9876543210");
        Path policy = Files.writeString(dir.resolve("policy.yaml"), String.join("\n",
                "version: 1",
                "default: allow",
                "masks:",
                "  - id: emails",
                "    columns: { patterns: [\"*.people.email\"] }",
                "    function: token",
                "    key-file: " + dir.resolve("token.key"),
                "    vault-key-file: " + dir.resolve("vault.key"),
                "    vault: " + vaultName,
                "    unless: { groups: [support-leads] }",
                ""));
        try (Connection vaultKeeper = DriverManager.getConnection(vaultUrl)) {
            TokenVaults.register(vaultName, new JdbcTokenVault(() -> DriverManager.getConnection(vaultUrl), "governed_token_vault"));
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:cli-app-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            try (Connection raw = h2.getConnection(); Statement s = raw.createStatement()) {
                s.execute("CREATE TABLE people(id INT PRIMARY KEY, email VARCHAR(80))");
                s.execute("INSERT INTO people VALUES (1, 'ada@corp.test')");
            }
            GovernedDataSource governed = new GovernedDataSource(h2, Governance.builder().withoutAudit()
                    .policy(PolicyLoader.load(policy)).build());
            String token = IdentityContext.runAs(Identity.builder("bot").kind(IdentityKind.AGENT).build(), () -> {
                try (Connection c = governed.getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT email FROM people")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertThat(token).startsWith("tok_");
            Path trail = dir.resolve("audit.jsonl");

            int exit = run("detokenize", "--policy", policy.toString(), "--mask", "emails", "--principal", "lee",
                    "--groups", "support-leads", "--vault-url", vaultUrl, "--audit", "jsonl:" + trail, token);
            assertThat(exit).as(err.toString()).isZero();
            assertThat(out.toString().strip()).isEqualTo("ada@corp.test");

            exit = run("detokenize", "--policy", policy.toString(), "--mask", "emails", "--principal", "bot", "--kind", "agent",
                    "--vault-url", vaultUrl, "--audit", "jsonl:" + trail, token);
            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("Detokenization refused", "42501").doesNotContain("ada@");
            assertThat(out.toString()).doesNotContain("ada@corp.test\nada@");

            String audit = Files.readString(trail);
            assertThat(audit).contains("\"detokenize\"", "\"allow\"", "\"deny\"").doesNotContain("ada@", token);
            assertThat(vaultKeeper.isValid(1)).isTrue();
        }
    }
}
