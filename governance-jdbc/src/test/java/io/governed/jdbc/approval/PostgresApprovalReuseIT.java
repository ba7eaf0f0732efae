package io.governed.jdbc.approval;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.policy.Policy;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static io.governed.jdbc.approval.PostgresApprovalFixture.approvalOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An approval given for a statement on one table is not used up by the same text that the session resolves to
 * another table: the approver saw "delete on public.approval_victims", and a {@code setSchema} or a
 * {@code SET search_path} between the approval and the run must not turn it into a delete elsewhere.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresApprovalReuseIT {
    private static final TestDatabase DB = PostgresApprovalFixture.DB;
    private static final String STORE_TABLE = "approvals_reuse";
    private static final Identity DORA = Identity.builder("dora").groups("dev").build();
    private static final Identity DAN = Identity.builder("dan").groups("dba").build();
    private static final Policy POLICY = PolicyLoader.fromString("approvals.yaml", """
            version: 1
            rules:
              - { id: everything, effect: permit, actions: ["*"], resources: ["*"] }
            approvals:
              - { id: deletes, actions: [delete], resources: ["*"], approvers: { groups: [dba] }, ttl: 30m }
            """);
    private static final String DELETE = "DELETE FROM approval_victims WHERE id = 1";

    private PostgresApprovalFixture approvals;

    private JdbcApprovalStore store() {
        return approvals.store();
    }

    private GovernedDataSource instance(Identity identity) {
        return approvals.instance(identity);
    }

    @BeforeEach
    void tables() throws SQLException {
        approvals = new PostgresApprovalFixture(STORE_TABLE, POLICY);
        try (Connection c = DB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS approval_other");
            for (String schema : List.of("public", "approval_other")) {
                s.execute("DROP TABLE IF EXISTS " + schema + ".approval_victims");
                s.execute("CREATE TABLE " + schema + ".approval_victims (id INT)");
                s.execute("INSERT INTO " + schema + ".approval_victims VALUES (1)");
            }
        }
    }

    @AfterEach
    void close() {
        approvals.close();
    }

    private static int rows(String schema) throws SQLException {
        try (Connection c = DB.connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + schema + ".approval_victims")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void anApprovalOfADeleteOnPublicIsNotUsedUpByTheSameTextAfterSetSchema() throws Exception {
        GovernedDataSource dora = instance(DORA);
        String id;
        try (Connection c = dora.getConnection(); Statement s = c.createStatement()) {
            id = approvalOf(s, DELETE);
        }
        assertThat(id).isNotNull();
        store().approve(id, DAN);
        try (Connection c = dora.getConnection(); Statement s = c.createStatement()) {
            c.setSchema("approval_other");
            assertThat(approvalOf(s, DELETE)).as("the same text, now on approval_other.approval_victims")
                    .isNotNull().isNotEqualTo(id);
        }
        assertThat(rows("approval_other")).as("rows of the table nobody approved deleting").isEqualTo(1);
        try (Connection c = dora.getConnection(); Statement s = c.createStatement()) {
            c.setSchema("public"); // the pool hands back the connection as it was left
            assertThat(approvalOf(s, DELETE)).as("the approved statement, on the approved table").isNull();
        }
        assertThat(rows("public")).isZero();
    }

    @Test
    void anApprovalOfADeleteOnPublicIsNotUsedUpByTheSameTextAfterSetSearchPath() throws Exception {
        GovernedDataSource dora = instance(DORA);
        String id;
        try (Connection c = dora.getConnection(); Statement s = c.createStatement()) {
            id = approvalOf(s, DELETE);
        }
        store().approve(id, DAN);
        try (Connection c = dora.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET search_path TO approval_other");
            assertThat(approvalOf(s, DELETE)).isNotNull().isNotEqualTo(id);
            s.execute("RESET search_path");
        }
        assertThat(rows("approval_other")).isEqualTo(1);
    }

    @Test
    void anApprovalGivenForOnePurposeIsNotUsedUpByTheSameStatementRunForAnother() throws Exception {
        String id;
        try (Connection c = instance(DORA.toBuilder().purpose("ticket-42").build()).getConnection();
             Statement s = c.createStatement()) {
            id = approvalOf(s, DELETE);
        }
        store().approve(id, DAN);
        try (Connection c = instance(DORA.toBuilder().purpose("anything-else").build()).getConnection();
             Statement s = c.createStatement()) {
            assertThat(approvalOf(s, DELETE)).as("the approved text, for a purpose the approver was not given")
                    .isNotNull().isNotEqualTo(id);
        }
        assertThat(rows("public")).isEqualTo(1);
    }

    /**
     * An agent acting, through another agent, for alice (RFC 8693 nested {@code act}: current actor → earlier actor →
     * subject) asks; alice, an approver herself, must not approve what was asked for her, however deep the chain.
     */
    @Test
    void thePersonAtTheEndOfAnAgentChainCannotApproveWhatWasAskedForHer() throws Exception {
        Identity alice = Identity.builder("alice").groups("dba").build();
        Identity planner = Identity.builder("planner-agent").kind(io.governed.identity.IdentityKind.AGENT).onBehalfOf(alice).build();
        Identity worker = Identity.builder("worker-agent").kind(io.governed.identity.IdentityKind.AGENT).onBehalfOf(planner).build();
        String id;
        try (Connection c = instance(worker).getConnection(); Statement s = c.createStatement()) {
            id = approvalOf(s, DELETE);
        }
        assertThat(id).isNotNull();
        JdbcApprovalStore store = store();
        Throwable own = org.assertj.core.api.Assertions.catchThrowable(() -> store.approve(id, alice));
        assertThat(own).as("alice approving the request made for her").isInstanceOf(io.governed.policy.approval.ApprovalException.class);
        assertThat(store.find(id).orElseThrow().statusAt(approvals.now()))
                .isEqualTo(io.governed.policy.approval.ApprovalStatus.PENDING);
        try (Connection c = instance(worker).getConnection(); Statement s = c.createStatement()) {
            assertThat(approvalOf(s, DELETE)).isEqualTo(id);
        }
        assertThat(rows("public")).isEqualTo(1);
    }
}
