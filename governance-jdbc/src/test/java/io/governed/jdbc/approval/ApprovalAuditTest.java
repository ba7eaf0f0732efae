package io.governed.jdbc.approval;

import io.governed.jdbc.support.MovableClock;
import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditEventJson;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.MemorySink;
import io.governed.policy.approval.ApprovalException;
import io.governed.policy.approval.ApprovalStatus;
import io.governed.policy.approval.InMemoryApprovalStore;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Approval requests, decisions, expiry and use are audit events tied to the statement that caused them. */
class ApprovalAuditTest {
    private static final String SECRET_VALUE = "4242-secret-literal";

    private final MovableClock clock = new MovableClock(java.time.Instant.now());
    private final InMemoryApprovalStore store = new InMemoryApprovalStore(clock);
    private final MemorySink sink = MemorySink.named("approval-audit-" + UUID.randomUUID());
    private final AuditDispatcher dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
    private final JdbcDataSource h2 = new JdbcDataSource();
    private final Governance governance;
    private final GovernedDataSource app;

    ApprovalAuditTest() throws SQLException {
        h2.setURL("jdbc:h2:mem:approval-audit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE approval_audit (id INT, note VARCHAR(64))");
        }
        governance = Governance.builder().audit(dispatcher).approvalStore(store)
                .defaultIdentity(Identity.human("dora"))
                .policy(PolicyLoader.fromString("audit.yaml", """
                        version: 1
                        rules: [{ id: all, effect: permit, actions: ["*"] }]
                        approvals: [{ id: deletes, actions: [delete], approvers: { names: [dan] }, ttl: 1h, request-ttl: 1d }]
                        """)).build();
        app = new GovernedDataSource(h2, governance);
    }

    @AfterEach
    void close() {
        dispatcher.close();
    }

    private SQLException delete() {
        try (Connection c = app.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM approval_audit WHERE note = ?")) {
            ps.setString(1, SECRET_VALUE);
            ps.executeUpdate();
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    /** The store as approvers reach it: through an auditing store on the same trail (as the CLI with --audit). */
    private AuditingApprovalStore approvers() {
        return new AuditingApprovalStore(store, dispatcher);
    }

    private List<AuditEvent> events() {
        assertThat(dispatcher.flush(Duration.ofSeconds(30))).isTrue();
        return sink.events();
    }

    private AuditEvent only(String action) {
        List<AuditEvent> found = events().stream().filter(e -> e.action().equals(action)).toList();
        assertThat(found).as(action + " events").hasSize(1);
        return found.get(0);
    }

    private AuditEvent statementEvent(String decision) {
        return events().stream().filter(e -> e.action().equals("delete") && e.decision().externalName().equals(decision))
                .findFirst().orElseThrow();
    }

    @Test
    void theWholeLoopIsAuditedAndTiedToTheStatementsEvents() {
        assertThat((Throwable) delete()).isInstanceOf(ApprovalPendingException.class);
        String requestId = store.list(EnumSet.of(ApprovalStatus.PENDING)).get(0).id();

        AuditEvent pending = statementEvent("pending_approval");
        AuditEvent requested = only(AuditingApprovalStore.REQUESTED);
        assertThat(pending.approvalId()).isEqualTo(requestId);
        assertThat(requested.approvalId()).isEqualTo(requestId);
        assertThat(requested.statementEventId()).isEqualTo(pending.eventId());
        assertThat(requested.principal()).isEqualTo("dora");
        assertThat(requested.tables()).containsExactly("PUBLIC.APPROVAL_AUDIT");
        assertThat(requested.rules()).containsExactly("deletes");

        approvers().approve(requestId, Identity.human("dan"));
        AuditEvent approved = only(AuditingApprovalStore.APPROVED);
        assertThat(approved.principal()).isEqualTo("dan");
        assertThat(approved.approvalId()).isEqualTo(requestId);
        assertThat(approved.decision().externalName()).isEqualTo("allow");

        assertThat((Throwable) delete()).as("the approved statement runs").isNull();
        AuditEvent ran = statementEvent("allow");
        AuditEvent consumed = only(AuditingApprovalStore.CONSUMED);
        assertThat(consumed.approvalId()).isEqualTo(requestId);
        assertThat(consumed.statementEventId()).isEqualTo(ran.eventId());
        assertThat(consumed.principal()).isEqualTo("dora");

        for (AuditEvent e : events()) {
            assertThat(AuditEventJson.toJson(e)).as("no literal in " + e.action()).doesNotContain(SECRET_VALUE);
        }
    }

    @Test
    void anApprovalGivenThroughTheGovernancesStoreIsAuditedAndOneThroughTheBareStoreIsNot() {
        delete();
        String first = store.list(EnumSet.of(ApprovalStatus.PENDING)).get(0).id();
        store.approve(first, Identity.human("dan"));
        assertThat((Throwable) delete()).as("the approved statement runs").isNull();
        assertThat(events()).noneMatch(e -> e.action().equals(AuditingApprovalStore.APPROVED));

        assertThat((Throwable) delete()).as("the next run needs a new approval").isInstanceOf(ApprovalPendingException.class);
        String second = store.list(EnumSet.of(ApprovalStatus.PENDING)).get(0).id();
        governance.engine().approvalStore().approve(second, Identity.human("dan"));
        assertThat(only(AuditingApprovalStore.APPROVED).approvalId()).isEqualTo(second);
    }

    @Test
    void aDenialNamesTheApproverAndTheReasonAndAnAssertedApproverIsMarked() {
        delete();
        String requestId = store.list(EnumSet.of(ApprovalStatus.PENDING)).get(0).id();
        approvers().decide(requestId, Identity.human("dan"), true, false, "not during the freeze");

        AuditEvent denied = only(AuditingApprovalStore.DENIED);
        assertThat(denied.principal()).isEqualTo("dan");
        assertThat(denied.identitySource()).isEqualTo("asserted");
        assertThat(denied.decision().externalName()).isEqualTo("deny");
        assertThat(denied.reason()).isEqualTo("not during the freeze");
        assertThat(denied.approvalId()).isEqualTo(requestId);
    }

    @Test
    void anExpiredRequestIsAuditedWhenAnApproverFindsIt() {
        delete();
        String requestId = store.list(EnumSet.of(ApprovalStatus.PENDING)).get(0).id();
        clock.advance(Duration.ofDays(2));

        assertThatThrownBy(() -> approvers().approve(requestId, Identity.human("dan")))
                .isInstanceOf(ApprovalException.class);
        AuditEvent expired = only(AuditingApprovalStore.EXPIRED);
        assertThat(expired.approvalId()).isEqualTo(requestId);
        assertThat(expired.principal()).isEqualTo("dora");
        assertThat(expired.reason()).contains("expired undecided");
        assertThat(events()).noneMatch(e -> e.action().equals(AuditingApprovalStore.APPROVED));
    }

    @Test
    void anApprovalThatExpiredUnusedIsAuditedWhenTheStatementComesBack() {
        delete();
        String requestId = store.list(EnumSet.of(ApprovalStatus.PENDING)).get(0).id();
        store.approve(requestId, Identity.human("dan"));
        clock.advance(Duration.ofHours(2));

        assertThat((Throwable) delete()).isInstanceOf(ApprovalPendingException.class);
        assertThat(events()).noneMatch(e -> e.action().equals(AuditingApprovalStore.CONSUMED));
        assertThat(events().stream().filter(e -> e.action().equals(AuditingApprovalStore.REQUESTED)).count())
                .as("a new request replaces the expired approval").isEqualTo(2);
    }
}
