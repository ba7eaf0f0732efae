package io.governed.jdbc.approval;

import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A store that cannot be read fails closed: the statement that needs approval is refused and nothing runs. */
class ApprovalStoreFailureTest {

    @Test
    void aStatementNeedingApprovalIsRefusedWhenTheStoreCannotBeRead() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:approvals-failure-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE approvals_fail (id INT)");
        }
        JdbcApprovalStore store = new JdbcApprovalStore(h2.getURL(), null, null, "approvals_failure", Clock.systemUTC());
        GovernedDataSource app = new GovernedDataSource(h2, Governance.builder().withoutAudit().approvalStore(store)
                .defaultIdentity(Identity.human("dora"))
                .policy(PolicyLoader.fromString("fail.yaml", """
                        version: 1
                        rules: [{ id: all, effect: permit, actions: ["*"] }]
                        approvals: [{ id: inserts, actions: [insert], approvers: { names: [dan] }, ttl: 1h }]
                        """)).build());
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE approvals_failure_requests");
        }
        try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
            GovernanceException refused = catchThrowableOfType(GovernanceException.class,
                    () -> s.executeUpdate("INSERT INTO approvals_fail VALUES (7)"));
            assertThat((Throwable) refused).isNotInstanceOf(ApprovalPendingException.class);
            assertThat(refused.getSQLState()).isEqualTo("42501");
            assertThat(refused.getMessage()).contains("governance could not decide").contains("the approval store")
                    .contains("nothing was sent to the database");
            assertThat(s.executeUpdate("DELETE FROM approvals_fail WHERE id = 1")).as("statements no approval covers still run")
                    .isZero();
        }
        try (Connection c = h2.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM approvals_fail")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }
}
