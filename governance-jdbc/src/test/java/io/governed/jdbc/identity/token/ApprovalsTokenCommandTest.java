package io.governed.jdbc.identity.token;

import io.governed.jdbc.cli.ApprovalsCommand;
import io.governed.jdbc.support.CliRun;
import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.approval.ApprovalStores;
import io.governed.jdbc.approval.AuditingApprovalStore;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditEventJson;
import io.governed.jdbc.cli.GovernedJdbcCli;
import io.governed.policy.approval.ApprovalRequest;
import io.governed.policy.approval.ApprovalStatus;
import io.governed.policy.approval.ApprovalVote;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static io.governed.jdbc.identity.token.TestIssuer.AUDIENCE;
import static io.governed.jdbc.identity.token.TestIssuer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code governed-jdbc approvals approve|deny --token}: the approver is the identity a verified token vouches for. */
class ApprovalsTokenCommandTest {
    @TempDir
    static Path dir;
    private static TestIssuer idp;
    private static Path jwks;

    private final String database = "jdbc:h2:mem:approvals-token-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final String storeUrl = database + "#table=approvals2_token";
    private GovernedDataSource app;

    @BeforeAll
    static void issuer() {
        idp = TestIssuer.create();
        jwks = idp.writeJwks(dir);
    }

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    @BeforeEach
    void application() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(database);
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE approvals2_token (id INT PRIMARY KEY)");
            s.execute("INSERT INTO approvals2_token VALUES (1)");
        }
        app = new GovernedDataSource(h2, Governance.builder().withoutAudit()
                .policy(PolicyLoader.fromString("token.yaml", """
                        version: 1
                        rules: [{ id: all, effect: permit, actions: ["*"] }]
                        approvals: [{ id: deletes, actions: [delete], approvers: { groups: [dba] }, ttl: 1h }]
                        """))
                .approvalStore(ApprovalStores.open(storeUrl, null, null))
                .defaultIdentity(Identity.human("dora")).build());
    }

    private String pendingDelete() throws SQLException {
        try (Connection c = app.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM approvals2_token WHERE id = ?")) {
            ps.setInt(1, 1);
            return catchThrowableOfType(ApprovalPendingException.class, ps::executeUpdate).approvalRequestId();
        }
    }

    private ApprovalRequest request(String id) {
        return ApprovalStores.open(storeUrl, null, null).find(id).orElseThrow();
    }

    private static String dbaToken(String subject) {
        return idp.rs256(TestIssuer.claims(subject, Instant.now()).claim("groups", List.of("dba")).build());
    }

    private static Path tokenFile(String token) throws Exception {
        Path file = dir.resolve("token-" + UUID.randomUUID());
        Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
        return file;
    }

    private CliRun decide(String verb, String id, String tokenArgument, String... more) {
        List<String> args = new ArrayList<>(List.of("approvals", verb, id, "--store", storeUrl, "--token", tokenArgument,
                "--jwks", jwks.toString(), "--issuer", ISSUER, "--audience", AUDIENCE));
        args.addAll(List.of(more));
        return cli(args.toArray(String[]::new));
    }

    @Test
    void aVerifiedApproverApprovesAndTheDecisionIsAuditedAsVerified() throws Exception {
        String id = pendingDelete();
        String token = dbaToken("dan");
        Path log = dir.resolve("approvals-" + UUID.randomUUID() + ".jsonl");

        CliRun approve = decide("approve", id, "file:" + tokenFile(token), "--audit", "jsonl:" + log);

        assertThat(approve.code()).as(approve.err()).isZero();
        assertThat(approve.out()).startsWith("Approved " + id + " as dan (verified by " + ISSUER + ")");
        assertThat(approve.out() + approve.err()).doesNotContain(token.split("\\.")[1]);
        ApprovalVote vote = request(id).votes().get(0);
        assertThat(vote.approver()).isEqualTo("dan");
        assertThat(vote.asserted()).as("recorded as verified").isFalse();
        assertThat(vote.issuer()).isEqualTo(ISSUER);
        assertThat(cli("approvals", "show", id, "--store", storeUrl).out()).contains("Approved by:  dan (dba) [verified by " + ISSUER + "]");
        assertThat(request(id).status()).isEqualTo(ApprovalStatus.APPROVED);

        List<String> lines = Files.readAllLines(log);
        List<AuditEvent> events = lines.stream().map(AuditEventJson::read)
                .filter(e -> e.action().equals(AuditingApprovalStore.APPROVED)).toList();
        assertThat(events).hasSize(1);
        AuditEvent approved = events.get(0);
        assertThat(approved.principal()).isEqualTo("dan");
        assertThat(approved.identitySource()).isEqualTo("verified");
        assertThat(approved.identityIssuer()).isEqualTo(ISSUER);
        assertThat(approved.approvalId()).isEqualTo(id);
        assertThat(String.join("\n", lines)).doesNotContain(token.split("\\.")[1]).doesNotContain("WHERE id = 1");
        assertThat(cli("audit", "verify", log.toString()).code()).as("the hash chain verifies").isZero();
    }

    @Test
    void aRefusedTokenIsExitThreeAndDecidesNothing() throws Exception {
        String id = pendingDelete();
        String expired = idp.rs256(TestIssuer.claims("dan", Instant.now()).claim("groups", List.of("dba"))
                .expirationTime(Date.from(Instant.now().minusSeconds(3600))).build());

        CliRun approve = decide("approve", id, expired);

        assertThat(approve.code()).isEqualTo(ApprovalsCommand.REFUSED);
        assertThat(approve.err()).contains("refused: the token is refused (expired)").doesNotContain(expired.split("\\.")[1]);
        assertThat(request(id).status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(request(id).votes()).isEmpty();
    }

    @Test
    void aTokenOfAnotherIssuerCannotDeny() throws Exception {
        String id = pendingDelete();
        TestIssuer stranger = TestIssuer.create();
        String forged = stranger.rs256(TestIssuer.claims("dan", Instant.now()).claim("groups", List.of("dba")).build());

        CliRun deny = decide("deny", id, "file:" + tokenFile(forged), "--reason", "no");

        assertThat(deny.code()).isEqualTo(ApprovalsCommand.REFUSED);
        assertThat(request(id).status()).isEqualTo(ApprovalStatus.PENDING);
    }

    @Test
    void theTokensGroupsDecideWhetherItsHolderIsAnApprover() throws Exception {
        String id = pendingDelete();
        String developer = idp.rs256(TestIssuer.claims("eve", Instant.now()).claim("groups", List.of("dev")).build());

        CliRun approve = decide("approve", id, developer);

        assertThat(approve.code()).isEqualTo(ApprovalsCommand.REFUSED);
        assertThat(request(id).status()).isEqualTo(ApprovalStatus.PENDING);
    }

    @Test
    void aNameAndATokenTogetherOrATokenWithoutItsIssuerAreUsageErrors() throws Exception {
        String id = pendingDelete();
        assertThat(decide("approve", id, dbaToken("dan"), "--approver", "dan").code()).isEqualTo(GovernedJdbcCli.USAGE);
        assertThat(cli("approvals", "approve", id, "--store", storeUrl, "--token", dbaToken("dan")).code())
                .isEqualTo(GovernedJdbcCli.USAGE);
        assertThat(request(id).status()).isEqualTo(ApprovalStatus.PENDING);
    }
}
