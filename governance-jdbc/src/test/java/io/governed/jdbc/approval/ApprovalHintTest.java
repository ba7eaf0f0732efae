package io.governed.jdbc.approval;

import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.CliRun;
import io.governed.policy.approval.ApprovalStatus;
import io.governed.policy.approval.ApprovalStore;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The command a waiting statement's message (SQLState XGA01) tells approvers to run: an approver of the group the
 * approval names who runs it as written, with the placeholders filled in, approves the request.
 */
class ApprovalHintTest {
    private final String database = "jdbc:h2:mem:approval-hint-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final String storeUrl = database + "#table=approval_hint";
    private ApprovalStore store;
    private GovernedDataSource app;

    @BeforeEach
    void application() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(database);
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE hint_orders (id INT PRIMARY KEY)");
            s.execute("INSERT INTO hint_orders VALUES (1), (2)");
        }
        store = ApprovalStores.open(storeUrl, null, null);
        app = new GovernedDataSource(h2, Governance.builder().withoutAudit().approvalStore(store)
                .defaultIdentity(Identity.builder("dora").groups("dev").build())
                .policy(PolicyLoader.fromString("hint.yaml", """
                        version: 1
                        rules: [{ id: all, effect: permit, actions: ["*"] }]
                        approvals: [{ id: deletes, actions: [delete], approvers: { groups: [dba] }, ttl: 1h }]
                        """)).build());
    }

    @Test
    void theCommandTheMessageGivesApprovesWhenRunAsWritten() throws SQLException {
        ApprovalPendingException pending;
        try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
            pending = catchThrowableOfType(ApprovalPendingException.class, () -> s.executeUpdate("DELETE FROM hint_orders WHERE id = 1"));
        }
        String message = pending.getMessage();
        assertThat(message).contains("governed-jdbc approvals approve " + pending.approvalRequestId());
        String command = message.substring(message.indexOf("governed-jdbc approvals approve") + "governed-jdbc ".length());
        int alternative = command.indexOf(" (or");
        command = (alternative < 0 ? command : command.substring(0, alternative))
                .replace("<the governed.approvals store>", storeUrl)
                .replace("<name>", "dan")
                .replace("<the approver's groups>", "dba");

        CliRun run = CliRun.of(command.split(" "));

        assertThat(run.code()).as(command + "\n" + run.err()).isZero();
        assertThat(store.find(pending.approvalRequestId()).orElseThrow().status()).isEqualTo(ApprovalStatus.APPROVED);
    }
}
