package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.approval.ApprovalRequest;
import io.governed.policy.model.ApprovalScope;
import io.governed.policy.approval.ApprovalStatus;
import io.governed.policy.approval.ApprovalStore;
import io.governed.policy.model.ApprovalRule;
import io.governed.sql.Action;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Holds back permitted statements that a policy's {@code approvals} cover until they are approved,
 * and uses up one approval per execution. An execution is matched to a request by identity, approval
 * and (by the approval's scope) the exact text and bound values, or the fingerprint.
 */
final class ApprovalCheck {

    /**
     * What the check found: the approvals that apply; the first request the statement waits for, or the
     * request an approver denied; or neither when the approvals were used up (or, for a statement only
     * prepared, are checked when it runs).
     */
    record Outcome(List<String> approvalIds, ApprovalRequest pending, ApprovalRequest denied, boolean deferred,
                   List<String> usedRequests, int batchExecutions, String batchSummary) {
        Outcome(List<String> approvalIds, ApprovalRequest pending, ApprovalRequest denied, boolean deferred) {
            this(approvalIds, pending, denied, deferred, List.of(), 0, null);
        }

        Outcome(List<String> approvalIds, ApprovalRequest pending, ApprovalRequest denied, boolean deferred,
                List<String> usedRequests) {
            this(approvalIds, pending, denied, deferred, usedRequests, 0, null);
        }

        /** A batch that would run the statement {@code executions} times under approvals that allow one execution each. */
        static Outcome batch(List<String> approvalIds, int executions, String summary) {
            return new Outcome(approvalIds, null, null, false, List.of(), executions, summary);
        }
    }

    private final List<ApprovalRule> approvals;
    private final ApprovalStore store;

    ApprovalCheck(List<ApprovalRule> approvals, ApprovalStore store) {
        this.approvals = approvals;
        this.store = store;
    }

    /**
     * Checks a permitted statement: {@code null} when no approval covers it. When {@code consume} is
     * false (a statement prepared, whose values are not bound yet) nothing is asked of the store; the
     * approvals are checked when it runs. Otherwise every request the statement needs is found or
     * recorded (so approvers see them all at once), and the approvals are used up when all are given.
     */
    Outcome check(Identity identity, SqlAnalysis analysis, List<Access> accesses, String defaultSchema,
                  StatementBinding binding, boolean consume) {
        if (approvals.isEmpty()) {
            return null;
        }
        Map<ApprovalRule, List<Access>> covering = new LinkedHashMap<>();
        for (ApprovalRule approval : approvals) {
            List<Access> covered = accesses.stream()
                    .filter(a -> covers(approval, a, defaultSchema, analysis.dialect())).toList();
            if (!covered.isEmpty()) {
                covering.put(approval, covered);
            }
        }
        if (covering.isEmpty()) {
            return null;
        }
        if (consume && binding != null && binding.executions() > 1) {
            // an approval allows one execution: a batch running the statement more than once is refused, before any
            // request is recorded or any approval used up
            List<String> ids = covering.keySet().stream().map(ApprovalRule::id).distinct().toList();
            return Outcome.batch(ids, binding.executions(), covering.values().iterator().next().get(0).describe());
        }
        Map<String, ApprovalRequest> needed = new LinkedHashMap<>();
        Instant now = store.clock().instant();
        for (Map.Entry<ApprovalRule, List<Access>> c : covering.entrySet()) {
            ApprovalRequest candidate = candidate(identity, analysis, c.getKey(), c.getValue(), binding, now);
            needed.putIfAbsent(candidate.key(), candidate);
        }
        List<String> approvalIds = needed.values().stream().map(ApprovalRequest::approvalId).toList();
        if (!consume) {
            return new Outcome(approvalIds, null, null, true);
        }
        List<ApprovalRequest> open = needed.values().stream().map(store::request).toList();
        Instant at = store.clock().instant();
        for (ApprovalRequest request : open) {
            if (request.statusAt(at) == ApprovalStatus.DENIED) {
                return new Outcome(approvalIds, null, request, false);
            }
        }
        for (ApprovalRequest request : open) {
            if (request.statusAt(at) != ApprovalStatus.APPROVED) {
                return new Outcome(approvalIds, request, null, false);
            }
        }
        List<String> lacking = store.consume(open.stream().map(ApprovalRequest::id).toList());
        if (lacking.isEmpty()) {
            return new Outcome(approvalIds, null, null, false, open.stream().map(ApprovalRequest::id).toList());
        }
        // another execution used the approval (or it expired) in between: this one waits for a new request
        ApprovalRequest lost = open.stream().filter(r -> r.id().equals(lacking.get(0))).findFirst().orElseThrow();
        return new Outcome(approvalIds, store.request(needed.get(lost.key())), null, false);
    }

    /** Whether any approval entry covers one of {@code accesses}: then decisions on them use up approvals. */
    boolean coversAny(List<Access> accesses, String defaultSchema, io.governed.sql.Dialect dialect) {
        for (ApprovalRule approval : approvals) {
            for (Access access : accesses) {
                if (covers(approval, access, defaultSchema, dialect)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether {@code approval} covers {@code access}; the advance of a sequence the analysis does not name only when
     * the approval covers every table (an approval of inserts into {@code payments} does not make an id generator wait),
     * and the lock of a query's rows never (it changes no row: the update that follows waits for the approval).
     */
    private static boolean covers(ApprovalRule approval, Access access, String defaultSchema, io.governed.sql.Dialect dialect) {
        if (access.rowLock()) {
            return false;
        }
        if (access.sequence()) {
            return approval.actions().contains(access.action()) && RuleEvaluation.coversEveryTable(approval.resources());
        }
        return approval.covers(access.action(), access.table(), defaultSchema, dialect);
    }

    private static ApprovalRequest candidate(Identity identity, SqlAnalysis analysis, ApprovalRule approval,
                                             List<Access> covered, StatementBinding binding, Instant now) {
        ApprovalScope scope = approval.scope();
        String fingerprint = analysis.fingerprint();
        if (scope == ApprovalScope.FINGERPRINT && hidesCode(analysis)) {
            // a DO block's or a routine definition's code is one literal to the fingerprint (every DO is "do ?"): an
            // approval of its fingerprint would let other code run, so it is given for the text, as an exact one
            scope = ApprovalScope.EXACT;
        }
        String text = binding == null ? fingerprint + codeOf(analysis) : binding.text();
        String digest = binding == null ? StatementBinding.NO_PARAMETERS : binding.parametersDigest().get();
        // the whole chain (an earlier actor "for" the person), so that nobody in it can decide on the request
        String onBehalfOf = identity.onBehalfOf() == null ? null : identity.onBehalfOf().describe();
        Set<String> tables = new LinkedHashSet<>();
        covered.stream().filter(a -> a.table() != null || a.through() != null)
                .forEach(a -> tables.add((a.table() != null ? a.table() : a.through()).qualifiedName()));
        // the tables as the session resolved them are in the key: the same text names other tables after setSchema
        String key = ApprovalRequest.keyFor(identity, approval.id(), scope, fingerprint, text, digest,
                new ArrayList<>(tables));
        return new ApprovalRequest(ApprovalRequest.newId(), key, approval.id(), identity.principal(), onBehalfOf,
                identity.purpose(), covered.get(0).action().externalName(), new ArrayList<>(tables), analysis.fingerprint(),
                text, digest, scope, approval.approvers(), approval.ttl(), now, now.plus(approval.requestTtl()),
                ApprovalStatus.PENDING, List.of(), null);
    }

    /**
     * Whether a statement of the analysis runs or defines code given as a literal ({@code DO $$ … $$},
     * {@code CREATE FUNCTION … AS $$ … $$}), which its fingerprint does not tell apart from other code.
     */
    private static boolean hidesCode(SqlAnalysis analysis) {
        for (StatementAnalysis statement : analysis.statements()) {
            if (statement.runsCode() || statement.action() == Action.DEFINE_CODE) {
                return true;
            }
        }
        return false;
    }

    /** The code texts a {@code DO} of the analysis runs, to tell its requests apart where no statement text is bound. */
    private static String codeOf(SqlAnalysis analysis) {
        StringBuilder code = new StringBuilder();
        for (StatementAnalysis statement : analysis.statements()) {
            if (statement.code() != null && statement.code().read()) {
                statement.code().statements().forEach(t -> code.append('\0').append(t));
            } else if (statement.runsCode() || statement.action() == Action.DEFINE_CODE) {
                code.append('\0').append(java.util.UUID.randomUUID()); // not told apart: matches no other request
            }
        }
        return code.toString();
    }
}
