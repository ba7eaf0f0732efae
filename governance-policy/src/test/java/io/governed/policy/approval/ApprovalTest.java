package io.governed.policy.approval;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.engine.DecisionContext;
import io.governed.policy.engine.PolicyEngine;
import io.governed.policy.engine.StatementBinding;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Action;
import io.governed.sql.SqlAnalysis;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.governed.policy.Identities.agent;
import static io.governed.policy.Identities.human;
import static io.governed.policy.Statements.statement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApprovalTest {

    private static final Identity REQUESTER = human("dora", "dba");
    private static final Identity APPROVER = human("dan", "dba");
    private static final SqlAnalysis DELETE_USER = statement(Action.DELETE).writes("public.users").analysis();
    private static final String DELETE_TEXT = "DELETE FROM public.users WHERE id = ?";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryApprovalStore store = new InMemoryApprovalStore(clock);

    private PolicyEngine engine(String approvals) {
        return new PolicyEngine(PolicyLoader.fromString("approvals.yaml", """
                version: 1
                rules:
                  - { id: dba-all, effect: permit, actions: ["*"], principals: { groups: [dba] } }
                  - { id: agents, effect: permit, actions: ["*"], principals: { kinds: [agent] } }
                approvals:
                """ + approvals), store);
    }

    private final PolicyEngine engine = engine(
            "  - { id: deletes, actions: [delete], resources: [\"public.*\"], approvers: { groups: [dba] }, ttl: 30m }\n");

    private static DecisionContext bound(String text, String digest) {
        return DecisionContext.none().withBinding(StatementBinding.of(text, digest));
    }

    private Decision run(PolicyEngine e, Identity who, String text, String digest) {
        return e.decide(who, DELETE_USER, bound(text, digest));
    }

    private Decision run(Identity who, String digest) {
        return run(engine, who, DELETE_TEXT, digest);
    }

    @Test
    void anApprovalAllowsOneRunOfExactlyThatStatementWithThoseValues() {
        Decision first = run(REQUESTER, "values-1");
        assertThat(first.effect()).isEqualTo(Decision.Effect.PENDING_APPROVAL);
        assertThat(first.reason()).contains("needs approval deletes (request " + first.approvalRequestId() + ") by groups [dba]");
        ApprovalRequest request = store.find(first.approvalRequestId()).orElseThrow();
        assertThat(request.statement()).isEqualTo(DELETE_TEXT);
        assertThat(request.parametersDigest()).isEqualTo("values-1");
        assertThat(request.summary()).isEqualTo("delete on public.users");
        assertThat(request.requestExpiresAt()).as("request-ttl defaults to one day").isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(run(REQUESTER, "values-1").approvalRequestId()).as("the same request is found again").isEqualTo(first.approvalRequestId());

        store.approve(first.approvalRequestId(), APPROVER);

        assertThat(run(REQUESTER, "values-2").effect()).as("other parameter values").isEqualTo(Decision.Effect.PENDING_APPROVAL);
        assertThat(run(engine, REQUESTER, "DELETE FROM public.users WHERE id = 2", "none").effect())
                .as("other literal").isEqualTo(Decision.Effect.PENDING_APPROVAL);
        assertThat(run(human("dirk", "dba"), "values-1").effect()).as("another identity").isEqualTo(Decision.Effect.PENDING_APPROVAL);
        assertThat(run(agent("bot", REQUESTER), "values-1").effect()).as("an agent for the requester")
                .isEqualTo(Decision.Effect.PENDING_APPROVAL);

        Decision approved = run(REQUESTER, "values-1");
        assertThat(approved.effect()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(approved.rules()).containsExactly("dba-all", "deletes");
        assertThat(approved.reason()).as("the statement's audit event names the request it used")
                .isEqualTo("Allowed by rule dba-all, with approval deletes (request " + first.approvalRequestId() + ", now used up)");
        assertThat(store.find(first.approvalRequestId()).orElseThrow().status()).isEqualTo(ApprovalStatus.CONSUMED);

        Decision replay = run(REQUESTER, "values-1");
        assertThat(replay.effect()).as("replay after use").isEqualTo(Decision.Effect.PENDING_APPROVAL);
        assertThat(replay.approvalRequestId()).as("a new request").isNotEqualTo(first.approvalRequestId());
    }

    @Test
    void aBatchRunningTheStatementSeveralTimesIsDeniedWithoutARequestOrAnApprovalUsedUp() {
        Decision single = run(REQUESTER, "values-1");
        store.approve(single.approvalRequestId(), APPROVER);
        Decision batch = engine.decide(REQUESTER, DELETE_USER, DecisionContext.none()
                .withBinding(new StatementBinding(DELETE_TEXT, () -> "values-1", 3)));
        assertThat(batch.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(batch.reason()).isEqualTo("delete on public.users needs approval deletes, which allows one execution,"
                + " and this batch runs it 3 times at once: the batch is refused and nothing of it ran. Run the statement"
                + " on its own for each execution, each approved");
        assertThat(store.list(java.util.EnumSet.allOf(ApprovalStatus.class))).as("no request for the batch").hasSize(1);
        assertThat(store.find(single.approvalRequestId()).orElseThrow().status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(run(REQUESTER, "values-1").effect()).as("the approval, still there, lets one execution run")
                .isEqualTo(Decision.Effect.ALLOW);
    }

    @Test
    void aStoreInMemoryListsPagesThatAddUpToItsList() {
        for (int i = 0; i < 7; i++) {
            run(REQUESTER, "values-" + i);
        }
        java.util.Set<ApprovalStatus> pending = java.util.EnumSet.of(ApprovalStatus.PENDING);
        java.util.List<ApprovalRequest> all = store.list(pending);
        assertThat(all).hasSize(7);
        java.util.List<ApprovalRequest> paged = new java.util.ArrayList<>();
        for (int offset = 0; offset < 9; offset += 3) {
            paged.addAll(store.list(pending, offset, 3));
        }
        assertThat(paged).isEqualTo(all);
        assertThat(store.list(pending, 7, 3)).isEmpty();
        assertThat(store.list(pending, 2, 0)).isEmpty();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> store.list(pending, -1, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset and a limit of 0 or more");
    }

    @Test
    void aFingerprintScopedApprovalAllowsOneRunWithOtherValues() {
        PolicyEngine wide = engine("  - { id: deletes, actions: [delete], approvers: { groups: [dba] }, ttl: 30m, scope: fingerprint }\n");
        String id = run(wide, REQUESTER, DELETE_TEXT, "values-1").approvalRequestId();
        assertThat(run(wide, REQUESTER, DELETE_TEXT, "values-2").approvalRequestId()).isEqualTo(id);
        store.approve(id, APPROVER);
        assertThat(run(wide, REQUESTER, "DELETE FROM public.users WHERE id = 7", "none").effect()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(run(wide, REQUESTER, DELETE_TEXT, "values-1").effect()).isEqualTo(Decision.Effect.PENDING_APPROVAL);
    }

    @Test
    void aFingerprintScopedApprovalOfCodeGivenAsTextAllowsThatCodeOnly() {
        // every DO block's fingerprint is "do ?", every function definition's body a literal: approved by their text
        PolicyEngine wide = engine("  - { id: code, actions: [delete, update, drop, define-code], approvers: { groups: [dba] },"
                + " ttl: 30m, scope: fingerprint }\n");
        io.governed.sql.SqlAnalyzer analyzer = new io.governed.sql.SqlAnalyzer();
        java.util.function.Function<String, Decision> run = text -> wide.decide(REQUESTER,
                analyzer.analyze(text, io.governed.sql.Dialect.POSTGRESQL), bound(text, "none"));
        for (String[] pair : new String[][] {
                {"DO $$ BEGIN UPDATE public.users SET name = 'x' WHERE id = 1; END $$",
                        "DO $$ BEGIN UPDATE public.users SET name = 'x'; DELETE FROM public.users; END $$"},
                {"CREATE OR REPLACE FUNCTION public.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
                        "CREATE OR REPLACE FUNCTION public.f() RETURNS int LANGUAGE sql AS $$ DELETE FROM public.users RETURNING 1 $$"}}) {
            Decision pending = run.apply(pair[0]);
            assertThat(pending.effect()).as(pair[0]).isEqualTo(Decision.Effect.PENDING_APPROVAL);
            store.approve(pending.approvalRequestId(), APPROVER);
            Decision other = run.apply(pair[1]);
            assertThat(other.effect()).as(pair[1]).isEqualTo(Decision.Effect.PENDING_APPROVAL);
            assertThat(other.approvalRequestId()).isNotEqualTo(pending.approvalRequestId());
            assertThat(run.apply(pair[0]).effect()).as(pair[0]).isEqualTo(Decision.Effect.ALLOW);
            assertThat(store.find(other.approvalRequestId()).orElseThrow().scope())
                    .isEqualTo(io.governed.policy.model.ApprovalScope.EXACT);
        }
    }

    @Test
    void aPreparedStatementIsCheckedWithoutUsingOrRequestingAnApproval() {
        Decision prepared = engine.check(REQUESTER, DELETE_USER, bound(DELETE_TEXT, "none"));
        assertThat(prepared.effect()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(prepared.reason()).endsWith("approval deletes is checked when it runs");
        assertThat(store.list(EnumSet.allOf(ApprovalStatus.class))).isEmpty();
    }

    @Test
    void aDeniedStatementIsNotTurnedIntoARequest() {
        assertThat(run(human("eve"), "none").effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(store.list(EnumSet.allOf(ApprovalStatus.class))).isEmpty();
    }

    @Test
    void aDenialWithAReasonRefusesTheStatementNamingTheReasonUntilTheRequestExpires() {
        String id = run(REQUESTER, "none").approvalRequestId();
        assertThatThrownBy(() -> store.deny(id, APPROVER, " ")).isInstanceOf(ApprovalException.class)
                .hasMessageContaining("a denial needs a reason");
        store.deny(id, APPROVER, "not during business hours");

        Decision denied = run(REQUESTER, "none");
        assertThat(denied.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(denied.reason()).isEqualTo("delete on public.users was denied by dan (approval deletes, request " + id
                + "): not during business hours");
        assertThatThrownBy(() -> store.approve(id, human("dirk", "dba"))).isInstanceOf(ApprovalException.class)
                .hasMessageContaining("request " + id + " is denied");

        clock.advance(Duration.ofDays(1));
        Decision later = run(REQUESTER, "none");
        assertThat(later.effect()).as("after request-ttl a new request may be made").isEqualTo(Decision.Effect.PENDING_APPROVAL);
        assertThat(later.approvalRequestId()).isNotEqualTo(id);
        assertThat(store.find(id).orElseThrow().statusAt(clock.instant())).isEqualTo(ApprovalStatus.EXPIRED);
    }

    @Test
    void twoApprovalsAreNeededWhenTheRuleRequiresTwo() {
        PolicyEngine two = engine("  - { id: deletes, actions: [delete], approvers: { groups: [dba], require: 2 }, ttl: 30m }\n");
        String id = run(two, REQUESTER, DELETE_TEXT, "none").approvalRequestId();
        assertThat(store.approve(id, APPROVER).status()).isEqualTo(ApprovalStatus.PENDING);
        assertThatThrownBy(() -> store.approve(id, APPROVER)).as("the same approver twice").isInstanceOf(ApprovalException.class)
                .hasMessage("dan has already approved request " + id + ": it needs groups [dba], 2 different approvers, "
                        + "so another approver must approve it");
        assertThat(run(two, REQUESTER, DELETE_TEXT, "none").effect()).isEqualTo(Decision.Effect.PENDING_APPROVAL);
        assertThat(store.approve(id, human("dirk", "dba")).status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(run(two, REQUESTER, DELETE_TEXT, "none").effect()).isEqualTo(Decision.Effect.ALLOW);
    }

    @Test
    void oneApproverOfEachGroupIsNeededWithEachGroup() {
        PolicyEngine each = engine("  - { id: deletes, actions: [delete], approvers: { groups: [dba, security], require: each-group }, ttl: 30m }\n");
        String id = run(each, REQUESTER, DELETE_TEXT, "none").approvalRequestId();
        assertThat(store.approve(id, APPROVER).status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(store.approve(id, human("dirk", "dba")).status()).as("a second dba is not security").isEqualTo(ApprovalStatus.PENDING);
        assertThat(store.approve(id, human("sam", "security")).status()).isEqualTo(ApprovalStatus.APPROVED);
    }

    @Test
    void someoneInBothGroupsCountsForOneOfThem() {
        PolicyEngine each = engine("  - { id: deletes, actions: [delete], approvers: { groups: [dba, security], require: each-group }, ttl: 30m }\n");
        String id = run(each, REQUESTER, DELETE_TEXT, "none").approvalRequestId();
        assertThat(store.approve(id, human("both", "dba", "security")).status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(store.approve(id, APPROVER).status()).isEqualTo(ApprovalStatus.APPROVED);
    }

    @Test
    void someoneWhoIsNotAnApproverIsRefused() {
        String id = run(REQUESTER, "none").approvalRequestId();
        assertThatThrownBy(() -> store.approve(id, human("eve", "developers")))
                .isInstanceOf(ApprovalException.class)
                .hasMessage("eve may not approve or deny request " + id + ": approval deletes needs groups [dba]");
        assertThat(run(REQUESTER, "none").effect()).isEqualTo(Decision.Effect.PENDING_APPROVAL);
    }

    @Test
    void nobodyApprovesTheirOwnRequestNorOneMadeForThem() {
        String id = run(REQUESTER, "none").approvalRequestId();
        assertThatThrownBy(() -> store.approve(id, REQUESTER)).isInstanceOf(ApprovalException.class)
                .hasMessageContaining("dora cannot approve or deny request " + id);
        Identity agentForRequester = Identity.builder("bot").groups("dba").kind(io.governed.identity.IdentityKind.AGENT)
                .onBehalfOf(REQUESTER).build();
        assertThatThrownBy(() -> store.approve(id, agentForRequester)).isInstanceOf(ApprovalException.class);

        Identity dbaAgent = agent("bot", human("dora", "dba"));
        String agentRequest = run(dbaAgent, "none").approvalRequestId();
        assertThatThrownBy(() -> store.approve(agentRequest, human("dora", "dba"))).as("the human the agent acted for")
                .isInstanceOf(ApprovalException.class);
        store.approve(agentRequest, APPROVER);
        assertThat(run(dbaAgent, "none").allowed()).isTrue();
    }

    @Test
    void anUnknownRequestIsRefused() {
        assertThatThrownBy(() -> store.approve("apr-000", APPROVER))
                .isInstanceOf(ApprovalException.class)
                .hasMessageContaining("no approval request 'apr-000' is known");
    }

    @Test
    void anApprovalExpiresAfterItsTtlAndARequestAfterItsRequestTtl() {
        PolicyEngine short_ = engine("  - { id: deletes, actions: [delete], approvers: { groups: [dba] }, ttl: 30m, request-ttl: 2h }\n");
        String id = run(short_, REQUESTER, DELETE_TEXT, "none").approvalRequestId();
        clock.advance(Duration.ofMinutes(119));
        store.approve(id, APPROVER);
        clock.advance(Duration.ofMinutes(29));
        assertThat(store.find(id).orElseThrow().statusAt(clock.instant())).as("the approval's ttl counts from approval")
                .isEqualTo(ApprovalStatus.APPROVED);
        clock.advance(Duration.ofMinutes(1));
        assertThat(run(short_, REQUESTER, DELETE_TEXT, "none").effect()).isEqualTo(Decision.Effect.PENDING_APPROVAL);
        assertThat(store.list(EnumSet.of(ApprovalStatus.EXPIRED))).extracting(ApprovalRequest::id).containsExactly(id);

        String next = run(short_, REQUESTER, DELETE_TEXT, "none").approvalRequestId();
        clock.advance(Duration.ofHours(2));
        assertThatThrownBy(() -> store.approve(next, APPROVER)).isInstanceOf(ApprovalException.class)
                .hasMessageContaining("request " + next + " is expired");
    }

    @Test
    void consumingSeveralRequestsIsAllOrNothing() {
        PolicyEngine twoApprovals = engine("""
                  - { id: dba-ok, actions: [delete], approvers: { groups: [dba] }, ttl: 1h }
                  - { id: owner-ok, actions: [delete], resources: [users], approvers: { names: [olga] }, ttl: 1h }
                """);
        Decision pending = run(twoApprovals, REQUESTER, DELETE_TEXT, "none");
        assertThat(pending.rules()).containsExactly("dba-all", "dba-ok", "owner-ok");
        assertThat(store.list(EnumSet.of(ApprovalStatus.PENDING))).as("every request is recorded at once").hasSize(2);
        store.approve(pending.approvalRequestId(), APPROVER);
        Decision stillPending = run(twoApprovals, REQUESTER, DELETE_TEXT, "none");
        assertThat(stillPending.effect()).isEqualTo(Decision.Effect.PENDING_APPROVAL);
        assertThat(store.find(pending.approvalRequestId()).orElseThrow().status()).as("not used up by the refused run")
                .isEqualTo(ApprovalStatus.APPROVED);
        store.approve(stillPending.approvalRequestId(), human("olga"));
        assertThat(run(twoApprovals, REQUESTER, DELETE_TEXT, "none").effect()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(run(twoApprovals, REQUESTER, DELETE_TEXT, "none").effect()).isEqualTo(Decision.Effect.PENDING_APPROVAL);
    }

    @Test
    void concurrentExecutionsCannotShareOneApproval() throws Exception {
        String id = run(REQUESTER, "none").approvalRequestId();
        store.approve(id, APPROVER);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Decision>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return run(REQUESTER, "none");
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
