package io.governed.jdbc.cli;

import io.governed.identity.Identity;
import io.governed.identity.IdentityProvenance;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.masking.Detokenizer;
import io.governed.masking.token.JdbcTokenVault;
import io.governed.masking.token.TokenVaults;
import io.governed.policy.Policy;
import io.governed.policy.load.PolicyLoadException;
import io.governed.policy.model.Mask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/** {@code detokenize}: restores the values behind tokens of a {@code token} mask, for an identity the mask exempts. */
@Command(name = "detokenize", mixinStandardHelpOptions = true,
        description = "Restores the values behind tokens of a token mask, for an identity the mask does not apply to; "
                + "every attempt is audited. Exits 0 when every token was restored, 1 otherwise.")
final class DetokenizeCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--policy", paramLabel = "FILE", required = true, split = ",",
            description = "the policy files (comma separated), as the application loads them") List<String> files;
    @Option(names = "--mask", paramLabel = "ID", required = true, description = "the id of the token mask") String mask;
    @Option(names = "--principal", paramLabel = "NAME", required = true, description = "who asks for the values") String principal;
    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "human", description = "human, service or agent (default: human)")
    IdentityKind kind;
    @Option(names = "--groups", paramLabel = "GROUP", split = ",", description = "the principal's groups") List<String> groups;
    @Option(names = "--on-behalf-of", paramLabel = "PRINCIPAL", description = "the human an agent or service acts for") String onBehalfOf;
    @Option(names = "--vault-url", paramLabel = "JDBC_URL", required = true, description = "the JDBC URL of the token vault's database")
    String vaultUrl;
    @Option(names = "--vault-user", paramLabel = "USER", description = "its user; the password comes from GOVERNED_VAULT_PASSWORD")
    String vaultUser;
    @Option(names = "--vault-table", paramLabel = "TABLE", defaultValue = "governed_token_vault",
            description = "the vault table (default: governed_token_vault)") String vaultTable;
    @Option(names = "--audit", paramLabel = "SINK", defaultValue = "slf4j",
            description = "where the detokenizations are audited, as governed.audit (default: slf4j)") String audit;
    @Parameters(paramLabel = "TOKEN", arity = "1..*", description = "the tokens") List<String> tokens;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Policy policy;
        try {
            policy = PolicyCommand.load(files, false);
        } catch (PolicyLoadException e) {
            err.println(e.getMessage());
            return PolicyCommand.PROBLEM;
        }
        Mask tokenMask = policy.masks().stream().filter(m -> m.id().equals(mask)).findFirst().orElse(null);
        if (tokenMask == null) {
            err.println("The policy has no mask '" + mask + "'");
            return PolicyCommand.PROBLEM;
        }
        Properties credentials = new Properties();
        if (vaultUser != null) {
            credentials.setProperty("user", vaultUser);
        }
        String password = System.getenv("GOVERNED_VAULT_PASSWORD");
        if (password != null) {
            credentials.setProperty("password", password);
        }
        Identity identity = PolicyCommand.identity(principal, kind, groups, onBehalfOf, null, null, IdentityProvenance.ASSERTED);
        int failed = 0;
        try (AuditDispatcher dispatcher = AuditDispatcher.start(audit, AuditSettings.defaults())) {
            Object vaultName = tokenMask.parameters().getOrDefault("vault", "default");
            TokenVaults.register(String.valueOf(vaultName), new JdbcTokenVault(() -> DriverManager.getConnection(vaultUrl, credentials),
                    vaultTable));
            Detokenizer detokenizer = Detokenizer.of(policy, mask, dispatcher);
            for (String token : tokens) {
                try {
                    out.println(detokenizer.detokenize(identity, token));
                } catch (SQLException e) {
                    err.println(e.getMessage() + " (SQLState " + e.getSQLState() + ")");
                    failed++;
                }
            }
            dispatcher.flush(Duration.ofSeconds(10));
        } catch (SQLException | IllegalArgumentException e) {
            err.println(e.getMessage());
            return PolicyCommand.PROBLEM;
        }
        return failed == 0 ? 0 : PolicyCommand.PROBLEM;
    }
}
