package io.governed.policy.approval;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.engine.PolicyEngine;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Action;
import io.governed.sql.SqlAnalysis;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.governed.policy.Identities.agent;
import static io.governed.policy.Identities.human;
import static io.governed.policy.Statements.select;
import static io.governed.policy.Statements.statement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApprovalTest {

    private static final Identity REQUESTER = human("dora", "dba");
    private static final Identity APPROVER = human("dan", "dba");
    private static final SqlAnalysis DROP_USERS = statement(Action.DROP).writes("public.users").analysis();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryApprovalStore store = new InMemoryApprovalStore(clock);
    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("approvals.yaml", """
            version: 1
            rules:
              - { id: dba-all, effect: permit, actions: ["*"], principals: { groups: [dba] } }
              - { id: agents, effect: permit, actions: ["*"], principals: { kinds: [agent] } }
            approvals:
              - { id: schema-change, actions: [drop, alter], resources: ["public.*"], approvers: { groups: [dba] }, ttl: 30m }
            """), store);

    @Test
    void pendingThenApprovedThenOneExecutionThenPendingAgain() {
        Decision first = engine.decide(REQUESTER, DROP_USERS);
        assertThat(first.effect()).isEqualTo(Decision.Effect.PENDING_APPROVAL);
        String requestId = first.approvalRequestId();
        assertThat(engine.decide(REQUESTER, DROP_USERS).approvalRequestId()).as("the same request is found again").isEqualTo(requestId);

        ApprovalRequest request = store.find(requestId).orElseThrow();
        assertThat(request.summary()).isEqualTo("drop on public.users");
        assertThat(request.requester()).isEqualTo("dora");
        assertThat(request.approvalId()).isEqualTo("schema-change");

        Approval approval = store.approve(requestId, APPROVER);
        assertThat(approval.expiresAt()).isEqualTo(Instant.parse("2026-01-01T00:30:00Z"));

        Decision run = engine.decide(REQUESTER, DROP_USERS);
        assertThat(run.effect()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(run.rules()).containsExactly("dba-all", "schema-change");
        assertThat(run.reason()).isEqualTo("Allowed by rule dba-all, with approval schema-change");

        Decision again = engine.decide(REQUESTER, DROP_USERS);
        assertThat(again.effect()).as("an approval allows one execution").isEqualTo(Decision.Effect.PENDING_APPROVAL);
        assertThat(again.approvalRequestId()).isEqualTo(requestId);
    }

    @Test
    void statementsNoApprovalCoversRunAtOnce() {
        assertThat(engine.decide(REQUESTER, statement(Action.DROP).writes("scratch.t").analysis()).effect())
                .isEqualTo(Decision.Effect.ALLOW);
        assertThat(engine.decide(REQUESTER, select("public.users").analysis()).effect()).isEqualTo(Decision.Effect.ALLOW);
    }

    @Test
    void aDeniedStatementIsNotTurnedIntoARequest() {
        Decision decision = engine.decide(human("eve"), DROP_USERS);
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(store.find(io.governed.policy.approval.ApprovalRequest.idFor(human("eve"), DROP_USERS.fingerprint(), "schema-change")))
                .isEmpty();
    }

    @Test
    void anApprovalIsForThatIdentityAndThatStatementOnly() {
        String requestId = engine.decide(REQUESTER, DROP_USERS).approvalRequestId();
        store.approve(requestId, APPROVER);

        assertThat(engine.decide(APPROVER, DROP_USERS).effect()).as("another identity").isEqualTo(Decision.Effect.PENDING_APPROVAL);
        SqlAnalysis dropOrders = statement(Action.DROP).writes("public.orders").analysis();
        assertThat(engine.decide(REQUESTER, dropOrders).effect()).as("another statement").isEqualTo(Decision.Effect.PENDING_APPROVAL);
        assertThat(engine.decide(REQUESTER, DROP_USERS).effect()).as("still unused").isEqualTo(Decision.Effect.ALLOW);
    }

    @Test
    void requestIdsAreDeterministicAndTellDelegationApart() {
        Identity forAlice = agent("bot", human("alice"));
        Identity forBob = agent("bot", human("bob"));
        String a = ApprovalRequest.idFor(forAlice, "DROP TABLE t", "schema-change");
        assertThat(ApprovalRequest.idFor(agent("bot", human("alice")), "DROP TABLE t", "schema-change")).isEqualTo(a);
        assertThat(ApprovalRequest.idFor(forBob, "DROP TABLE t", "schema-change")).isNotEqualTo(a);
        assertThat(ApprovalRequest.idFor(forAlice, "DROP TABLE u", "schema-change")).isNotEqualTo(a);
        assertThat(ApprovalRequest.idFor(forAlice, "DROP TABLE t", "other")).isNotEqualTo(a);
    }

    @Test
    void someoneWhoIsNotAnApproverIsRefused() {
        String requestId = engine.decide(REQUESTER, DROP_USERS).approvalRequestId();
        assertThatThrownBy(() -> store.approve(requestId, human("eve", "developers")))
                .isInstanceOf(ApprovalException.class)
                .hasMessage("eve may not approve request " + requestId + ": approval schema-change needs one of groups [dba]");
        assertThat(engine.decide(REQUESTER, DROP_USERS).effect()).isEqualTo(Decision.Effect.PENDING_APPROVAL);
    }

    @Test
    void nobodyApprovesTheirOwnRequest() {
        String requestId = engine.decide(REQUESTER, DROP_USERS).approvalRequestId();
        assertThatThrownBy(() -> store.approve(requestId, REQUESTER))
                .isInstanceOf(ApprovalException.class)
                .hasMessageContaining("dora cannot approve request " + requestId);
    }

    @Test
    void theHumanAnAgentActsForCannotApproveTheAgentsRequest() {
        Identity dbaAgent = agent("bot", human("dora", "dba"));
        String requestId = engine.decide(dbaAgent, DROP_USERS).approvalRequestId();
        assertThatThrownBy(() -> store.approve(requestId, human("dora", "dba"))).isInstanceOf(ApprovalException.class);
        store.approve(requestId, APPROVER);
        assertThat(engine.decide(dbaAgent, DROP_USERS).allowed()).isTrue();
    }

    @Test
    void anAgentCannotApproveARequestOfTheHumanItActsFor() {
        String requestId = engine.decide(REQUESTER, DROP_USERS).approvalRequestId();
        Identity agentForRequester = io.governed.identity.Identity.builder("bot").groups("dba")
                .kind(io.governed.identity.IdentityKind.AGENT).onBehalfOf(REQUESTER).build();
        assertThatThrownBy(() -> store.approve(requestId, agentForRequester)).isInstanceOf(ApprovalException.class);
    }

    @Test
    void anUnknownRequestIsRefused() {
        assertThatThrownBy(() -> store.approve("apr-000", APPROVER))
                .isInstanceOf(ApprovalException.class)
                .hasMessageContaining("no approval request 'apr-000' is known");
    }

    @Test
    void anApprovalExpiresAfterItsTtl() {
        String requestId = engine.decide(REQUESTER, DROP_USERS).approvalRequestId();
        store.approve(requestId, APPROVER);
        clock.advance(Duration.ofMinutes(29));
        clock.advance(Duration.ofSeconds(59));
        assertThat(store.consume(List.of(requestId))).as("still valid a second before expiry").isEmpty();

        store.approve(requestId, APPROVER);
        clock.advance(Duration.ofMinutes(30));
        Decision expired = engine.decide(REQUESTER, DROP_USERS);
        assertThat(expired.effect()).isEqualTo(Decision.Effect.PENDING_APPROVAL);
        assertThat(expired.approvalRequestId()).isEqualTo(requestId);
    }

    @Test
    void consumingSeveralRequestsIsAllOrNothing() {
        String a = engine.decide(REQUESTER, DROP_USERS).approvalRequestId();
        String b = engine.decide(REQUESTER, statement(Action.DROP).writes("public.orders").analysis()).approvalRequestId();
        store.approve(a, APPROVER);
        assertThat(store.consume(List.of(a, b))).containsExactly(b);
        assertThat(store.consume(List.of(a))).as("a was not used up by the failed attempt").isEmpty();
    }

    @Test
    void everyApprovalAStatementNeedsIsRequestedAtOnce() {
        PolicyEngine twoApprovals = new PolicyEngine(PolicyLoader.fromString("two.yaml", """
                version: 1
                rules: [{ id: all, effect: permit, actions: ["*"] }]
                approvals:
                  - { id: dba-ok, actions: [drop], approvers: { groups: [dba] }, ttl: 1h }
                  - { id: owner-ok, actions: [drop], resources: [users], approvers: { names: [olga] }, ttl: 1h }
                """), store);
        Decision pending = twoApprovals.decide(REQUESTER, DROP_USERS);
        assertThat(pending.rules()).containsExactly("all", "dba-ok", "owner-ok");
        String ownerRequest = ApprovalRequest.idFor(REQUESTER, DROP_USERS.fingerprint(), "owner-ok");
        assertThat(store.find(ownerRequest)).as("recorded although the decision names the first request").isPresent();

        store.approve(pending.approvalRequestId(), APPROVER);
        Decision stillPending = twoApprovals.decide(REQUESTER, DROP_USERS);
        assertThat(stillPending.approvalRequestId()).isEqualTo(ownerRequest);
        store.approve(ownerRequest, human("olga"));
        assertThat(twoApprovals.decide(REQUESTER, DROP_USERS).rules()).containsExactly("all", "dba-ok", "owner-ok");
        assertThat(twoApprovals.decide(REQUESTER, DROP_USERS).effect()).isEqualTo(Decision.Effect.PENDING_APPROVAL);
    }

    @Test
    void concurrentExecutionsCannotShareOneApproval() throws Exception {
        String requestId = engine.decide(REQUESTER, DROP_USERS).approvalRequestId();
        store.approve(requestId, APPROVER);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Decision>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return engine.decide(REQUESTER, DROP_USERS);
                }));
            }
            start.countDown();
            List<Decision.Effect> effects = new ArrayList<>();
            for (Future<Decision> result : results) {
                effects.add(result.get(30, TimeUnit.SECONDS).effect());
            }
            assertThat(effects).filteredOn(e -> e == Decision.Effect.ALLOW).hasSize(1);
            assertThat(effects).filteredOn(e -> e == Decision.Effect.PENDING_APPROVAL).hasSize(threads - 1);
        } finally {
            pool.shutdownNow();
        }
    }
}
