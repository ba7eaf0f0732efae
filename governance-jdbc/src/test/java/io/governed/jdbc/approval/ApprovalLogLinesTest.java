package io.governed.jdbc.approval;

import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.approval.ApprovalStore;
import io.governed.policy.approval.InMemoryApprovalStore;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The log lines an approval store writes name the requester and the approver, whose names the application (or a
 * token) gives: a name holding a line break would write a log line of its own, such as a forged approval. Each
 * record is one line, the name's control characters escaped.
 */
class ApprovalLogLinesTest {
    private static final String FORGED = "\n[main] INFO io.governed.jdbc.approval.JdbcApprovalStore - Approval request "
            + "apr-0000000000000000 approved by dan (asserted): now approved";

    /** What the store logs (slf4j-simple writes to standard error) while a request is made and approved. */
    private static List<String> logLines(ApprovalStore store) throws Exception {
        String database = "jdbc:h2:mem:approval-log-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(database);
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE approval_log (id INT)");
        }
        GovernedDataSource app = new GovernedDataSource(h2, Governance.builder().withoutAudit().approvalStore(store)
                .defaultIdentity(Identity.builder("dora" + FORGED).build())
                .policy(PolicyLoader.fromString("log.yaml", """
                        version: 1
                        rules: [{ id: all, effect: permit, actions: ["*"] }]
                        approvals: [{ id: deletes, actions: [delete], approvers: { groups: [dba] }, ttl: 1h }]
                        """)).build());
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
            String id = catchThrowableOfType(ApprovalPendingException.class,
                    () -> s.executeUpdate("DELETE FROM approval_log WHERE id = 1")).approvalRequestId();
            store.approve(id, Identity.builder("dan" + FORGED).groups("dba").build());
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("Approval request")).toList();
    }

    @Test
    void theJdbcStoreLogsEachRecordOnOneLine() throws Exception {
        String store = "jdbc:h2:mem:approval-log-store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        List<String> lines = logLines(new JdbcApprovalStore(store, null, null, "approval_log_store", java.time.Clock.systemUTC()));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("recorded for dora\\n[main] INFO");
        assertThat(lines.get(1)).contains("approved by dan\\n[main] INFO");
    }

    @Test
    void theInMemoryStoreLogsEachRecordOnOneLine() throws Exception {
        List<String> lines = logLines(new InMemoryApprovalStore());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("recorded for dora\\n[main] INFO");
        assertThat(lines.get(1)).contains("approved by dan\\n[main] INFO");
    }
}
